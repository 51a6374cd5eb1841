// One simulated burst: `processes` n8n processes (queue-mode workers), each with its own
// AccountGate for the same Electio account (the real transport/gate.ts on a virtual clock),
// taking ERP orders off one shared queue, `concurrency` executions at a time, each order a run of
// 4 to 6 calls one after the other, against one rate-limited account (server.ts).
import { AccountGate, RunGate } from '../../nodes/Electio/transport/gate';
import { DEFAULT_CLIENT_SETTINGS } from '../../nodes/Electio/transport/client';
import { Rng } from '../../sandbox/util';
import { VirtualClock } from './clock';
import { EqualSharePacer, type CallGate } from './equalShare';
import { TokenBucketServer } from './server';

export interface SimSettings {
	processes: number;
	/** the account's limit, requests/s (token bucket, burst = limit) */
	limit: number;
	orders: number;
	/** calls per order, drawn uniformly from this range (seeded) */
	callsPerOrder: [number, number];
	/** executions one process runs at once (n8n worker --concurrency, 10 by default) */
	concurrency: number;
	latencyMs: number;
	/** latency varies uniformly by this share either way */
	latencyJitter: number;
	/** n8n's own time between two calls of an execution (the next node starting) */
	stepMs: number;
	seed: number;
	/** the real gate, or the equal-share reference (equalShare.ts) */
	pacing: 'gate' | 'equalShare';
}

export interface SimResult {
	settings: SimSettings;
	/** calls answered other than 429 */
	okCalls: number;
	throttledCalls: number;
	/** orders whose call ran out of Max Wait When Throttled */
	failedOrders: number;
	/** first order taken (0) to the last order done, virtual seconds */
	wallS: number;
	/** the calls answered other than 429 at exactly the limit: okCalls / limit */
	idealS: number;
	efficiency: number;
	throttledShare: number;
	/** orders each process ran, lowest and highest */
	ordersPerProcess: [number, number];
	/** timers the scheduler fired: the size of the simulation */
	events: number;
}

export const DEFAULT_SIM: SimSettings = {
	processes: 1,
	limit: 20,
	orders: 300,
	callsPerOrder: [4, 6],
	concurrency: 10,
	latencyMs: 50,
	latencyJitter: 0.2,
	stepMs: 5,
	seed: 21,
	pacing: 'gate',
};

/**
 * Orders per process in the sustained scenario, the one the targets are checked on: enough that
 * every process works long after learning its share, whatever the count. A single 300-order
 * burst over 32 processes is 9 or 10 orders each, all taken at once: it ends before a process can
 * learn its share, and its uneven split alone caps the efficiency (see the equal-share pacer).
 */
export const SUSTAINED_ORDERS_PER_PROCESS = 150;

/** The sustained scenario's orders: 150 per process, and no fewer than the 300-order burst. */
export function sustainedOrders(processes: number): number {
	return Math.max(300, SUSTAINED_ORDERS_PER_PROCESS * processes);
}

export async function simulate(settings: SimSettings): Promise<SimResult> {
	const clock = new VirtualClock();
	const server = new TokenBucketServer(
		clock,
		settings.limit,
		settings.latencyMs,
		settings.latencyJitter,
		new Rng(settings.seed + 1),
	);
	const orderRng = new Rng(settings.seed);
	const [fewest, most] = settings.callsPerOrder;
	const queue = Array.from({ length: settings.orders }, () => orderRng.int(fewest, most));
	const processes = Array.from({ length: settings.processes }, (_, index) => ({
		callGate: callGateFactory(settings, clock, index),
		orders: 0,
	}));
	let failedOrders = 0;

	/** One execution slot of a process: takes the next order off the queue until none is left. */
	const slot = async (process: (typeof processes)[number]) => {
		for (let calls = queue.shift(); calls !== undefined; calls = queue.shift()) {
			process.orders++;
			for (let call = 0; call < calls; call++) {
				if (call > 0) await clock.sleep(settings.stepMs);
				const answered = await clientCall(process.callGate(), server, clock);
				if (!answered) {
					failedOrders++;
					break;
				}
			}
		}
	};

	await clock.run(async () => {
		// Slots start in turns, one per process, so the queue spreads over the processes as Bull's would.
		const slots: Array<Promise<void>> = [];
		for (let index = 0; index < settings.concurrency; index++) {
			for (const process of processes) slots.push(slot(process));
		}
		await Promise.all(slots);
	});

	const wallS = (clock.now() - clock.startedAt) / 1000;
	const okCalls = server.answered.ok;
	const throttledCalls = server.answered.throttled;
	const idealS = okCalls / settings.limit;
	const perProcess = processes.map((process) => process.orders);
	return {
		settings,
		okCalls,
		throttledCalls,
		failedOrders,
		wallS,
		idealS,
		efficiency: idealS / wallS,
		throttledShare: throttledCalls / (okCalls + throttledCalls),
		ordersPerProcess: [Math.min(...perProcess), Math.max(...perProcess)],
		events: clock.fired,
	};
}

/** Where a process's calls take their turn: a RunGate per node run on the process's AccountGate. */
function callGateFactory(
	settings: SimSettings,
	clock: VirtualClock,
	index: number,
): () => CallGate {
	if (settings.pacing === 'equalShare') {
		const pacer = new EqualSharePacer(
			clock,
			settings.limit / settings.processes,
			index / settings.processes,
		);
		return () => pacer;
	}
	const account = new AccountGate(clock);
	// Each node run makes its own client, so its own RunGate on the process's account gate.
	return () => new RunGate(account, DEFAULT_CLIENT_SETTINGS.maxConcurrency);
}

/**
 * One API call as ElectioClient.request makes it (transport/client.ts): take the gate, send,
 * release as a success, or on a 429 release as throttled with Retry-After (the gate holds every
 * caller of the process until it has passed) and go again while Max Wait When Throttled allows.
 */
async function clientCall(
	gate: CallGate,
	server: TokenBucketServer,
	clock: VirtualClock,
): Promise<boolean> {
	let firstThrottledAt: number | undefined;
	for (;;) {
		await gate.acquire();
		const answer = await server.call();
		if (answer.status !== 429) {
			gate.releaseSuccess();
			return true;
		}
		const now = clock.now();
		firstThrottledAt ??= now;
		const waited = now - firstThrottledAt;
		const wait = answer.retryAfterMs!;
		gate.releaseThrottled(wait);
		if (waited + wait > DEFAULT_CLIENT_SETTINGS.maxThrottleWaitMs) return false;
	}
}

/** #21's targets at every process count. */
export const GATE_TARGETS = { efficiency: 0.9, throttledShare: 0.05 };

/** What a run missed of the targets, in words; empty when it met them all. */
export function missedTargets(result: SimResult): string[] {
	const missed: string[] = [];
	if (result.efficiency < GATE_TARGETS.efficiency)
		missed.push(`efficiency ${result.efficiency.toFixed(2)} < ${GATE_TARGETS.efficiency}`);
	if (result.throttledShare > GATE_TARGETS.throttledShare)
		missed.push(
			`${(result.throttledShare * 100).toFixed(1)} % of calls answered 429 > ${GATE_TARGETS.throttledShare * 100} %`,
		);
	if (result.failedOrders > 0) missed.push(`${result.failedOrders} orders failed`);
	return missed;
}
