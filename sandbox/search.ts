// Search Consignments and Get Consignments References: which records match the checked filters
// (AND across properties, OR across repeats of one), newest first (DateCreated, then reference);
// and which records a Manifest From Query selects.
import {
	addressesOf,
	ConsignmentRecord,
	countryCodeOf,
	customerRefOf,
	shipDayOf,
	stateOf,
	trackingRefsOf,
} from './record';
import { ApiError } from './util';
import type { RangeField, SearchFilters, TextField } from './validation/search';
import type { ManifestQuery } from './validation/selection';

type Obj = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const ms = (v: unknown): number | null => {
	const t = typeof v === 'string' ? Date.parse(v) : NaN;
	return Number.isNaN(t) ? null : t;
};
const postcode = (v: string) => v.replace(/\s+/g, '').toUpperCase();

/** The values a text condition is compared with (case-insensitive, except the customer's reference). */
const TEXT_VALUES: Record<TextField, (r: ConsignmentRecord) => (string | null)[]> = {
	reference: (r) => [r.ref],
	customerReference: (r) => [customerRefOf(r)],
	trackingReference: trackingRefsOf,
	state: (r) => [stateOf(r)],
	direction: (r) => [str(r.doc.Direction)],
	carrierService: (r) =>
		r.allocation ? [r.allocation.service.Reference, r.allocation.service.Name] : [],
	source: (r) => [str(r.doc.Source)],
	postCode: (r) => {
		const { origin, destination } = addressesOf(r);
		return [str(origin.Postcode), str(destination.Postcode)].map((p) => p && postcode(p));
	},
	shippingLocation: (r) => r.shippingLocationRefs,
	destinationCountry: (r) => [countryCodeOf(addressesOf(r).destination)],
	destinationRegion: (r) => [str(addressesOf(r).destination.Region)],
};

const RANGE_VALUE: Record<RangeField, (r: ConsignmentRecord) => number | null> = {
	created: (r) => ms(r.doc.DateCreated),
	shippingDate: (r) => Date.parse(`${shipDayOf(r)}T00:00:00Z`),
	shippedDate: (r) => ms(r.doc.DateShipped),
	scheduledDelivery: (r) => ms(r.doc.LatestDeliveryDate),
	requestedDelivery: (r) => ms(r.doc.RequestedDeliveryDate),
	weightGrams: (r) => Math.round(r.packages.reduce((s, p) => s + p.weightKg, 0) * 1000),
	value: (r) => {
		const amount = (r.doc.Value as Obj | null)?.Amount;
		return typeof amount === 'number' ? amount : null;
	},
};

/** What the free-text searchTerm looks through. */
function haystack(r: ConsignmentRecord): string {
	const { origin, destination } = addressesOf(r);
	const contact = (destination.Contact ?? {}) as Obj;
	const packages = r.doc.Packages as Obj[];
	return [
		r.ref,
		customerRefOf(r),
		...trackingRefsOf(r),
		destination.CompanyName,
		contact.FirstName,
		contact.LastName,
		contact.Email,
		destination.AddressLine1,
		destination.Town,
		destination.Postcode,
		origin.Postcode,
		...((r.doc.Tags as unknown[]) ?? []),
		...packages.flatMap((p) => [p.Reference, p.PackageReferenceProvidedByCustomer]),
	]
		.filter((v): v is string => typeof v === 'string' && v !== '')
		.join('\n')
		.toLowerCase();
}

function matchesSearch(r: ConsignmentRecord, f: SearchFilters): boolean {
	for (const [field, wanted] of Object.entries(f.text) as [TextField, string[]][]) {
		const have = TEXT_VALUES[field](r).filter((v): v is string => v !== null);
		const hit =
			field === 'customerReference'
				? wanted.some((w) => have.includes(w))
				: field === 'postCode'
					? wanted.some((w) => have.includes(postcode(w)))
					: wanted.some((w) => have.some((h) => h.toLowerCase() === w.toLowerCase()));
		if (!hit) return false;
	}
	for (const rg of f.ranges) {
		const v = RANGE_VALUE[rg.field](r);
		if (v === null) return false;
		if (rg.from !== undefined && v < rg.from) return false;
		if (rg.to !== undefined && v > rg.to) return false;
	}
	if (f.labelsPrinted !== undefined && Boolean(r.doc.LabelsPrinted) !== f.labelsPrinted)
		return false;
	if (f.searchTerm !== undefined && !haystack(r).includes(f.searchTerm)) return false;
	return true;
}

/** Every matching record, newest first; a 404 when none match unless `empty` answers are wanted. */
export function search(
	records: Iterable<ConsignmentRecord>,
	f: SearchFilters,
	emptySearch: 'notFound' | 'empty',
): ConsignmentRecord[] {
	const found = [...records].filter((r) => matchesSearch(r, f));
	if (!found.length && emptySearch === 'notFound')
		throw new ApiError(404, 'ConsignmentNotFound', 'No consignment matches the search');
	const created = (r: ConsignmentRecord) => ms(r.doc.DateCreated) ?? 0;
	return found.sort((a, b) => created(b) - created(a) || (a.ref < b.ref ? 1 : -1));
}

/** Whether Manifest From Query selects the record: every given condition holds. */
export function matchesManifestQuery(r: ConsignmentRecord, q: ManifestQuery): boolean {
	if (!q.states.includes(stateOf(r))) return false;
	if (q.locations && !r.shippingLocationRefs.some((l) => q.locations!.includes(l))) return false;
	if (q.carriers) {
		const a = r.allocation;
		if (
			!a ||
			!(
				q.carriers.includes(a.carrier.Reference.toUpperCase()) ||
				q.carriers.includes(a.carrier.Name.toUpperCase())
			)
		)
			return false;
	}
	if (q.labelsPrinted !== undefined && r.doc.LabelsPrinted !== q.labelsPrinted) return false;
	const day = shipDayOf(r);
	if (q.shipDay && day !== q.shipDay) return false;
	if (q.ranges.length && !q.ranges.some((rg) => day >= rg.from && day <= rg.to)) return false;
	return true;
}
