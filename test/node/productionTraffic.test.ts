/**
 * Production traffic: each ERP order is its own execution. Executions in one process share the
 * account's rate control, a redelivered order never ships twice (by its customer reference), a
 * lost create is found again, and a redelivered order gets the same allocation as the first.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	electioNode,
	runNode,
	runWorkflow,
	useElectio,
	type ElectioHarness,
} from '../../harness/electio';
import { chain, outputOf } from '../../harness/engine';
import { consignmentBody } from '../../harness/fixtures/consignments';

const create = { resource: 'consignment', operation: 'create', inputMode: 'json' };
const get = { resource: 'consignment', operation: 'get' };
const allocate = {
	resource: 'allocation',
	operation: 'allocateWithQuote',
	quoteSelection: 'cheapest',
};

const h = useElectio({ apiKeys: ['electio-key-one', 'electio-key-two'] });

/** One execution of the node with another API key of the same sandbox. */
async function runWithKey(apiKey: string, parameters: IDataObject, items: IDataObject[]) {
	return await runNode({
		parameters: parameters as never,
		items: items.map((json) => ({ json })),
		credentials: { ...h.credentials, apiKey },
	});
}

function consignmentsFor(harness: ElectioHarness, customerReference: string): string[] {
	return harness.sandbox.consignmentsByCustomerReference()[customerReference] ?? [];
}

function throttledCalls(harness: ElectioHarness, since: number): number {
	return harness.requests().filter((entry) => entry.seq > since && entry.status === 429).length;
}

function lastSeq(harness: ElectioHarness): number {
	return harness.requests().reduce((max, entry) => Math.max(max, entry.seq), 0);
}

describe('one rate control per Electio account per process', () => {
	test('a second execution starts from what the first learned; another key starts fresh', async () => {
		const references = await h.created(40);
		h.sandbox.setRateLimit(20);
		h.sandbox.setLatency(20);
		const items = references.map((consignmentReference) => ({ consignmentReference }));

		let mark = lastSeq(h);
		const first = await runWithKey('electio-key-one', get, items);
		const firstThrottled = throttledCalls(h, mark);

		mark = lastSeq(h);
		const second = await runWithKey('electio-key-one', get, items);
		const secondThrottled = throttledCalls(h, mark);

		await new Promise((resolve) => setTimeout(resolve, 1100));
		mark = lastSeq(h);
		const otherKey = await runWithKey('electio-key-two', get, items);
		const otherKeyThrottled = throttledCalls(h, mark);

		for (const run of [first, second, otherKey]) {
			expect(run.error).toBeUndefined();
			expect(run.items.map((item) => item.json.consignmentReference)).toEqual(references);
		}
		// The first run found the limit the hard way; the second used what it learned.
		expect(firstThrottled).toBeGreaterThan(0);
		expect(secondThrottled).toBeLessThan(firstThrottled / 2);
		// A different key is a different account: it learns on its own.
		expect(otherKeyThrottled).toBeGreaterThan(secondThrottled);
	});

	test('executions running at once share the gate: all items succeed under the limit', async () => {
		const references = await h.created(30);
		h.sandbox.setRateLimit(25);
		const mark = lastSeq(h);
		const runs = await Promise.all(
			[0, 1, 2].map(
				async () =>
					await h.electio(
						get,
						references.map((consignmentReference) => ({ consignmentReference })),
					),
			),
		);
		for (const run of runs) {
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(30);
		}
		const calls = h.requests().filter((entry) => entry.seq > mark);
		expect(calls.filter((entry) => entry.status === 200)).toHaveLength(90);
	});
});

describe('throttling waits within a time budget instead of a retry count', () => {
	test('twenty 429s in a row still end in success while time remains', async () => {
		const [reference] = await h.created(1);
		h.sandbox.failNext({
			path: `/consignments/${reference}`,
			status: 429,
			headers: { 'Retry-After': '0' },
			times: 20,
		});
		const { items, error } = await h.electio({ ...get, requestOptions: { maxRetries: 1 } }, [
			{ consignmentReference: reference },
		]);
		expect(error).toBeUndefined();
		expect(items[0].json.consignmentReference).toBe(reference);
	});

	test('past the budget the item fails, saying how long it waited and what to change', async () => {
		const [reference] = await h.created(1);
		h.sandbox.failNext({
			path: `/consignments/${reference}`,
			status: 429,
			headers: { 'Retry-After': '1' },
			times: 50,
		});
		const { items } = await h.electio(
			{ ...get, requestOptions: { maxThrottleWaitSeconds: 2 } },
			[{ consignmentReference: reference }],
			true,
		);
		expect(items[0].json.error).toMatch(/failed with 429/);
		expect(items[0].json.errorDescription).toMatch(/Waited \d+ s in all/);
		expect(items[0].json.errorDescription).toContain('Max Wait When Throttled');
		expect(items[0].json).toMatchObject({ httpCode: 429, retryable: true });
	});
});

describe('never ship twice, by the customer reference', () => {
	test('an order delivered again yields the consignment made the first time', async () => {
		const order = consignmentBody('REDELIVERED-1');
		const first = await h.electio(create, [order]);
		const second = await h.electio(create, [order]);
		expect(first.items[0].json).toMatchObject({
			created: true,
			customerReference: 'REDELIVERED-1',
		});
		expect(second.items[0].json).toMatchObject({
			created: false,
			customerReference: 'REDELIVERED-1',
			consignmentReference: first.items[0].json.consignmentReference,
			state: 'Unallocated',
		});
		expect(consignmentsFor(h, 'REDELIVERED-1')).toHaveLength(1);
	});

	test('the same order in two executions at the same moment is created once', async () => {
		const order = consignmentBody('SIMULTANEOUS-1');
		const runs = await Promise.all([h.electio(create, [order]), h.electio(create, [order])]);
		const outputs = runs.map((run) => run.items[0].json);
		expect(consignmentsFor(h, 'SIMULTANEOUS-1')).toHaveLength(1);
		expect(outputs[0].consignmentReference).toBe(outputs[1].consignmentReference);
		expect(outputs.map((json) => json.created).sort()).toEqual([false, true]);
	});

	test('"Fail" names the consignment that has the reference; "Create Another" ships again', async () => {
		const order = consignmentBody('CHOSEN-1');
		const first = await h.electio(create, [order]);
		const failed = await h.electio({ ...create, ifCustomerReferenceExists: 'fail' }, [order], true);
		expect(failed.items[0].json.error).toBe(
			`Item 0: "Customer Reference" "CHOSEN-1" is already used by ${first.items[0].json.consignmentReference} (Unallocated)`,
		);
		expect(failed.items[0].json).toMatchObject({
			retryable: false,
			customerReference: 'CHOSEN-1',
			details: [{ field: 'Customer Reference' }],
		});
		const another = await h.electio({ ...create, ifCustomerReferenceExists: 'createAnother' }, [
			order,
		]);
		expect(another.items[0].json.created).toBe(true);
		expect(consignmentsFor(h, 'CHOSEN-1')).toHaveLength(2);
	});

	test('a cancelled consignment no longer stands for the order: a new one is created', async () => {
		const order = consignmentBody('CANCELLED-1');
		const first = await h.electio(create, [order]);
		await h.electio({ resource: 'consignment', operation: 'cancel' }, [first.items[0].json]);
		const again = await h.electio(create, [order]);
		expect(again.items[0].json.created).toBe(true);
		expect(again.items[0].json.consignmentReference).not.toBe(
			first.items[0].json.consignmentReference,
		);
	});
});

describe('a create whose answer was lost', () => {
	test('found by its customer reference: that is the item’s consignment, nothing sent twice', async () => {
		h.sandbox.failNext({ method: 'POST', path: '/consignments', drop: true, afterHandling: true });
		const { items, error } = await h.electio(create, [consignmentBody('LOST-AFTER-1')]);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			customerReference: 'LOST-AFTER-1',
			created: true,
			recoveredAfterLostResponse: true,
		});
		expect(consignmentsFor(h, 'LOST-AFTER-1')).toEqual([items[0].json.consignmentReference]);
		expect(h.requests().filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});

	test('not found after two looks: it was never created, so it is created now, once', async () => {
		h.sandbox.failNext({ method: 'POST', path: '/consignments', drop: true, afterHandling: false });
		const { items, error } = await h.electio(create, [consignmentBody('LOST-BEFORE-1')]);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ customerReference: 'LOST-BEFORE-1', created: true });
		expect(consignmentsFor(h, 'LOST-BEFORE-1')).toEqual([items[0].json.consignmentReference]);
		expect(h.requests().filter((entry) => entry.method === 'POST')).toHaveLength(2);
	});

	test('without a customer reference it is not repeated, and the item says why', async () => {
		const body = consignmentBody('x') as IDataObject;
		delete body.ConsignmentReferenceProvidedByCustomer;
		h.sandbox.failNext({ method: 'POST', path: '/consignments', drop: true, afterHandling: true });
		const { items } = await h.electio(create, [body], true);
		expect(items[0].json.error).toBe(
			'Electio POST /consignments: the connection was dropped before an answer came back',
		);
		expect(items[0].json.errorDescription).toContain('It was NOT sent again');
		expect(items[0].json.errorDescription).toContain('With a Customer Reference');
		expect(h.requests().filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});
});

describe('an order delivered again gets the same answer as the first time', () => {
	const nodes = [
		electioNode('Create', create, 0),
		electioNode('Allocate', allocate, 1),
		electioNode('Labels', { resource: 'label', operation: 'get', labelFormat: 'PDF' }, 2),
	];
	const deliver = async (order: IDataObject) =>
		await runWorkflow({
			nodes,
			connections: chain('Create', 'Allocate', 'Labels'),
			credentials: h.credentials,
			startNodeName: 'Create',
			startItems: [{ json: order }],
		});

	test('the same consignment, carrier and tracking numbers, and the label again', async () => {
		const order = consignmentBody('SAME-ANSWER-1');
		const first = await deliver(order);
		const again = await deliver(order);
		for (const run of [first, again]) expect(run.data.resultData.error).toBeUndefined();
		const firstAllocation = outputOf(first, 'Allocate')[0].json;
		const againAllocation = outputOf(again, 'Allocate')[0].json;
		expect(againAllocation).toMatchObject({
			consignmentReference: firstAllocation.consignmentReference,
			carrier: firstAllocation.carrier,
			service: firstAllocation.service,
			trackingNumber: firstAllocation.trackingNumber,
			trackingReferences: firstAllocation.trackingReferences,
			alreadyAllocated: true,
		});
		expect(outputOf(again, 'Labels')[0].binary?.data?.fileName).toBe(
			outputOf(first, 'Labels')[0].binary?.data?.fileName,
		);
		expect(consignmentsFor(h, 'SAME-ANSWER-1')).toHaveLength(1);
		expect(h.requests().filter((entry) => /\/allocatewithquote\//.test(entry.path))).toHaveLength(
			1,
		);
	});

	test('with "Return Existing Allocation" off, allocating again is the API’s state error', async () => {
		const [reference] = await h.allocated(1);
		const { items } = await h.electio(
			{ ...allocate, returnExistingAllocation: false },
			[{ consignmentReference: reference }],
			true,
		);
		expect(items[0].json.error).toMatch(/failed with 4\d\d: .*Allocated/);
		expect(items[0].json.retryable).toBe(false);
	});
});
