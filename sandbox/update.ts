// Update Consignment (PUT /consignments): replaces a consignment's details while it has no carrier
// service, by the documented rules (CONTRACT.md names the call; the public help page "Updating
// Consignments" gives the rules): Reference required and not changed, Source ignored; ShippingDate,
// RequestedDeliveryDate, the customer's reference, CustomsDocumentation, MetaData and Addresses are
// replaced, and deleted when left out; Packages and Tags are replaced only when given. Allowed from
// Unallocated and AllocationFailed (the states table's "edit"). The body is one consignment or a
// list; all are checked before any changes. Works on the store's records through its public methods.
import { ALLOWED_FROM } from './states';
import type { ConsignmentRecord } from './record';
import { stateOf } from './record';
import type { Store } from './store';
import { ApiError, isPlainObject, parseDate } from './util';
import { NormalisedCreate, validateCreate } from './validation/create';

interface PreparedUpdate {
	record: ConsignmentRecord;
	normalised: NormalisedCreate;
	packagesGiven: boolean;
	tagsGiven: boolean;
}

/** Applies Update Consignment; returns the consignments changed, in the order given. */
export function updateConsignments(store: Store, body: unknown): ConsignmentRecord[] {
	const list = Array.isArray(body) ? body : [body];
	if (!list.length) {
		throw new ApiError(400, 'ValidationFailed', 'The request body must hold a consignment', [
			{ Code: 'Required', Message: 'At least one consignment is required', Target: '' },
		]);
	}
	const prepared = list.map((entry, index) =>
		prepareUpdate(store, entry, list.length > 1 ? `[${index}].` : ''),
	);
	for (const update of prepared) applyUpdate(store, update);
	return prepared.map((update) => update.record);
}

function prepareUpdate(store: Store, entry: unknown, at: string): PreparedUpdate {
	if (!isPlainObject(entry)) {
		throw new ApiError(400, 'ValidationFailed', 'A consignment to update must be an object', [
			{ Code: 'Invalid', Message: 'Expected a JSON object', Target: at.replace(/\.$/, '') },
		]);
	}
	if (typeof entry.Reference !== 'string' || entry.Reference.trim() === '') {
		throw new ApiError(400, 'ValidationFailed', 'The consignment to update needs its Reference', [
			{ Code: 'Required', Message: 'Reference is required', Target: `${at}Reference` },
		]);
	}
	const record = store.rec(entry.Reference);
	const state = stateOf(record);
	const allowed = ALLOWED_FROM.update;
	if (!allowed.includes(state)) {
		throw new ApiError(
			400,
			'InvalidConsignmentState',
			`Cannot update consignment ${record.ref}: it is in state ${state}; allowed only from ${allowed.join(', ')}`,
			[
				{
					Code: 'InvalidConsignmentState',
					Message: `Current state ${state}; allowed: ${allowed.join(', ')}`,
					Target: 'ConsignmentState',
				},
			],
		);
	}
	const doc = record.doc;
	const packagesGiven = Array.isArray(entry.Packages) && entry.Packages.length > 0;
	const tagsGiven = Array.isArray(entry.Tags) && entry.Tags.length > 0;
	// The consignment as a create body would state it, checked by the same rules.
	const normalised = validateCreate({
		...entry,
		Packages: packagesGiven ? entry.Packages : doc.Packages,
		RequiredDeliveryDate: requestedDate(entry.RequestedDeliveryDate ?? entry.RequiredDeliveryDate),
		Tags: tagsGiven ? entry.Tags : doc.Tags,
		Direction: entry.Direction ?? doc.Direction,
		Source: doc.Source,
	});
	return { record, normalised, packagesGiven, tagsGiven };
}

/** The documented form is {Date, IsToBeExactlyOnTheDateSpecified}; a plain date is taken too. */
function requestedDate(value: unknown): unknown {
	return isPlainObject(value) ? value.Date : value;
}

function applyUpdate(store: Store, { record, normalised, packagesGiven }: PreparedUpdate): void {
	const doc = record.doc;
	const next = normalised.doc;
	for (const key of [
		'Addresses',
		'ShippingDate',
		'RequestedDeliveryDate',
		'ConsignmentReferenceProvidedByCustomer',
		'CustomsDocumentation',
		'MetaData',
		'Tags',
		'Direction',
		'Weight',
		'Value',
	]) {
		doc[key] = next[key];
	}
	if (packagesGiven) doc.Packages = withReferences(store, record, next.Packages);
	record.packages = normalised.packages;
	record.originCountry = normalised.originCountry;
	record.destinationCountry = normalised.destinationCountry;
	record.shippingLocationRefs = normalised.shippingLocationRefs;
	record.declaredValueGbp = normalised.declaredValueGbp;
	record.shippingDate = parseDate(doc.ShippingDate);
	record.requiredDate = parseDate(doc.RequestedDeliveryDate);
}

/** New package documents keep the reference of the package they replace (by position), else get one. */
function withReferences(store: Store, record: ConsignmentRecord, packages: unknown): unknown[] {
	const current = record.doc.Packages as Array<Record<string, unknown>>;
	return (packages as Array<Record<string, unknown>>).map((pkg, index) => ({
		...pkg,
		Reference: (current[index]?.Reference as string | undefined) ?? packageReference(store),
	}));
}

/** An EP-xxx-xxx-xxx reference from the store's seeded GUIDs (the store's own counter is private). */
function packageReference(store: Store): string {
	const digits = parseInt(store.guid('package').replace(/-/g, '').slice(0, 12), 16)
		.toString(36)
		.toUpperCase()
		.padStart(9, '0')
		.slice(-9);
	return `EP-${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)}`;
}
