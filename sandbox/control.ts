// The /__sandbox/* control routes: inspect (requests, consignments, customer references, stats),
// reset, faults, hooks, the clock and tracking. No API key, never faulted, not logged.
import type { IncomingMessage, ServerResponse } from 'http';
import type { FaultEngine } from './faults';
import { parseJsonBody, readBody, Result } from './http';
import { asApiError, ErrorResult, send } from './respond';
import type { Tracker } from './tracking';
import type { FailHook, FaultConfig, Sandbox, TrackingOptions } from './types';
import { ApiError, isPlainObject } from './util';

export interface ControlDeps {
	sandbox: Sandbox;
	faults: FaultEngine;
	tracker: Tracker;
	errorResult: ErrorResult;
	maxBodyBytes: number;
}

type ControlHandler = (body: unknown, query: URLSearchParams) => Result;

function ok(body: unknown = { ok: true }, status = 200): Result {
	return { status, body };
}

function requireObject(body: unknown, what: string): Record<string, unknown> {
	if (!isPlainObject(body)) throw new ApiError(400, 'ValidationFailed', `Body must be ${what}`);
	return body;
}

export function createControl(
	d: ControlDeps,
): (req: IncomingMessage, res: ServerResponse, pathOnly: string) => Promise<void> {
	const sb = d.sandbox;

	function applyFaults(body: Record<string, unknown>): void {
		const { latencyMs, rateLimit, ...rest } = body;
		sb.setFaults(rest as FaultConfig);
		if (typeof latencyMs === 'number') sb.setLatency(latencyMs);
		if (rateLimit !== undefined) {
			sb.setRateLimit(
				typeof rateLimit === 'number'
					? rateLimit
					: isPlainObject(rateLimit) && typeof rateLimit.perSecond === 'number'
						? rateLimit.perSecond
						: null,
			);
		}
	}

	/** The clock and tracking state, after applying what came due. */
	const clock = () => {
		d.tracker.settle();
		return {
			now: sb.now().toISOString(),
			tracking: sb.trackingSettings(),
			onTheirWay: d.tracker.onTheirWay(),
		};
	};

	const routes: Record<string, ControlHandler> = {
		'GET /__sandbox/requests': () => ok(sb.requests()),
		'GET /__sandbox/consignments': (_body, query) => {
			const wanted = query.get('customerReference');
			const all = sb.consignments();
			return ok(
				wanted === null
					? all
					: all.filter((c) => c.ConsignmentReferenceProvidedByCustomer === wanted),
			);
		},
		'GET /__sandbox/customer-references': (_body, query) => {
			const map = sb.consignmentsByCustomerReference();
			if (query.get('duplicates') === 'true')
				for (const [k, refs] of Object.entries(map)) if (refs.length < 2) delete map[k];
			return ok(map);
		},
		'GET /__sandbox/stats': () => ok(sb.stats()),
		'POST /__sandbox/reset': () => (sb.reset(), ok()),
		'PUT /__sandbox/faults': (body) => {
			applyFaults(requireObject(body, 'a FaultConfig object'));
			const f = d.faults;
			return ok({ faults: f.config, latencyMs: f.latencyMs, rateLimit: f.perSecond });
		},
		'POST /__sandbox/hooks': (body) => {
			const h = { ...requireObject(body, 'a hook object') } as FailHook & { pathRegex?: string };
			if (typeof h.pathRegex === 'string') h.path = new RegExp(h.pathRegex);
			delete h.pathRegex;
			return ok({ id: sb.failNext(h) }, 201);
		},
		'DELETE /__sandbox/hooks': () => (sb.clearHooks(), ok()),
		'POST /__sandbox/clock': (body) => {
			const ms = isPlainObject(body) ? body.advanceMs : undefined;
			if (typeof ms !== 'number')
				throw new ApiError(400, 'ValidationFailed', 'Body must be {"advanceMs": number}');
			sb.advanceClock(ms);
			return ok({ now: sb.now().toISOString() });
		},
		'GET /__sandbox/clock': () => ok(clock()),
		'POST /__sandbox/clock/advance': (body) => {
			const b = requireObject(body, '{"steps": n} or {"ms": n}');
			const { steps, ms } = b;
			const count = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
			if ((steps === undefined) === (ms === undefined) || ![steps ?? ms].every(count))
				throw new ApiError(
					400,
					'ValidationFailed',
					'Body must be {"steps": n} (tracking steps) or {"ms": n} (clock time), n >= 0',
				);
			if (steps !== undefined) sb.advanceTracking(steps as number);
			else sb.advanceClock(ms as number);
			return ok(clock());
		},
		'PUT /__sandbox/tracking': (body) =>
			ok(sb.setTracking(requireObject(body, 'a TrackingOptions object') as TrackingOptions)),
	};

	return async function onControlRequest(req, res, pathOnly) {
		const method = req.method ?? 'GET';
		try {
			const body = parseJsonBody(req, await readBody(req, d.maxBodyBytes));
			const p = pathOnly.replace(/\/+$/, '');
			const route = routes[`${method} ${p}`];
			d.tracker.settle();
			if (!route)
				throw new ApiError(
					404,
					'ResourceNotFound',
					`No sandbox control route ${method} ${p.slice(0, 200)}`,
				);
			const query = new URLSearchParams((req.url ?? '').split(/\?(.*)/s)[1] ?? '');
			send(res, route(body, query));
		} catch (e) {
			send(res, d.errorResult(asApiError(e)));
		}
	};
}
