import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INodeType } from 'n8n-workflow';

import { ElectioApi } from '../../credentials/ElectioApi.credentials';
import { readCredential } from '../../nodes/Electio/transport';
import { startSandbox, type Sandbox } from '../../sandbox';
import { loadElectioNode, runNode } from '../../harness/electio';
import { freePort } from '../../harness/process';

const credential = new ElectioApi();
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());

/**
 * Presses the credential's Test button the way n8n does: the test function the node names in
 * `testedBy`, called on n8n-core's own CredentialTestContext (its request helper is n8n's).
 */
async function pressTest(data: ICredentialDataDecryptedObject) {
	const nodeType = loadElectioNode() as INodeType;
	const entry = nodeType.description.credentials?.find((c) => c.name === 'electioApi');
	expect(typeof entry?.testedBy).toBe('string');
	const testFunction = nodeType.methods?.credentialTest?.[entry!.testedBy as string];
	expect(testFunction).toBeDefined();
	const context = new CredentialTestContext({} as never);
	return await testFunction!.call(context as never, {
		id: 'c1',
		name: 'Electio test',
		type: 'electioApi',
		data,
	});
}

test("n8n runs the node's credential test: the credential type has no test request of its own", () => {
	// n8n prefers a credential type's `test` over a node's `testedBy`: keeping one would hide ours
	expect((credential as { test?: unknown }).test).toBeUndefined();
});

test('each environment resolves to its documented base URL', () => {
	const at = (data: ICredentialDataDecryptedObject) =>
		(readCredential(data) as { baseUrl?: string }).baseUrl;
	expect(at({ environment: 'production', apiKey: 'k' })).toBe('https://api.electioapp.com');
	expect(at({ environment: 'sandbox', apiKey: 'k' })).toBe('https://apisandbox.electioapp.com');
	expect(at({ environment: 'custom', baseUrl: 'http://127.0.0.1:4010//', apiKey: 'k' })).toBe(
		'http://127.0.0.1:4010',
	);
});

test('the credential test passes with the right key and explains a wrong one', async () => {
	const good = await pressTest({
		environment: 'custom',
		baseUrl: sandbox.url,
		apiKey: sandbox.apiKey,
	});
	expect(good).toEqual({
		status: 'OK',
		message: expect.stringMatching(
			new RegExp(
				`^Connection successful: Electio at ${sandbox.url} accepted the key \\(\\d+ shipping locations?\\)$`,
			),
		),
	});

	const wrong = await pressTest({
		environment: 'custom',
		baseUrl: sandbox.url,
		apiKey: 'not-the-key',
	});
	expect(wrong.status).toBe('Error');
	expect(wrong.message).toMatch(
		/^Electio rejected the API key \(401\)\. .*sandbox and production keys differ/,
	);
	expect(wrong.message).not.toContain('not-the-key');
	expect(
		sandbox
			.requests()
			.filter((entry) => entry.path === '/shippinglocations')
			.map((entry) => entry.apiKey),
	).toEqual(['valid', 'invalid']);
});

test('an unreachable Base URL gets a sentence, not ECONNREFUSED', async () => {
	const port = await freePort(); // nothing listens there
	const result = await pressTest({
		environment: 'custom',
		baseUrl: `http://127.0.0.1:${port}`,
		apiKey: sandbox.apiKey,
	});
	expect(result).toEqual({
		status: 'Error',
		message: `Nothing is listening at http://127.0.0.1:${port} (connection refused). Check the Base URL's host and port, and that the server there is running.`,
	});
});

test('a misspelt host gets a sentence naming the host', async () => {
	// .invalid never resolves (RFC 2606): no lookup leaves the machine with an answer
	const result = await pressTest({
		environment: 'custom',
		baseUrl: 'http://electio-sandbx.invalid:4010',
		apiKey: sandbox.apiKey,
	});
	expect(result.status).toBe('Error');
	expect(result.message).toBe(
		'The host "electio-sandbx.invalid:4010" could not be found. Check the Base URL for a typo in the host name.',
	);
});

test('a Base URL that is not the API root, or not the API at all, a refusal and a failure are each named as such', async () => {
	const page = http.createServer((request, response) => {
		if (request.url?.startsWith('/html/')) {
			response.writeHead(200, { 'content-type': 'text/html' });
			response.end('<!doctype html><html><body>Sign in to the proxy</body></html>');
		} else if (request.url?.startsWith('/forbidden/')) {
			response.writeHead(403, { 'content-type': 'application/json' });
			response.end('{"Message":"Forbidden"}');
		} else if (request.url?.startsWith('/broken/')) {
			response.writeHead(500, { 'content-type': 'application/json' });
			response.end('{"Message":"Something went wrong","CorrelationId":"c-42"}');
		} else {
			response.writeHead(404, { 'content-type': 'application/json' });
			response.end('{"Message":"no such route"}');
		}
	});
	await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
	try {
		const html = await pressTest({ environment: 'custom', baseUrl: `${base}/html`, apiKey: 'k' });
		expect(html).toEqual({
			status: 'Error',
			message: `${base}/html answered, but not with JSON as the Electio API does: check that the Base URL is the Electio API root and not a web page or a proxy's login page.`,
		});
		const notFound = await pressTest({
			environment: 'custom',
			baseUrl: `${base}/api`,
			apiKey: 'k',
		});
		expect(notFound).toEqual({
			status: 'Error',
			message: `${base}/api has no /shippinglocations (404): the Base URL does not point at the Electio API root. Check its path.`,
		});
		const forbidden = await pressTest({
			environment: 'custom',
			baseUrl: `${base}/forbidden`,
			apiKey: 'k',
		});
		expect(forbidden).toEqual({
			status: 'Error',
			message:
				'Electio accepted the key but refused to list shipping locations (403): ask your Electio administrator what the key is allowed to do.',
		});
		const broken = await pressTest({
			environment: 'custom',
			baseUrl: `${base}/broken`,
			apiKey: 'k',
		});
		expect(broken).toEqual({
			status: 'Error',
			message:
				'Electio GET /shippinglocations failed with 500: Something went wrong. Correlation ID (quote it to Electio support): c-42',
		});
	} finally {
		await new Promise((resolve) => page.close(resolve));
	}
});

test('a Base URL that is not a URL, or no key, is refused before any call', async () => {
	const notUrl = await pressTest({
		environment: 'custom',
		baseUrl: 'electio sandbox',
		apiKey: 'k',
	});
	expect(notUrl.status).toBe('Error');
	expect(notUrl.message).toMatch(/^The credential's Base URL "electio sandbox" is not a URL/);
	const noKey = await pressTest({ environment: 'custom', baseUrl: sandbox.url, apiKey: '' });
	expect(noKey).toEqual({
		status: 'Error',
		message: expect.stringMatching(/^The Electio API credential has no API key/),
	});
});

test('the key is a password field and every call carries the key and the API version', async () => {
	const apiKey = credential.properties.find((property) => property.name === 'apiKey');
	expect(apiKey?.typeOptions?.password).toBe(true);
	const authenticate = credential.authenticate as Extract<
		typeof credential.authenticate,
		(...args: never[]) => unknown
	>;
	const signed = await authenticate(
		{ apiKey: 'k-1' },
		{ url: '/carriers', headers: { accept: 'application/json' } },
	);
	expect(signed.headers).toEqual({
		accept: 'application/json',
		'ocp-apim-subscription-key': 'k-1',
		'electio-api-version': '1.1',
	});

	// and the node's own calls are signed by it: a Get Status against a server that keeps the headers
	const seen: http.IncomingHttpHeaders[] = [];
	const recorder = http.createServer((request, response) => {
		seen.push(request.headers);
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end('{"Status":"Unallocated"}');
	});
	await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
	try {
		const { error } = await runNode({
			parameters: { resource: 'consignment', operation: 'getStatus', consignmentReference: 'EC-1' },
			credentials: {
				environment: 'custom',
				baseUrl: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`,
				apiKey: 'k-2',
			},
		});
		expect(error).toBeUndefined();
		expect(seen).toEqual([
			expect.objectContaining({ 'ocp-apim-subscription-key': 'k-2', 'electio-api-version': '1.1' }),
		]);
	} finally {
		await new Promise((resolve) => recorder.close(resolve));
	}
});
