import { startSandbox } from '../../sandbox';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { runNode, useElectio } from '../../harness/electio';
import { sandboxShorthands } from './support';

const h = useElectio({ seed: 5 });
const { electio } = h;
const { oneConsignment } = sandboxShorthands(h);

const create = { resource: 'consignment', operation: 'create', inputMode: 'json' };

describe('retries', () => {
	test('a 503 and a 502 on a read are retried until it succeeds', async () => {
		const reference = await oneConsignment();
		h.sandbox.failNext({ method: 'GET', path: /^\/quotes\//, status: 503, times: 1 });
		h.sandbox.failNext({
			method: 'GET',
			path: /^\/quotes\//,
			status: 502,
			times: 1,
			contentType: 'text/html',
			body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
		});
		const { items, error } = await electio({ resource: 'quote', operation: 'getForConsignment' }, [
			{ consignmentReference: reference },
		]);
		expect(error).toBeUndefined();
		expect((items[0].json.quotes as unknown[]).length).toBeGreaterThan(0);
		const attempts = h.sandbox.requests().filter((entry) => entry.path.startsWith('/quotes/'));
		expect(attempts.map((entry) => entry.status)).toEqual([503, 502, 200]);
	});

	test('a 429 waits as long as Retry-After says before the next attempt', async () => {
		const reference = await oneConsignment();
		h.sandbox.failNext({
			method: 'GET',
			path: /^\/consignments\/EC/,
			status: 429,
			headers: { 'Retry-After': '1' },
			body: { Code: 'RateLimited', Message: 'Rate limit is exceeded', CorrelationId: 'c-1' },
		});
		const { error } = await electio({ resource: 'consignment', operation: 'get' }, [
			{ consignmentReference: reference },
		]);
		expect(error).toBeUndefined();
		const [first, second] = h.sandbox
			.requests()
			.filter((entry) => entry.path.startsWith('/consignments/EC'));
		expect(first.status).toBe(429);
		expect(second.status).toBe(200);
		expect(second.startedAt - first.startedAt).toBeGreaterThanOrEqual(950);
	});

	test('retries stop at Max Retries and the error says how often it tried', async () => {
		const reference = await oneConsignment();
		h.sandbox.failNext({
			method: 'GET',
			path: /^\/consignments\/EC/,
			status: 503,
			times: 10,
			body: { Code: 'Unavailable', Message: 'Service unavailable', CorrelationId: 'corr-503' },
		});
		const { error } = await electio(
			{ resource: 'consignment', operation: 'get', requestOptions: { maxRetries: 2 } },
			[{ consignmentReference: reference }],
		);
		expect(error?.message).toBe(
			`Electio GET /consignments/${reference} failed with 503: Service unavailable`,
		);
		expect(error?.description).toContain('Tried 3 times.');
		expect(error?.description).toContain('Correlation ID (quote it to Electio support): corr-503');
		expect(
			h.sandbox.requests().filter((entry) => entry.path.startsWith('/consignments/EC')),
		).toHaveLength(3);
	});
});

describe('concurrency, order and pairing', () => {
	test('never more items in flight than Max Concurrency, output in input order, each paired', async () => {
		h.sandbox.setLatency(40);
		const bodies = Array.from({ length: 24 }, (_, index) => consignmentBody(`ORDER-${index}`));
		const { items, error } = await electio(
			{ ...create, requestOptions: { maxConcurrency: 3 } },
			bodies,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.customerReference)).toEqual(
			bodies.map((body) => body.ConsignmentReferenceProvidedByCustomer),
		);
		expect(items.map((item) => item.pairedItem)).toEqual(bodies.map((_, item) => ({ item })));
		// Each item's calls (look up, create, look up) run one after another: calls in flight are items in flight.
		const log = h.requests();
		const peak = Math.max(
			...log.map(
				(entry) =>
					log.filter(
						(other) =>
							other.startedAt <= entry.startedAt &&
							other.startedAt + other.durationMs > entry.startedAt,
					).length,
			),
		);
		expect(peak).toBeLessThanOrEqual(3);
		expect(peak).toBeGreaterThanOrEqual(2);
	});

	test('with Continue On Fail a failing item becomes one error item in its place; without it the node stops', async () => {
		const reference = await oneConsignment();
		const input = [
			{ consignmentReference: reference },
			{ consignmentReference: 'EC-NOT-THR-EEE' },
			{ consignmentReference: reference },
		];
		const tolerant = await electio({ resource: 'consignment', operation: 'get' }, input, true);
		expect(tolerant.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(tolerant.items[1].json).toMatchObject({
			consignmentReference: 'EC-NOT-THR-EEE',
			httpCode: 404,
		});
		expect(tolerant.items[1].json.error).toMatch(
			/^Electio GET \/consignments\/EC-NOT-THR-EEE failed with 404/,
		);
		expect(tolerant.items[0].json.state).toBe('Unallocated');
		expect(tolerant.items[2].json.state).toBe('Unallocated');

		const strict = await electio({ resource: 'consignment', operation: 'get' }, input);
		expect(strict.items).toHaveLength(0);
		expect(strict.error?.httpCode).toBe('404');
	});
});

describe('errors a user can act on', () => {
	test("the API's message, each Detail with its Target, and the correlation ID are shown", async () => {
		const { error } = await electio(create, [
			consignmentBody('BAD-LOC', { shippingLocation: 'NOWHERE' }),
		]);
		expect(error?.httpCode).toBe('400');
		expect(error?.message).toMatch(/^Electio POST \/consignments failed with 400: /);
		expect(error?.description).toMatch(
			/- Addresses\[\w*\]?.*ShippingLocationReference.*: .*NOWHERE/s,
		);
		expect(error?.description).toMatch(/Correlation ID \(quote it to Electio support\): \S+/);
	});

	test('a wrong API key is a 401 that says to check the key, and the key is not in the error', async () => {
		const wrongKey = 'wrong-key-7d1f0a9c3b';
		const { error, run, logs } = await runNode({
			parameters: {
				resource: 'consignment',
				operation: 'get',
				consignmentReference: 'EC-000-000-001',
			},
			credentials: { ...h.credentials, apiKey: wrongKey },
		});
		expect(error?.httpCode).toBe('401');
		expect(error?.description).toContain('Check the API key in the Electio API credential');
		expect(JSON.stringify(run)).not.toContain(wrongKey);
		expect(logs.join('\n')).not.toContain(wrongKey);
	});

	test('an unreachable base URL is a clear connection error after the retries', async () => {
		const closed = await startSandbox({ port: 0 });
		const url = closed.url;
		await closed.close();
		const { error } = await runNode({
			parameters: {
				resource: 'consignment',
				operation: 'get',
				consignmentReference: 'EC-000-000-001',
				requestOptions: { maxRetries: 1 },
			},
			credentials: { ...h.credentials, baseUrl: url },
		});
		expect(error?.message).toBe(
			`Electio GET /consignments/EC-000-000-001: nothing is listening at ${url} (connection refused)`,
		);
		expect(error?.description).toContain('Tried 2 times.');
	});
});
