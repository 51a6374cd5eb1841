/**
 * The Electio Trigger (#11) polled the way n8n polls an activated workflow (n8n-core's PollContext
 * and PollTriggerExecutor, mode `trigger`) against the sandbox, on clocks the tests set: nothing
 * missed and nothing twice across polls, a restart (static data as n8n saved it, a new node
 * instance), events sharing a timestamp and clocks that disagree; the first activation emits
 * nothing old; the editor's test fetch returns the most recent matching event.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	electioEngine,
	electioNode,
	runNode,
	runPoll,
	runWorkflow,
	useElectio,
} from '../../harness/electio';
import { outputOf } from '../../harness/engine';
import { EVENT_TYPES, type EventKind } from '../../nodes/Electio/trigger/events';
import { EVENT_TYPES as CONTRACT_EVENT_TYPES } from '../../sandbox/record';
import { MAX_REMEMBERED, takeFresh } from '../../nodes/Electio/trigger/memory';

const T0 = Date.parse('2030-06-03T08:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const STEP = MINUTE;

/** The sandbox's base clock; it runs `sandbox.advanceTracking` ahead of this. */
let sandboxBase = T0;
const h = useElectio({
	seed: 41,
	now: () => new Date(sandboxBase),
	tracking: { failureRate: 0, stepMs: STEP },
});

beforeAll(() => {
	// Only Date is faked: the node's clock is set by each test, timers and I/O run for real.
	jest.useFakeTimers({
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
		now: T0,
	});
});
afterAll(() => jest.useRealTimers());

/** Sets the sandbox's clock to `sandbox` and n8n's (the node's) to `node` (default: the same). */
function clocks(sandbox: number, node = sandbox): void {
	const offset = h.sandbox.now().getTime() - sandboxBase;
	sandboxBase = sandbox - offset;
	jest.setSystemTime(node);
}
const sandboxNow = () => h.sandbox.now().getTime();

beforeEach(() => clocks(T0));

const DELIVERED = { event: 'stateChanged', states: ['Delivered'] };

/** An activated Electio Trigger: its static data, its polls, and everything it emitted. */
function activated(parameters: IDataObject = DELIVERED) {
	const trigger = {
		staticData: {} as IDataObject,
		/** static data as n8n last saved it: after activating, and when a poll emitted */
		saved: {} as IDataObject,
		emitted: [] as IDataObject[][],
		nodeType: electioEngine.nodeType('electioTrigger'),
		async poll(activation?: 'activate' | 'init') {
			const result = await runPoll({
				nodeType: trigger.nodeType,
				parameters: parameters as never,
				credentials: h.credentials,
				staticData: trigger.staticData,
				activation,
			});
			if (result.error) throw result.error;
			const items = result.emitted?.[0]?.map((item) => item.json) ?? null;
			if (result.emitted) {
				expect(result.emitted).toHaveLength(1);
				trigger.emitted.push(items!);
			}
			if (result.emitted || activation)
				trigger.saved = JSON.parse(JSON.stringify(trigger.staticData));
			return items;
		},
		/** n8n stopped and started again: a new node instance on the static data it had saved. */
		restart() {
			trigger.staticData = JSON.parse(JSON.stringify(trigger.saved));
			trigger.nodeType = electioEngine.nodeType('electioTrigger');
		},
		/** How often each key was emitted over all polls. */
		counts(
			key: (json: IDataObject) => string = (json) => `${json.consignmentReference}:${json.state}`,
		) {
			const counts: Record<string, number> = {};
			for (const json of trigger.emitted.flat()) counts[key(json)] = (counts[key(json)] ?? 0) + 1;
			return counts;
		},
	};
	return trigger;
}

const stateEventCalls = () =>
	h.requests().filter((entry) => entry.path === '/events/consignments/stateevents');

describe('Electio Trigger: consignment state changed', () => {
	test('the first activation emits nothing old, however far the overlap reaches back', async () => {
		const old = await h.manifested(2);
		h.sandbox.advanceTracking(4); // Delivered at T0 + 4 min
		const trigger = activated();
		clocks(sandboxNow() + 2 * MINUTE);
		expect(await trigger.poll('activate')).toBeNull();
		for (let poll = 1; poll <= 3; poll++) {
			clocks(sandboxNow() + MINUTE);
			expect(await trigger.poll()).toBeNull();
		}
		expect(trigger.emitted).toEqual([]);
		// each poll asked Electio, the activation's too (so a wrong key fails the activation)
		expect(stateEventCalls()).toHaveLength(4);
		expect(old.map((reference) => h.sandbox.getConsignment(reference)?.ConsignmentState)).toEqual([
			'Delivered',
			'Delivered',
		]);

		// "Include Events From the Last N Hours": the first activation also takes those, once each
		const catchingUp = activated({ ...DELIVERED, options: { includeLastHours: 1 } });
		expect(await catchingUp.poll('activate')).toEqual(
			old.map((reference) =>
				expect.objectContaining({
					event: 'consignmentStateChanged',
					consignmentReference: reference,
					state: 'Delivered',
				}),
			),
		);
		clocks(sandboxNow() + MINUTE);
		expect(await catchingUp.poll()).toBeNull();
	});

	test('polled through a journey: every change into a chosen state once, polls with nothing new start no execution', async () => {
		const trigger = activated({ event: 'stateChanged', states: ['Collected', 'Delivered'] });
		expect(await trigger.poll('activate')).toBeNull();
		const references = await h.manifested(3);
		const perPoll: Array<IDataObject[] | null> = [];
		for (let step = 1; step <= 4; step++) {
			h.sandbox.advanceTracking(1);
			clocks(sandboxNow() + 10_000);
			perPoll.push(await trigger.poll());
			clocks(sandboxNow() + 30_000);
			perPoll.push(await trigger.poll());
		}
		const states = perPoll.map((items) => items && items.map((json) => json.state));
		expect(states).toEqual([
			['Collected', 'Collected', 'Collected'],
			null,
			null,
			null,
			null,
			null,
			['Delivered', 'Delivered', 'Delivered'],
			null,
		]);
		expect(trigger.counts()).toEqual(
			Object.fromEntries(
				references.flatMap((reference) => [
					[`${reference}:Collected`, 1],
					[`${reference}:Delivered`, 1],
				]),
			),
		);
		const item = trigger.emitted[1][0];
		const stored = h.sandbox.getConsignment(item.consignmentReference as string)!;
		expect(item).toMatchObject({
			customerReference: stored.ConsignmentReferenceProvidedByCustomer,
			trackingNumber: stored.TrackingReferences[0],
			carrier: stored.CarrierName,
			service: stored.CarrierServiceName,
			dateDelivered: expect.any(String),
			ConsignmentState: 'Delivered',
		});
		// one read of the state events per poll, none more
		expect(stateEventCalls()).toHaveLength(9);
	});

	test('across a restart: what was emitted is not emitted again, what happened while n8n was down is', async () => {
		const trigger = activated();
		await trigger.poll('activate');
		const [first, second, third] = await h.manifested(3);
		h.sandbox.advanceTracking(4);
		clocks(sandboxNow() + MINUTE);
		expect((await trigger.poll())!.map((json) => json.consignmentReference)).toEqual([
			first,
			second,
			third,
		]);
		// more polls with nothing new: n8n saves nothing (the in-memory watermark moves on)
		for (let poll = 0; poll < 3; poll++) {
			clocks(sandboxNow() + MINUTE);
			expect(await trigger.poll()).toBeNull();
		}
		// n8n stops; while it is down more consignments are delivered
		const later = await h.manifested(2);
		h.sandbox.advanceTracking(4);
		clocks(sandboxNow() + 3 * MINUTE);
		trigger.restart();
		const afterRestart = await trigger.poll('init');
		expect(afterRestart!.map((json) => json.consignmentReference)).toEqual(later);
		clocks(sandboxNow() + MINUTE);
		expect(await trigger.poll()).toBeNull();
		expect(Object.values(trigger.counts())).toEqual([1, 1, 1, 1, 1]);
	});

	test('events sharing a timestamp with the window edge: all of them, once, whichever poll sees them first', async () => {
		const trigger = activated();
		await trigger.poll('activate');
		await h.manifested(2);
		h.sandbox.advanceTracking(4);
		const deliveredAt = sandboxNow();
		// a poll whose window ends exactly at the shared timestamp (inclusive) takes both
		clocks(deliveredAt, deliveredAt);
		expect(await trigger.poll()).toHaveLength(2);
		// a third consignment delivered at that same moment, seen by Electio only afterwards
		const [late] = await h.manifested(1);
		clocks(deliveredAt - 4 * STEP);
		h.sandbox.advanceTracking(4);
		expect(Date.parse(h.sandbox.getConsignment(late)!.history.at(-1)!.at)).toBe(deliveredAt);
		clocks(deliveredAt + MINUTE);
		expect((await trigger.poll())!.map((json) => json.consignmentReference)).toEqual([late]);
		clocks(deliveredAt + 2 * MINUTE);
		expect(await trigger.poll()).toBeNull();
		expect(Object.values(trigger.counts())).toEqual([1, 1, 1]);
	});

	test("Electio's clock behind n8n's (within the overlap): an event stamped before n8n's last window is still emitted", async () => {
		const trigger = activated();
		clocks(T0, T0 + 5 * MINUTE);
		await trigger.poll('activate');
		await h.manifested(1);
		h.sandbox.advanceTracking(4);
		// stamped T0 + 4 min by Electio: before the activation on n8n's clock (T0 + 5 min)
		clocks(sandboxNow() + MINUTE, sandboxNow() + 6 * MINUTE);
		expect(await trigger.poll()).toHaveLength(1);
		clocks(sandboxNow() + MINUTE, sandboxNow() + 6 * MINUTE);
		expect(await trigger.poll()).toBeNull();
	});

	test("Electio's clock ahead of n8n's: the event waits for the window that reaches its stamp, then comes once", async () => {
		const trigger = activated();
		clocks(T0, T0 - 5 * MINUTE);
		await trigger.poll('activate');
		const [reference] = await h.manifested(1);
		h.sandbox.advanceTracking(4);
		const stamped = sandboxNow();
		clocks(stamped + 10_000, stamped - 5 * MINUTE + 10_000);
		expect(await trigger.poll()).toBeNull(); // stamped in n8n's future
		clocks(stamped + 6 * MINUTE, stamped + MINUTE);
		expect((await trigger.poll())!.map((json) => json.consignmentReference)).toEqual([reference]);
		clocks(stamped + 7 * MINUTE, stamped + 2 * MINUTE);
		expect(await trigger.poll()).toBeNull();
	});

	test("n8n's clock set back: no window is read twice, the trigger reads on once the clock has caught up", async () => {
		const trigger = activated();
		await trigger.poll('activate');
		const [reference] = await h.manifested(1);
		h.sandbox.advanceTracking(4);
		clocks(sandboxNow() + MINUTE);
		expect(await trigger.poll()).toHaveLength(1);
		const calls = stateEventCalls().length;
		clocks(sandboxNow(), Date.now() - HOUR);
		expect(await trigger.poll()).toBeNull();
		expect(stateEventCalls()).toHaveLength(calls);
		clocks(sandboxNow() + 2 * MINUTE);
		expect(await trigger.poll()).toBeNull();
		expect(stateEventCalls()).toHaveLength(calls + 1);
		expect(trigger.counts()).toEqual({ [`${reference}:Delivered`]: 1 });
	});

	test('a failed poll is reported and moves nothing on: the next poll reads the same time again', async () => {
		const trigger = activated();
		await trigger.poll('activate');
		await h.manifested(2);
		h.sandbox.advanceTracking(4);
		clocks(sandboxNow() + MINUTE);
		h.sandbox.failNext({
			method: 'POST',
			path: '/events/consignments/stateevents',
			status: 500,
			body: { Message: 'Events store unavailable' },
		});
		const failed = await runPoll({
			nodeType: trigger.nodeType,
			parameters: DELIVERED as never,
			credentials: h.credentials,
			staticData: trigger.staticData,
		});
		expect(failed.emitted).toBeNull();
		expect(failed.error?.message).toMatch(/stateevents failed with 500: Events store unavailable/);
		clocks(sandboxNow() + 5 * MINUTE);
		expect(await trigger.poll()).toHaveLength(2);
	});

	test('the emitted items run on through the workflow, each paired, into an Electio step', async () => {
		const trigger = activated();
		await trigger.poll('activate');
		const references = await h.manifested(2);
		h.sandbox.advanceTracking(4);
		clocks(sandboxNow() + MINUTE);
		const result = await runPoll({
			nodeType: trigger.nodeType,
			parameters: DELIVERED as never,
			credentials: h.credentials,
			staticData: trigger.staticData,
		});
		const run = await runWorkflow({
			nodes: [
				electioNode('Electio Trigger', DELIVERED, 0, 'electioTrigger'),
				electioNode('Tracking', { resource: 'tracking', operation: 'getEvents' }, 1),
			],
			connections: {
				'Electio Trigger': { main: [[{ node: 'Tracking', type: 'main', index: 0 }]] },
			},
			credentials: h.credentials,
			startNodeName: 'Electio Trigger',
			startItems: result.emitted![0],
			mode: 'trigger',
		});
		expect(run.status).toBe('success');
		const tracked = outputOf(run, 'Tracking');
		expect(tracked.map((item) => [item.json.consignmentReference, item.json.delivered])).toEqual(
			references.map((reference) => [reference, true]),
		);
		expect(tracked.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('both documented answer forms are read: a bare list and {"Events": [...]}', async () => {
		const trigger = activated();
		await trigger.poll('activate');
		const payload = (reference: string) => ({
			ConsignmentReference: reference,
			ConsignmentReferenceProvidedByCustomer: `ORDER-${reference}`,
			ConsignmentState: 'Delivered',
		});
		clocks(T0 + MINUTE);
		h.sandbox.failNext({
			method: 'POST',
			path: '/events/consignments/stateevents',
			status: 200,
			body: { Events: [payload('EC-000-000-0A1')] },
		});
		expect(await trigger.poll()).toEqual([
			expect.objectContaining({
				consignmentReference: 'EC-000-000-0A1',
				customerReference: 'ORDER-EC-000-000-0A1',
			}),
		]);
		clocks(T0 + 2 * MINUTE);
		h.sandbox.failNext({
			method: 'POST',
			path: '/events/consignments/stateevents',
			status: 200,
			body: [payload('EC-000-000-0A1'), payload('EC-000-000-0A2')],
		});
		expect((await trigger.poll())!.map((json) => json.consignmentReference)).toEqual([
			'EC-000-000-0A2',
		]);
	});

	test('bad settings fail the activation, saying what to choose', async () => {
		const none = await runPoll({
			nodeType: 'electioTrigger',
			parameters: { event: 'stateChanged', states: [] },
			credentials: h.credentials,
			staticData: {},
			activation: 'activate',
		});
		expect(none.error?.message).toBe('Choose at least one of "States"');
		const unknown = await runPoll({
			nodeType: 'electioTrigger',
			parameters: { event: 'consignmentEvent', eventTypes: ['LabelsPrinted', 'Teleported'] },
			credentials: h.credentials,
			staticData: {},
			activation: 'activate',
		});
		expect(unknown.error?.message).toBe('"Event Types" holds unknown values: Teleported');
		const wrongKey = await runPoll({
			nodeType: 'electioTrigger',
			parameters: DELIVERED,
			credentials: { ...h.credentials, apiKey: 'not-the-key' },
			staticData: {},
			activation: 'activate',
		});
		expect(wrongKey.error?.message).toMatch(/failed with 401/);
		expect(h.requests().filter((entry) => entry.apiKey === 'valid')).toHaveLength(0);
	});
});

describe('Electio Trigger: consignment events', () => {
	test('each event once by its EventId, across polls and a restart, though they share a timestamp', async () => {
		const trigger = activated({
			event: 'consignmentEvent',
			eventTypes: ['ConsignmentCreated', 'LabelsPrinted'],
		});
		await trigger.poll('activate');
		// the sandbox clock stands still: every event below has the same EventDate
		const created = await h.created(3);
		clocks(T0, T0 + 10_000);
		const first = await trigger.poll();
		expect(first!.map((json) => [json.eventType, json.consignmentReference])).toEqual(
			created.map((reference) => ['ConsignmentCreated', reference]),
		);
		expect(first![0]).toMatchObject({
			event: 'consignmentEvent',
			eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			eventDate: expect.any(String),
			customerReference: expect.stringMatching(/^SETUP-/),
			state: 'Unallocated',
		});

		const allocated = await h.allocated(1);
		await h.electio(
			{ resource: 'label', operation: 'get', labelFormat: 'PDF' },
			allocated.map((consignmentReference) => ({ consignmentReference })),
		);
		trigger.restart();
		clocks(T0, T0 + 20_000);
		const second = await trigger.poll('init');
		expect(second!.map((json) => [json.eventType, json.consignmentReference])).toEqual([
			['ConsignmentCreated', allocated[0]],
			['LabelsPrinted', allocated[0]],
		]);
		clocks(T0, T0 + MINUTE);
		expect(await trigger.poll()).toBeNull();
		expect(Object.values(trigger.counts((json) => String(json.eventId)))).toEqual([1, 1, 1, 1, 1]);
		const calls = h.requests().filter((entry) => entry.path === '/events/consignments');
		expect(calls.length).toBe(4);
	});
});

describe('Electio Trigger: the test fetch in the editor', () => {
	test('returns the most recent matching event and remembers nothing', async () => {
		const references = await h.manifested(2);
		h.sandbox.advanceTracking(4);
		clocks(sandboxNow() + HOUR);
		const staticData: IDataObject = {};
		const { items, error } = await runNode({
			nodeType: 'electioTrigger',
			parameters: { event: 'stateChanged', states: ['Collected', 'Delivered'] },
			credentials: h.credentials,
			staticData,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			consignmentReference: references[1],
			state: 'Delivered',
		});
		expect(staticData).toEqual({});
	});

	test('with nothing to show it says what to do', async () => {
		const { error } = await runNode({
			nodeType: 'electioTrigger',
			parameters: { event: 'consignmentEvent', eventTypes: ['Rescheduled'] },
			credentials: h.credentials,
		});
		expect(error?.message).toBe('No matching event in Electio in the last 30 days');
		expect(error?.description).toMatch(/Choose more event types/);
		expect(h.requests().map((entry) => entry.path)).toEqual([
			'/events/consignments',
			'/events/consignments',
		]);
	});
});

describe('what the trigger remembers', () => {
	const kind: EventKind = {
		path: '/x',
		body: () => ({}),
		key: (payload) => String(payload.id),
		time: (payload) => payload.at as number,
		item: (payload) => payload,
	};

	test('only what a later window can return again, and never more than the bound', () => {
		const memory = { floor: 0, readUntil: 0, emitted: {} as Record<string, number> };
		const events = (from: number, count: number, at: number) =>
			Array.from({ length: count }, (_, index) => ({ id: `e${from + index}`, at }));
		const fresh = takeFresh(memory, kind, events(0, 5, 1_000), { start: 0, end: 2_000 }, 500);
		expect(fresh).toHaveLength(5);
		// the next window starts at 1 500: those at 1 000 cannot come back
		expect(memory.emitted).toEqual({});
		takeFresh(memory, kind, events(5, 3, 2_100), { start: 1_500, end: 2_500 }, 500);
		expect(Object.keys(memory.emitted)).toEqual(['e5', 'e6', 'e7']);
		takeFresh(
			memory,
			kind,
			events(8, MAX_REMEMBERED + 10, 2_600),
			{ start: 2_000, end: 2_700 },
			500,
		);
		expect(Object.keys(memory.emitted)).toHaveLength(MAX_REMEMBERED);
		expect(memory.readUntil).toBe(2_700);
	});
});

// The node keeps its own list (it may import nothing from the sandbox); the two must not drift apart.
test('the Event Types filter offers every consignment event type of the contract', () => {
	expect([...EVENT_TYPES].sort()).toEqual([...CONTRACT_EVENT_TYPES].sort());
});
