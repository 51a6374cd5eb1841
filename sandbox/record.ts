// What the store keeps per consignment, and what is read off it (state, ship day, a snapshot, a
// batch call's answer per reference). Shared by the store (which changes it) and the modules that
// only read it (documents, search, tracking).
import type { Carrier, CarrierService } from './catalogue';
import type { IssuedQuote } from './quotes';
import type { ConsignmentState, StateChange, StoredConsignment, TrackingEvent } from './types';
import { ApiError } from './util';
import type { NormalisedCreate } from './validation/create';

/** One booking with a carrier service; replaced on every allocation, dropped on deallocate. */
export interface Allocation {
	quote: IssuedQuote;
	service: CarrierService;
	carrier: Carrier;
	tracking: string[];
	at: Date;
}

export interface ConsignmentRecord extends Omit<NormalisedCreate, 'doc'> {
	ref: string;
	/** the GET /consignments/{ref} body, kept current */
	doc: Record<string, unknown>;
	history: StateChange[];
	quoteRefs: Set<string>;
	allocation: Allocation | null;
	shippingDate: Date | null;
	requiredDate: Date | null;
	failedAllocations: number;
	failedManifests: number;
	/** the last failed manifest, for the summaries' FailedManifest* fields */
	failedManifest: { message: string; at: string } | null;
	/** carrier tracking events, oldest first (the same for every package) */
	tracking: TrackingEvent[];
}

/** The event types of POST /events/consignments (CONTRACT.md "Events"). */
export const EVENT_TYPES = [
	'ConsignmentCreated',
	'ConsignmentUpdated',
	'LabelsPrinted',
	'PackageAdded',
	'PackageRemoved',
	'PackageUpdated',
	'Rescheduled',
] as const;
export type ConsignmentEventType = (typeof EVENT_TYPES)[number];

/** A consignment event as recorded; views.ts turns it into a ConsignmentEventPayload. */
export interface ConsignmentEvent {
	id: string;
	ref: string;
	type: ConsignmentEventType;
	message: string;
	at: Date;
	/** the consignment's state when it happened */
	state: ConsignmentState;
	details: string[];
	info: { Key: string; Value: string; PropertyType: string }[];
}

/** What the store tells a listener (the tracker) after each state change. */
export type StateListener = (r: ConsignmentRecord, to: ConsignmentState, at: Date) => void;

export function stateOf(r: ConsignmentRecord): ConsignmentState {
	return r.doc.ConsignmentState as ConsignmentState;
}

export function customerRefOf(r: ConsignmentRecord): string {
	return String(r.doc.ConsignmentReferenceProvidedByCustomer ?? '');
}

export function addressesOf(r: ConsignmentRecord): {
	origin: Record<string, unknown>;
	destination: Record<string, unknown>;
} {
	const [origin, destination] = r.doc.Addresses as Record<string, unknown>[];
	return { origin, destination };
}

/** The date a consignment ships on: planned, else the booked collection, else the creation day. */
export function shipDayOf(r: ConsignmentRecord): string {
	if (r.shippingDate) return r.shippingDate.toISOString().slice(0, 10);
	if (r.allocation) return r.allocation.quote.collection.toISOString().slice(0, 10);
	return String(r.doc.DateCreated).slice(0, 10);
}

/** Every tracking reference of a consignment (one per package once allocated). */
export function trackingRefsOf(r: ConsignmentRecord): string[] {
	return r.allocation ? [...r.allocation.tracking] : [];
}

/** The two-letter country code of an address. */
export function countryCodeOf(a: Record<string, unknown>): string | null {
	const iso = (a.Country as Record<string, unknown> | undefined)?.IsoCode as
		Record<string, unknown> | undefined;
	return typeof iso?.TwoLetterCode === 'string' ? iso.TwoLetterCode : null;
}

/** A copy of the record as tests read it: the document plus the allocation, history and tracking. */
export function snapshotOf(r: ConsignmentRecord): StoredConsignment {
	const a = r.allocation;
	return {
		...(structuredClone(r.doc) as Record<string, unknown>),
		Reference: r.ref,
		ConsignmentState: r.doc.ConsignmentState as ConsignmentState,
		ConsignmentReferenceProvidedByCustomer: r.doc.ConsignmentReferenceProvidedByCustomer as string,
		LabelsPrinted: r.doc.LabelsPrinted as boolean,
		CarrierReference: a ? a.carrier.Reference : null,
		CarrierName: a ? a.carrier.Name : null,
		CarrierServiceReference: a ? a.service.Reference : null,
		CarrierServiceName: a ? a.service.Name : null,
		QuoteReference: a ? a.quote.quoteReference : null,
		TrackingReferences: a ? [...a.tracking] : [],
		history: r.history.map((h) => ({ ...h })),
		trackingEvents: r.tracking.map((e) => ({ ...e })),
	};
}

/** The documented WithMessage: one per reference of a batch call, matched by Data. */
export interface ManifestResult {
	IsSuccess: boolean;
	Message: string;
	Data: string;
	ApiLinks: { Rel: string; Href: string }[] | null;
}

/**
 * A batch call acting on each reference on its own: one WithMessage per reference, in order,
 * IsSuccess false with the reason for an unknown reference or a refused transition.
 */
export function eachRef(
	refs: string[],
	find: (ref: string) => ConsignmentRecord | undefined,
	act: (r: ConsignmentRecord) => { ok: boolean; message: string },
	links: (ref: string) => ManifestResult['ApiLinks'],
): ManifestResult[] {
	return refs.map((ref) => {
		const r = find(ref);
		let res: { ok: boolean; message: string };
		if (!r) res = { ok: false, message: `Consignment ${ref} was not found` };
		else {
			try {
				res = act(r);
			} catch (e) {
				if (!(e instanceof ApiError)) throw e;
				res = { ok: false, message: e.message };
			}
		}
		return { IsSuccess: res.ok, Message: res.message, Data: ref, ApiLinks: links(ref) };
	});
}
