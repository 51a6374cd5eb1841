// The query string of Search Consignments / Get Consignments References, checked into a list of
// conditions (CONTRACT.md "Finding consignments"). Property names are case-insensitive; an
// unknown or unsupported name, or a value of the wrong type, is a 400 naming the property.
import { WIRE_STATES } from '../states';
import { ErrorDetail, parseDate } from '../util';
import { failIfAny } from './common';

/** What a text condition compares against; see search.ts for the values of a record. */
export type TextField =
	| 'reference'
	| 'customerReference'
	| 'trackingReference'
	| 'state'
	| 'direction'
	| 'carrierService'
	| 'source'
	| 'postCode'
	| 'shippingLocation'
	| 'destinationCountry'
	| 'destinationRegion';

export type RangeField =
	| 'created'
	| 'shippingDate'
	| 'shippedDate'
	| 'scheduledDelivery'
	| 'requestedDelivery'
	| 'weightGrams'
	| 'value';

export interface SearchFilters {
	/** per field, the accepted values (a repeated property: any of them) */
	text: Partial<Record<TextField, string[]>>;
	/** every bound must hold; dates in ms, inclusive (a date-only upper bound covers its whole day) */
	ranges: { field: RangeField; from?: number; to?: number }[];
	labelsPrinted?: boolean;
	searchTerm?: string;
}

type Spec =
	| { kind: 'text'; field: TextField; allowed?: string[] }
	| { kind: 'range'; field: RangeField; bound: 'from' | 'to'; type: 'date' | 'number' }
	| { kind: 'labelsPrinted' }
	| { kind: 'searchTerm' };

const text = (field: TextField, allowed?: string[]): Spec => ({ kind: 'text', field, allowed });
const date = (field: RangeField, bound: 'from' | 'to'): Spec => ({
	kind: 'range',
	field,
	bound,
	type: 'date',
});
const num = (field: RangeField, bound: 'from' | 'to'): Spec => ({
	kind: 'range',
	field,
	bound,
	type: 'number',
});

/** Properties by lower-cased name (names as the endpoint reference spells them). */
const PROPERTIES: Record<string, Spec> = {
	reference: text('reference'),
	referenceprovidedbycustomer: text('customerReference'),
	trackingreference: text('trackingReference'),
	state: text('state', WIRE_STATES),
	direction: text('direction', ['Outbound', 'Inbound', 'Returns']),
	createddatefrom: date('created', 'from'),
	createddateto: date('created', 'to'),
	startfrom: date('created', 'from'),
	endat: date('created', 'to'),
	shippingdatefrom: date('shippingDate', 'from'),
	shippingdateto: date('shippingDate', 'to'),
	shippeddatefrom: date('shippedDate', 'from'),
	shippeddateto: date('shippedDate', 'to'),
	scheduleddeliverydatefrom: date('scheduledDelivery', 'from'),
	scheduleddeliverydateto: date('scheduledDelivery', 'to'),
	requesteddeliverydatefrom: date('requestedDelivery', 'from'),
	requesteddeliverydateto: date('requestedDelivery', 'to'),
	weightingramsfrom: num('weightGrams', 'from'),
	weightingramsto: num('weightGrams', 'to'),
	valuefrom: num('value', 'from'),
	valueto: num('value', 'to'),
	carrierservice: text('carrierService'),
	source: text('source', ['Api', 'Web']),
	postcode: text('postCode'),
	labelsprinted: { kind: 'labelsPrinted' },
	searchterm: { kind: 'searchTerm' },
	shippinglocationreference: text('shippingLocation'),
	destinationcountrycode: text('destinationCountry'),
	destinationregion: text('destinationRegion'),
};

/** Listed by the contract without a meaning (or as "do not send"): refused rather than guessed. */
const UNSUPPORTED = [
	'packageNumber',
	'consignmentNumber',
	'creference',
	'preference',
	'stateAttribute',
	'pageSize',
	'startPage',
];

const DAY_MS = 86400000;

function rangeValue(spec: Extract<Spec, { kind: 'range' }>, v: string): number | null {
	if (spec.type === 'number') {
		const n = Number(v);
		return v.trim() !== '' && Number.isFinite(n) ? n : null;
	}
	const d = parseDate(v);
	if (!d) return null;
	// "To 2030-03-05" means up to the end of that day.
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v.trim());
	return spec.bound === 'to' && dateOnly ? d.getTime() + DAY_MS - 1 : d.getTime();
}

export function validateSearch(query: URLSearchParams): SearchFilters {
	const f: SearchFilters = { text: {}, ranges: [] };
	const errs: ErrorDetail[] = [];
	const invalid = (name: string, message: string) =>
		errs.push({ Code: 'Invalid', Message: message, Target: name });
	for (const [name, raw] of query) {
		const value = raw.trim();
		const spec = PROPERTIES[name.toLowerCase()];
		if (!spec) {
			const unsupported = UNSUPPORTED.find((u) => u.toLowerCase() === name.toLowerCase());
			invalid(
				name,
				unsupported
					? `${unsupported} is not supported by the sandbox (its meaning is not documented)`
					: `Unknown search property '${name.slice(0, 64)}'; known: ${Object.keys(PROPERTIES).join(', ')} (any case)`,
			);
			continue;
		}
		if (value === '') continue; // an empty value filters nothing
		switch (spec.kind) {
			case 'text': {
				let v = value;
				if (spec.allowed) {
					const hit = spec.allowed.find((a) => a.toLowerCase() === value.toLowerCase());
					if (!hit) {
						invalid(name, `'${value.slice(0, 64)}' is not one of ${spec.allowed.join(', ')}`);
						continue;
					}
					v = hit;
				}
				(f.text[spec.field] ??= []).push(v);
				break;
			}
			case 'range': {
				const n = rangeValue(spec, value);
				if (n === null)
					invalid(
						name,
						spec.type === 'date'
							? `'${value.slice(0, 64)}' is not an ISO 8601 date`
							: `'${value.slice(0, 64)}' is not a number`,
					);
				else f.ranges.push({ field: spec.field, [spec.bound]: n });
				break;
			}
			case 'labelsPrinted':
				if (!/^(true|false)$/i.test(value)) invalid(name, 'labelsPrinted must be true or false');
				else f.labelsPrinted = value.toLowerCase() === 'true';
				break;
			case 'searchTerm':
				f.searchTerm = value.toLowerCase();
				break;
		}
	}
	failIfAny(errs, 'The search');
	return f;
}
