import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { searchConsignments, type ConsignmentQuery } from '../../helpers/consignmentSearch';
import { dateText } from '../../helpers/parameters';
import { perItemExecute } from '../../helpers/runItems';
import { CONSIGNMENT_STATE_OPTIONS } from '../../helpers/states';
import { describeValue, inputError, isPlainObject } from '../../helpers/validation';

/** Filters that come as a From/To pair: label, Electio's property stem, what is bounded, type. */
const RANGES: Array<[string, string, string, 'dateTime' | 'number']> = [
	['Created', 'createdDate', 'Created', 'dateTime'],
	['Requested Delivery', 'requestedDeliveryDate', 'Requested delivery date', 'dateTime'],
	['Scheduled Delivery', 'scheduledDeliveryDate', 'Scheduled delivery date', 'dateTime'],
	['Shipped', 'shippedDate', 'Actually shipped', 'dateTime'],
	['Shipping Date', 'shippingDate', 'Planned shipping date', 'dateTime'],
	['Value', 'value', 'Consignment value', 'number'],
	['Weight in Grams', 'weightInGrams', 'Weight in grams', 'number'],
];

const rangeFilters: INodeProperties[] = RANGES.flatMap(([label, stem, what, type]) =>
	(['From', 'To'] as const).map((bound): INodeProperties => ({
		displayName: `${label} ${bound}`,
		name: `${stem}${bound}`,
		type,
		...(type === 'number' ? { typeOptions: { minValue: 0 }, default: 0 } : { default: '' }),
		description:
			type === 'number'
				? `${what} of at ${bound === 'From' ? 'least' : 'most'} this`
				: `${what} on or ${bound === 'From' ? 'after' : 'before'} this moment`,
	})),
);

const textFilter = (
	displayName: string,
	name: string,
	description: string,
	placeholder = '',
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
	description,
});

/** A filter with a dropdown; its default is the first entry unless given. */
const optionsFilter = (
	displayName: string,
	name: string,
	options: Array<{ name: string; value: string }>,
	description?: string,
	defaultValue = options[0]?.value ?? '',
): INodeProperties => ({
	displayName,
	name,
	type: 'options',
	options,
	default: defaultValue,
	...(description ? { description } : {}),
});

const filters: INodeProperties[] = [
	...rangeFilters,
	textFilter('Carrier Service', 'carrierService', 'The carrier service it is allocated to'),
	textFilter(
		'Consignment Reference',
		'reference',
		'The Electio reference of the consignment',
		'EC-000-05B-MMA',
	),
	textFilter(
		'Customer Reference',
		'referenceProvidedByCustomer',
		'Your own reference, such as the order number (exactly as given at create)',
		'ORDER-4711',
	),
	textFilter(
		'Destination Country Code',
		'destinationCountryCode',
		'Two-letter ISO 3166 country code of the destination, e.g. GB',
		'GB',
	),
	textFilter('Destination Region', 'destinationRegion', 'The region of the destination'),
	optionsFilter('Direction', 'direction', [
		{ name: 'Inbound', value: 'Inbound' },
		{ name: 'Outbound', value: 'Outbound' },
	]),
	{
		displayName: 'Labels Printed',
		name: 'labelsPrinted',
		type: 'boolean',
		default: true,
		description: 'Whether only consignments with (on) or without (off) printed labels',
	},
	textFilter('Postcode', 'postCode', 'The origin or destination postcode', 'M1 5WG'),
	textFilter('Search Term', 'searchTerm', 'Free text Electio looks for in the consignment'),
	{
		displayName: 'Shipping Location Name or ID',
		name: 'shippingLocationReference',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getShippingLocations' },
		default: '',
		description:
			'The shipping location. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	optionsFilter(
		'Source',
		'source',
		[
			{ name: 'API', value: 'Api' },
			{ name: 'Web', value: 'Web' },
		],
		'Whether it was created through the API or in the Electio web app',
	),
	{
		...optionsFilter('State', 'state', []),
		options: CONSIGNMENT_STATE_OPTIONS,
		default: 'Allocated',
	},
	textFilter('Tracking Reference', 'trackingReference', 'A carrier tracking reference'),
];

const properties: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Only consignments matching every filter set (none set: all consignments)',
		options: filters.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

export const option = {
	name: 'Search',
	description:
		'Find consignments by customer reference (order number), state, location, dates, carrier service, postcode...',
	action: 'Search consignments',
};

export const description: INodeProperties[] = properties;

/** Which filter is of which kind (the filter names are Electio's query property names), and its label. */
const DATE_FILTERS = new Set(filters.filter((f) => f.type === 'dateTime').map((f) => f.name));
const NUMBER_FILTERS = new Set(filters.filter((f) => f.type === 'number').map((f) => f.name));
const LABELS = new Map(filters.map((f) => [f.name, f.displayName]));

export const execute = perItemExecute<ConsignmentQuery>({
	prepare(itemIndex) {
		const query = filterQuery(this, itemIndex);
		if (this.getNodeParameter('returnAll', itemIndex, false) as boolean) return { query };
		const limit = Number(this.getNodeParameter('limit', itemIndex, 50));
		if (!Number.isInteger(limit) || limit < 1) {
			throw inputError(
				this,
				itemIndex,
				'"Limit"',
				`must be a whole number of 1 or more, got ${describeValue(limit)}`,
			);
		}
		return { query, limit };
	},
	referencesOf: (_itemIndex, plan) => ({
		consignmentReference: plan?.query.reference,
		customerReference: plan?.query.referenceProvidedByCustomer,
	}),
	async run(plan, itemIndex, client) {
		return (await searchConsignments(client, plan, itemIndex)).map((summary) => ({
			json: {
				consignmentReference: summary.Reference ?? null,
				customerReference: summary.ConsignmentReferenceProvidedByCustomer ?? null,
				state: summary.State ?? null,
				...summary,
			},
		}));
	},
});

/** The item's filters as Electio's query, each checked; bad input names the item and the filter. */
function filterQuery(context: IExecuteFunctions, itemIndex: number): Record<string, string> {
	const raw = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	if (!isPlainObject(raw)) {
		throw inputError(
			context,
			itemIndex,
			'"Filters"',
			`must be a set of filters, got ${describeValue(raw)}`,
		);
	}
	const query: Record<string, string> = {};
	for (const [name, value] of Object.entries(raw)) {
		if (value === undefined || value === null || value === '') continue;
		const text = filterValue(context, itemIndex, name, value);
		if (text) query[name] = text;
	}
	for (const [from, to] of RANGES.map(([, stem]) => [`${stem}From`, `${stem}To`])) {
		if (query[from] === undefined || query[to] === undefined) continue;
		const order = (text: string) => (DATE_FILTERS.has(from) ? Date.parse(text) : Number(text));
		if (order(query[from]) > order(query[to])) {
			throw inputError(
				context,
				itemIndex,
				`"${LABELS.get(from)}"`,
				`is after "${LABELS.get(to)}" (${query[from]} > ${query[to]})`,
			);
		}
	}
	return query;
}

/** One filter's value as query text: dates as ISO 8601, numbers of 0 or more, text trimmed. */
function filterValue(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	value: unknown,
): string {
	const label = `"${LABELS.get(name) ?? name}"`;
	if (DATE_FILTERS.has(name)) {
		const text = dateText(value);
		if (Number.isNaN(Date.parse(text))) {
			throw inputError(context, itemIndex, label, `must be a date, got ${describeValue(value)}`);
		}
		return new Date(text).toISOString();
	}
	if (NUMBER_FILTERS.has(name)) {
		const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
			throw inputError(
				context,
				itemIndex,
				label,
				`must be a number of 0 or more, got ${describeValue(value)}`,
			);
		}
		return String(number);
	}
	return typeof value === 'boolean' ? String(value) : String(value).trim();
}
