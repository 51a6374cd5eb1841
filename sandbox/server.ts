// The HTTP server: one pipeline per API call (log -> latency -> hooks/faults -> route ->
// auth -> rate limit -> body -> handler), plus the unauthenticated /__sandbox/* control routes.
import http, { IncomingMessage, ServerResponse } from 'http';
import type { Socket } from 'net';
import {
	lookupCarriers,
	lookupCarrierServices,
	lookupPackageSizes,
	lookupShippingLocations,
} from './catalogue';
import { FaultEngine, hookOverrides } from './faults';
import { parseJsonBody, ParamKind, readBody, Router } from './http';
import { Store } from './store';
import type {
	FailHook,
	FaultConfig,
	RequestLogEntry,
	Sandbox,
	SandboxOptions,
	SandboxStats,
} from './types';
import {
	ApiError,
	CONSIGNMENT_REF_PATTERN,
	GUID_PATTERN,
	isPlainObject,
	PACKAGE_REF_PATTERN,
	Rng,
	sleep,
	streamSeed,
} from './util';

export const DEFAULT_API_KEY = 'electio-sandbox-key';
const LABEL_FORMATS = ['PDF', 'PNG', 'ZPL', 'ZPLII'];
const API_VERSIONS = ['1.0', '1.1'];

interface Ctx {
	params: Record<string, string>;
	body: unknown;
	entry: RequestLogEntry;
}
interface Result {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}
type Handler = (ctx: Ctx) => Result | Promise<Result>;

/** Decodes and checks a path parameter: no traversal, no encoded separators, right shape. */
function checkParam(name: string, kind: ParamKind, raw: string): string {
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
	const shown = v.slice(0, 64);
	switch (kind) {
		case 'consignment':
			v = v.toUpperCase();
			if (!CONSIGNMENT_REF_PATTERN.test(v))
				throw new ApiError(
					400,
					'InvalidReference',
					`'${shown}' is not a consignment reference (expected EC-xxx-xxx-xxx)`,
				);
			return v;
		case 'package':
			v = v.toUpperCase();
			if (!PACKAGE_REF_PATTERN.test(v))
				throw new ApiError(
					400,
					'InvalidReference',
					`'${shown}' is not a package reference (expected EP-xxx-xxx-xxx)`,
				);
			return v;
		case 'quote':
			if (!GUID_PATTERN.test(v))
				throw new ApiError(
					400,
					'InvalidReference',
					`'${shown}' is not a quote reference (expected a GUID)`,
				);
			return v.toLowerCase();
		case 'format':
			v = v.toUpperCase();
			if (!LABEL_FORMATS.includes(v))
				throw new ApiError(
					400,
					'InvalidLabelFormat',
					`Label format '${shown}' is not supported; use ${LABEL_FORMATS.join(', ')}`,
				);
			return v;
	}
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const host = options.host ?? '127.0.0.1';
	const apiKeys = new Set(
		options.apiKeys && options.apiKeys.length ? options.apiKeys : [DEFAULT_API_KEY],
	);
	const firstKey = [...apiKeys][0];
	const seed = options.seed ?? 1;
	const maxBody = options.maxBodyBytes ?? 1024 * 1024;
	const maxLog = options.maxLogEntries ?? 200000;
	let clockOffset = 0;
	const baseClock = options.now ?? (() => new Date());
	const now = () => new Date(baseClock().getTime() + clockOffset);
	let url = '';
	const store = new Store(seed, now, () => url);
	const faults = new FaultEngine(new Rng(streamSeed(seed, 'faults')));
	faults.config = { ...(options.faults ?? {}) };
	faults.latencyMs = options.latencyMs ?? 0;
	faults.setRateLimit(options.rateLimit ? options.rateLimit.perSecond : null);
	const startedAt = Date.now();

	let log: RequestLogEntry[] = [];
	let seq = 0;
	let stat = {
		requests: 0,
		byStatus: {} as Record<string, number>,
		durationSum: 0,
		first: 0,
		last: 0,
	};
	const hung = new Set<ServerResponse>();
	const sockets = new Set<Socket>();
	let correlationSeq = 0;

	const errorBody = (e: ApiError) => {
		const b: Record<string, unknown> = {
			Code: e.code,
			Message: e.message,
			CorrelationId: store.guid(`correlation:${++correlationSeq}`),
		};
		if (e.details && e.details.length) b.Details = e.details;
		return b;
	};
	const errorResult = (e: ApiError): Result => ({
		status: e.status,
		body: errorBody(e),
		headers: e.headers,
	});

	// ---- routes -------------------------------------------------------------------------
	const router = new Router<Handler>();
	const C = { ref: 'consignment' } as Record<string, ParamKind>;
	router.add('POST', '/consignments', {}, ({ body, entry }) => {
		if (isPlainObject(body) && typeof body.ConsignmentReferenceProvidedByCustomer === 'string')
			entry.customerReference = body.ConsignmentReferenceProvidedByCustomer;
		const r = store.create(body);
		entry.consignmentReference = r.ref;
		return { status: 201, body: [{ Rel: 'Link', Href: `${url}/consignments/${r.ref}` }] };
	});
	router.add('PUT', '/consignments/manifest', {}, ({ body }) => ({
		status: 200,
		body: store.manifest(body),
	}));
	router.add(['PUT', 'POST'], '/consignments/manifestFromQuery', {}, ({ body }) => ({
		status: 200,
		body: store.manifestFromQuery(body),
	}));
	router.add('PUT', '/consignments/setreadytoship', {}, ({ body }) => ({
		status: 200,
		body: store.setReadyToShip(body, true),
	}));
	router.add('PUT', '/consignments/setnotreadytoship', {}, ({ body }) => ({
		status: 200,
		body: store.setReadyToShip(body, false),
	}));
	router.add('GET', '/consignments/docs/:ref', C, async ({ params }) => ({
		status: 200,
		body: await store.customsDocuments(params.ref),
	}));
	router.add('GET', '/consignments/:ref', C, ({ params }) => ({
		status: 200,
		body: store.getDoc(params.ref),
	}));
	router.add(
		'PUT',
		'/consignments/:ref/cancel',
		C,
		({ params }) => (store.cancel(params.ref), { status: 200 }),
	);
	router.add(
		'PUT',
		'/consignments/:ref/deallocate',
		C,
		({ params }) => (store.deallocate(params.ref), { status: 200 }),
	);
	router.add('GET', '/quotes/consignment/:ref', C, ({ params }) => ({
		status: 200,
		body: store.quotes(params.ref),
	}));
	router.add(
		'PUT',
		'/allocation/:ref/allocatewithquote/:quote',
		{ ref: 'consignment', quote: 'quote' },
		({ params }) => ({
			status: 200,
			body: store.allocateWithQuote(params.ref, params.quote),
		}),
	);
	router.add('PUT', '/allocation/:ref/allocatewithcheapestquote', C, ({ params }) => ({
		status: 200,
		body: store.allocateCheapest(params.ref),
	}));
	router.add(
		'GET',
		'/labels/package/:ref/:pkg/:format',
		{ ref: 'consignment', pkg: 'package', format: 'format' },
		async ({ params }) => ({
			status: 200,
			body: await store.labels(params.ref, params.format, params.pkg),
		}),
	);
	router.add(
		'GET',
		'/labels/:ref/:format',
		{ ref: 'consignment', format: 'format' },
		async ({ params }) => ({ status: 200, body: await store.labels(params.ref, params.format) }),
	);
	router.add('GET', '/labels/:ref', C, async ({ params }) => ({
		status: 200,
		body: await store.labels(params.ref, 'PDF'),
	}));
	router.add('GET', '/shippinglocations', {}, () => ({
		status: 200,
		body: lookupShippingLocations(),
	}));
	router.add('GET', '/carriers', {}, () => ({ status: 200, body: lookupCarriers() }));
	router.add('GET', '/carrierservices', {}, () => ({ status: 200, body: lookupCarrierServices() }));
	router.add('GET', '/packagesizes', {}, () => ({ status: 200, body: lookupPackageSizes() }));

	/** Everything after faults: route, auth, rate limit, body, handler. Never throws. */
	async function handle(req: IncomingMessage, entry: RequestLogEntry): Promise<Result> {
		const method = req.method ?? 'GET';
		let bodyConsumed = false;
		try {
			const pathOnly = (req.url ?? '/').split('?')[0];
			const m = router.match(method, pathOnly);
			const key = req.headers['ocp-apim-subscription-key'];
			const keyStr = Array.isArray(key) ? key[0] : key;
			if (!keyStr) {
				entry.apiKey = 'missing';
				throw new ApiError(
					401,
					'Unauthorized',
					'Access denied due to missing subscription key. Make sure to include the ocp-apim-subscription-key header when making requests to an API.',
				);
			}
			if (!apiKeys.has(keyStr)) {
				entry.apiKey = 'invalid';
				throw new ApiError(
					401,
					'Unauthorized',
					'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
				);
			}
			entry.apiKey = 'valid';
			const version = req.headers['electio-api-version'];
			if (version !== undefined && !API_VERSIONS.includes(String(version).trim())) {
				throw new ApiError(
					400,
					'UnsupportedApiVersion',
					`electio-api-version '${String(version)}' is not supported; use 1.1`,
					[
						{
							Code: 'Invalid',
							Message: 'Supported versions: 1.0, 1.1',
							Target: 'electio-api-version',
						},
					],
				);
			}
			const tok = faults.takeToken(keyStr);
			if (!tok.ok) {
				faults.counts.rateLimited++;
				entry.fault = 'rateLimited';
				throw new ApiError(
					429,
					'TooManyRequests',
					`Rate limit is exceeded. Try again in ${tok.retryAfter} seconds.`,
					undefined,
					{ 'Retry-After': String(tok.retryAfter) },
				);
			}
			const params: Record<string, string> = {};
			for (const [name, kind] of Object.entries(m.route.params))
				params[name] = checkParam(name, kind, m.raw[name]);
			if (params.ref) {
				entry.consignmentReference = params.ref;
				entry.customerReference = store.customerReference(params.ref);
			}
			bodyConsumed = true;
			const raw = await readBody(req, maxBody);
			const body = parseJsonBody(req, raw);
			const res = await m.route.handler({ params, body, entry });
			if (res.status < 300) entry.handled = true;
			return res;
		} catch (e) {
			if (!bodyConsumed) req.resume();
			if (e instanceof ApiError) return errorResult(e);
			// A bug must not take the server down: report it as a 500 with the error body.
			return errorResult(
				new ApiError(500, 'InternalError', `Sandbox error: ${(e as Error)?.message ?? String(e)}`),
			);
		}
	}

	function send(res: ServerResponse, r: Result, pad?: number): number {
		let payload: Buffer;
		const headers: Record<string, string> = { ...(r.headers ?? {}) };
		if (r.body === undefined) payload = Buffer.alloc(0);
		else if (Buffer.isBuffer(r.body)) payload = r.body;
		else if (typeof r.body === 'string') payload = Buffer.from(r.body, 'utf8');
		else {
			let body = r.body;
			// bodyBytes on a document: grow the file itself (PDF comment / trailing bytes) so the
			// decoded label is that large; otherwise pad JSON with whitespace (still valid JSON).
			if (pad && isPlainObject(body) && typeof body.File === 'string') {
				const file = Buffer.from(body.File, 'base64');
				const need = Math.ceil((pad * 3) / 4) - file.length;
				if (need > 0) {
					const filler =
						body.ContentType === 'application/pdf'
							? Buffer.from('\n%' + ' '.repeat(need))
							: Buffer.alloc(need, 0);
					body = { ...body, File: Buffer.concat([file, filler]).toString('base64') };
				}
			}
			payload = Buffer.from(JSON.stringify(body), 'utf8');
			headers['Content-Type'] ??= 'application/json; charset=utf-8';
		}
		if (pad && payload.length < pad)
			payload = Buffer.concat([payload, Buffer.alloc(pad - payload.length, 0x20)]);
		headers['Content-Length'] = String(payload.length);
		if (!res.headersSent) res.writeHead(r.status, headers);
		res.end(payload);
		return r.status;
	}

	function finish(entry: RequestLogEntry, status: number, t0: number): void {
		entry.status = status;
		entry.durationMs = Math.round((performance.now() - t0) * 100) / 100;
		stat.requests++;
		stat.byStatus[status] = (stat.byStatus[status] ?? 0) + 1;
		stat.durationSum += entry.durationMs;
		stat.last = Date.now();
	}

	function drop(res: ServerResponse): void {
		res.socket?.destroy();
		res.destroy();
	}

	function hookResult(h: FailHook): Result {
		let body: unknown = h.body;
		const headers: Record<string, string> = { ...(h.headers ?? {}) };
		if (h.contentType) headers['Content-Type'] = h.contentType;
		else if (typeof body === 'string') headers['Content-Type'] = 'text/plain; charset=utf-8';
		if (body === undefined)
			body = errorBody(
				new ApiError(
					h.status ?? 500,
					'InjectedFault',
					`Injected failure (status ${h.status ?? 500})`,
				),
			);
		return { status: h.status ?? 500, body, headers };
	}

	/** Applies an overriding hook; returns the logged status (0 for drop/hang). */
	function applyHook(h: FailHook, res: ServerResponse): number {
		faults.counts.hook++;
		if (h.hang) {
			hung.add(res);
			res.on('close', () => hung.delete(res));
			return 0;
		}
		if (h.drop) {
			drop(res);
			return 0;
		}
		return send(res, hookResult(h), h.bodyBytes);
	}

	async function onApiRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const t0 = performance.now();
		const method = req.method ?? 'GET';
		const rawUrl = req.url ?? '/';
		const entry: RequestLogEntry = {
			seq: ++seq,
			method,
			path: rawUrl,
			status: 0,
			handled: false,
			apiKey: 'missing',
			startedAt: Date.now(),
			durationMs: 0,
		};
		if (!stat.first) stat.first = entry.startedAt;
		log.push(entry);
		if (log.length > maxLog) log = log.slice(-Math.floor(maxLog * 0.9));
		const d = faults.decide();
		const delay = faults.latencyMs + d.extraLatencyMs;
		if (d.extraLatencyMs > 0) entry.fault = 'latency';
		if (delay > 0) await sleep(delay);
		const hook = faults.takeHook(method, rawUrl);
		if (hook) {
			entry.fault = 'hook';
			const k = req.headers['ocp-apim-subscription-key'];
			entry.apiKey = !k ? 'missing' : apiKeys.has(String(k)) ? 'valid' : 'invalid';
			if (hookOverrides(hook) && !hook.afterHandling) {
				req.resume();
				finish(entry, applyHook(hook, res), t0);
				return;
			}
			const result = await handle(req, entry);
			if (hookOverrides(hook)) {
				finish(entry, applyHook(hook, res), t0);
				return;
			}
			// Decorating hook: the real response with extra headers / padding / content type.
			faults.counts.hook++;
			const headers = { ...(result.headers ?? {}), ...(hook.headers ?? {}) };
			if (hook.contentType) headers['Content-Type'] = hook.contentType;
			finish(entry, send(res, { ...result, headers }, hook.bodyBytes), t0);
			return;
		}
		if (d.kind === 'drop') {
			faults.counts.drop++;
			entry.fault = 'drop';
			if (d.dropAfterHandling) await handle(req, entry);
			else req.resume();
			drop(res);
			finish(entry, 0, t0);
			return;
		}
		if (d.kind) {
			faults.counts[d.kind]++;
			entry.fault = d.kind;
			req.resume();
			const e =
				d.kind === '429'
					? new ApiError(429, 'TooManyRequests', 'Rate limit is exceeded (injected).', undefined, {
							'Retry-After': String(faults.config.retryAfterSeconds ?? 1),
						})
					: d.kind === '502'
						? new ApiError(502, 'BadGateway', 'Bad gateway (injected).')
						: new ApiError(503, 'ServiceUnavailable', 'Service unavailable (injected).');
			finish(entry, send(res, errorResult(e)), t0);
			return;
		}
		const result = await handle(req, entry);
		finish(entry, send(res, result), t0);
	}

	// ---- control routes (no key, never faulted, not logged) --------------------------------
	function stats(): SandboxStats {
		const span = stat.first ? Math.max(1, (stat.last || Date.now()) - stat.first) : 0;
		return {
			requests: stat.requests,
			byStatus: { ...stat.byStatus },
			faults: { ...faults.counts },
			consignments: store.size(),
			uptimeMs: Date.now() - startedAt,
			requestsPerSecond: span ? Math.round((stat.requests / span) * 1000 * 10) / 10 : 0,
			averageDurationMs: stat.requests
				? Math.round((stat.durationSum / stat.requests) * 100) / 100
				: 0,
		};
	}

	function applyFaults(body: Record<string, unknown>): void {
		const { latencyMs, rateLimit, ...rest } = body;
		sandbox.setFaults(rest as FaultConfig);
		if (typeof latencyMs === 'number') sandbox.setLatency(latencyMs);
		if (rateLimit !== undefined) {
			sandbox.setRateLimit(
				typeof rateLimit === 'number'
					? rateLimit
					: isPlainObject(rateLimit) && typeof rateLimit.perSecond === 'number'
						? rateLimit.perSecond
						: null,
			);
		}
	}

	async function onControlRequest(
		req: IncomingMessage,
		res: ServerResponse,
		pathOnly: string,
	): Promise<void> {
		const method = req.method ?? 'GET';
		try {
			const raw = await readBody(req, maxBody);
			const body = parseJsonBody(req, raw);
			const p = pathOnly.replace(/\/+$/, '');
			if (method === 'GET' && p === '/__sandbox/requests')
				return void send(res, { status: 200, body: log });
			if (method === 'GET' && p === '/__sandbox/consignments')
				return void send(res, { status: 200, body: store.all() });
			if (method === 'GET' && p === '/__sandbox/stats')
				return void send(res, { status: 200, body: stats() });
			if (method === 'POST' && p === '/__sandbox/reset')
				return (sandbox.reset(), void send(res, { status: 200, body: { ok: true } }));
			if (method === 'PUT' && p === '/__sandbox/faults') {
				if (!isPlainObject(body))
					throw new ApiError(400, 'ValidationFailed', 'Body must be a FaultConfig object');
				applyFaults(body);
				return void send(res, {
					status: 200,
					body: { faults: faults.config, latencyMs: faults.latencyMs, rateLimit: faults.perSecond },
				});
			}
			if (method === 'POST' && p === '/__sandbox/hooks') {
				if (!isPlainObject(body))
					throw new ApiError(400, 'ValidationFailed', 'Body must be a hook object');
				const h = { ...body } as FailHook & { pathRegex?: string };
				if (typeof h.pathRegex === 'string') h.path = new RegExp(h.pathRegex);
				delete h.pathRegex;
				return void send(res, { status: 201, body: { id: sandbox.failNext(h) } });
			}
			if (method === 'DELETE' && p === '/__sandbox/hooks')
				return (sandbox.clearHooks(), void send(res, { status: 200, body: { ok: true } }));
			if (method === 'POST' && p === '/__sandbox/clock') {
				const ms = isPlainObject(body) ? body.advanceMs : undefined;
				if (typeof ms !== 'number')
					throw new ApiError(400, 'ValidationFailed', 'Body must be {"advanceMs": number}');
				sandbox.advanceClock(ms);
				return void send(res, { status: 200, body: { now: now().toISOString() } });
			}
			throw new ApiError(
				404,
				'ResourceNotFound',
				`No sandbox control route ${method} ${p.slice(0, 200)}`,
			);
		} catch (e) {
			send(
				res,
				errorResult(
					e instanceof ApiError
						? e
						: new ApiError(500, 'InternalError', String((e as Error)?.message ?? e)),
				),
			);
		}
	}

	const server = http.createServer((req, res) => {
		const pathOnly = (req.url ?? '/').split('?')[0];
		const p = pathOnly.startsWith('/__sandbox')
			? onControlRequest(req, res, pathOnly)
			: onApiRequest(req, res);
		p.catch(() => {
			if (!res.headersSent) {
				try {
					res.writeHead(500, { 'Content-Type': 'application/json' });
					res.end('{"Code":"InternalError","Message":"Sandbox error","CorrelationId":null}');
				} catch {
					res.destroy();
				}
			}
		});
	});
	server.keepAliveTimeout = 5000;
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	server.on('clientError', (_err, socket) => {
		if (socket.writable)
			socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
		else socket.destroy();
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const addr = server.address();
	const port = typeof addr === 'object' && addr ? addr.port : 0;
	url = `http://${host}:${port}`;

	const sandbox: Sandbox = {
		url,
		port,
		apiKey: firstKey,
		close: () =>
			new Promise<void>((resolve) => {
				for (const r of hung) r.destroy();
				hung.clear();
				server.close(() => resolve());
				server.closeAllConnections();
				for (const s of sockets) s.destroy();
			}),
		requests: () => log.slice(),
		clearRequests: () => {
			log = [];
		},
		consignments: () => store.all(),
		getConsignment: (ref) => store.snapshot(ref),
		setFaults: (f) => {
			faults.config = { ...(f ?? {}) };
		},
		setLatency: (ms) => {
			faults.latencyMs = Math.max(0, ms || 0);
		},
		setRateLimit: (perSecond) => faults.setRateLimit(perSecond),
		faultCounts: () => ({ ...faults.counts }),
		stats,
		advanceClock: (ms) => {
			clockOffset += ms;
		},
		now,
		reset: () => {
			store.reset();
			log = [];
			faults.resetCounts();
			stat = { requests: 0, byStatus: {}, durationSum: 0, first: 0, last: 0 };
		},
		failNext: (h) => faults.addHook(h),
		removeHook: (id) => faults.removeHook(id),
		clearHooks: () => faults.clearHooks(),
	};
	return sandbox;
}
