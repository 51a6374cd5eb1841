/**
 * After every kind of forced error, neither the whole execution data n8n keeps nor the logs
 * contain the API key: searched for literally, and in the encodings it could hide in.
 */
import type { IDataObject } from 'n8n-workflow';

import { consignmentBody } from '../../harness/fixtures/consignments';
import { everything, SECRET_KEY } from './support';
import { runNode, useElectio, type ElectioHarness, type RunResult } from '../../harness/electio';

const h = useElectio({ apiKey: SECRET_KEY });

/** The key as it could appear: plain, base64, URL-encoded, JSON-escaped. */
function forms(key: string): string[] {
	return [
		key,
		Buffer.from(key).toString('base64'),
		encodeURIComponent(key),
		JSON.stringify(key).slice(1, -1),
		key.slice(4, -4),
	];
}

function expectNoKey(result: RunResult, key = SECRET_KEY): void {
	const text = everything(result);
	for (const form of forms(key)) expect(text).not.toContain(form);
}

const get = { resource: 'consignment', operation: 'get' };
const createJson = {
	resource: 'consignment',
	operation: 'create',
	inputMode: 'json',
	consignmentJson: '={{ $json }}',
};

interface SecretCase {
	name: string;
	/** Arranges the fault; returns the node's parameters and input. */
	arrange: (h: ElectioHarness) => Promise<{ parameters: IDataObject; items: IDataObject[] }>;
	/** A pattern the error message matches, to prove the fault really happened. */
	message: RegExp;
}

const reference = async (harness: ElectioHarness) => (await harness.created(1))[0];

const secretCases: SecretCase[] = [
	{
		name: '400 with Details',
		arrange: async () => ({
			parameters: createJson,
			items: [consignmentBody('SECRET-400', { shippingLocation: 'NOWHERE' })],
		}),
		message: /failed with 400/,
	},
	{
		name: '404',
		arrange: async () => ({ parameters: get, items: [{ consignmentReference: 'EC-404-404-404' }] }),
		message: /failed with 404/,
	},
	{
		name: '5xx HTML page, retried to the limit',
		arrange: async (harness) => {
			const ref = await reference(harness);
			harness.sandbox.failNext({
				path: `/consignments/${ref}`,
				status: 502,
				contentType: 'text/html',
				body: `<html><body>Bad gateway</body></html>`,
				times: 5,
			});
			return {
				parameters: { ...get, requestOptions: { maxRetries: 1 } },
				items: [{ consignmentReference: ref }],
			};
		},
		message: /failed with 502: the server answered with an HTML page/,
	},
	{
		name: '503 JSON with a correlation ID',
		arrange: async (harness) => {
			const ref = await reference(harness);
			harness.sandbox.failNext({ path: `/consignments/${ref}`, status: 503, times: 5 });
			return {
				parameters: { ...get, requestOptions: { maxRetries: 0 } },
				items: [{ consignmentReference: ref }],
			};
		},
		message: /failed with 503/,
	},
	{
		name: '429 until the time to wait runs out',
		arrange: async (harness) => {
			const ref = await reference(harness);
			harness.sandbox.failNext({
				path: `/consignments/${ref}`,
				status: 429,
				headers: { 'Retry-After': '1' },
				times: 20,
			});
			return {
				parameters: { ...get, requestOptions: { maxThrottleWaitSeconds: 1 } },
				items: [{ consignmentReference: ref }],
			};
		},
		message: /failed with 429/,
	},
	{
		name: 'timeout',
		arrange: async (harness) => {
			const ref = await reference(harness);
			harness.sandbox.failNext({ path: `/consignments/${ref}`, hang: true, times: 5 });
			return {
				parameters: { ...get, requestOptions: { timeout: 1000, maxRetries: 0 } },
				items: [{ consignmentReference: ref }],
			};
		},
		message: /no answer within 1000 ms \(timeout\)/,
	},
	{
		name: 'dropped connection on a read',
		arrange: async (harness) => {
			const ref = await reference(harness);
			harness.sandbox.failNext({ path: `/consignments/${ref}`, drop: true, times: 5 });
			return {
				parameters: { ...get, requestOptions: { maxRetries: 1 } },
				items: [{ consignmentReference: ref }],
			};
		},
		message: /the connection was dropped before an answer came back/,
	},
	{
		name: 'dropped connection after a create',
		arrange: async (harness) => {
			harness.sandbox.failNext({
				method: 'POST',
				path: '/consignments',
				drop: true,
				afterHandling: true,
			});
			// Without a customer reference the node cannot look the consignment up: it must fail.
			const { ConsignmentReferenceProvidedByCustomer: _, ...anonymous } =
				consignmentBody('SECRET-DROP');
			return { parameters: createJson, items: [anonymous] };
		},
		message: /the connection was dropped before an answer came back/,
	},
	{
		name: 'input validation',
		arrange: async () => ({ parameters: createJson, items: [{ Packages: [] }] }),
		message: /^Item 0: "Consignment JSON" Packages must be a list/,
	},
	{
		name: 'a reference Electio refuses',
		arrange: async () => ({ parameters: get, items: [{ consignmentReference: 'EC-000/../x' }] }),
		message: /failed with 400/,
	},
	{
		name: 'a label of an unallocated consignment',
		arrange: async (harness) => ({
			parameters: { resource: 'label', operation: 'get' },
			items: [{ consignmentReference: await reference(harness) }],
		}),
		message: /failed with 400: Cannot get labels/,
	},
	{
		name: 'a refused redirect',
		arrange: async (harness) => {
			const ref = await reference(harness);
			harness.sandbox.failNext({
				path: `/consignments/${ref}`,
				status: 307,
				headers: { Location: 'http://127.0.0.1:9/steal' },
				body: '',
			});
			return { parameters: get, items: [{ consignmentReference: ref }] };
		},
		message: /failed with 307/,
	},
];

describe.each([
	['stops the node', false],
	['Continue On Fail', true],
])('the key is in neither the execution data nor the logs (%s)', (_mode, continueOnFail) => {
	test.each(secretCases)('$name', async ({ arrange, message }) => {
		const { parameters, items } = await arrange(h);
		const result = await h.electio(parameters, items, continueOnFail);
		const shown = continueOnFail ? (result.items[0]?.json.error as string) : result.error?.message;
		expect(shown).toMatch(message);
		expectNoKey(result);
	});
});

test('a wrong key is not echoed either', async () => {
	const wrong = 'WRONG-electio-key-Hh72kLm0Qe9sXc';
	const result = await runNode({
		parameters: { ...get, consignmentReference: 'EC-000-000-001' },
		credentials: { apiKey: wrong, environment: 'custom', baseUrl: h.sandbox.url },
	});
	expect(result.error?.httpCode).toBe('401');
	expectNoKey(result, wrong);
});

test('a refused base URL does not reveal the key', async () => {
	const result = await runNode({
		parameters: { ...get, consignmentReference: 'EC-000-000-001' },
		credentials: { apiKey: SECRET_KEY, environment: 'custom', baseUrl: 'ftp://files.example' },
	});
	expect(result.error?.message).toMatch(/must start with http:\/\/ or https:\/\//);
	expectNoKey(result);
});

test('a whole flow under injected faults keeps the key out of every node', async () => {
	h.sandbox.setFaults({ rate503: 0.15, rate429: 0.05, retryAfterSeconds: 0, dropRate: 0.05 });
	const { chain } = await import('../../harness/engine');
	const { electioNode, runWorkflow } = await import('../../harness/electio');
	const nodes = [
		electioNode('Create', createJson, 0),
		electioNode(
			'Allocate',
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
			1,
		),
		electioNode('Labels', { resource: 'label', operation: 'get' }, 2),
	].map((node) => ({ ...node, onError: 'continueRegularOutput' as const }));
	const run = await runWorkflow({
		nodes,
		connections: chain('Create', 'Allocate', 'Labels'),
		credentials: h.credentials,
		startNodeName: 'Create',
		startItems: Array.from({ length: 12 }, (_, index) => ({
			json: consignmentBody(`SECRET-FLOW-${index}`),
		})),
	});
	h.sandbox.setFaults(null);
	expect(h.sandbox.faultCounts()['503'] + h.sandbox.faultCounts().drop).toBeGreaterThan(0);
	const text = JSON.stringify(run);
	for (const form of forms(SECRET_KEY)) expect(text).not.toContain(form);
});

test('the search itself finds the key wherever it is put (the checks above can fail)', async () => {
	const leaky = await h.electio(createJson, [
		consignmentBody(Buffer.from(SECRET_KEY).toString('base64')),
	]);
	expect(leaky.error).toBeUndefined();
	expect(() => expectNoKey(leaky)).toThrow();
	const failed = await h.electio(get, [{ consignmentReference: 'EC-404-404-404' }]);
	expect(failed.logs.length).toBeGreaterThan(0);
	expect(() =>
		expectNoKey({
			...failed,
			logs: [...failed.logs, `debug: header ocp-apim-subscription-key=${SECRET_KEY}`],
		}),
	).toThrow();
});
