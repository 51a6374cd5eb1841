// Allocation in the sandbox: which quote a call may allocate with, the tracking numbers a carrier
// issues, and what an allocation writes on the consignment and answers. The store decides when an
// allocation happens and moves the state (store.ts).
import type { Carrier } from './catalogue';
import type { IssuedQuote, QuoteRun } from './quotes';
import { countryCodeOf, type ConsignmentRecord } from './record';
import { ApiError, isoOffset, Rng, ukDateTime } from './util';

/** The quote allocatewithquote may use for `ref`; else Electio's 404 or 400, naming the quote. */
export function usableQuote(
	ref: string,
	quoteRef: string,
	q: IssuedQuote | undefined,
	now: Date,
): IssuedQuote {
	if (!q) {
		throw new ApiError(
			404,
			'QuoteNotFound',
			`Quote ${quoteRef} was not found; request quotes with GET /quotes/consignment/${ref} first`,
		);
	}
	if (q.consignmentReference !== ref) {
		throw new ApiError(
			400,
			'QuoteMismatch',
			`Quote ${quoteRef} belongs to consignment ${q.consignmentReference}, not ${ref}`,
			[
				{
					Code: 'QuoteMismatch',
					Message: `Quote belongs to ${q.consignmentReference}`,
					Target: 'quoteReference',
				},
			],
		);
	}
	if (now.getTime() > q.expiresAt) {
		throw new ApiError(
			400,
			'QuoteExpired',
			`Quote ${quoteRef} expired at ${isoOffset(new Date(q.expiresAt))}; request new quotes`,
			[{ Code: 'QuoteExpired', Message: 'The quote has expired', Target: 'quoteReference' }],
		);
	}
	return q;
}

/** allocatewithcheapestquote's 400 when no carrier service qualifies, each one's reason a Detail. */
export function noQualifyingService(ref: string, unqualified: QuoteRun['unqualified']): ApiError {
	return new ApiError(
		400,
		'AllocationFailed',
		`Consignment ${ref} could not be allocated: no carrier service qualifies`,
		unqualified.map((u) => ({
			Code: 'Unqualified',
			Message: String(u.ExclusionReason),
			Target: String(u.MpdCarrierServiceReference),
		})),
	);
}

/** A UK postcode: outward code (area, district) and inward code (sector, unit). */
const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;

/** The destination postcode a UK carrier refuses (not a UK postcode), or undefined. */
export function rejectedPostcode(destination: Record<string, unknown>): string | undefined {
	if (countryCodeOf(destination) !== 'GB') return undefined;
	const postcode = String(destination.Postcode ?? '').trim();
	return UK_POSTCODE.test(postcode) ? undefined : postcode;
}

/** The carrier's 400 for a destination postcode it refuses, naming the postcode and the field. */
export function postcodeRejected(ref: string, q: IssuedQuote, postcode: string): ApiError {
	return new ApiError(
		400,
		'AllocationFailed',
		`Allocation of consignment ${ref} with ${q.service.Name} failed: the carrier rejected the destination postcode '${postcode}'`,
		[
			{
				Code: 'InvalidPostcode',
				Message: 'The carrier rejected the postcode',
				Target: 'Addresses[Destination].Postcode',
			},
		],
	);
}

/** A tracking number in the carrier's own format, from the seeded stream. */
export function trackingNumber(g: Rng, c: Carrier): string {
	switch (c.tracking) {
		case 'royalmail':
			return `${g.alnum(2).replace(/[0-9]/g, 'R')}${g.digits(9)}GB`;
		case 'dpd':
			return `15${g.digits(12)}`;
		case 'ups':
			return `1Z${g.alnum(16)}`;
		case 'dhl':
			return g.digits(10);
		case 'parcelforce':
			return `PB${g.alnum(2).replace(/[0-9]/g, 'X')}${g.digits(7)}001`;
		default:
			return `PW${g.digits(10)}`;
	}
}

/** Drops the booking and everything it wrote (legs, dates, labels); the state is the store's. */
export function clearAllocation(r: ConsignmentRecord): void {
	r.allocation = null;
	const d = r.doc;
	d.Allocation = null;
	d.ConsignmentLegs = [];
	for (const p of d.Packages as Record<string, unknown>[]) p.ConsignmentLegs = [];
	d.CollectionDate = null;
	d.EarliestDeliveryDate = null;
	d.LatestDeliveryDate = null;
	d.LabelsPrinted = false;
	d.LabelCount = 0;
	d.DateLabelsWereFirstPrinted = null;
}

/**
 * Books the quote's service on the record (one tracking number per package) and writes it on the
 * consignment; returns the documented allocation answer. The state is the store's to move.
 */
export function writeAllocation(
	r: ConsignmentRecord,
	q: IssuedQuote,
	carrier: Carrier,
	tracking: string[],
	now: Date,
	baseUrl: string,
): unknown[] {
	r.allocation = { quote: q, service: q.service, carrier, tracking, at: now };
	const leg = {
		Leg: 1,
		TrackingReferences: tracking,
		CarrierReference: carrier.Reference,
		CarrierServiceReference: null,
		CarrierName: carrier.Name,
	};
	const d = r.doc;
	d.Allocation = {
		CarrierReference: carrier.Reference,
		CarrierName: carrier.Name,
		CarrierServiceReference: q.service.Reference,
		CarrierServiceName: q.service.Name,
		QuoteReference: q.quoteReference,
		AllocationDate: isoOffset(now),
		Price: (q.body as { Price: unknown }).Price,
	};
	d.FailedAllocation = null;
	d.ConsignmentLegs = [leg];
	(d.Packages as Record<string, unknown>[]).forEach((p, i) => {
		p.ConsignmentLegs = [
			{
				Leg: 1,
				TrackingReferences: [tracking[i]],
				CarrierReference: carrier.Reference,
				CarrierName: carrier.Name,
			},
		];
	});
	d.CollectionDate = isoOffset(q.collection);
	d.EarliestDeliveryDate = isoOffset(q.earliest);
	d.LatestDeliveryDate = isoOffset(q.latest);
	const shipAt = new Date(q.collection.getTime() + 17 * 3600000);
	return [
		{
			StatusCode: 200,
			ApiLinks: [
				{ Rel: 'detail', Href: `${baseUrl}/consignments/${r.ref}` },
				{ Rel: 'label', Href: `${baseUrl}/labels/${r.ref}` },
			],
			Description: `Consignment ${r.ref} has been successfully allocated with ${q.service.Name} for shipping on ${ukDateTime(shipAt)}`,
			ConsignmentLegs: [leg],
			CarrierReference: carrier.Reference,
			CarrierName: carrier.Name,
			CarrierServiceReference: q.service.Reference,
			CarrierServiceName: q.service.Name,
		},
	];
}
