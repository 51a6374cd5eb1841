// What one queue-mode chaos scenario of `npm run chaos` measures (bench/chaos.ts runs them): a fresh
// cluster (main + workers over Redis and Postgres) runs the ERP example; the ERP client delivers
// every order at once and redelivers as a real one does; when enough orders are answered, the
// scenario's fault strikes; once the ERP is done and n8n's executions have settled, every order is
// delivered once more to check its answer, and the sandbox's records say what happened to each.
import type { Sandbox } from '../sandbox';
import { ERP_REDELIVERY, ErpClient, type OrderDeliveries } from '../harness/erpClient';
import { ERP_WORKFLOW_ID, erpOrder } from '../harness/fixtures/webhookFlows';
import { elapsed, log, until } from '../harness/process';
import type { N8nRuntime } from '../harness/real-n8n';
import { QueueCluster, type ExecutionRecord } from '../harness/real-n8n/queue';
import { sendAll } from '../harness/webhookSends';
import { chaosOutcome, type ChaosOutcome } from './chaosOutcome';
import { startErpCluster } from './stack';

export type QueueScenario = 'control' | 'worker-kill' | 'main-restart' | 'redis-stop';

export interface Settings {
	orders: number;
	rate: number;
	latency: number;
	workers: number;
	/** the ERP's client timeout, s */
	timeoutS: number;
	seed: number;
	scenarios: string[];
	/** single-kill: the shares of a clean run's calls after which n8n is killed, one run each */
	killAt: number[];
	build: boolean;
	out: string;
}

interface Fault {
	/** strikes once this share of the orders has a definite answer */
	at: number;
	what: string;
	/** applies the fault; returns what it took */
	apply(cluster: QueueCluster): Promise<string>;
}

const REDIS_DOWN_MS = 5000;

export const FAULTS: Record<Exclude<QueueScenario, 'control'>, Fault> = {
	'worker-kill': {
		at: 0.3,
		what: 'worker-1 and its task runner SIGKILLed, a new worker started in its place (its user folder)',
		apply: async (cluster) => {
			const killed = Date.now();
			await cluster.killWorker('worker-1');
			await cluster.replaceWorker('worker-1');
			return `the replacement took jobs ${elapsed(killed)} after the kill`;
		},
	},
	'main-restart': {
		at: 0.6,
		what: "main stopped (SIGTERM: n8n's own shutdown) and started again on its port",
		apply: async (cluster) => {
			const stopped = Date.now();
			await cluster.restartMain();
			return `main ready again ${elapsed(stopped)} after the stop`;
		},
	},
	'redis-stop': {
		at: 0.8,
		what: `Redis stopped (SHUTDOWN SAVE) for ${REDIS_DOWN_MS / 1000} s, then started again on its port with its data`,
		apply: async (cluster) => {
			const stopped = Date.now();
			await cluster.stopRedisFor(REDIS_DOWN_MS);
			return `Redis answering again ${elapsed(stopped)} after the stop`;
		},
	},
};

export interface FaultRecord {
	what: string;
	/** seconds after the first delivery */
	atS: number;
	/** orders with a definite answer when it struck */
	answeredBefore: number;
	note: string;
}

export interface QueueRun {
	scenario: QueueScenario;
	outcome: ChaosOutcome;
	fault?: FaultRecord;
	/** first delivery to the last definite answer */
	wallS: number;
	/** calls answered other than 429 / the rate limit, as bench:queue defines it */
	idealS: number;
	efficiency: number;
	/** n8n's executions of the example by status once settled ("running" ones never finished) */
	executions: Record<string, number>;
	/** executions per worker that did not succeed (e.g. the killed worker's) */
	failedByWorker: Record<string, number>;
	bootS: number;
	/** the cluster's folder, kept (logs, data) when the scenario failed */
	kept?: string;
}

const OPEN = ['new', 'running', 'waiting'];
/** the orders' numbers, as a Postgres pattern */
const ORDER_NUMBER = 'SO-CHAOS-[0-9]{4}';

/** Waits (at most `timeoutMs`) for n8n to finish or fail every execution; returns them all. */
async function settled(cluster: QueueCluster, timeoutMs: number): Promise<ExecutionRecord[]> {
	await cluster.settledExecutions(ERP_WORKFLOW_ID, 0, timeoutMs).catch(() => undefined);
	return await cluster.executions(ERP_WORKFLOW_ID);
}

/**
 * The order of each execution n8n has not finished, by its data in Postgres (the webhook's body is
 * in it until the execution ends): read before a fault, as n8n keeps nothing of a crashed one.
 */
async function ordersOfOpenExecutions(cluster: QueueCluster): Promise<Map<string, string>> {
	const rows = await cluster.query<{ id: string; orderNumber: string | null }>(
		`SELECT e.id::text AS id, substring(d.data from $1) AS "orderNumber"
		 FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id
		 WHERE e."workflowId" = $2 AND e.status IN ('new', 'running', 'waiting')`,
		[ORDER_NUMBER, ERP_WORKFLOW_ID],
	);
	return new Map(rows.filter((r) => r.orderNumber).map((r) => [r.id, r.orderNumber!]));
}

function countBy<T>(values: T[], key: (value: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[key(value)] = (counts[key(value)] ?? 0) + 1;
	return counts;
}

export async function runQueueScenario(
	s: Settings,
	runtime: N8nRuntime,
	tgz: string,
	sandbox: Sandbox,
	scenario: QueueScenario,
): Promise<QueueRun> {
	const { cluster, url, bootS } = await startErpCluster({
		runtime,
		tgz,
		sandbox,
		latencyMs: s.latency,
		rate: s.rate,
		workers: s.workers,
		folderPrefix: `electio-chaos-${scenario}-`,
	});
	let failed = true;
	try {
		const orders = Array.from({ length: s.orders }, (_, i) =>
			erpOrder(`SO-CHAOS-${String(i + 1).padStart(4, '0')}`),
		);
		const client = new ErpClient(url, {
			...ERP_REDELIVERY,
			timeoutMs: s.timeoutS * 1000,
			seed: s.seed,
		});
		log(`${scenario}: ${s.orders} orders at once, ${s.workers} workers, ${s.rate} requests/s...`);
		const started = Date.now();
		let done = false;
		const delivering = client.deliverAll(orders).finally(() => (done = true));
		const fault = scenario === 'control' ? undefined : FAULTS[scenario];
		let faultRecord: FaultRecord | undefined;
		let openOrders = new Map<string, string>();
		if (fault) {
			const threshold = Math.ceil(fault.at * s.orders);
			await until(
				() => done || client.definiteAnswers >= threshold,
				30 * 60_000,
				() => 'answers',
			);
			if (!done) {
				const atS = (Date.now() - started) / 1000;
				const answeredBefore = client.definiteAnswers;
				log(`  ${answeredBefore} answered after ${atS.toFixed(1)} s: ${fault.what}`);
				openOrders = await ordersOfOpenExecutions(cluster);
				const note = await fault.apply(cluster);
				log(`  ${note}`);
				faultRecord = { what: fault.what, atS, answeredBefore, note };
			}
		}
		const records: OrderDeliveries[] = await delivering;
		const lastAnswer = Math.max(
			started,
			...records.filter((r) => r.definite).map((r) => r.definite!.sentAt + r.definite!.ms),
		);
		const wallS = (lastAnswer - started) / 1000;
		log(
			`  ERP done: ${client.definiteAnswers}/${s.orders} answered, last after ${wallS.toFixed(1)} s; waiting for n8n's executions to settle...`,
		);
		// n8n 2.41.1 fails a killed worker's jobs only after about 100 s
		const executions = await settled(cluster, 180_000);
		const calls = sandbox.requests();
		const checks = await sendAll(url, orders, 600_000);
		await settled(cluster, 60_000);
		const lostOrders = executions
			.filter((e) => e.status !== 'success')
			.map((e) => openOrders.get(e.id));
		const outcome = chaosOutcome(sandbox, records, calls, checks, s.timeoutS, {
			orders: lostOrders,
			at: faultRecord ? started + faultRecord.atS * 1000 : lastAnswer,
		});
		const byWorker = cluster.executionsByWorker();
		const idealS = (outcome.orders * outcome.callsPerOrder) / s.rate;
		failed = outcome.lost.length + outcome.twice.length + outcome.orphans.length > 0;
		log(
			`  ${scenario}: ${outcome.definite} definite, ${outcome.lost.length} lost, ${outcome.twice.length} twice, ${outcome.orphans.length} orphaned, ${outcome.differing.length} answers differ`,
		);
		return {
			scenario,
			outcome,
			fault: faultRecord,
			wallS,
			idealS,
			efficiency: idealS / wallS,
			executions: countBy(executions, (e) => (OPEN.includes(e.status) ? 'running' : e.status)),
			failedByWorker: countBy(
				executions.filter((e) => e.status !== 'success'),
				(e) => byWorker.get(e.id) ?? 'no worker',
			),
			bootS,
			kept: failed ? cluster.dir : undefined,
		};
	} finally {
		await cluster.stop({ keep: failed });
	}
}
