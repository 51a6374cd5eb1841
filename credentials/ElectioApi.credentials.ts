import type { IAuthenticate, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { API_VERSION, ENVIRONMENT_URLS } from '../nodes/Electio/transport/environments';

// The Test button is the Electio node's `electioApiTest` (nodes/Electio/methods/credentialTest.ts,
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

	// A function rather than header expressions: n8n calls it per request without evaluating
	// an expression each time, which matters when a batch makes thousands of calls.
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		headers: {
			...requestOptions.headers,
			'ocp-apim-subscription-key': String(credentials.apiKey ?? ''),
			'electio-api-version': API_VERSION,
		},
	});
}
