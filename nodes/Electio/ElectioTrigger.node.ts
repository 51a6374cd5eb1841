import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { listValues } from './helpers/parameters';
import { CONSIGNMENT_STATE_OPTIONS } from './helpers/states';
import { electioApiTest } from './methods';
import type { ClientHints } from './transport';
import { ElectioClient } from './transport';
import type { EventKindName } from './trigger/events';
import { EVENT_KINDS, EVENT_TYPES, fetchEvents } from './trigger/events';
import { firstMemory, recall, store, takeFresh, windowFor } from './trigger/memory';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** How far back a test fetch looks for the most recent matching event: a day, then 30 days. */
const TEST_LOOKBACK_DAYS = [1, 30];

const hints: ClientHints = {
	notFound:
		"Check the credential's Environment and Base URL: the Electio there does not answer the events calls.",
	throttled:
		'Electio kept rate-limiting the poll. The next poll reads the same time again, so nothing is missed.',
	timeout: 'Electio was slow to answer; the next poll reads the same time again.',
};

export class ElectioTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Electio Trigger',
		name: 'electioTrigger',
		icon: { light: 'file:electio.svg', dark: 'file:electio.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["event"] === "consignmentEvent" ? "Consignment events" : "Consignment state changed" }}',
		description:
			'Starts the workflow when Electio (SortedPRO) consignments change state (delivered, collection failed...) or record events',
		defaults: { name: 'Electio Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'electioApi', required: true, testedBy: 'electioApiTest' }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Consignment Event',
						value: 'consignmentEvent',
						description:
							'A consignment was created, updated or rescheduled, had labels printed, or a package added, changed or removed',
					},
					{
						name: 'Consignment State Changed',
						value: 'stateChanged',
						description:
							'A consignment moved into one of the chosen states (Manifested, Delivered, Collection Failed...)',
					},
				],
				default: 'stateChanged',
			},
			{
				displayName: 'States',
				name: 'states',
				type: 'multiOptions',
				options: CONSIGNMENT_STATE_OPTIONS,
				default: ['Delivered'],
				required: true,
				displayOptions: { show: { event: ['stateChanged'] } },
				description:
					'Fire once for each consignment that moves into one of these states. Electio sends no time for a state change, so a consignment moving into the same state twice within the overlap fires once.',
			},
			{
				displayName: 'Event Types',
				name: 'eventTypes',
				type: 'multiOptions',
				options: EVENT_TYPES.map((value) => ({
					name: value.replace(/(?<=[a-z])(?=[A-Z])/g, ' '),
					value,
				})),
				default: ['ConsignmentCreated'],
				required: true,
				displayOptions: { show: { event: ['consignmentEvent'] } },
				description: 'Fire once for each event of these types',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Events From the Last N Hours',
						name: 'includeLastHours',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 720 },
						default: 0,
						description:
							'When the workflow is first activated, also fire for events from this many hours before. 0: only for events from the activation on.',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1440 },
						default: 10,
						description:
							'Each poll reads this far back again, for events Electio records late or stamps with a clock behind this one. Events already fired for are not fired for again.',
					},
				],
			},
		],
	};

	methods = { credentialTest: { electioApiTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const kindName = this.getNodeParameter('event', 'stateChanged') as EventKindName;
		const kind = EVENT_KINDS[kindName];
		if (!kind) {
			throw new NodeOperationError(this.getNode(), `Unknown event "${String(kindName)}"`);
		}
		const [filterName, filterLabel, known] =
			kindName === 'stateChanged'
				? ['states', 'States', CONSIGNMENT_STATE_OPTIONS.map((option) => option.value)]
				: ['eventTypes', 'Event Types', EVENT_TYPES];
		const filter = listValues(this.getNodeParameter(filterName, []));
		const unknown = filter.filter((value) => !known.includes(value));
		if (!filter.length || unknown.length) {
			throw new NodeOperationError(
				this.getNode(),
				filter.length
					? `"${filterLabel}" holds unknown values: ${unknown.join(', ')}`
					: `Choose at least one of "${filterLabel}"`,
				{ description: `Known values: ${known.join(', ')}` },
			);
		}
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const includeLastHours = bounded(options.includeLastHours, 0, 720, 0);
		const overlapMs = bounded(options.overlapMinutes, 1, 1440, 10) * MINUTE_MS;

		const client = await ElectioClient.create(this, { maxConcurrency: 1 }, hints);
		const now = Date.now();
		const read = async (start: number, end: number) =>
			await fetchEvents(client, kind, filter, new Date(start), new Date(end));

		if (this.getMode() === 'manual') {
			// A test fetch: the most recent matching event, so its fields can be mapped. Nothing is remembered.
			for (const days of TEST_LOOKBACK_DAYS) {
				const events = await read(now - days * DAY_MS, now);
				if (events.length) return [[{ json: kind.item(events[events.length - 1]) }]];
			}
			throw new NodeOperationError(
				this.getNode(),
				`No matching ${kindName === 'stateChanged' ? 'state change' : 'event'} in Electio in the last ${TEST_LOOKBACK_DAYS[TEST_LOOKBACK_DAYS.length - 1]} days`,
				{
					description: `The test fetch shows the most recent one so its fields can be mapped. Choose more ${filterLabel.toLowerCase()}, or make one happen in Electio, and fetch again.`,
				},
			);
		}

		const staticData = this.getWorkflowStaticData('node');
		let memory = recall(staticData);
		if (!memory) {
			// First activation: what Electio shows from just before the start is old, never emitted.
			const start = now - includeLastHours * HOUR_MS;
			memory = firstMemory(start, overlapMs);
			const before = { start: start - overlapMs, end: start };
			takeFresh(memory, kind, await read(before.start, before.end), before, overlapMs);
			if (start === now) {
				store(staticData, memory);
				return null;
			}
		}
		const window = windowFor(memory, now, overlapMs);
		if (!window) return null;
		const events = await read(window.start, window.end);
		const fresh = takeFresh(memory, kind, events, window, overlapMs);
		store(staticData, memory);
		return fresh.length ? [fresh.map((payload) => ({ json: kind.item(payload) }))] : null;
	}
}

function bounded(value: unknown, min: number, max: number, fallback: number): number {
	const number = Number(value);
	return value !== undefined && value !== '' && Number.isFinite(number)
		? Math.min(max, Math.max(min, number))
		: fallback;
}
