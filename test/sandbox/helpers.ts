// Shared helpers for the sandbox tests: HTTP calls with the key, fixture bodies, shape checks.
import fs from 'fs';
import http from 'http';
import path from 'path';
import type { Sandbox } from '../../sandbox';

export const EXAMPLES = path.resolve(__dirname, '../fixtures/electio-api-examples');

export function example<T = any>(name: string): T {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8')) as T;
}

export interface Res {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

export async function call(
	sb: Sandbox,
	method: string,
	p: string,
	body?: unknown,
	headers: Record<string, string> = {},
): Promise<Res> {
	const h: Record<string, string> = {
		'ocp-apim-subscription-key': sb.apiKey,
		'electio-api-version': '1.1',
		accept: 'application/json',
		...headers,
	};
	let payload: string | undefined;
	if (body !== undefined) {
		payload = typeof body === 'string' ? body : JSON.stringify(body);
		h['content-type'] ??= 'application/json';
	}
	const r = await fetch(sb.url + p, { method, headers: h, body: payload });
	const text = await r.text();
	let json: any;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: r.status, headers: r.headers, text, json };
}

/** A raw request that keeps the path exactly as written (fetch would normalise '..'). */
export function rawRequest(
	sb: Sandbox,
	method: string,
	rawPath: string,
	body?: string | Buffer,
	headers: Record<string, string> = {},
): Promise<{ status: number; json: any; text: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port: sb.port,
				method,
				path: rawPath,
				headers: { 'ocp-apim-subscription-key': sb.apiKey, ...headers },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: any;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, json, text });
				});
			},
		);
		req.on('error', reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}

export function minimal(overrides: Record<string, unknown> = {}): any {
	return { ...example('create-consignment-minimal.request.json'), ...overrides };
}

/** A consignment to another country; `value` is the declared package value in GBP. */
export function international(country: string, value: number, weightKg = 1): any {
	const b = example('create-consignment-minimal.request.json');
	b.Packages[0].Value.Amount = value;
	b.Packages[0].Weight.Value = weightKg;
	b.Addresses[1] = {
		AddressType: 'Destination',
		Contact: { FirstName: 'Marie', LastName: 'Dupont', Email: 'marie@example.fr' },
		AddressLine1: '12 Rue de Rivoli',
		Town: 'Paris',
		Postcode: '75001',
		Country: { Name: 'France', IsoCode: { TwoLetterCode: country } },
	};
	return b;
}

export function refFromCreate(r: Res): string {
	const href: string = r.json[0].Href;
	return href.slice(href.lastIndexOf('/') + 1);
}

export async function create(sb: Sandbox, body: unknown = minimal()): Promise<string> {
	const r = await call(sb, 'POST', '/consignments', body);
	if (r.status !== 201) throw new Error(`create failed ${r.status} ${r.text}`);
	return refFromCreate(r);
}

export async function allocate(sb: Sandbox, ref: string, serviceRef?: string): Promise<any> {
	const q = await call(sb, 'GET', `/quotes/consignment/${ref}`);
	if (q.status !== 200) throw new Error(`quotes failed ${q.status} ${q.text}`);
	const quote = serviceRef
		? q.json.Quotes.find((x: any) => x.MpdCarrierServiceReference === serviceRef)
		: q.json.Quotes[0];
	if (!quote) throw new Error(`no quote for ${serviceRef}`);
	const a = await call(sb, 'PUT', `/allocation/${ref}/allocatewithquote/${quote.QuoteReference}`);
	if (a.status !== 200) throw new Error(`allocate failed ${a.status} ${a.text}`);
	return a.json;
}

export async function state(sb: Sandbox, ref: string): Promise<string> {
	const r = await call(sb, 'GET', `/consignments/${ref}`);
	return r.json.ConsignmentState;
}

/** Same property names and nesting as the documented example (nulls in the example match anything). */
export function expectSameShape(actual: unknown, documented: unknown, where = '$'): void {
	if (documented === null || documented === undefined) return;
	if (Array.isArray(documented)) {
		if (!Array.isArray(actual))
			throw new Error(`${where}: expected an array, got ${JSON.stringify(actual)?.slice(0, 80)}`);
		if (documented.length === 0) return;
		actual.forEach((a, i) => expectSameShape(a, documented[0], `${where}[${i}]`));
		return;
	}
	if (typeof documented === 'object') {
		if (typeof actual !== 'object' || actual === null || Array.isArray(actual))
			throw new Error(`${where}: expected an object`);
		const dk = Object.keys(documented).sort();
		const ak = Object.keys(actual).sort();
		const missing = dk.filter((k) => !ak.includes(k));
		const extra = ak.filter((k) => !dk.includes(k));
		if (missing.length || extra.length)
			throw new Error(`${where}: missing [${missing}] extra [${extra}]`);
		for (const k of dk)
			expectSameShape((actual as any)[k], (documented as any)[k], `${where}.${k}`);
		return;
	}
	if (actual !== null && typeof actual !== typeof documented)
		throw new Error(`${where}: expected ${typeof documented}, got ${typeof actual}`);
}
