import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { ElectioApi } from '../../../credentials/ElectioApi.credentials';
import { CREDENTIAL_TYPE, ElectioApiError, ElectioClient } from '../transport';
import type { ElectioContext } from '../transport';

const TEST_PATH = '/shippinglocations';
const TIMEOUT_MS = 15_000;

/**
 * The credential's Test button: one `GET /shippinglocations` through the node's own transport,
 * and a sentence a user can act on for each way it goes wrong (wrong key, nothing listening at the
 * Base URL, a misspelt host, something that is not the Electio API answering).
 */
export async function electioApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let client: ElectioClient;
	try {
		client = await ElectioClient.create(contextFor(this, credential, data), {
			maxRetries: 0,
			maxConcurrency: 1,
			timeoutMs: TIMEOUT_MS,
		});
	} catch (error) {
		// no key, an empty or malformed Base URL: the transport's own sentence says which
		return { status: 'Error', message: sentence(error) };
	}
	try {
		const answer = await client.request<unknown>({ method: 'GET', path: TEST_PATH });
		const count = Array.isArray(answer)
			? answer.length
			: Array.isArray((answer as IDataObject)?.Results)
				? ((answer as IDataObject).Results as unknown[]).length
				: undefined;
		if (count === undefined) {
			return {
				status: 'Error',
				message: `${client.baseUrl} answered ${TEST_PATH} with JSON that is not a list of shipping locations: check that the Base URL is the Electio API root.`,
			};
		}
		return {
			status: 'OK',
			message: `Connection successful: Electio at ${client.baseUrl} accepted the key (${count} shipping location${count === 1 ? '' : 's'})`,
		};
	} catch (error) {
		return { status: 'Error', message: explain(error, client.baseUrl) };
	}
}

/** What went wrong, in a sentence that says what to change in the credential. */
function explain(error: unknown, baseUrl: string): string {
	if (!(error instanceof ElectioApiError)) return sentence(error);
	const connection = (error.errorResponse as IDataObject | undefined)?.connectionError;
	if (typeof connection === 'string') {
		if (connection === 'ECONNREFUSED') {
			return `Nothing is listening at ${baseUrl} (connection refused). Check the Base URL's host and port, and that the server there is running.`;
		}
		if (connection === 'ENOTFOUND' || connection === 'EAI_AGAIN') {
			return `The host "${hostOf(baseUrl)}" could not be found. Check the Base URL for a typo in the host name.`;
		}
		if (connection === 'ECONNABORTED' || connection === 'ETIMEDOUT') {
			return `No answer from ${baseUrl} within ${TIMEOUT_MS / 1000} s. Check the Base URL, and any proxy or firewall between n8n and it.`;
		}
		return `The connection to ${baseUrl} failed (${connection.toLowerCase()}). Check the Base URL and the network between n8n and it.`;
	}
	const status = error.status;
	if (status === 401) {
		return 'Electio rejected the API key (401). Check that the key is right and belongs to the chosen environment: sandbox and production keys differ.';
	}
	if (status === 403) {
		return 'Electio accepted the key but refused to list shipping locations (403): ask your Electio administrator what the key is allowed to do.';
	}
	if (status === 404 || status === 405) {
		return `${baseUrl} has no ${TEST_PATH} (${status}): the Base URL does not point at the Electio API root. Check its path.`;
	}
	if (status !== undefined && status >= 200 && status < 300) {
		return `${baseUrl} answered, but not with JSON as the Electio API does: check that the Base URL is the Electio API root and not a web page or a proxy's login page.`;
	}
	return sentence(error);
}

function sentence(error: unknown): string {
	if (error instanceof Error) {
		const description = (error as { description?: unknown }).description;
		return typeof description === 'string' && description && !/^Connection error/.test(description)
			? `${error.message}. ${description.split('\n')[0]}`
			: error.message;
	}
	return String(error);
}

function hostOf(baseUrl: string): string {
	try {
		return new URL(baseUrl).host;
	} catch {
		return baseUrl;
	}
}

/**
 * The little of a node context the transport uses, over what n8n gives a credential test: the
 * credential being tested (not a saved one), a stand-in node for errors, and requests signed by
 * the credential type's own `authenticate` sent with the test context's request helper.
 */
function contextFor(
	test: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
	data: ICredentialDataDecryptedObject,
): ElectioContext {
	const node: INode = {
		id: 'electio-credential-test',
		name: 'Electio API credential test',
		type: 'n8n-nodes-electio.electio',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id ?? null, name: credential.name } },
	};
	const authenticate = new ElectioApi().authenticate as (
		credentials: ICredentialDataDecryptedObject,
		options: IHttpRequestOptions,
	) => Promise<IHttpRequestOptions>;
	const context = {
		getNode: () => node,
		getCredentials: async () => data,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const signed = await authenticate(data, options);
				const response = await test.helpers.request({
					method: signed.method ?? 'GET',
					uri: signed.url,
					headers: signed.headers,
					body: signed.body,
					json: true,
					timeout: signed.timeout,
					resolveWithFullResponse: true,
					simple: false,
					followRedirect: false,
					followAllRedirects: false,
				});
				return {
					statusCode: response.statusCode,
					headers: response.headers ?? {},
					body: response.body,
				};
			},
		},
	};
	return context as unknown as ElectioContext;
}
