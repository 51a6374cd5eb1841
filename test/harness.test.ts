import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IConnections, INode } from 'n8n-workflow';

import { ElectioApi } from '../credentials/ElectioApi.credentials';
import { binaryBuffer, createEngine, outputOf } from '../harness/engine';
import { HarnessFixture } from '../harness/fixtures/HarnessFixture.node';
import { PollFixture } from '../harness/fixtures/PollFixture.node';

const fixture = new HarnessFixture();
// The generic engine given only the fixture node and the credential type it authenticates with.
const { runLoadOptions, runNode, runPoll, runWorkflow, typeName } = createEngine({
	packageName: 'n8n-nodes-electio',
	nodeTypes: [fixture],
	credentialTypes: [new ElectioApi()],
});
const FIXTURE_NODE_TYPE = typeName('harnessFixture');
const API_KEY = 'test-key-3f9c1d0e7a';

interface Seen {
	method?: string;
	url?: string;
	headers: http.IncomingHttpHeaders;
}

let server: http.Server;
let baseUrl: string;
const seen: Seen[] = [];
/** What the fixture server's /events answers (those after `since`). */
const events: Array<{ id: number; name: string }> = [];

beforeAll(async () => {
	server = http.createServer((req, res) => {
		seen.push({ method: req.method, url: req.url, headers: req.headers });
		if (req.url?.startsWith('/fail')) {
			res.writeHead(422, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ Message: 'Consignment reference already used' }));
			return;
		}
		res.writeHead(200, { 'content-type': 'application/json' });
		if (req.url?.startsWith('/events')) {
			const since = Number(new URL(req.url, 'http://x').searchParams.get('since'));
			res.end(JSON.stringify({ events: events.filter((event) => event.id > since) }));
			return;
		}
		if (req.url === '/options') {
			res.end(JSON.stringify({ items: ['DPD', 'UPS'] }));
			return;
		}
		res.end(JSON.stringify({ ok: true, path: req.url }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	seen.length = 0;
});

describe('n8n engine harness (fixture node)', () => {
	it('sends the credential headers of the electioApi credential to the server', async () => {
		const result = await runNode({
			nodeType: fixture,
			parameters: { operation: 'request', path: '/echo?x=1' },
			credentials: { apiKey: API_KEY, baseUrl },
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toEqual({ ok: true, path: '/echo?x=1' });
		expect(seen).toHaveLength(1);
		expect(seen[0].method).toBe('GET');
		expect(seen[0].headers['ocp-apim-subscription-key']).toBe(API_KEY);
		expect(seen[0].headers['electio-api-version']).toBe('1.1');
		// Logs are captured per run and can be searched for leaked secrets.
		expect(Array.isArray(result.logs)).toBe(true);
		expect(result.logs.join('\n')).not.toContain(API_KEY);
		expect(result.run.status).toBe('success');
	});

	it('fails when the node has no credential attached', async () => {
		const result = await runNode({
			nodeType: fixture,
			parameters: { operation: 'request' },
			credentials: null,
		});
		expect(seen).toHaveLength(0);
		expect(result.items).toEqual([]);
		expect(result.error).toBeDefined();
		expect(result.error?.message).toMatch(/credentials/i);
	});

	it('returns binary output whose bytes, file name and MIME type can be read back', async () => {
		const content = 'PDF-ish \u00e9 bytes \u0001\u0002';
		const result = await runNode({
			nodeType: fixture,
			parameters: {
				operation: 'binary',
				content,
				fileName: 'label-123.pdf',
				mimeType: 'application/pdf',
			},
			items: [{ json: { ref: 'A' } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.json).toEqual({ ref: 'A' });
		expect(item.binary?.data.fileName).toBe('label-123.pdf');
		expect(item.binary?.data.mimeType).toBe('application/pdf');
		const bytes = await binaryBuffer(item);
		expect(bytes.equals(Buffer.from(content, 'utf8'))).toBe(true);
		await expect(binaryBuffer(item, 'missing')).rejects.toThrow(/no binary property "missing"/);
	});

	it('with continueOnFail yields one output item per input item, paired to its input', async () => {
		const result = await runNode({
			nodeType: fixture,
			parameters: { operation: 'fail', httpCode: '409' },
			items: [{ json: { n: 0 } }, { json: { n: 1 } }, { json: { n: 2 } }],
			continueOnFail: true,
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		result.items.forEach((item, i) => {
			expect(item.json.error).toBe(`Fixture failed on item ${i}`);
			expect(item.json.httpCode).toBe('409');
			expect(item.pairedItem).toEqual({ item: i });
		});
	});

	it('returns a thrown NodeApiError (not thrown out of the harness) with httpCode and description', async () => {
		const result = await runNode({
			nodeType: fixture,
			parameters: { operation: 'fail', httpCode: '409' },
			items: [{ json: {} }, { json: {} }],
		});

		expect(result.items).toEqual([]);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('409');
		expect(result.error?.message).toBe('Fixture failed on item 0');
		expect(result.error?.description).toBe('item 0 description');
		expect(result.run.status).toBe('error');
		// The engine stopped at the first failing item, and logged (not thrown) the failure.
		expect(result.logs.some((l) => l.includes('finished with error'))).toBe(true);
	});

	it('turns an HTTP error response into a NodeApiError with the status code', async () => {
		const result = await runNode({
			nodeType: fixture,
			parameters: { operation: 'request', path: '/fail' },
			credentials: { apiKey: API_KEY, baseUrl },
		});

		expect(seen).toHaveLength(1);
		expect(result.items).toEqual([]);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('422');
		expect(JSON.stringify(result.error)).not.toContain(API_KEY);
		expect(result.logs.length).toBeGreaterThan(0);
		expect(result.logs.join('\n')).not.toContain(API_KEY);
	});

	it('runs a chained workflow and passes items from node to node', async () => {
		const nodes: INode[] = [
			{
				id: '1',
				name: 'First',
				type: FIXTURE_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { operation: 'tag', tag: 'one' },
			},
			{
				id: '2',
				name: 'Second',
				type: FIXTURE_NODE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { operation: 'request', path: '/second' },
			},
			{
				id: '3',
				name: 'Third',
				type: FIXTURE_NODE_TYPE,
				typeVersion: 1,
				position: [400, 0],
				parameters: { operation: 'tag', tag: 'three' },
			},
		];
		const connections: IConnections = {
			First: { main: [[{ node: 'Second', type: 'main', index: 0 }]] },
			Second: { main: [[{ node: 'Third', type: 'main', index: 0 }]] },
		};

		const run = await runWorkflow({
			nodes,
			connections,
			credentials: { apiKey: API_KEY, baseUrl },
			startNodeName: 'First',
			startItems: [{ json: { ref: 'A' } }, { json: { ref: 'B' } }],
		});

		expect(run.status).toBe('success');
		expect(outputOf(run, 'First').map((i) => i.json)).toEqual([
			{ ref: 'A', tag: 'one' },
			{ ref: 'B', tag: 'one' },
		]);
		expect(outputOf(run, 'Second')).toHaveLength(2);
		expect(seen.map((s) => s.headers['ocp-apim-subscription-key'])).toEqual([API_KEY, API_KEY]);
		expect(outputOf(run, 'Third').map((i) => i.json)).toEqual([
			{ ok: true, path: '/second', tag: 'three' },
			{ ok: true, path: '/second', tag: 'three' },
		]);
		expect(outputOf(run, 'Third').map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(outputOf(run, 'Nope')).toEqual([]);
	});

	it('keeps runs isolated and fast', async () => {
		const started = Date.now();
		const results = await Promise.all(
			[0, 1, 2, 3].map(
				async (n) =>
					await runNode({
						nodeType: fixture,
						parameters: { operation: 'tag', tag: `t${n}` },
						items: [{ json: { n } }],
					}),
			),
		);
		const elapsed = Date.now() - started;
		results.forEach((r, n) => expect(r.items.map((i) => i.json)).toEqual([{ n, tag: `t${n}` }]));
		expect(new Set(results.map((r) => r.run))).toHaveProperty('size', 4);
		expect(elapsed).toBeLessThan(2000);
	});

	it('runs loadOptions methods with the current parameters and credentials', async () => {
		const { options } = await runLoadOptions({
			nodeType: fixture,
			method: 'listItems',
			parameters: { operation: 'tag', tag: 'carrier' },
			credentials: { apiKey: API_KEY, baseUrl },
		});
		expect(options).toEqual([
			{ name: 'carrier:DPD', value: 'DPD' },
			{ name: 'carrier:UPS', value: 'UPS' },
		]);
		expect(seen.map((s) => s.headers['ocp-apim-subscription-key'])).toEqual([API_KEY]);
	});

	it('runs a polling trigger, keeping its static data between polls when given the same object', async () => {
		const pollFixture = new PollFixture();
		const staticData = {};
		const poll = async () =>
			await runNode({
				nodeType: pollFixture,
				parameters: {},
				credentials: { apiKey: API_KEY, baseUrl },
				staticData,
			});
		events.splice(0, events.length, { id: 1, name: 'one' }, { id: 2, name: 'two' });

		const first = await poll();
		expect(first.error).toBeUndefined();
		expect(first.items.map((item) => item.json)).toEqual([
			{ id: 1, name: 'one' },
			{ id: 2, name: 'two' },
		]);
		expect(staticData).toEqual({ 'node:Poll Fixture': { lastId: 2 } });

		const nothingNew = await poll();
		expect(nothingNew.error).toBeUndefined();
		expect(nothingNew.items).toEqual([]);

		events.push({ id: 3, name: 'three' });
		const third = await poll();
		expect(third.items.map((item) => item.json)).toEqual([{ id: 3, name: 'three' }]);
		expect(seen.map((s) => s.url)).toEqual([
			'/events?since=0',
			'/events?since=2',
			'/events?since=2',
		]);
		expect(seen.map((s) => s.headers['ocp-apim-subscription-key'])).toEqual([
			API_KEY,
			API_KEY,
			API_KEY,
		]);
	});

	it('runs a poll the way n8n polls an active workflow: emitted data captured, errors thrown at activation, reported after', async () => {
		const pollFixture = new PollFixture();
		const staticData = {};
		events.splice(0, events.length, { id: 7, name: 'seven' });
		const poll = async (path: string, activation?: 'activate') =>
			await runPoll({
				nodeType: pollFixture,
				parameters: { path },
				credentials: { apiKey: API_KEY, baseUrl },
				staticData,
				activation,
			});

		const first = await poll('/events', 'activate');
		expect(first.error).toBeUndefined();
		expect(first.emitted).toEqual([[{ json: { id: 7, name: 'seven' } }]]);
		expect(staticData).toEqual({ 'node:Poll Fixture': { lastId: 7 } });
		const nothing = await poll('/events');
		expect(nothing.emitted).toBeNull();
		expect(nothing.error).toBeUndefined();

		const atActivation = await poll('/fail', 'activate');
		const scheduled = await poll('/fail');
		for (const failed of [atActivation, scheduled]) {
			expect(failed.emitted).toBeNull();
			expect(failed.error?.httpCode).toBe('422');
		}
		expect(atActivation.errorHandling).toBe('thrown');
		expect(scheduled.errorHandling).toBe('reported');
		expect(seen.map((s) => s.url)).toEqual([
			'/events?since=0',
			'/events?since=7',
			'/fail?since=7',
			'/fail?since=7',
		]);
	});
});
