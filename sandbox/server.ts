// Wiring: options → clock, store, tracker, faults, request log → routes, pipeline, control →
// an HTTP server on 127.0.0.1, and the Sandbox handle tests and scripts hold.
import http, { ServerResponse } from 'http';
import type { Socket } from 'net';
import { Clock } from './clock';
import { createControl } from './control';
import { FaultEngine } from './faults';
import { createPipeline } from './pipeline';
import { RequestLog } from './requestlog';
import { errorResults } from './respond';
import { buildRouter } from './routes';
import { Store } from './store';
import { Tracker } from './tracking';
import { customerRefOf } from './record';
import type { Sandbox, SandboxOptions } from './types';
import { Rng, streamSeed } from './util';

const DEFAULT_API_KEY = 'electio-sandbox-key';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const host = options.host ?? '127.0.0.1';
	const apiKeys = new Set(
		options.apiKeys && options.apiKeys.length ? options.apiKeys : [DEFAULT_API_KEY],
	);
	const seed = options.seed ?? 1;
	const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
	const clock = new Clock(options.now);
	let url = '';
	const store = new Store(seed, clock, () => url);
	const tracker = new Tracker(store, clock, seed, options.tracking);
	const settled = <T>(read: () => T): T => (tracker.settle(), read());
	const faults = new FaultEngine(new Rng(streamSeed(seed, 'faults')));
	faults.config = { ...(options.faults ?? {}) };
	faults.latencyMs = options.latencyMs ?? 0;
	faults.setRateLimit(options.rateLimit ? options.rateLimit.perSecond : null);
	const log = new RequestLog(options.maxLogEntries ?? 200000);
	const errorResult = errorResults((n) => store.guid(`correlation:${n}`));
	const startedAt = Date.now();
	const hung = new Set<ServerResponse>();
	const sockets = new Set<Socket>();

	const server = http.createServer();
	const sandbox: Sandbox = {
		url: '',
		port: 0,
		apiKey: [...apiKeys][0],
		close: () =>
			new Promise<void>((resolve) => {
				for (const r of hung) r.destroy();
				hung.clear();
				server.close(() => resolve());
				server.closeAllConnections();
				for (const s of sockets) s.destroy();
			}),
		requests: () => log.entries(),
		clearRequests: () => log.clear(),
		consignments: () => settled(() => store.all()),
		getConsignment: (ref) => settled(() => store.snapshot(ref)),
		consignmentsByCustomerReference: () =>
			settled(() => {
				const map: Record<string, string[]> = {};
				for (const r of store.records()) (map[customerRefOf(r)] ??= []).push(r.ref);
				return map;
			}),
		setFaults: (f) => {
			faults.config = { ...(f ?? {}) };
		},
		setLatency: (ms) => {
			faults.latencyMs = Math.max(0, ms || 0);
		},
		setRateLimit: (perSecond) => faults.setRateLimit(perSecond),
		faultCounts: () => ({ ...faults.counts }),
		stats: () => ({
			...log.counters(),
			faults: { ...faults.counts },
			consignments: store.size(),
			uptimeMs: Date.now() - startedAt,
		}),
		advanceClock: (ms) => clock.advance(ms),
		now: () => clock.now(),
		advanceTracking: (steps) => tracker.step(steps),
		setTracking: (t) => tracker.configure(t),
		trackingSettings: () => tracker.current(),
		reset: () => {
			store.reset();
			tracker.reset();
			log.reset();
			faults.resetCounts();
		},
		failNext: (h) => faults.addHook(h),
		removeHook: (id) => faults.removeHook(id),
		clearHooks: () => faults.clearHooks(),
	};

	const onApiRequest = createPipeline({
		router: buildRouter({
			store,
			baseUrl: () => url,
			emptySearch: options.emptySearch ?? 'notFound',
		}),
		apiKeys,
		faults,
		log,
		errorResult,
		customerReference: (ref) => store.customerReference(ref),
		maxBodyBytes,
		beforeHandler: () => tracker.settle(),
		hung,
	});
	const onControlRequest = createControl({ sandbox, faults, tracker, errorResult, maxBodyBytes });

	server.on('request', (req, res) => {
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
	sandbox.port = typeof addr === 'object' && addr ? addr.port : 0;
	url = sandbox.url = `http://${host}:${sandbox.port}`;
	return sandbox;
}
