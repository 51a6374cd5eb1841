// The pipeline of one API call: log → latency → hook or seeded fault → route → API key →
// electio-api-version → rate limit → path parameters → body → handler → answer → log.
import type { IncomingMessage, ServerResponse } from 'http';
import { FaultEngine, hookOverrides } from './faults';
import { checkParam, parseJsonBody, readBody, Result } from './http';
import type { RequestLog } from './requestlog';
import { asApiError, ErrorResult, send } from './respond';
import type { ApiRouter } from './routes';
import type { FailHook, RequestLogEntry } from './types';
import { ApiError, sleep } from './util';

const API_VERSIONS = ['1.0', '1.1'];

export interface PipelineDeps {
	router: ApiRouter;
	apiKeys: Set<string>;
	faults: FaultEngine;
	log: RequestLog;
	errorResult: ErrorResult;
	/** the customer's reference of a consignment, for the log entry */
	customerReference: (ref: string) => string | undefined;
	maxBodyBytes: number;
	/** runs just before a handler (the tracker applies the steps that came due) */
	beforeHandler: () => void;
	/** responses held open by hang hooks, destroyed on close */
	hung: Set<ServerResponse>;
}

function keyStatus(apiKeys: Set<string>, key: string | undefined): RequestLogEntry['apiKey'] {
	return !key ? 'missing' : apiKeys.has(key) ? 'valid' : 'invalid';
}

/** Returns the handler of API requests (everything not under /__sandbox). */
export function createPipeline(
	d: PipelineDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
	const { faults, log, errorResult } = d;

	/** API key, version and rate limit; throws the documented 401 / 400 / 429. */
	function admit(req: IncomingMessage, entry: RequestLogEntry): void {
		const key = req.headers['ocp-apim-subscription-key'];
		const keyStr = Array.isArray(key) ? key[0] : key;
		entry.apiKey = keyStatus(d.apiKeys, keyStr);
		if (entry.apiKey === 'missing') {
			throw new ApiError(
				401,
				'Unauthorized',
				'Access denied due to missing subscription key. Make sure to include the ocp-apim-subscription-key header when making requests to an API.',
			);
		}
		if (entry.apiKey === 'invalid') {
			throw new ApiError(
				401,
				'Unauthorized',
				'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
			);
		}
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
		const tok = faults.takeToken(keyStr!);
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
	}

	/** Everything after faults: route, auth, rate limit, body, handler. Never throws. */
	async function handle(req: IncomingMessage, entry: RequestLogEntry): Promise<Result> {
		let bodyConsumed = false;
		try {
			const [pathOnly, queryString = ''] = (req.url ?? '/').split(/\?(.*)/s);
			const m = d.router.match(req.method ?? 'GET', pathOnly);
			admit(req, entry);
			const params: Record<string, string> = {};
			for (const [name, kind] of Object.entries(m.route.params))
				params[name] = checkParam(name, kind, m.raw[name]);
			if (params.ref) {
				entry.consignmentReference = params.ref;
				entry.customerReference = d.customerReference(params.ref);
			}
			bodyConsumed = true;
			const raw = await readBody(req, d.maxBodyBytes);
			const body = parseJsonBody(req, raw);
			const query = new URLSearchParams(queryString);
			d.beforeHandler();
			const res = await m.route.handler({ params, query, body, entry });
			if (res.status < 300) entry.handled = true;
			return res;
		} catch (e) {
			if (!bodyConsumed) req.resume();
			// A bug must not take the server down: report it as a 500 with the error body.
			return errorResult(asApiError(e, 'Sandbox error: '));
		}
	}

	function drop(res: ServerResponse): void {
		res.socket?.destroy();
		res.destroy();
	}

	function hookResult(h: FailHook): Result {
		const headers: Record<string, string> = { ...(h.headers ?? {}) };
		if (h.contentType) headers['Content-Type'] = h.contentType;
		else if (typeof h.body === 'string') headers['Content-Type'] = 'text/plain; charset=utf-8';
		if (h.body !== undefined) return { status: h.status ?? 500, body: h.body, headers };
		const status = h.status ?? 500;
		const injected = errorResult(
			new ApiError(status, 'InjectedFault', `Injected failure (status ${status})`),
		);
		return { status, body: injected.body, headers };
	}

	/** Applies an overriding hook; returns the logged status (0 for drop/hang). */
	function applyHook(h: FailHook, res: ServerResponse): number {
		faults.counts.hook++;
		if (h.hang) {
			d.hung.add(res);
			res.on('close', () => d.hung.delete(res));
			return 0;
		}
		if (h.drop) {
			drop(res);
			return 0;
		}
		return send(res, hookResult(h), h.bodyBytes);
	}

	/** A hook matched: replace the answer (before or after handling) or decorate the real one. */
	async function hooked(
		hook: FailHook,
		req: IncomingMessage,
		res: ServerResponse,
		entry: RequestLogEntry,
	): Promise<number> {
		entry.fault = 'hook';
		const k = req.headers['ocp-apim-subscription-key'];
		entry.apiKey = keyStatus(d.apiKeys, k ? String(k) : undefined);
		if (hookOverrides(hook) && !hook.afterHandling) {
			req.resume();
			return applyHook(hook, res);
		}
		const result = await handle(req, entry);
		if (hookOverrides(hook)) return applyHook(hook, res);
		// Decorating hook: the real response with extra headers / padding / content type.
		faults.counts.hook++;
		const headers = { ...(result.headers ?? {}), ...(hook.headers ?? {}) };
		if (hook.contentType) headers['Content-Type'] = hook.contentType;
		return send(res, { ...result, headers }, hook.bodyBytes);
	}

	/** A seeded fault: a dropped socket (maybe after acting) or an injected 429/502/503. */
	async function faulted(
		kind: '429' | '502' | '503' | 'drop',
		dropAfterHandling: boolean,
		req: IncomingMessage,
		res: ServerResponse,
		entry: RequestLogEntry,
	): Promise<number> {
		faults.counts[kind]++;
		entry.fault = kind;
		if (kind === 'drop') {
			if (dropAfterHandling) await handle(req, entry);
			else req.resume();
			drop(res);
			return 0;
		}
		req.resume();
		const e =
			kind === '429'
				? new ApiError(429, 'TooManyRequests', 'Rate limit is exceeded (injected).', undefined, {
						'Retry-After': String(faults.config.retryAfterSeconds ?? 1),
					})
				: kind === '502'
					? new ApiError(502, 'BadGateway', 'Bad gateway (injected).')
					: new ApiError(503, 'ServiceUnavailable', 'Service unavailable (injected).');
		return send(res, errorResult(e));
	}

	return async function onApiRequest(req, res) {
		const t0 = performance.now();
		const method = req.method ?? 'GET';
		const rawUrl = req.url ?? '/';
		const entry = log.open(method, rawUrl);
		const decision = faults.decide();
		const delay = faults.latencyMs + decision.extraLatencyMs;
		if (decision.extraLatencyMs > 0) entry.fault = 'latency';
		if (delay > 0) await sleep(delay);
		const hook = faults.takeHook(method, rawUrl);
		let status: number;
		if (hook) status = await hooked(hook, req, res, entry);
		else if (decision.kind)
			status = await faulted(decision.kind, decision.dropAfterHandling, req, res, entry);
		else status = send(res, await handle(req, entry));
		log.finish(entry, status, t0);
	};
}
