// Validation and normalisation of a Create Consignment body. Every violation is collected
// (not just the first) so a client can show them all, each with the field it concerns.
import {
	countryName,
	isIsoCountry,
	PACKAGE_SIZE_BY_REF,
	SHIPPING_LOCATION_BY_REF,
} from '../catalogue';
import { ApiError, ErrorDetail, isPlainObject, parseDate } from '../util';

const WEIGHT_UNITS: Record<string, number> = {
	kg: 1,
	kgs: 1,
	kilogram: 1,
	kilograms: 1,
	g: 0.001,
	grams: 0.001,
	lb: 0.453592,
	lbs: 0.453592,
	oz: 0.0283495,
};
const LENGTH_UNITS: Record<string, number> = {
	cm: 1,
	mm: 0.1,
	m: 100,
	in: 2.54,
	inch: 2.54,
	inches: 2.54,
};
const CURRENCY: Record<string, { name: string; toGbp: number }> = {
	GBP: { name: 'Pound Sterling', toGbp: 1 },
	EUR: { name: 'Euro', toGbp: 0.85 },
	USD: { name: 'US Dollar', toGbp: 0.79 },
};

function currencyInfo(code: string): { name: string; toGbp: number } {
	return CURRENCY[code] ?? { name: code, toGbp: 1 };
}

/** What the quote engine and documents need, in canonical units. */
export interface PackageMetrics {
	weightKg: number;
	lengthCm: number;
	widthCm: number;
	heightCm: number;
	valueGbp: number;
}

export interface NormalisedCreate {
	doc: Record<string, unknown>;
	packages: PackageMetrics[];
	originCountry: string;
	destinationCountry: string;
	shippingLocationRefs: string[];
	declaredValueGbp: number;
}

const ADDRESS_TYPES = ['Origin', 'Destination'];
const DIRECTIONS = ['Outbound', 'Inbound', 'Returns'];

function isPositive(v: unknown): v is number {
	return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

function str(v: unknown): string | null {
	return typeof v === 'string' ? v : null;
}

/** Normalises a money object to {Amount, Currency{Name, IsoCode}} and checks it. */
function money(v: unknown, target: string, errs: ErrorDetail[]): { doc: unknown; gbp: number } {
	if (v === undefined || v === null) return { doc: null, gbp: 0 };
	if (!isPlainObject(v)) {
		errs.push({
			Code: 'Invalid',
			Message: 'Value must be an object {Amount, Currency}',
			Target: target,
		});
		return { doc: null, gbp: 0 };
	}
	const amount = v.Amount;
	if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
		errs.push({
			Code: 'OutOfRange',
			Message: 'Amount must be a number >= 0',
			Target: `${target}.Amount`,
		});
	}
	const cur = isPlainObject(v.Currency) ? (str(v.Currency.IsoCode) ?? 'GBP') : 'GBP';
	if (!/^[A-Z]{3}$/.test(cur)) {
		errs.push({
			Code: 'Invalid',
			Message: `'${cur}' is not an ISO 4217 currency code`,
			Target: `${target}.Currency.IsoCode`,
		});
	}
	const info = currencyInfo(cur);
	const a = typeof amount === 'number' && Number.isFinite(amount) ? amount : 0;
	return { doc: { Amount: a, Currency: { Name: info.name, IsoCode: cur } }, gbp: a * info.toGbp };
}

function normaliseContact(c: unknown): Record<string, unknown> | null {
	if (!isPlainObject(c)) return null;
	return {
		Reference: c.Reference ?? null,
		Title: c.Title ?? null,
		FirstName: c.FirstName ?? null,
		LastName: c.LastName ?? null,
		Position: c.Position ?? null,
		Telephone: c.Telephone ?? null,
		Mobile: c.Mobile ?? null,
		LandLine: c.LandLine ?? null,
		Email: c.Email ?? null,
	};
}

function normaliseAddress(
	a: Record<string, unknown>,
	type: string,
	errs: ErrorDetail[],
): { doc: Record<string, unknown>; country: string; locationRef: string | null } {
	const t = `Addresses[${type}]`;
	const locRef = a.ShippingLocationReference;
	let loc = undefined;
	if (locRef !== undefined && locRef !== null && locRef !== '') {
		loc = typeof locRef === 'string' ? SHIPPING_LOCATION_BY_REF.get(locRef) : undefined;
		if (!loc) {
			errs.push({
				Code: 'UnknownShippingLocation',
				Message: `Shipping location '${String(locRef)}' does not exist (see GET /shippinglocations)`,
				Target: `${t}.ShippingLocationReference`,
			});
		}
	}
	// A known shipping location fills whatever the request leaves out.
	const pick = (k: string, fallback: unknown) =>
		a[k] !== undefined && a[k] !== null && a[k] !== '' ? a[k] : fallback;
	let country =
		isPlainObject(a.Country) && isPlainObject(a.Country.IsoCode)
			? a.Country.IsoCode.TwoLetterCode
			: undefined;
	if (country === undefined && loc) country = loc.CountryCode;
	// With a reference (even an unknown one, already reported) the lines come from the location.
	const named = locRef !== undefined && locRef !== null && locRef !== '';
	if (!named) {
		if (typeof a.AddressLine1 !== 'string' || a.AddressLine1.trim() === '') {
			errs.push({
				Code: 'Required',
				Message: 'AddressLine1 is required',
				Target: `${t}.AddressLine1`,
			});
		}
		if (typeof a.Postcode !== 'string' || a.Postcode.trim() === '') {
			errs.push({ Code: 'Required', Message: 'Postcode is required', Target: `${t}.Postcode` });
		}
	}
	if (country === undefined || country === null || country === '') {
		if (!named)
			errs.push({
				Code: 'Required',
				Message: 'Country.IsoCode.TwoLetterCode is required',
				Target: `${t}.Country.IsoCode.TwoLetterCode`,
			});
	} else if (!isIsoCountry(country)) {
		errs.push({
			Code: 'InvalidCountry',
			Message: `'${String(country)}' is not an ISO 3166-1 alpha-2 country code${country === 'UK' ? " (use 'GB')" : ''}`,
			Target: `${t}.Country.IsoCode.TwoLetterCode`,
		});
	}
	const code = isIsoCountry(country) ? country : 'GB';
	const contact =
		normaliseContact(a.Contact) ??
		(loc ? normaliseContact({ ...loc.Contact, LandLine: '' }) : null);
	const doc: Record<string, unknown> = {
		AddressType: type,
		ShopLocationReference: a.ShopLocationReference ?? null,
		Contact: contact,
		CompanyName: pick('CompanyName', loc ? loc.CompanyName : null),
		ShippingLocationReference: loc ? loc.Reference : null,
		CustomerName: a.CustomerName ?? null,
		AddressLine1: pick('AddressLine1', loc ? loc.AddressLine1 : null),
		AddressLine2: pick('AddressLine2', loc ? loc.AddressLine2 : null),
		AddressLine3: pick('AddressLine3', loc ? loc.AddressLine3 : null),
		Town: pick('Town', loc ? loc.Town : null),
		Region: pick('Region', loc ? loc.Region : ''),
		Postcode: pick('Postcode', loc ? loc.Postcode : null),
		Country: { Name: countryName(code), IsoCode: { TwoLetterCode: code } },
		RegionCode: a.RegionCode ?? '',
		SpecialInstructions: a.SpecialInstructions ?? (loc ? '' : null),
		LatLong: isPlainObject(a.LatLong) ? a.LatLong : null,
		IsCached: a.IsCached === true,
	};
	return { doc, country: code, locationRef: loc ? loc.Reference : null };
}

function normalisePackage(
	p: unknown,
	i: number,
	errs: ErrorDetail[],
): { doc: Record<string, unknown>; metrics: PackageMetrics } {
	const t = `Packages[${i}]`;
	const metrics: PackageMetrics = {
		weightKg: 0,
		lengthCm: 0,
		widthCm: 0,
		heightCm: 0,
		valueGbp: 0,
	};
	if (!isPlainObject(p)) {
		errs.push({ Code: 'Invalid', Message: 'A package must be an object', Target: t });
		return { doc: {}, metrics };
	}
	let size = undefined;
	if (
		p.PackageSizeReference !== undefined &&
		p.PackageSizeReference !== null &&
		p.PackageSizeReference !== ''
	) {
		size =
			typeof p.PackageSizeReference === 'string'
				? PACKAGE_SIZE_BY_REF.get(p.PackageSizeReference)
				: undefined;
		if (!size)
			errs.push({
				Code: 'UnknownPackageSize',
				Message: `Package size '${String(p.PackageSizeReference)}' does not exist (see GET /packagesizes)`,
				Target: `${t}.PackageSizeReference`,
			});
	}
	// Weight: always required (a package size gives dimensions, not the actual weight).
	let weightDoc: unknown = null;
	if (!isPlainObject(p.Weight)) {
		errs.push({
			Code: 'Required',
			Message: 'Weight {Value, Unit} is required',
			Target: `${t}.Weight`,
		});
	} else {
		const unit = str(p.Weight.Unit) ?? 'Kg';
		const factor = WEIGHT_UNITS[unit.toLowerCase()];
		if (!factor)
			errs.push({
				Code: 'Invalid',
				Message: `Unknown weight unit '${unit}' (Kg, g, Lb, Oz)`,
				Target: `${t}.Weight.Unit`,
			});
		if (!isPositive(p.Weight.Value)) {
			errs.push({
				Code: 'OutOfRange',
				Message: 'Weight.Value must be a positive number',
				Target: `${t}.Weight.Value`,
			});
		} else if (factor) {
			metrics.weightKg = p.Weight.Value * factor;
			if (size && metrics.weightKg > size.MaxWeight.Value) {
				errs.push({
					Code: 'OutOfRange',
					Message: `Weight exceeds ${size.MaxWeight.Value} Kg, the maximum of package size ${size.Reference}`,
					Target: `${t}.Weight.Value`,
				});
			}
		}
		weightDoc = { Value: p.Weight.Value, Unit: unit };
	}
	let dimsDoc: unknown = null;
	if (isPlainObject(p.Dimensions)) {
		const d = p.Dimensions;
		const unit = str(d.Unit) ?? 'Cm';
		const factor = LENGTH_UNITS[unit.toLowerCase()];
		if (!factor)
			errs.push({
				Code: 'Invalid',
				Message: `Unknown dimension unit '${unit}' (Cm, Mm, M, In)`,
				Target: `${t}.Dimensions.Unit`,
			});
		for (const k of ['Width', 'Length', 'Height'] as const) {
			if (!isPositive(d[k]))
				errs.push({
					Code: 'OutOfRange',
					Message: `Dimensions.${k} must be a positive number`,
					Target: `${t}.Dimensions.${k}`,
				});
		}
		if (factor && isPositive(d.Width) && isPositive(d.Length) && isPositive(d.Height)) {
			metrics.widthCm = d.Width * factor;
			metrics.lengthCm = d.Length * factor;
			metrics.heightCm = d.Height * factor;
		}
		dimsDoc = { Unit: unit, Width: d.Width, Length: d.Length, Height: d.Height };
	} else if (size) {
		dimsDoc = { ...size.Dimensions };
		metrics.widthCm = size.Dimensions.Width;
		metrics.lengthCm = size.Dimensions.Length;
		metrics.heightCm = size.Dimensions.Height;
	} else if (p.Dimensions !== undefined && p.Dimensions !== null) {
		errs.push({
			Code: 'Invalid',
			Message: 'Dimensions must be an object {Unit, Width, Length, Height}',
			Target: `${t}.Dimensions`,
		});
	} else {
		errs.push({
			Code: 'Required',
			Message: 'Dimensions {Unit, Width, Length, Height} or a PackageSizeReference is required',
			Target: `${t}.Dimensions`,
		});
	}
	const value = money(p.Value, `${t}.Value`, errs);
	metrics.valueGbp = value.gbp;
	let itemsValue = 0;
	if (p.Items !== undefined && p.Items !== null) {
		if (!Array.isArray(p.Items)) {
			errs.push({ Code: 'Invalid', Message: 'Items must be an array', Target: `${t}.Items` });
		} else {
			p.Items.forEach((it, j) => {
				const ti = `${t}.Items[${j}]`;
				if (!isPlainObject(it)) {
					errs.push({ Code: 'Invalid', Message: 'An item must be an object', Target: ti });
					return;
				}
				const q = it.Quantity ?? 1;
				if (typeof q !== 'number' || !Number.isInteger(q) || q <= 0) {
					errs.push({
						Code: 'OutOfRange',
						Message: 'Quantity must be a positive integer',
						Target: `${ti}.Quantity`,
					});
				}
				const v = money(it.Value, `${ti}.Value`, errs);
				itemsValue += v.gbp * (typeof q === 'number' && q > 0 ? q : 1);
				if (
					isPlainObject(it.Weight) &&
					it.Weight.Value !== undefined &&
					!isPositive(it.Weight.Value)
				) {
					errs.push({
						Code: 'OutOfRange',
						Message: 'Weight.Value must be a positive number',
						Target: `${ti}.Weight.Value`,
					});
				}
				const coo =
					isPlainObject(it.CountryOfOrigin) && isPlainObject(it.CountryOfOrigin.IsoCode)
						? it.CountryOfOrigin.IsoCode.TwoLetterCode
						: undefined;
				if (coo !== undefined && !isIsoCountry(coo)) {
					errs.push({
						Code: 'InvalidCountry',
						Message: `'${String(coo)}' is not an ISO 3166-1 alpha-2 country code`,
						Target: `${ti}.CountryOfOrigin.IsoCode.TwoLetterCode`,
					});
				}
			});
		}
	}
	// Declared value: the package value, or the item lines when the package has none.
	if (metrics.valueGbp === 0) metrics.valueGbp = itemsValue;
	const doc: Record<string, unknown> = {
		ConsignmentLegs: [],
		Items: Array.isArray(p.Items) ? p.Items : [],
		Charges: [],
		Reference: '',
		PackageReferenceProvidedByCustomer:
			typeof p.PackageReferenceProvidedByCustomer === 'string'
				? p.PackageReferenceProvidedByCustomer
				: '',
		Weight: weightDoc,
		Dimensions: dimsDoc,
		Description: p.Description ?? null,
		Value: value.doc,
		PackageSizeReference: size ? size.Reference : null,
		Barcode: isPlainObject(p.Barcode) ? p.Barcode : null,
		MetaData: Array.isArray(p.MetaData) ? p.MetaData : [],
	};
	return { doc, metrics };
}

/** Validates a create body; throws a 400 ApiError listing every violation. */
export function validateCreate(body: unknown): NormalisedCreate {
	const errs: ErrorDetail[] = [];
	if (!isPlainObject(body)) {
		throw new ApiError(400, 'ValidationFailed', 'The request body must be a consignment object', [
			{ Code: 'Invalid', Message: 'Expected a JSON object', Target: '' },
		]);
	}
	const pkgs: { doc: Record<string, unknown>; metrics: PackageMetrics }[] = [];
	if (!Array.isArray(body.Packages) || body.Packages.length === 0) {
		errs.push({
			Code: 'Required',
			Message: 'At least one package is required',
			Target: 'Packages',
		});
	} else if (body.Packages.length > 99) {
		errs.push({
			Code: 'OutOfRange',
			Message: 'At most 99 packages per consignment',
			Target: 'Packages',
		});
	} else {
		body.Packages.forEach((p, i) => pkgs.push(normalisePackage(p, i, errs)));
	}
	const addresses: Record<
		string,
		{ doc: Record<string, unknown>; country: string; locationRef: string | null }
	> = {};
	if (!Array.isArray(body.Addresses)) {
		errs.push({
			Code: 'Required',
			Message: 'Addresses with an Origin and a Destination are required',
			Target: 'Addresses',
		});
	} else {
		body.Addresses.forEach((a, i) => {
			if (!isPlainObject(a)) {
				errs.push({
					Code: 'Invalid',
					Message: 'An address must be an object',
					Target: `Addresses[${i}]`,
				});
				return;
			}
			const type = a.AddressType;
			if (typeof type !== 'string' || !ADDRESS_TYPES.includes(type)) {
				errs.push({
					Code: 'Invalid',
					Message: `AddressType must be one of ${ADDRESS_TYPES.join(', ')}`,
					Target: `Addresses[${i}].AddressType`,
				});
				return;
			}
			if (addresses[type]) {
				errs.push({
					Code: 'Duplicate',
					Message: `Only one ${type} address is allowed`,
					Target: `Addresses[${type}]`,
				});
				return;
			}
			addresses[type] = normaliseAddress(a, type, errs);
		});
		for (const t of ADDRESS_TYPES) {
			if (!addresses[t])
				errs.push({
					Code: 'Required',
					Message: `An address with AddressType '${t}' is required`,
					Target: `Addresses[${t}]`,
				});
		}
		if (
			addresses.Origin &&
			addresses.Destination &&
			!addresses.Origin.locationRef &&
			!addresses.Destination.locationRef
		) {
			const named = [body.Addresses]
				.flat()
				.some((a) => isPlainObject(a) && a.ShippingLocationReference);
			if (!named) {
				errs.push({
					Code: 'Required',
					Message:
						'The Origin or the Destination must carry a known ShippingLocationReference (see GET /shippinglocations)',
					Target: 'Addresses[Origin].ShippingLocationReference',
				});
			}
		}
	}
	for (const k of ['ShippingDate', 'RequiredDeliveryDate'] as const) {
		if (body[k] !== undefined && body[k] !== null && !parseDate(body[k])) {
			errs.push({ Code: 'Invalid', Message: `${k} must be an ISO 8601 date`, Target: k });
		}
	}
	if (
		body.Direction !== undefined &&
		body.Direction !== null &&
		!DIRECTIONS.includes(String(body.Direction))
	) {
		errs.push({
			Code: 'Invalid',
			Message: `Direction must be one of ${DIRECTIONS.join(', ')}`,
			Target: 'Direction',
		});
	}
	const custRef = body.ConsignmentReferenceProvidedByCustomer;
	if (
		custRef !== undefined &&
		custRef !== null &&
		(typeof custRef !== 'string' || custRef.length > 100)
	) {
		errs.push({
			Code: 'Invalid',
			Message: 'ConsignmentReferenceProvidedByCustomer must be a string of at most 100 characters',
			Target: 'ConsignmentReferenceProvidedByCustomer',
		});
	}
	for (const k of ['MetaData', 'Tags'] as const) {
		if (body[k] !== undefined && body[k] !== null && !Array.isArray(body[k])) {
			errs.push({ Code: 'Invalid', Message: `${k} must be an array`, Target: k });
		}
	}
	if (
		body.CustomsDocumentation !== undefined &&
		body.CustomsDocumentation !== null &&
		!isPlainObject(body.CustomsDocumentation)
	) {
		errs.push({
			Code: 'Invalid',
			Message: 'CustomsDocumentation must be an object',
			Target: 'CustomsDocumentation',
		});
	}
	if (errs.length) {
		throw new ApiError(
			400,
			'ValidationFailed',
			`The consignment is not valid: ${errs.length} error(s). ${errs.map((e) => `${e.Target}: ${e.Message}`).join('; ')}`,
			errs,
		);
	}
	const totalKg = pkgs.reduce((s, p) => s + p.metrics.weightKg, 0);
	const totalGbp = pkgs.reduce((s, p) => s + p.metrics.valueGbp, 0);
	const shippingDate = parseDate(body.ShippingDate);
	const requiredDate = parseDate(body.RequiredDeliveryDate);
	const doc: Record<string, unknown> = {
		ConsignmentLegs: [],
		CollectionDate: null,
		DateDelivered: null,
		FirstAttemptedDeliveryDate: null,
		DateReturned: null,
		DateShipped: null,
		DateCollected: null,
		AttemptedDeliveryDate: null,
		MetaData: Array.isArray(body.MetaData) ? body.MetaData : [],
		Allocation: null,
		FailedAllocation: null,
		Source: typeof body.Source === 'string' ? body.Source : 'Api',
		LabelCount: 0,
		LabelsPrinted: false,
		DateLabelsWereFirstPrinted: null,
		IsLate: false,
		LateForCustomer: false,
		CustomerReference: '',
		Weight: { Value: Math.round(totalKg * 1000) / 1000, Unit: 'Kg' },
		Value: {
			Amount: Math.round(totalGbp * 100) / 100,
			Currency: { Name: 'Pound Sterling', IsoCode: 'GBP' },
		},
		CustomsDocumentation: isPlainObject(body.CustomsDocumentation)
			? body.CustomsDocumentation
			: null,
		Direction: typeof body.Direction === 'string' ? body.Direction : 'Outbound',
		Tags: Array.isArray(body.Tags) ? body.Tags : [],
		Reference: '',
		ConsignmentState: 'Unallocated',
		DateCreated: '',
		ShippingDate: shippingDate ? shippingDate.toISOString().replace('Z', '+00:00') : null,
		RequestedDeliveryDate: requiredDate ? requiredDate.toISOString().replace('Z', '+00:00') : null,
		EarliestDeliveryDate: null,
		LatestDeliveryDate: null,
		ConsignmentReferenceProvidedByCustomer: typeof custRef === 'string' ? custRef : '',
		Addresses: [addresses.Origin.doc, addresses.Destination.doc],
		Packages: pkgs.map((p) => p.doc),
	};
	return {
		doc,
		packages: pkgs.map((p) => p.metrics),
		originCountry: addresses.Origin.country,
		destinationCountry: addresses.Destination.country,
		shippingLocationRefs: [addresses.Origin.locationRef, addresses.Destination.locationRef].filter(
			(x): x is string => !!x,
		),
		declaredValueGbp: totalGbp,
	};
}
