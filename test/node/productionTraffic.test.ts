/**
 * Production traffic: each ERP order is its own execution. Executions in one process share the
 * account's rate control, throttling waits within a time budget, and a redelivered order gets the
 * same allocation and label as the first. (Never shipping twice by the customer reference is
 * Create's: consignment/create.test.ts.)
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
import { consignmentsFor } from './support';
import { readCredential, type ApiTarget } from '../../nodes/Electio/transport/credential';
import { accountGateFor } from '../../nodes/Electio/transport/gate';

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

		// What each account's gate knows, read as the client finds it (base URL + key).
		const paceOf = (apiKey: string) => {
			const target = readCredential({ ...h.credentials, apiKey }) as ApiTarget;
			return accountGateFor(target.baseUrl, target.apiKey).pacePerSecond;
		};
		const learned = paceOf('electio-key-one');
		const otherBefore = paceOf('electio-key-two');

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
		// A different key is a different account: it starts knowing nothing and learns on its own.
		expect(learned).toBeGreaterThan(0);
		expect(otherBefore).toBeUndefined();
		expect(otherKeyThrottled).toBeGreaterThan(0);
		expect(paceOf('electio-key-two')).toBeGreaterThan(0);
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
			// the first delivery printed them: this one only printed them again
			labelsPrinted: true,
		});
		expect(outputOf(again, 'Labels')[0].binary?.data?.fileName).toBe(
			outputOf(first, 'Labels')[0].binary?.data?.fileName,
		);
		expect(consignmentsFor(h, 'SAME-ANSWER-1')).toHaveLength(1);
		expect(h.requests().filter((entry) => /\/allocatewithquote\//.test(entry.path))).toHaveLength(
			1,
		);
	});
});
