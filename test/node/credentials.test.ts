import type { ICredentialDataDecryptedObject, INodeType, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ElectioApi } from '../../credentials/ElectioApi.credentials';
import { startSandbox, type Sandbox } from '../../sandbox';
import { loadElectioNode } from '../../harness/electio';

const credential = new ElectioApi();
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.close());

/** Resolves a credential expression the way n8n does, with the credential's data as $credentials. */
function resolve(expression: string, data: ICredentialDataDecryptedObject): unknown {
	const nodeType = loadElectioNode() as INodeType;
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node = {
		id: '1',
		name: 'Electio',
		type: 'n8n-nodes-electio.electio',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(
		node,
		expression,
		'internal',
		{ $credentials: data } as never,
		undefined,
		'',
	);
}

/** Sends the credential's test request with its authentication, as the "Test" button does. */
async function testCredential(data: ICredentialDataDecryptedObject) {
	const baseURL = resolve(credential.test.request.baseURL as string, data) as string;
	const authenticate = credential.authenticate as Extract<
		typeof credential.authenticate,
		(...args: never[]) => unknown
	>;
	const signed = await authenticate(data, {
		url: credential.test.request.url!,
		headers: { ...credential.test.request.headers },
	});
	const response = await fetch(`${baseURL}${signed.url}`, {
		headers: signed.headers as Record<string, string>,
	});
	const rule = credential.test.rules?.find(
		(candidate) =>
			candidate.type === 'responseCode' && candidate.properties.value === response.status,
	);
	return {
		baseURL,
		status: response.status,
		message: rule?.properties.message,
		body: await response.json(),
	};
}

test('each environment resolves to its documented base URL', () => {
	expect(
		resolve(credential.test.request.baseURL as string, { environment: 'production', apiKey: 'k' }),
	).toBe('https://api.electioapp.com');
	expect(
		resolve(credential.test.request.baseURL as string, { environment: 'sandbox', apiKey: 'k' }),
	).toBe('https://apisandbox.electioapp.com');
	expect(
		resolve(credential.test.request.baseURL as string, {
			environment: 'custom',
			baseUrl: 'http://127.0.0.1:4010//',
			apiKey: 'k',
		}),
	).toBe('http://127.0.0.1:4010');
});

test('the credential test lists shipping locations with a good key and explains a wrong one', async () => {
	const good = await testCredential({
		environment: 'custom',
		baseUrl: sandbox.url,
		apiKey: sandbox.apiKey,
	});
	expect(good.status).toBe(200);
	expect(JSON.stringify(good.body)).toContain('Sorted1');

	const wrong = await testCredential({
		environment: 'custom',
		baseUrl: sandbox.url,
		apiKey: 'not-the-key',
	});
	expect(wrong.status).toBe(401);
	expect(wrong.message).toMatch(
		/^Electio rejected the API key \(401\)\. .*sandbox and production keys differ/,
	);
	expect(
		sandbox
			.requests()
			.filter((entry) => entry.path === '/shippinglocations')
			.map((entry) => entry.apiKey),
	).toEqual(['valid', 'invalid']);
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
});
