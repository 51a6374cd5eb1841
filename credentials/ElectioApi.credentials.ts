import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

// Facts about the Electio API that the credential shows and the node's transport uses: they live
// here, and nodes/ imports them, so that credentials/ imports nothing from nodes/.

/** Sent as `electio-api-version` on every call. */
export const API_VERSION = '1.1';

/** The API root of each named environment; `custom` points at the local sandbox or a proxy. */
export const ENVIRONMENT_URLS = {
	production: 'https://api.electioapp.com',
	sandbox: 'https://apisandbox.electioapp.com',
} as const;

/**
 * Signs a request with the key and the API version. A function rather than header expressions:
 * n8n calls it per request without evaluating an expression each time, which matters when a batch
 * makes thousands of calls.
 */
export async function signRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	return {
		...requestOptions,
		headers: {
			...requestOptions.headers,
			'ocp-apim-subscription-key': String(credentials.apiKey ?? ''),
			'electio-api-version': API_VERSION,
		},
	};
}

// The Test button is the Electio nodes' `electioApiTest` (nodes/Electio/methods/credentialTest.ts,
// `testedBy`): it explains a wrong key, a refused connection and a misspelt host in a sentence.
// No `test` request here: n8n would run it instead of the node's.
export class ElectioApi implements ICredentialType {
	name = 'electioApi';

	displayName = 'Electio API';

	icon: Icon = { light: 'file:electio.svg', dark: 'file:electio.dark.svg' };

	documentationUrl = 'https://docs.electioapp.com/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Your Electio subscription key (sent as the ocp-apim-subscription-key header). Sandbox and production keys differ.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: ENVIRONMENT_URLS.production,
				},
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: ENVIRONMENT_URLS.sandbox,
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Another base URL, such as the local sandbox of this package or a proxy',
				},
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:4010',
			placeholder: 'http://127.0.0.1:4010',
			description: 'The API root to call, starting with http:// or https://',
			displayOptions: { show: { environment: ['custom'] } },
		},
	];

	authenticate: IAuthenticate = signRequest;
}
