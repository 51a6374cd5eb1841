// ConsignmentPayload (state events) and ConsignmentEventPayload (consignment events) [SDK].
import { ConsignmentEvent, ConsignmentRecord, customerRefOf, trackingRefsOf } from '../record';
import type { ConsignmentState } from '../types';
import { isoOffset } from '../util';

type Obj = Record<string, unknown>;

const link = (rel: string, href: string) => ({ Rel: rel, Href: href });

/** ConsignmentPayload [SDK]: a snapshot of the consignment, in the state it changed into. */
export function consignmentPayload(r: ConsignmentRecord, state: ConsignmentState): Obj {
	const a = r.allocation;
	const d = r.doc;
	const tracking = trackingRefsOf(r);
	return {
		ConsignmentReference: r.ref,
		ConsignmentReferenceProvidedByCustomer: customerRefOf(r),
		ConsignmentTrackingReference: tracking[0] ?? null,
		ConsignmentState: state,
		Packages: (d.Packages as Obj[]).map((p, i) => ({
			Reference: p.Reference,
			TrackingDetails: tracking[i] ? [{ Leg: 1, TrackingReference: tracking[i] }] : [],
			PickupCode: null,
			Barcode: ((p.Barcode ?? null) as Obj | null)?.Code ?? null,
		})),
		ConsignmentLegs: a
			? [
					{
						Leg: 1,
						TrackingReferences: [...a.tracking],
						CarrierReference: a.carrier.Reference,
						CarrierServiceReference: a.service.Reference,
						CarrierName: a.carrier.Name,
					},
				]
			: [],
		CarrierServiceReference: a ? a.service.Reference : null,
		CarrierServiceName: a ? a.service.Name : null,
		EarliestDeliveryDate: d.EarliestDeliveryDate ?? null,
		LatestDeliveryDate: d.LatestDeliveryDate ?? null,
		DateDelivered: d.DateDelivered ?? null,
		PickupCode: null,
	};
}

/** ConsignmentEventPayload [SDK]. */
export function consignmentEventPayload(
	e: ConsignmentEvent,
	r: ConsignmentRecord | undefined,
	baseUrl: string,
): Obj {
	return {
		EventId: e.id,
		ConsignmentReference: e.ref,
		ConsignmentReferenceProvidedByCustomer: r ? customerRefOf(r) : '',
		ConsignmentState: e.state,
		EventDetails: {
			EventType: e.type,
			Message: e.message,
			EventDate: isoOffset(e.at),
			User: 'API',
			EventDetails: e.details.map((Detail) => ({ Detail })),
		},
		Links: [link('detail', `${baseUrl}/consignments/${e.ref}`)],
		AdditionalInformation: e.info.map((i) => ({ ...i })),
	};
}
