/**
 * Input that only Electio can judge, and answers that are not what they should be: each case
 * asserts the exact message a user sees, which item it belongs to, and what reached the API.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, QUOTE_TTL_MS, type Sandbox } from '../../sandbox';
import { requestOptionsField } from '../../nodes/Electio/actions/common.descriptions';
import { DEFAULT_CLIENT_SETTINGS } from '../../nodes/Electio/transport';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { binaryBuffer } from '../../harness/engine';
import { SECRET_KEY } from './support';
import { runNode, useElectio } from '../../harness/electio';

const h = useElectio({ apiKey: SECRET_KEY });
/** A second server standing in for another host: it must never see a request. */
let elsewhere: Sandbox;

beforeAll(async () => {
	elsewhere = await startSandbox({ port: 0, apiKeys: [SECRET_KEY] });
});
afterAll(async () => await elsewhere.close());
beforeEach(() => elsewhere.reset());
afterEach(() => expect(elsewhere.requests()).toHaveLength(0));

const get = { resource: 'consignment', operation: 'get' };
const cancel = { resource: 'consignment', operation: 'cancel' };
const quotes = { resource: 'quote', operation: 'getForConsignment' };
const allocateCheapest = {
	resource: 'allocation',
	operation: 'allocateWithQuote',
	quoteSelection: 'cheapest',
};
const allocateByQuote = {
	resource: 'allocation',
	operation: 'allocateWithQuote',
	quoteSelection: 'reference',
};
const labels = { resource: 'label', operation: 'get', labelFormat: 'PDF' };
const customs = { resource: 'customsDocument', operation: 'get' };

const host = () => new URL(elsewhere.url).host;

interface ReferenceCase {
	name: string;
	parameters: IDataObject;
	reference: () => string;
	/** The raw path the API must receive: the reference as one encoded segment. */
	path: () => string;
	message: () => string;
}

const notAllowed = "must not contain '/', '\\', '..' or control characters";

const referenceCases: ReferenceCase[] = [
	{
		name: 'get: "/" and ".." cannot climb the path',
		parameters: get,
		reference: () => 'EC-000/../../carriers',
		path: () => '/consignments/EC-000%2F..%2F..%2Fcarriers',
		message: () =>
			`Electio GET /consignments/EC-000%2F..%2F..%2Fcarriers failed with 400: The ref ${notAllowed}`,
	},
	{
		name: 'get quotes: "?" cannot start a query',
		parameters: quotes,
		reference: () => 'EC-000-000-001?x=1',
		path: () => '/quotes/consignment/EC-000-000-001%3Fx%3D1',
		message: () =>
			"Electio GET /quotes/consignment/EC-000-000-001%3Fx%3D1 failed with 400: 'EC-000-000-001?x=1' is not a consignment reference (expected EC-xxx-xxx-xxx)",
	},
	{
		name: 'labels: "#" cannot cut the path',
		parameters: labels,
		reference: () => 'EC-000-000-001#PNG',
		path: () => '/labels/EC-000-000-001%23PNG/PDF',
		message: () =>
			"Electio GET /labels/EC-000-000-001%23PNG/PDF failed with 400: 'EC-000-000-001#PNG' is not a consignment reference (expected EC-xxx-xxx-xxx)",
	},
	{
		name: 'cancel: spaces are sent encoded',
		parameters: cancel,
		reference: () => 'EC 000 000 001',
		path: () => '/consignments/EC%20000%20000%20001/cancel',
		message: () =>
			"Electio PUT /consignments/EC%20000%20000%20001/cancel failed with 400: 'EC 000 000 001' is not a consignment reference (expected EC-xxx-xxx-xxx)",
	},
	{
		name: 'customs: ".." inside a reference stays literal',
		parameters: customs,
		reference: () => 'EC..001',
		path: () => '/consignments/docs/EC..001',
		message: () => `Electio GET /consignments/docs/EC..001 failed with 400: The ref ${notAllowed}`,
	},
	{
		name: 'allocate: a reference with "/" cannot reach another route',
		parameters: allocateCheapest,
		reference: () => '../consignments/manifestFromQuery',
		path: () => '/quotes/consignment/..%2Fconsignments%2FmanifestFromQuery',
		message: () =>
			`Electio GET /quotes/consignment/..%2Fconsignments%2FmanifestFromQuery failed with 400: The ref ${notAllowed}`,
	},
	{
		name: 'get: "//host" cannot become another host',
		parameters: get,
		reference: () => `//${host()}/consignments`,
		path: () => `/consignments/%2F%2F${encodeURIComponent(host())}%2Fconsignments`,
		message: () =>
			`Electio GET /consignments/%2F%2F${encodeURIComponent(host())}%2Fconsignments failed with 400: The ref ${notAllowed}`,
	},
	{
		name: 'get: a full URL cannot become another host',
		parameters: get,
		reference: () => `${elsewhere.url}/x`,
		path: () => `/consignments/${encodeURIComponent(`${elsewhere.url}/x`)}`,
		message: () =>
			`Electio GET /consignments/${encodeURIComponent(`${elsewhere.url}/x`)} failed with 400: The ref ${notAllowed}`,
	},
	{
		name: 'get: "@host" cannot become a user-info',
		parameters: get,
		reference: () => `@${host()}`,
		path: () => `/consignments/%40${encodeURIComponent(host())}`,
		message: () =>
			`Electio GET /consignments/%40${encodeURIComponent(host())} failed with 400: '@${host()}' is not a consignment reference (expected EC-xxx-xxx-xxx)`,
	},
	{
		name: 'get: a backslash is encoded',
		parameters: get,
		reference: () => 'EC-000\\..\\carriers',
		path: () => '/consignments/EC-000%5C..%5Ccarriers',
		message: () =>
			`Electio GET /consignments/EC-000%5C..%5Ccarriers failed with 400: The ref ${notAllowed}`,
	},
];

describe('references reach the API literally, as one encoded path segment', () => {
	test.each(referenceCases)('$name', async ({ parameters, reference, path, message }) => {
		const { error } = await h.electio(parameters, [{ consignmentReference: reference() }]);
		expect(error?.message).toBe(message());
		expect(error?.httpCode).toBe('400');
		expect(error?.context?.itemIndex).toBe(0);
		const log = h.requests();
		expect(log.map((entry) => entry.path)).toEqual([path()]);
		expect(log[0].apiKey).toBe('valid');
	});

	test('a quote reference cannot change the path either', async () => {
		const [reference] = await h.created(1);
		h.sandbox.clearRequests();
		const { error } = await h.electio(
			{ ...allocateByQuote, quoteReference: '../../../consignments/manifestFromQuery' },
			[{ consignmentReference: reference }],
		);
		const path = `/allocation/${reference}/allocatewithquote/..%2F..%2F..%2Fconsignments%2FmanifestFromQuery`;
		expect(error?.message).toBe(`Electio PUT ${path} failed with 400: The quote ${notAllowed}`);
		expect(h.requests().map((entry) => entry.path)).toEqual([path]);
	});

	test('with Continue On Fail, the items around a refused reference still succeed', async () => {
		const [first, last] = await h.created(2);
		h.sandbox.clearRequests();
		const { items, error } = await h.electio(
			get,
			[
				{ consignmentReference: first },
				{ consignmentReference: 'EC-000/../x' },
				{ consignmentReference: last },
			],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({ consignmentReference: first, state: 'Unallocated' });
		expect(items[2].json).toMatchObject({ consignmentReference: last, state: 'Unallocated' });
		expect(items[1].json).toMatchObject({
			error: `Electio GET /consignments/EC-000%2F..%2Fx failed with 400: The ref ${notAllowed}`,
			httpCode: 400,
			consignmentReference: 'EC-000/../x',
		});
	});
});

describe('quotes and states only Electio can judge', () => {
	async function quoteOf(reference: string): Promise<string> {
		const { items } = await h.electio(quotes, [{ consignmentReference: reference }]);
		return (items[0].json.quotes as IDataObject[])[0].QuoteReference as string;
	}

	test('an unknown quote reference', async () => {
		const [reference] = await h.created(1);
		const quote = '0b5e2c1d-7d4f-4a8e-9c3b-2a1f0e9d8c7b';
		const { error } = await h.electio({ ...allocateByQuote, quoteReference: quote }, [
			{ consignmentReference: reference },
		]);
		expect(error?.message).toBe(
			`Electio PUT /allocation/${reference}/allocatewithquote/${quote} failed with 404: Quote ${quote} was not found; request quotes with GET /quotes/consignment/${reference} first`,
		);
		expect(error?.httpCode).toBe('404');
		expect(error?.context?.itemIndex).toBe(0);
		expect(h.sandbox.getConsignment(reference)?.ConsignmentState).toBe('Unallocated');
	});

	test('an expired quote reference', async () => {
		const [reference] = await h.created(1);
		const quote = await quoteOf(reference);
		h.sandbox.advanceClock(QUOTE_TTL_MS + 60_000);
		const { error } = await h.electio({ ...allocateByQuote, quoteReference: quote }, [
			{ consignmentReference: reference },
		]);
		expect(error?.message).toMatch(
			new RegExp(
				`^Electio PUT /allocation/${reference}/allocatewithquote/${quote} failed with 400: Quote ${quote} expired at \\S+; request new quotes$`,
			),
		);
		expect(error?.description).toContain('- quoteReference: The quote has expired');
		expect(error?.description).toContain(
			'Quotes expire: get fresh quotes and allocate right after',
		);
		expect(error?.context?.itemIndex).toBe(0);
	});

	test("another consignment's quote", async () => {
		const [mine, theirs] = await h.created(2);
		const quote = await quoteOf(theirs);
		const { error } = await h.electio({ ...allocateByQuote, quoteReference: quote }, [
			{ consignmentReference: mine },
		]);
		expect(error?.message).toBe(
			`Electio PUT /allocation/${mine}/allocatewithquote/${quote} failed with 400: Quote ${quote} belongs to consignment ${theirs}, not ${mine}`,
		);
		expect(error?.description).toContain(`- quoteReference: Quote belongs to ${theirs}`);
		expect(h.sandbox.getConsignment(mine)?.ConsignmentState).toBe('Unallocated');
		expect(h.sandbox.getConsignment(theirs)?.ConsignmentState).toBe('Unallocated');
	});

	test('allocating a consignment that is already allocated (Return Existing Allocation off)', async () => {
		const [reference] = await h.allocated(1);
		const { error } = await h.electio({ ...allocateCheapest, returnExistingAllocation: false }, [
			{ consignmentReference: reference },
		]);
		expect(error?.message).toMatch(
			new RegExp(
				`^Electio PUT /allocation/${reference}/allocatewithquote/[0-9a-f-]{36} failed with 400: Cannot allocate consignment ${reference}: it is in state Allocated; allowed only from Unallocated, AllocationFailed$`,
			),
		);
		expect(error?.description).toContain('The consignment is not in a state that allows this step');
		expect(
			h.sandbox.getConsignment(reference)!.history.filter((change) => change.state === 'Allocated'),
		).toHaveLength(1);
	});

	test('allocating a cancelled consignment', async () => {
		const [reference] = await h.created(1);
		const quote = await quoteOf(reference);
		expect((await h.electio(cancel, [{ consignmentReference: reference }])).error).toBeUndefined();
		const { error } = await h.electio({ ...allocateByQuote, quoteReference: quote }, [
			{ consignmentReference: reference },
		]);
		expect(error?.message).toBe(
			`Electio PUT /allocation/${reference}/allocatewithquote/${quote} failed with 400: Cannot allocate consignment ${reference}: it is in state Cancelled; allowed only from Unallocated, AllocationFailed`,
		);
		expect(h.sandbox.getConsignment(reference)?.ConsignmentState).toBe('Cancelled');
	});

	test('labels of an unallocated consignment', async () => {
		const [reference] = await h.created(1);
		const { error } = await h.electio(labels, [{ consignmentReference: reference }]);
		expect(error?.message).toBe(
			`Electio GET /labels/${reference}/PDF failed with 400: Cannot get labels for consignment ${reference}: it is in state Unallocated; allowed only from Allocated, ReadyToShip, ManifestFailed, Manifested`,
		);
		expect(error?.context?.itemIndex).toBe(0);
	});

	test('cancelling a cancelled consignment', async () => {
		const [reference] = await h.created(1);
		await h.electio(cancel, [{ consignmentReference: reference }]);
		const { error } = await h.electio(cancel, [{ consignmentReference: reference }]);
		expect(error?.message).toBe(
			`Electio PUT /consignments/${reference}/cancel failed with 400: Cannot cancel consignment ${reference}: it is in state Cancelled; allowed only from Unallocated, AllocationFailed, Allocated, ManifestFailed, Manifested`,
		);
	});

	test('an unknown consignment', async () => {
		const { error } = await h.electio(get, [{ consignmentReference: 'EC-999-999-999' }]);
		expect(error?.message).toBe(
			'Electio GET /consignments/EC-999-999-999 failed with 404: Consignment EC-999-999-999 was not found',
		);
		expect(error?.description).toContain(
			'Check the consignment reference: Electio does not know it.',
		);
	});

	test('a manifest that matches no consignment is a result, not an error', async () => {
		await h.created(2);
		const { items, error } = await h.electio({ resource: 'manifest', operation: 'fromQuery' }, [
			{},
			{},
		]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ found: 0, queued: 0, failed: 0, failedConsignments: [] });
		expect(items[0].json.error).toBeUndefined();
		expect(items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('answers that are not what they should be', () => {
	let reference: string;
	beforeEach(async () => {
		[reference] = await h.created(1);
		h.sandbox.clearRequests();
	});
	const getOne = (options: IDataObject = {}, continueOnFail = false) =>
		h.electio(
			{ ...get, requestOptions: options },
			[{ consignmentReference: reference }],
			continueOnFail,
		);

	test('an HTML 502 page instead of JSON', async () => {
		const page =
			'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
		h.sandbox.failNext({
			path: `/consignments/${reference}`,
			status: 502,
			contentType: 'text/html',
			body: page,
			times: 5,
		});
		const { error } = await getOne({ maxRetries: 1 });
		expect(error?.message).toBe(
			`Electio GET /consignments/${reference} failed with 502: the server answered with an HTML page instead of JSON ("502 Bad Gateway 502 Bad Gateway nginx")`,
		);
		expect(error?.description).toContain('Tried 2 times.');
		expect(error?.httpCode).toBe('502');
		expect(h.requests()).toHaveLength(2);
	});

	test('an HTML page with status 200 is not a success', async () => {
		h.sandbox.failNext({
			path: `/consignments/${reference}`,
			status: 200,
			contentType: 'text/html',
			body: '<html><body>Please log in to the Wi-Fi</body></html>',
		});
		const { error } = await getOne({ maxRetries: 0 });
		expect(error?.message).toBe(
			`Electio GET /consignments/${reference} failed with 200: the server answered with an HTML page instead of JSON ("Please log in to the Wi-Fi")`,
		);
	});

	test('a success with an empty body where quotes were expected', async () => {
		h.sandbox.failNext({ path: `/quotes/consignment/${reference}`, status: 200, body: '' });
		const { error } = await h.electio(quotes, [{ consignmentReference: reference }]);
		expect(error?.message).toBe(
			`Item 0: Electio answered GET /quotes/consignment/${reference} without a list of quotes`,
		);
	});

	test('an error with an empty body', async () => {
		h.sandbox.failNext({ path: `/consignments/${reference}`, status: 500, body: '' });
		const { error } = await getOne();
		expect(error?.message).toBe(
			`Electio GET /consignments/${reference} failed with 500: the response had no body`,
		);
		expect(h.requests()).toHaveLength(1);
	});

	test('a success with an empty body where a consignment was expected', async () => {
		h.sandbox.failNext({ path: `/consignments/${reference}`, status: 200, body: '' });
		const { error } = await getOne();
		expect(error?.message).toBe(
			`Item 0: Electio answered GET /consignments/${reference} without a consignment`,
		);
	});

	test('a response that never finishes times out after the Timeout option, and a read is retried', async () => {
		h.sandbox.failNext({ path: `/consignments/${reference}`, hang: true, times: 1 });
		const started = Date.now();
		const recovered = await getOne({ timeout: 1000 });
		expect(recovered.error).toBeUndefined();
		expect(recovered.items[0].json.state).toBe('Unallocated');
		expect(Date.now() - started).toBeLessThan(4000);

		h.sandbox.failNext({ path: `/consignments/${reference}`, hang: true, times: 5 });
		const { error, items } = await getOne({ timeout: 1000, maxRetries: 1 }, true);
		expect(error).toBeUndefined();
		expect(items[0].json.error).toBe(
			`Electio GET /consignments/${reference}: no answer within 1000 ms (timeout)`,
		);
		expect(items[0].json.errorDescription).toContain('Tried 2 times.');
		expect(items[0].json.errorDescription).toContain(
			'Raise the "Timeout" option if Electio is slow to answer.',
		);
	});

	test('the timeout has a sensible default, the same in the description and the transport', () => {
		const timeout = requestOptionsField.options?.find(
			(option) => 'name' in option && option.name === 'timeout',
		) as unknown as IDataObject;
		expect(timeout.default).toBe(30_000);
		expect(DEFAULT_CLIENT_SETTINGS.timeoutMs).toBe(30_000);
		expect((timeout.typeOptions as IDataObject).minValue).toBe(1000);
	});

	test('a 5 MB label arrives whole as a file and is not copied into the JSON', async () => {
		const [allocated] = await h.allocated(1);
		h.sandbox.failNext({ path: `/labels/${allocated}/PDF`, bodyBytes: 5 * 1024 * 1024 });
		const { items, error } = await h.electio(labels, [{ consignmentReference: allocated }]);
		expect(error).toBeUndefined();
		const file = await binaryBuffer(items[0], 'data');
		expect(file.length).toBeGreaterThanOrEqual(Math.floor((5 * 1024 * 1024 * 3) / 4) - 1024);
		expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(items[0].json.label).toMatchObject({
			format: 'PDF',
			fileSize: file.length,
			mimeType: 'application/pdf',
		});
		expect(JSON.stringify(items[0].json).length).toBeLessThan(10_000);
	});
});

describe('the credential', () => {
	const credentialCases: Array<{ name: string; baseUrl: string; message: string }> = [
		{
			name: 'ftp base URL',
			baseUrl: 'ftp://127.0.0.1:21',
			message: 'The credential\'s Base URL must start with http:// or https:// (got "ftp:")',
		},
		{
			name: 'file base URL',
			baseUrl: 'file:///etc/passwd',
			message: 'The credential\'s Base URL must start with http:// or https:// (got "file:")',
		},
		{
			name: 'javascript base URL',
			baseUrl: 'javascript:alert(1)',
			message: 'The credential\'s Base URL must start with http:// or https:// (got "javascript:")',
		},
		{
			name: 'base URL without a scheme',
			baseUrl: 'apisandbox.electioapp.com',
			message: 'The credential\'s Base URL "apisandbox.electioapp.com" is not a URL',
		},
		{
			name: 'base URL with a user and password',
			baseUrl: 'http://user:pass@127.0.0.1:4010',
			message: "The credential's Base URL must not contain a user, password, query or fragment",
		},
		{
			name: 'base URL with a query',
			baseUrl: 'http://127.0.0.1:4010/?next=http://evil.example',
			message: "The credential's Base URL must not contain a user, password, query or fragment",
		},
		{ name: 'empty base URL', baseUrl: '  ', message: "The credential's Base URL is empty" },
	];

	test.each(credentialCases)(
		'$name is refused before any request',
		async ({ baseUrl, message }) => {
			const { error } = await runNode({
				parameters: { ...get, consignmentReference: 'EC-000-000-001' },
				credentials: { apiKey: SECRET_KEY, environment: 'custom', baseUrl },
			});
			expect(error?.message).toBe(message);
			expect(h.requests()).toHaveLength(0);
		},
	);

	test('an empty API key is refused before any request', async () => {
		const { error } = await runNode({
			parameters: { ...get, consignmentReference: 'EC-000-000-001' },
			credentials: { apiKey: '  ', environment: 'custom', baseUrl: h.sandbox.url },
		});
		expect(error?.message).toBe('The Electio API credential has no API key');
		expect(h.requests()).toHaveLength(0);
	});

	test('a wrong API key', async () => {
		const { error } = await runNode({
			parameters: { ...get, consignmentReference: 'EC-000-000-001' },
			credentials: { apiKey: 'wrong-key-3f9a', environment: 'custom', baseUrl: h.sandbox.url },
		});
		expect(error?.message).toBe(
			'Electio GET /consignments/EC-000-000-001 failed with 401: Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
		);
		expect(error?.description).toContain('Check the API key in the Electio API credential');
		expect(h.requests().map((entry) => entry.apiKey)).toEqual(['invalid']);
	});
});

describe('the key only goes to the configured base URL', () => {
	test('a redirect to another host is not followed, so the key never travels there', async () => {
		const [reference] = await h.created(1);
		h.sandbox.failNext({
			path: `/consignments/${reference}`,
			status: 302,
			headers: { Location: `${elsewhere.url}/consignments/${reference}` },
			body: '',
		});
		const { error } = await h.electio(get, [{ consignmentReference: reference }]);
		expect(error?.message).toBe(
			`Electio GET /consignments/${reference} failed with 302: the response had no body`,
		);
		expect(elsewhere.requests()).toHaveLength(0);
	});

	test('a consignment link pointing at another host is read, never called', async () => {
		h.sandbox.failNext({
			method: 'POST',
			path: '/consignments',
			status: 201,
			body: [{ Rel: 'Link', Href: `${elsewhere.url}/consignments/EC-123-456-789` }],
		});
		const { items, error } = await h.electio(
			{
				resource: 'consignment',
				operation: 'create',
				inputMode: 'json',
				consignmentJson: '={{ $json }}',
			},
			[consignmentBody('LINK-1')],
		);
		expect(error).toBeUndefined();
		expect(items[0].json.consignmentReference).toBe('EC-123-456-789');
		expect(elsewhere.requests()).toHaveLength(0);
	});

	test('a whole flow sends every request, with the key, to the configured base URL only', async () => {
		const [reference] = await h.allocated(1);
		await h.electio(labels, [{ consignmentReference: reference }]);
		await h.electio({ resource: 'manifest', operation: 'fromQuery' });
		expect(h.requests().length).toBeGreaterThanOrEqual(5);
		expect(h.requests().every((entry) => entry.apiKey === 'valid')).toBe(true);
	});
});
