// Request plumbing: bounded body reading, JSON/content-type checks, path-parameter checks and a
// tiny router that matches on the raw path segments (so nothing is normalised away before it is
// checked), and the types a route handler sees.
import type { IncomingMessage } from 'http';
import type { RequestLogEntry } from './types';
import { ApiError, CONSIGNMENT_REF_PATTERN, GUID_PATTERN, PACKAGE_REF_PATTERN } from './util';

const LABEL_FORMATS = ['PDF', 'PNG', 'ZPL', 'ZPLII'];

/** What a route handler gets: checked path parameters, the query string and the parsed body. */
export interface Ctx {
	params: Record<string, string>;
	query: URLSearchParams;
	body: unknown;
	entry: RequestLogEntry;
}

export interface Result {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Result | Promise<Result>;

/** Reads the body up to `limit` bytes; beyond that drains (bounded) and throws 413. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const declared = Number(req.headers['content-length']);
		const tooLarge = () =>
			new ApiError(413, 'PayloadTooLarge', `The request body exceeds ${limit} bytes`);
		let size = 0;
		let over = Number.isFinite(declared) && declared > limit;
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > limit) over = true;
			if (!over) chunks.push(c);
			// Keep draining so the client can read the 413, but not forever.
			if (size > limit * 64) req.socket.destroy();
		});
		req.on('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
		req.on('error', (e) => reject(e));
		req.on('aborted', () => reject(new ApiError(400, 'Aborted', 'The request was aborted')));
	});
}

function isJsonType(ct: string | undefined): boolean {
	if (ct === undefined) return true; // lenient: clients that omit it still get JSON parsing
	const mt = ct.split(';')[0].trim().toLowerCase();
	return mt === 'application/json' || mt === 'text/json' || mt.endsWith('+json');
}

/** Parses a JSON body; undefined when empty. 415 on a non-JSON type, 400 on bad JSON. */
export function parseJsonBody(req: IncomingMessage, raw: Buffer): unknown {
	if (raw.length === 0) return undefined;
	if (!isJsonType(req.headers['content-type'])) {
		throw new ApiError(
			415,
			'UnsupportedMediaType',
			`Content-Type '${req.headers['content-type']}' is not supported; send application/json`,
		);
	}
	try {
		return JSON.parse(raw.toString('utf8'));
	} catch (e) {
		throw new ApiError(
			400,
			'MalformedJson',
			`The request body is not valid JSON: ${(e as Error).message}`,
			[{ Code: 'MalformedJson', Message: (e as Error).message, Target: 'body' }],
		);
	}
}

/** `count`: a non-negative integer (paging); a route with one only matches digits there. */
export type ParamKind = 'consignment' | 'quote' | 'format' | 'package' | 'count';

/** Decodes and checks a path parameter: no traversal, no encoded separators, right shape. */
export function checkParam(name: string, kind: ParamKind, raw: string): string {
	let v: string;
	try {
		v = decodeURIComponent(raw);
	} catch {
		throw new ApiError(400, 'InvalidReference', `The ${name} segment is not valid URL encoding`);
	}
	if (/[/\\\u0000-\u001f]/.test(v) || v.includes('..')) {
		throw new ApiError(
			400,
			'InvalidReference',
			`The ${name} must not contain '/', '\\', '..' or control characters`,
		);
	}
	const rule = PARAM_RULES[kind];
	const value = rule.normalise(v);
	if (!rule.valid(value)) throw new ApiError(400, rule.code, rule.message(v.slice(0, 64)));
	return value;
}

const upper = (v: string) => v.toUpperCase();
const invalidRef = (what: string) => (shown: string) => `'${shown}' is not ${what}`;

/** How each kind of path parameter is normalised and checked, and the 400 when it fails. */
const PARAM_RULES: Record<
	ParamKind,
	{
		normalise: (v: string) => string;
		valid: (v: string) => boolean;
		code: string;
		message: (shown: string) => string;
	}
> = {
	consignment: {
		normalise: upper,
		valid: (v) => CONSIGNMENT_REF_PATTERN.test(v),
		code: 'InvalidReference',
		message: invalidRef('a consignment reference (expected EC-xxx-xxx-xxx)'),
	},
	package: {
		normalise: upper,
		valid: (v) => PACKAGE_REF_PATTERN.test(v),
		code: 'InvalidReference',
		message: invalidRef('a package reference (expected EP-xxx-xxx-xxx)'),
	},
	quote: {
		normalise: (v) => v.toLowerCase(),
		valid: (v) => GUID_PATTERN.test(v),
		code: 'InvalidReference',
		message: invalidRef('a quote reference (expected a GUID)'),
	},
	count: {
		normalise: (v) => v,
		valid: (v) => /^\d{1,9}$/.test(v),
		code: 'InvalidPaging',
		message: (shown) => `'${shown}' is not a number of results (expected 0 to 999999999)`,
	},
	format: {
		normalise: upper,
		valid: (v) => LABEL_FORMATS.includes(v),
		code: 'InvalidLabelFormat',
		message: (shown) => `Label format '${shown}' is not supported; use ${LABEL_FORMATS.join(', ')}`,
	},
};

export interface Route<H> {
	methods: string[];
	segments: string[];
	params: Record<string, ParamKind>;
	handler: H;
}

export interface RouteMatch<H> {
	route: Route<H>;
	/** raw (still encoded) segments by param name */
	raw: Record<string, string>;
}

export class Router<H> {
	private routes: Route<H>[] = [];

	/** pattern like '/consignments/:ref/cancel'; params maps names to their kind */
	add(
		methods: string | string[],
		pattern: string,
		params: Record<string, ParamKind>,
		handler: H,
	): void {
		this.routes.push({
			methods: ([] as string[]).concat(methods),
			segments: pattern.split('/').filter(Boolean),
			params,
			handler,
		});
	}

	/** Returns the match, or throws 404/405/400 for unknown routes and bad segments. */
	match(method: string, rawPath: string): RouteMatch<H> {
		let segs = rawPath.split('/');
		segs.shift();
		if (segs.length > 1 && segs[segs.length - 1] === '') segs = segs.slice(0, -1);
		if (segs.some((s) => s === '..' || s === '.')) {
			throw new ApiError(400, 'InvalidPath', 'Path segments "." and ".." are not allowed');
		}
		const allowed = new Set<string>();
		for (const r of this.routes) {
			if (r.segments.length !== segs.length) continue;
			const raw: Record<string, string> = {};
			let ok = true;
			for (let i = 0; i < segs.length; i++) {
				const p = r.segments[i];
				if (p.startsWith(':')) {
					if (segs[i] === '' || (r.params[p.slice(1)] === 'count' && !/^\d+$/.test(segs[i]))) {
						ok = false;
						break;
					}
					raw[p.slice(1)] = segs[i];
				} else if (p.toLowerCase() !== segs[i].toLowerCase()) {
					ok = false;
					break;
				}
			}
			if (!ok) continue;
			if (!r.methods.includes(method)) {
				r.methods.forEach((m) => allowed.add(m));
				continue;
			}
			return { route: r, raw };
		}
		if (allowed.size) {
			throw new ApiError(
				405,
				'MethodNotAllowed',
				`Method ${method} is not allowed on this resource`,
				undefined,
				{ Allow: [...allowed].join(', ') },
			);
		}
		throw new ApiError(
			404,
			'ResourceNotFound',
			`No API operation matches ${method} ${rawPath.slice(0, 200)}`,
		);
	}
}
