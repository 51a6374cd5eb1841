import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ENVIRONMENT_URLS } from './environments';

const BASE_URL_EXAMPLE =
	'Use a full URL such as http://127.0.0.1:4010 or https://proxy.example.com/electio.';

/** Joins a path template, encoding every interpolated value as one literal path segment. */
export function apiPath(strings: TemplateStringsArray, ...segments: string[]): string {
	let path = strings[0];
	segments.forEach((segment, index) => {
		path += encodePathSegment(segment) + strings[index + 1];
	});
	return path;
}

/** A query string from the values that are set, in the order given; empty when none is. */
export function queryString(values: Record<string, string | number | boolean | undefined>): string {
	const parts = Object.entries(values)
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
	return parts.length ? `?${parts.join('&')}` : '';
}

function encodePathSegment(value: string): string {
	// "." and ".." are dot-segments even when percent-encoded: URL parsers would climb the path.
	if (/^\.{1,2}$/.test(value)) {
		throw new Error(`"${value}" cannot be used as a reference`);
	}
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

/** Resolves the API root from the credential, refusing anything but a plain http(s) URL. */
export function resolveBaseUrl(node: INode, credentials: IDataObject): string {
	const environment = (credentials.environment as string) || 'production';
	const configured =
		environment === 'custom'
			? String(credentials.baseUrl ?? '').trim()
			: ENVIRONMENT_URLS[environment as keyof typeof ENVIRONMENT_URLS];
	if (environment === 'custom' && !configured) {
		throw new NodeOperationError(node, "The credential's Base URL is empty", {
			description: BASE_URL_EXAMPLE,
		});
	}
	if (!configured) {
		throw new NodeOperationError(node, `Unknown Electio environment "${environment}"`, {
			description: 'Open the Electio API credential and choose Production, Sandbox or Custom.',
		});
	}
	let url: URL;
	try {
		url = new URL(configured);
	} catch {
		throw new NodeOperationError(node, `The credential's Base URL "${configured}" is not a URL`, {
			description: BASE_URL_EXAMPLE,
		});
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new NodeOperationError(
			node,
			`The credential's Base URL must start with http:// or https:// (got "${url.protocol}")`,
		);
	}
	if (url.username || url.password || url.search || url.hash) {
		throw new NodeOperationError(
			node,
			"The credential's Base URL must not contain a user, password, query or fragment",
		);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The host of a base URL, for messages; the text itself when it is not a URL. */
export function hostOf(baseUrl: string): string {
	try {
		return new URL(baseUrl).host;
	} catch {
		return baseUrl;
	}
}

/** Defence in depth: the key is only ever sent below the configured base URL. */
export function urlBelow(baseUrl: string, path: string): string | undefined {
	const url = `${baseUrl}${path}`;
	return path.startsWith('/') && new URL(url).origin === new URL(baseUrl).origin ? url : undefined;
}
