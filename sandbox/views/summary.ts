// ConsignmentSummary (Search Consignments) and Get Consignment Status, from a record.
import {
	addressesOf,
	ConsignmentRecord,
	countryCodeOf,
	customerRefOf,
	shipDayOf,
	stateOf,
} from '../record';
import { isoOffset } from '../util';

type Obj = Record<string, unknown>;

const link = (rel: string, href: string) => ({ Rel: rel, Href: href });

/** A date-only or offset date written with an offset, as the summaries show dates. */
function withOffset(v: unknown): string | null {
	if (typeof v !== 'string' || !v) return null;
	return /[zZ]|[+-]\d\d:\d\d$/.test(v)
		? v.replace(/[zZ]$/, '+00:00')
		: `${v.slice(0, 10)}T00:00:00+00:00`;
}

export function consignmentSummary(r: ConsignmentRecord, baseUrl: string): Obj {
	const d = r.doc;
	const a = r.allocation;
	const { destination } = addressesOf(r);
	const failed = (d.FailedAllocation ?? null) as Obj | null;
	return {
		Source: d.Source,
		MpdCarrierServiceName: a ? a.service.Name : null,
		MpdCarrierServiceGroupName: null,
		MpdCarrierServiceGroupReference: a ? '' : null,
		DestinationAddressLine1: destination.AddressLine1 ?? null,
		DestinationAddressTown: destination.Town ?? null,
		DestinationAddressPostcode: destination.Postcode ?? null,
		DestinationAddressCountry: countryCodeOf(destination),
		DestinationShippingLocationReference: destination.ShippingLocationReference ?? null,
		RequestedDeliveryDate: withOffset(d.RequestedDeliveryDate),
		RequestedDeliveryDateIsToBeExactlyOnTheDateSpecified: Boolean(
			d.RequestedDeliveryDateIsToBeExactlyOnTheDateSpecified,
		),
		LabelsPrinted: d.LabelsPrinted,
		DateLabelsWereFirstPrinted: d.DateLabelsWereFirstPrinted ?? null,
		EstimatedDeliveryDate: d.LatestDeliveryDate ?? null,
		ShippingTerms: ((d.CustomsDocumentation ?? null) as Obj | null)?.ShippingTerms ?? null,
		FailedAllocationAttemptedAllocationDate: failed?.Date ?? null,
		FailedAllocationMessage: failed?.Reason ?? null,
		FailedAllocationMpdCarrierServiceReference: null,
		FailedAllocationMpdCarrierServiceGroupName: null,
		FailedAllocationMpdCarrierServiceGroupReference: null,
		FailedAllocationMpdCarrierServiceName: null,
		IsLate: Boolean(d.IsLate),
		DeliveryDate: d.DateDelivered ?? null,
		CollectionDate: d.CollectionDate ?? null,
		AttemptedDeliveryDate: d.AttemptedDeliveryDate ?? null,
		Value: d.Value ?? null,
		Weight: d.Weight ?? null,
		ApiLink: link('detail', `${baseUrl}/consignments/${r.ref}`),
		FailedManifestMessage: r.failedManifest?.message ?? null,
		FailedManifestTimeStamp: r.failedManifest?.at ?? null,
		Reference: r.ref,
		ConsignmentReferenceProvidedByCustomer: customerRefOf(r),
		DateCreated: d.DateCreated,
		State: stateOf(r),
		ShippingDate: withOffset(d.ShippingDate) ?? `${shipDayOf(r)}T00:00:00+00:00`,
		MpdCarrierReference: a ? a.carrier.Reference : null,
		MpdCarrierServiceReference: a ? a.service.Reference : null,
		AllocationDate: a ? isoOffset(a.at) : null,
		ShippedDate: d.DateShipped ?? null,
	};
}

export function consignmentStatus(r: ConsignmentRecord, baseUrl: string): Obj {
	return {
		ConsignmentReferenceForAllLegsAssignedByMpd: r.ref,
		Status: stateOf(r),
		ExpectedDeliveryDate: r.doc.DateDelivered ?? r.doc.LatestDeliveryDate ?? null,
		ApiLink: link('Link', `${baseUrl}/consignments/${r.ref}`),
	};
}
