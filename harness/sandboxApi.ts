// The sandbox's API called as a client calls it (the key and API version headers): for seeding
// consignments around a real n8n, outside the node under test.
import type { Sandbox } from '../sandbox';

/** The sandbox API, as a client would call it. */
export async function sandboxApi(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: unknown,
): Promise<any> {
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: {
			'ocp-apim-subscription-key': sandbox.apiKey,
			'electio-api-version': '1.1',
			accept: 'application/json',
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(30_000),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
	return text ? JSON.parse(text) : undefined;
}

/** A consignment created straight through the sandbox API; its reference (from the answer's Href). */
export async function createConsignment(sandbox: Sandbox, body: unknown): Promise<string> {
	const [link] = await sandboxApi(sandbox, 'POST', '/consignments', body);
	return decodeURIComponent(String(link.Href).split('/').pop()!);
}
