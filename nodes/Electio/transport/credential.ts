// The Electio API credential as the transport reads it: the API root and the key, or the first
// thing a person has to fix in it. No node or context is needed, so the credential test reads it
// the same way as every run.
import type { IDataObject } from 'n8n-workflow';

import { ENVIRONMENT_URLS } from './environments';

const BASE_URL_EXAMPLE =
	'Use a full URL such as http://127.0.0.1:4010 or https://proxy.example.com/electio.';

/** What to fix in the credential: the problem as a sentence, and how when there is more to say. */
export interface CredentialProblem {
	problem: string;
	fix?: string;
}

export interface ApiTarget {
	/** The API root, without a trailing slash. */
	baseUrl: string;
	apiKey: string;
}

/** The API root (a plain http(s) URL, nothing else) and the key of a credential, or what to fix. */
export function readCredential(credentials: IDataObject): ApiTarget | CredentialProblem {
	const baseUrl = apiRoot(credentials);
	if (typeof baseUrl !== 'string') return baseUrl;
	if (typeof credentials.apiKey !== 'string' || !credentials.apiKey.trim()) {
		return {
			problem: 'The Electio API credential has no API key',
			fix: 'Open the Electio API credential and paste the subscription key of the chosen environment.',
		};
	}
	return { baseUrl, apiKey: credentials.apiKey };
}

function apiRoot(credentials: IDataObject): string | CredentialProblem {
	const environment = (credentials.environment as string) || 'production';
	const configured =
		environment === 'custom'
			? String(credentials.baseUrl ?? '').trim()
			: ENVIRONMENT_URLS[environment as keyof typeof ENVIRONMENT_URLS];
	if (environment === 'custom' && !configured) {
		return { problem: "The credential's Base URL is empty", fix: BASE_URL_EXAMPLE };
	}
	if (!configured) {
		return {
			problem: `Unknown Electio environment "${environment}"`,
			fix: 'Open the Electio API credential and choose Production, Sandbox or Custom.',
		};
	}
	let url: URL;
	try {
		url = new URL(configured);
	} catch {
		return {
			problem: `The credential's Base URL "${configured}" is not a URL`,
			fix: BASE_URL_EXAMPLE,
		};
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return {
			problem: `The credential's Base URL must start with http:// or https:// (got "${url.protocol}")`,
		};
	}
	if (url.username || url.password || url.search || url.hash) {
		return {
			problem: "The credential's Base URL must not contain a user, password, query or fragment",
		};
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
