// The quote engine: deterministic prices and windows from weight, volume, destination and date.
// Same consignment + same clock = same prices, so tests can assert on them.
import {
	CARRIER_BY_REF,
	CARRIER_SERVICES,
	CarrierService,
	countryIso,
	countryName,
	zoneOf,
} from './catalogue';
import type { ConsignmentRecord } from './record';
import { PackageMetrics } from './validation/packages';
import { addWorkingDays, isoLocal, isoOffset, round2, startOfUtcDay } from './util';

export const QUOTE_TTL_MS = 60 * 60 * 1000;

export const REASON_ADDRESSES = 'This service is not available between the selected addresses.';
export const REASON_WEIGHT =
	'This service is not available for the given package dimensions/weight.';
export const REASON_DATES =
	'This service is not available for the selected collection/delivery dates.';

export interface QuoteInput {
	reference: string;
	customerReference: string;
	packages: PackageMetrics[];
	originCountry: string;
	destinationCountry: string;
	originAddress: Record<string, unknown>;
	destinationAddress: Record<string, unknown>;
	shippingDate: Date | null;
	requiredDeliveryDate: Date | null;
}

/** What the quote engine rates for a consignment. */
export function quoteInputOf(r: ConsignmentRecord): QuoteInput {
	const [origin, destination] = r.doc.Addresses as Record<string, unknown>[];
	return {
		reference: r.ref,
		customerReference: r.doc.ConsignmentReferenceProvidedByCustomer as string,
		packages: r.packages,
		originCountry: r.originCountry,
		destinationCountry: r.destinationCountry,
		originAddress: origin,
		destinationAddress: destination,
		shippingDate: r.shippingDate,
		requiredDeliveryDate: r.requiredDate,
	};
}

export interface IssuedQuote {
	body: Record<string, unknown>;
	quoteReference: string;
	consignmentReference: string;
	service: CarrierService;
	expiresAt: number;
	collection: Date;
	earliest: Date;
	latest: Date;
	gross: number;
}

/** Volumetric weight, industry divisor 5000 cm3/kg. */
function volumetricKg(p: PackageMetrics): number {
	return (p.lengthCm * p.widthCm * p.heightCm) / 5000;
}
function chargeableKg(p: PackageMetrics): number {
	return Math.max(p.weightKg, volumetricKg(p));
}

/** Small per-country price factor (0-15 %) so destinations price differently but stably. */
function countryFactor(code: string): number {
	if (code === 'GB') return 1;
	const h = (code.charCodeAt(0) * 31 + code.charCodeAt(1) * 17) % 16;
	return 1 + h / 100;
}

function quoteAddress(a: Record<string, unknown>, origin: boolean): Record<string, unknown> {
	const code = (a.Country as { IsoCode: { TwoLetterCode: string } }).IsoCode.TwoLetterCode || 'GB';
	const out: Record<string, unknown> = {};
	if (origin) out.ShippingLocationReference = a.ShippingLocationReference ?? null;
	out.AddressLine1 = a.AddressLine1 ?? null;
	out.AddressLine2 = a.AddressLine2 ?? null;
	out.AddressLine3 = a.AddressLine3 ?? null;
	out.Town = a.Town ?? null;
	out.Region = a.Region ?? '';
	out.Postcode = a.Postcode ?? null;
	out.Country = { Name: countryName(code), IsoCode: countryIso(code) };
	if (origin) out.RegionCode = a.RegionCode ?? '';
	out.SpecialInstructions = a.SpecialInstructions ?? null;
	out.IsCached = false;
	return out;
}

function price(net: number, domestic: boolean) {
	const rate = domestic ? 0.2 : 0;
	const n = round2(net);
	const vat = round2(n * rate);
	return {
		Net: n,
		Gross: round2(n + vat),
		VatRate: domestic
			? { Reference: 'GB-0.2000', CountryIsoCode: 'GB', Type: 'Standard', Rate: 0.2 }
			: { Reference: 'GB-0.0000', CountryIsoCode: 'GB', Type: 'Zero', Rate: 0 },
		VatAmount: vat,
		Currency: { Name: 'Pound Sterling', IsoCode: 'GBP' },
	};
}

export interface QuoteRun {
	quotes: IssuedQuote[];
	unqualified: Record<string, unknown>[];
}

/**
 * Rates every catalogue service for a consignment. `guid(i)` yields the quote references,
 * `now` is the sandbox clock.
 */
export function computeQuotes(
	input: QuoteInput,
	now: Date,
	guid: (service: string) => string,
): QuoteRun {
	const quotes: IssuedQuote[] = [];
	const unqualified: Record<string, unknown>[] = [];
	const zone = zoneOf(input.destinationCountry);
	const domestic = input.originCountry === 'GB' && zone === 'GB';
	const today = startOfUtcDay(now);
	const requested = input.shippingDate ? startOfUtcDay(input.shippingDate) : today;
	const totalKg = input.packages.reduce((s, p) => s + p.weightKg, 0);
	const totalChargeable = input.packages.reduce((s, p) => s + chargeableKg(p), 0);
	const originQ = quoteAddress(input.originAddress, true);
	const destQ = quoteAddress(input.destinationAddress, false);

	for (const svc of CARRIER_SERVICES) {
		const reasons: string[] = [];
		// Addresses: origin must be GB, destination in one of the service's zones.
		const servesRoute =
			input.originCountry === 'GB' &&
			svc.Zones.includes(zone) &&
			!(svc.ExcludedCountries ?? []).includes(input.destinationCountry);
		if (!servesRoute) reasons.push(REASON_ADDRESSES);
		// Weight/size: every package within the service limits; pallets need a minimum load.
		const tooHeavy = input.packages.some(
			(p) =>
				chargeableKg(p) > svc.MaxPackageWeightKg ||
				Math.max(p.lengthCm, p.widthCm, p.heightCm) > svc.MaxLengthCm,
		);
		const tooLight =
			svc.MinConsignmentWeightKg !== undefined && totalKg < svc.MinConsignmentWeightKg;
		if (tooHeavy || tooLight) reasons.push(REASON_WEIGHT);
		// Dates: collection is the requested shipping day (never in the past), rolled to a weekday.
		let collection = requested;
		while (collection.getUTCDay() === 0 || collection.getUTCDay() === 6)
			collection = new Date(collection.getTime() + 86400000);
		let datesOk = requested.getTime() >= today.getTime();
		if (svc.SaturdayDelivery && collection.getUTCDay() !== 5) datesOk = false;
		const earliest = addWorkingDays(collection, svc.TransitDays[0], !!svc.SaturdayDelivery);
		const latestDay = addWorkingDays(collection, svc.TransitDays[1], !!svc.SaturdayDelivery);
		const latest = new Date(latestDay.getTime() + (23 * 60 + 59) * 60000);
		if (
			input.requiredDeliveryDate &&
			earliest.getTime() > startOfUtcDay(input.requiredDeliveryDate).getTime()
		)
			datesOk = false;
		if (!datesOk) reasons.push(REASON_DATES);

		if (reasons.length) {
			unqualified.push({
				Available: servesRoute && datesOk,
				Rates: !(tooHeavy || tooLight),
				MpdCarrierService: svc.Name,
				MpdCarrierServiceReference: svc.Reference,
				ExclusionReason: reasons.join(' '),
			});
			continue;
		}
		// Price: base + per chargeable kg, by destination, with a Friday and a peak-season uplift.
		const wd = collection.getUTCDay();
		const month = collection.getUTCMonth();
		const dateFactor = 1 + (wd === 5 ? 0.05 : 0) + (month >= 10 ? 0.08 : 0);
		const zoneFactor = zone === 'GB' ? 1 : zone === 'EU' ? 1.35 : 1.9;
		const basisKg = svc.Pallet ? totalKg : totalChargeable;
		const baseNet =
			(svc.Base * input.packages.length + svc.PerKg * basisKg) *
			zoneFactor *
			countryFactor(input.destinationCountry);
		const net = baseNet * dateFactor;
		const carrier = CARRIER_BY_REF.get(svc.CarrierReference)!;
		const quoteReference = guid(svc.Reference);
		const expiresAt = now.getTime() + QUOTE_TTL_MS;
		const p = price(net, domestic);
		const body: Record<string, unknown> = {
			MpdCarrierServiceSource: 2,
			MpdCarrierService: svc.Name,
			OriginAddress: originQ,
			DestinationAddress: destQ,
			CollectionDate: isoLocal(collection),
			EarliestDeliveryDate: isoLocal(earliest),
			LatestDeliveryDate: isoLocal(latest),
			BasePrice: price(baseNet, domestic),
			Price: p,
			Surcharges: [],
			Legs: [
				{
					JourneyStage: 1,
					CarrierService: {
						Reference: svc.CarrierServiceCode,
						Name: svc.Name,
						CarrierReference: carrier.Reference,
						CarrierName: null,
						IsDropOff: false,
						IsPickUp: false,
						IsTimed: false,
					},
					CarrierAccountReference: carrier.AccountReference,
					DeliveryHub: null,
					CostItems: null,
					VolumetricParcelWeight: null,
					CollectionType: 'NotApplicable',
				},
			],
			CarrierAccountOwner: null,
			IsElectioService: false,
			QuoteReference: quoteReference,
			CreationDate: isoOffset(now),
			ExpiryDate: isoOffset(new Date(expiresAt)),
			Requestor: 'Electio Sandbox',
			ConsignmentReference: input.reference,
			ConsignmentReferenceProvidedByCustomer: input.customerReference,
			MpdCarrierServiceReference: svc.Reference,
		};
		quotes.push({
			body,
			quoteReference,
			consignmentReference: input.reference,
			service: svc,
			expiresAt,
			collection,
			earliest,
			latest,
			gross: p.Gross,
		});
	}
	quotes.sort(
		(a, b) => a.gross - b.gross || a.service.Reference.localeCompare(b.service.Reference),
	);
	return { quotes, unqualified };
}
