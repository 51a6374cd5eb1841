// `npm run bench:queue`: the ERP webhook example under a burst, in n8n's queue mode, with 1 and 2
// workers, against a rate-limited sandbox (#12: each worker process has its own rate control).
//
//   npm run bench:queue -- [--n 200] [--rate 20] [--latency 50] [--workers 1,2] [--concurrency 10]
//                          [--pairs 20] [--ref HEAD] [--no-build] [--out bench/results/queue.md]
//
// For each worker count, a fresh cluster (harness/real-n8n/queue.ts: Redis, Postgres, n8n main
// with EXECUTIONS_MODE=queue, the workers, each with the package in its nodes folder) runs
// examples/erp-webhook-to-label.json, published, against one in-process sandbox limited to
// --rate requests/s per key (token bucket, 429 + Retry-After) with --latency ms per call:
//   1. burst: --n orders posted at once, each its own HTTP call (an ERP flushing its queue);
//   2. redelivery: every order posted once more after its answer (all at once again);
//   3. simultaneous pairs: --pairs new orders, each posted twice at the same moment.
// Per order: what the ERP was answered (status, consignment, tracking numbers, latency) against
// the sandbox's records (consignments per customer reference, states, labels; every API call's
// status). Efficiency = ideal / wall, ideal = N x (non-429 calls per order) / R.
// --ref <commit> packs the package from that commit (a clean export, built beside the clone)
// instead of the working tree, so a tree others are editing does not change what is measured.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Sandbox } from '../sandbox';
import { readExample, REPO_ROOT } from '../harness/package';
import { cliArgs } from '../harness/args';
import { cpuSeconds, elapsed, log, runOrThrow } from '../harness/process';
import { failedText, headCommit } from './markdown';
import { benchSandbox, startErpCluster } from './stack';
import { buildAndPack, ensureN8n, nodeItems, type N8nRuntime } from '../harness/real-n8n';
import { QueueCluster } from '../harness/real-n8n/queue';
import { queueServiceVersions } from '../harness/real-n8n/services';
import { ERP_WORKFLOW_ID, erpOrder } from '../harness/fixtures/webhookFlows';
import { burstOutcome, percentile, type BurstOutcome } from '../harness/webhookOutcomes';
import { sendAllTimed, type WebhookSend } from '../harness/webhookSends';

interface Settings {
	n: number;
	rate: number;
	latency: number;
	workers: number[];
	concurrency?: number;
	pairs: number;
	ref?: string;
	build: boolean;
	out: string;
}

interface Phase {
	/** orders sent (the name is the report's Raw JSON key) */
	deliveries: number;
	wallS: number;
	calls: number;
	calls429: number;
	/** calls answered other than 429 */
	workCalls: number;
	p50S: number;
	p95S: number;
	maxS: number;
}

interface Row {
	workers: number;
	burst: Phase;
	burstOutcome: BurstOutcome;
	idealS: number;
	efficiency: number;
	callsPerOrder: number;
	redelivery: Phase;
	/** after burst and redelivery */
	outcome: BurstOutcome;
	pairs: Phase;
	pairsOutcome: BurstOutcome;
	/** extra consignments of the simultaneous pairs already Cancelled */
	pairsCancelled: number;
	/** the pairs whose two sends ran on two different workers */
	pairsSplit: string[];
	executionsPerWorker: Record<string, number>;
	/** CPU seconds each n8n process used during the burst */
	burstCpuS: Record<string, number>;
	executionsFailed: number;
	bootS: number;
}

function parseArgs(argv: string[]): Settings {
	const args = cliArgs(argv);
	return {
		n: args.num('n', 200, 0),
		rate: args.num('rate', 20, 0),
		latency: args.num('latency', 50, 0),
		workers: args.list('workers', '1,2').map(Number),
		concurrency: args.value('concurrency') ? args.num('concurrency', 10, 0) : undefined,
		pairs: args.num('pairs', 20, 0),
		ref: args.value('ref'),
		build: !args.flag('no-build'),
		out: path.resolve(REPO_ROOT, args.value('out') ?? 'bench/results/queue.md'),
	};
}

/** The package as committed at `ref`: a clean export beside the clone, built and packed there. */
async function packAtRef(ref: string): Promise<{ tgz: string; commit: string }> {
	const commit = execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', ref], {
		encoding: 'utf8',
	}).trim();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'electio-bench-ref-'));
	execFileSync('bash', ['-c', `git -C "${REPO_ROOT}" archive "${commit}" | tar -x -C "${dir}"`]);
	fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
	log(`building ${commit.slice(0, 7)} in ${dir}...`);
	await runOrThrow('npm run build (at ref)', 'npm', ['run', '--silent', 'build'], {
		cwd: dir,
		timeoutMs: 5 * 60_000,
	});
	const packed = await runOrThrow(
		'npm pack (at ref)',
		'npm',
		['pack', '--json', '--loglevel=error'],
		{
			cwd: dir,
			timeoutMs: 2 * 60_000,
		},
	);
	const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
		filename: string;
	}>;
	return { tgz: path.join(dir, filename), commit };
}

/** CPU seconds per n8n process of the cluster (main, worker-1, ...), each with its task runner. */
function clusterCpu(cluster: QueueCluster): Record<string, number> {
	const of = (pid: number | undefined) => (pid === undefined ? 0 : cpuSeconds(pid));
	return Object.fromEntries([
		['main', of(cluster.main?.child.pid)],
		...cluster.workers.map((w) => [w.name, of(w.server.child.pid)]),
	]);
}

function phase(sandbox: Sandbox, sends: WebhookSend[], wallMs: number): Phase {
	const calls = sandbox.requests();
	const calls429 = calls.filter((c) => c.status === 429).length;
	const seconds = sends.map((send) => send.ms / 1000);
	return {
		deliveries: sends.length,
		wallS: wallMs / 1000,
		calls: calls.length,
		calls429,
		workCalls: calls.length - calls429,
		p50S: percentile(seconds, 50),
		p95S: percentile(seconds, 95),
		maxS: Math.max(...seconds),
	};
}

async function scenario(
	s: Settings,
	runtime: N8nRuntime,
	tgz: string,
	sandbox: Sandbox,
	workers: number,
): Promise<Row> {
	const { cluster, url, bootS } = await startErpCluster({
		runtime,
		tgz,
		sandbox,
		latencyMs: s.latency,
		rate: s.rate,
		workers,
		workerConcurrency: s.concurrency,
		folderPrefix: 'electio-bench-queue-',
	});
	let keep = false;
	try {
		const orders = Array.from({ length: s.n }, (_, i) =>
			erpOrder(`SO-BURST-${String(i + 1).padStart(4, '0')}`),
		);
		const numbers = orders.map((o) => o.orderNumber);
		log(`${workers} worker(s): burst of ${s.n} orders at ${s.rate} requests/s...`);
		const cpuBefore = clusterCpu(cluster);
		const first = await sendAllTimed(url, orders, 600_000);
		const cpuAfter = clusterCpu(cluster);
		const burstCpuS = Object.fromEntries(
			Object.entries(cpuAfter).map(([name, s]) => [name, s - cpuBefore[name]]),
		);
		await cluster.settledExecutions(ERP_WORKFLOW_ID, s.n, 120_000);
		const burst = phase(sandbox, first.sends, first.wallMs);
		const burstResult = burstOutcome(sandbox, numbers, first.sends);
		log(
			`  burst: ${burstResult.answered}/${s.n} answered in ${burst.wallS.toFixed(1)} s, ${burst.calls429} of ${burst.calls} calls 429`,
		);

		sandbox.clearRequests();
		const again = await sendAllTimed(url, orders, 600_000);
		await cluster.settledExecutions(ERP_WORKFLOW_ID, 2 * s.n, 120_000);
		const redelivery = phase(sandbox, again.sends, again.wallMs);
		const outcome = burstOutcome(sandbox, numbers, first.sends, again.sends);
		log(
			`  redelivery: ${outcome.sameAnswer}/${s.n} answered the same, ${outcome.duplicates.length} orders with duplicates`,
		);

		sandbox.clearRequests();
		const pairOrders = Array.from({ length: s.pairs }, (_, i) =>
			erpOrder(`SO-PAIR-${String(i + 1).padStart(4, '0')}`),
		);
		const both = await sendAllTimed(url, [...pairOrders, ...pairOrders], 600_000);
		await cluster.settledExecutions(ERP_WORKFLOW_ID, 2 * s.n + 2 * s.pairs, 120_000);
		const pairs = phase(sandbox, both.sends, both.wallMs);
		const pairsOutcome = burstOutcome(
			sandbox,
			pairOrders.map((o) => o.orderNumber),
			both.sends.slice(0, s.pairs),
			both.sends.slice(s.pairs),
		);
		const pairNumbers = new Set(pairOrders.map((o) => o.orderNumber));
		const pairRecords = sandbox
			.consignments()
			.filter((c) => pairNumbers.has(String(c.ConsignmentReferenceProvidedByCustomer)));
		const pairsCancelled = pairRecords.filter((c) => c.ConsignmentState === 'Cancelled').length;
		log(
			`  simultaneous pairs: ${pairsOutcome.duplicates.length}/${s.pairs} created twice (${pairsCancelled} cancelled)`,
		);

		const executions = await cluster.executions(ERP_WORKFLOW_ID);
		const byWorker = cluster.executionsByWorker();
		// which workers ran the two sends of each pair (the order number from the webhook's body)
		const trigger = readExample('erp-webhook-to-label.json').nodes.find(
			(node: any) => node.type === 'n8n-nodes-base.webhook',
		).name;
		const pairWorkers = new Map<string, Set<string>>();
		for (const execution of executions.slice(-2 * s.pairs)) {
			const data = await cluster.execution(execution.id);
			const order = String(nodeItems(data, trigger)[0]?.json?.body?.orderNumber);
			const workers = pairWorkers.get(order) ?? new Set<string>();
			workers.add(byWorker.get(execution.id) ?? 'main');
			pairWorkers.set(order, workers);
		}
		const pairsSplit = [...pairWorkers.entries()].filter(([, w]) => w.size > 1).map(([o]) => o);
		const executionsPerWorker: Record<string, number> = {};
		for (const execution of executions) {
			const worker = byWorker.get(execution.id) ?? 'not on a worker';
			executionsPerWorker[worker] = (executionsPerWorker[worker] ?? 0) + 1;
		}
		const callsPerOrder = burst.workCalls / s.n;
		const idealS = (s.n * callsPerOrder) / s.rate;
		return {
			workers,
			burst,
			burstOutcome: burstResult,
			idealS,
			efficiency: idealS / burst.wallS,
			callsPerOrder,
			redelivery,
			outcome,
			pairs,
			pairsOutcome,
			pairsCancelled,
			pairsSplit,
			executionsPerWorker,
			burstCpuS,
			executionsFailed: executions.filter((e) => e.status !== 'success').length,
			bootS,
		};
	} catch (error) {
		keep = true;
		throw error;
	} finally {
		await cluster.stop({ keep });
	}
}

function report(s: Settings, rows: Row[], meta: Record<string, string>): string {
	const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
	const pct = (part: number, whole: number) =>
		whole ? `${((100 * part) / whole).toFixed(0)} %` : '-';
	const lines = [
		'# Benchmark: the ERP webhook burst in n8n queue mode, 1 and 2 workers',
		'',
		`Run ${new Date().toISOString()}; ${meta.what}; took ${meta.took}.`,
		'',
		`- Machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM; main, the workers, Redis, Postgres, the sandbox and the client share it`,
		`- n8n ${meta.n8n} in queue mode: \`n8n start\` (EXECUTIONS_MODE=queue, Postgres ${meta.postgres}, Redis ${meta.redis}, binary data mode \`database\`) and \`n8n worker\` processes (concurrency ${s.concurrency ?? "n8n's default 10"} each), every process with the package in its own nodes folder`,
		`- Workflow: \`examples/erp-webhook-to-label.json\` as on this commit, published; each order is its own HTTP call and execution (Create -> Allocate cheapest -> Get Label -> Respond)`,
		`- Sandbox: ${s.latency} ms per call, limited to ${s.rate} requests/s per key (token bucket, burst ${s.rate}, 429 + Retry-After in whole seconds)`,
		`- Burst: ${s.n} orders posted at once. Answered = 200 with a consignment reference and tracking numbers that match the sandbox's consignment for the order. Lost = no allocated, labelled consignment for the order in the sandbox at the end. Duplicates = orders the sandbox holds more than one consignment for.`,
		`- Ideal = N x (calls answered other than 429, per order) / R; efficiency = ideal / wall. Wall = first order sent to last answer. Latency = per order, sent to answered.`,
		'',
		'## Burst',
		'',
		'| workers | orders | answered | failed | wall s | ideal s | efficiency | API calls | 429s | 429 share | calls/order (non-429) | p50 s | p95 s | max s | executions per worker | CPU s during the burst |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
	];
	for (const r of rows) {
		lines.push(
			`| ${r.workers} | ${s.n} | ${r.burstOutcome.answered} | ${failedText(r.burstOutcome.failed)} | ${f(r.burst.wallS)} | ${f(r.idealS)} | ${f(r.efficiency, 2)} | ${r.burst.calls} | ${r.burst.calls429} | ${pct(r.burst.calls429, r.burst.calls)} | ${f(r.callsPerOrder, 2)} | ${f(r.burst.p50S)} | ${f(r.burst.p95S)} | ${f(r.burst.maxS)} | ${Object.entries(
				r.executionsPerWorker,
			)
				.map(([w, c]) => `${w}: ${c}`)
				.join(', ')} | ${Object.entries(r.burstCpuS)
				.map(([name, cpu]) => `${name} ${cpu.toFixed(0)}`)
				.join(', ')} |`,
		);
	}
	lines.push(
		'',
		'## Redelivery and simultaneous pairs',
		'',
		`Redelivery: every order of the burst posted once more after its answer (all at once). Pairs: ${s.pairs} new orders, each posted twice at the same moment.`,
		'',
		'| workers | redelivered: same answer | orders with duplicates after redelivery | lost | redelivery wall s | its API calls (429s) | pairs on two workers | pairs created twice (on two workers / on one) | of those, extra one cancelled | pairs both answered the same | pairs wall s | their API calls (429s) | failed executions |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|---|',
	);
	for (const r of rows) {
		lines.push(
			`| ${r.workers} | ${r.outcome.sameAnswer}/${s.n} | ${r.outcome.duplicates.length} | ${r.outcome.lost.length} | ${f(r.redelivery.wallS)} | ${r.redelivery.calls} (${r.redelivery.calls429}) | ${r.pairsSplit.length}/${s.pairs} | ${r.pairsOutcome.duplicates.length}/${s.pairs} (${r.pairsOutcome.duplicates.filter((o) => r.pairsSplit.includes(o)).length} / ${r.pairsOutcome.duplicates.filter((o) => !r.pairsSplit.includes(o)).length}) | ${r.pairsCancelled} | ${r.pairsOutcome.sameAnswer}/${s.pairs} | ${f(r.pairs.wallS)} | ${r.pairs.calls} (${r.pairs.calls429}) | ${r.executionsFailed} |`,
		);
	}
	lines.push('', '## Raw', '', '```json', JSON.stringify(rows, null, 1), '```', '');
	return lines.join('\n');
}

async function main(): Promise<void> {
	const s = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const runtime = await ensureN8n();
	const head = headCommit();
	let what: string;
	let tgz: string;
	if (s.ref) {
		const packed = await packAtRef(s.ref);
		tgz = packed.tgz;
		what = `package built from commit ${packed.commit.slice(0, 7)} (a clean export)`;
	} else {
		tgz = await buildAndPack({ build: s.build });
		what = `package built from the working tree at ${head}${s.build ? '' : ' (dist/ as it was)'}`;
	}
	const sandbox = await benchSandbox(s.latency);
	const rows: Row[] = [];
	try {
		for (const workers of s.workers) {
			const one = Date.now();
			rows.push(await scenario(s, runtime, tgz, sandbox, workers));
			log(`${workers} worker(s) done in ${elapsed(one)}`);
		}
	} finally {
		await sandbox.close();
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	}
	const services = queueServiceVersions();
	const markdown = report(s, rows, {
		what,
		took: elapsed(started),
		n8n: runtime.version,
		postgres: services.postgres,
		redis: services.redis,
	});
	fs.mkdirSync(path.dirname(s.out), { recursive: true });
	fs.writeFileSync(s.out, markdown);
	console.log(markdown.split('## Raw')[0]);
	log(`written to ${path.relative(process.cwd(), s.out)} in ${elapsed(started)}`);
}

main().catch((error) => {
	console.error(
		`bench:queue failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
	);
	process.exit(1);
});
