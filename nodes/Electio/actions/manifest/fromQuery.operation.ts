import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { asNodeError, errorItem, usesErrorOutput } from '../../helpers/errorItems';
import { dateText, listValues } from '../../helpers/parameters';
import { perItemExecute } from '../../helpers/runItems';
import { describeValue, inputError } from '../../helpers/validation';
import type { ElectioClient } from '../../transport';

const MANIFESTABLE_STATES = ['Allocated', 'ManifestFailed', 'ReadyToShip'];

const properties: INodeProperties[] = [
	{
		displayName: 'Run',
		name: 'runMode',
		type: 'options',
		options: [
			{
				name: 'Once for All Items',
				value: 'once',
				description:
					'One manifest call per execution, whatever the number of input items (what carriers expect)',
			},
			{
				name: 'Once per Item',
				value: 'perItem',
				description:
					'One manifest call per input item, e.g. when each item names its own shipping location',
			},
		],
		default: 'once',
		hint: 'Every manifest call transmits data to the carriers: batch consignments into one call per collection run',
	},
	{
		displayName: 'Shipping Location Names or IDs',
		name: 'shippingLocationReferences',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getShippingLocations' },
		default: [],
		description:
			'Only consignments leaving these locations (none means all). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'States',
		name: 'states',
		type: 'multiOptions',
		options: [
			{ name: 'Allocated', value: 'Allocated' },
			{ name: 'Manifest Failed', value: 'ManifestFailed' },
			{ name: 'Ready to Ship', value: 'ReadyToShip' },
		],
		default: ['Allocated'],
		description: 'Only consignments in these states (all three can be manifested)',
	},
	{
		displayName: 'Carrier Names or IDs',
		name: 'carriers',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getCarriers' },
		default: [],
		description:
			'Only consignments allocated to these carriers (none means all). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Labels Printed',
		name: 'labelsPrinted',
		type: 'options',
		options: [
			{ name: 'Any', value: 'any' },
			{ name: 'Only With Labels Printed', value: 'true' },
			{ name: 'Only Without Labels Printed', value: 'false' },
		],
		default: 'any',
	},
	{
		displayName: 'Shipping Date',
		name: 'shippingDateFilter',
		type: 'options',
		options: [
			{ name: 'Any', value: 'any' },
			{ name: 'On a Date', value: 'date' },
			{ name: 'Between Dates', value: 'range' },
		],
		default: 'any',
	},
	{
		displayName: 'Date',
		name: 'shippingDate',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { shippingDateFilter: ['date'] } },
		description: 'Only consignments shipping on this day',
	},
	{
		displayName: 'From',
		name: 'shippingDateFrom',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { shippingDateFilter: ['range'] } },
	},
	{
		displayName: 'To',
		name: 'shippingDateTo',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { shippingDateFilter: ['range'] } },
	},
];

export const option = {
	name: 'From Query',
	description:
		'Manifest every consignment that matches a query (location, state, carrier, date) to the carriers',
	action: 'Manifest consignments from a query',
};

export const description: INodeProperties[] = properties;

const MESSAGE_PATTERN =
	/found\s+(\d+)\s+consignment.*?(\d+)\s+successfully queued.*?(\d+)\s+failed/i;

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: ElectioClient,
): Promise<INodeExecutionData[]> {
	const runMode = this.getNodeParameter('runMode', 0, 'once') as string;
	const run = runMode === 'perItem' ? manifestEachItem : manifestOnce;
	return await run.call(this, items, client);
}

/** One manifest call for each input item, from that item's query. */
const manifestEachItem = perItemExecute({
	prepare(itemIndex) {
		return buildQuery(this, itemIndex);
	},
	async run(query, itemIndex, client) {
		const consignmentReference = referenceIn(this.getInputData()[itemIndex]);
		return { json: { consignmentReference, ...(await manifest(client, query, itemIndex)) } };
	},
});

/**
 * One manifest call for the whole batch, from the first item's query: the one operation that
 * answers a batch with one item, paired with every input item.
 */
async function manifestOnce(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: ElectioClient,
): Promise<INodeExecutionData[]> {
	const pairedItem = items.map((_, item) => ({ item }));
	// The references that reached this step, so a summary can list what the batch contained.
	const consignmentReferences = items.map(referenceIn).filter((reference) => reference !== null);
	try {
		const json = { ...(await manifest(client, buildQuery(this, 0), 0)), consignmentReferences };
		return [{ json, pairedItem }];
	} catch (error) {
		if (!this.continueOnFail()) throw asNodeError(this.getNode(), error);
		return [errorItem(error, pairedItem, {}, usesErrorOutput(this.getNode()))];
	}
}

async function manifest(
	client: ElectioClient,
	query: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const response = await client.request<{ Message?: string; FailedConsignments?: string[] }>({
		method: 'PUT',
		path: '/consignments/manifestFromQuery',
		body: query,
		itemIndex,
	});
	const message = response?.Message ?? '';
	const counts = MESSAGE_PATTERN.exec(message);
	return {
		found: counts ? Number(counts[1]) : null,
		queued: counts ? Number(counts[2]) : null,
		failed: counts ? Number(counts[3]) : null,
		failedConsignments: response?.FailedConsignments ?? [],
		message,
		query,
	};
}

function referenceIn(item: INodeExecutionData): string | null {
	const reference = item.json.consignmentReference;
	return typeof reference === 'string' && reference ? reference : null;
}

function buildQuery(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const list = (name: string) => listValues(context.getNodeParameter(name, itemIndex, []));
	const query: IDataObject = {};
	const locations = list('shippingLocationReferences');
	if (locations.length) query.ShippingLocationReferences = locations;
	const states = list('states');
	const unknown = states.filter((state) => !MANIFESTABLE_STATES.includes(state));
	if (unknown.length) {
		throw inputError(
			context,
			itemIndex,
			'"States"',
			`can only hold ${MANIFESTABLE_STATES.join(', ')}, got ${describeValue(unknown.join(', '))}`,
		);
	}
	if (states.length) query.States = states;
	const carriers = list('carriers');
	if (carriers.length) query.Carriers = carriers;
	const labelsPrinted = context.getNodeParameter('labelsPrinted', itemIndex, 'any') as string;
	if (labelsPrinted !== 'any') query.LabelsPrinted = labelsPrinted === 'true';

	const dateFilter = context.getNodeParameter('shippingDateFilter', itemIndex, 'any') as string;
	if (dateFilter === 'date') {
		query.ShippingDate = requireDate(context, itemIndex, 'shippingDate', 'Date');
	} else if (dateFilter === 'range') {
		const from = requireDate(context, itemIndex, 'shippingDateFrom', 'From');
		const to = requireDate(context, itemIndex, 'shippingDateTo', 'To');
		if (Date.parse(from) > Date.parse(to))
			throw inputError(context, itemIndex, '"From"', `is after "To" (${from} > ${to})`);
		query.ShippingDateRanges = [{ From: from, To: to }];
	}
	return query;
}

function requireDate(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
): string {
	const raw = context.getNodeParameter(name, itemIndex, '') as unknown;
	const text = dateText(raw);
	if (!text || Number.isNaN(Date.parse(text))) {
		throw inputError(context, itemIndex, `"${label}"`, `must be a date, got ${describeValue(raw)}`);
	}
	return text;
}
