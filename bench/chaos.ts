// `npm run chaos`: n8n's own processes fail in the middle of the work (#21), and no order may be
// lost, shipped twice or left half-done.
//
//   npm run chaos -- [--orders 300] [--rate 20] [--workers 3] [--timeout 60] [--latency 50]
//                    [--scenarios control,worker-kill,main-restart,redis-stop,single-kill]
//                    [--seed 1] [--kill-at 0.25,0.6] [--no-build] [--out bench/results/chaos.md]
//
// Queue-mode scenarios, each on a fresh cluster (harness/real-n8n/queue.ts: Redis, Postgres, n8n
// main and --workers workers, the package in each one's nodes folder) running
// examples/erp-webhook-to-label.json against one in-process sandbox limited to --rate requests/s
// (--latency ms per call). An ERP client (harness/erpClient.ts) posts --orders orders at once and
// delivers an order again after no answer within --timeout s, a 5xx or a 404, waiting a doubling
// backoff (2 s to 60 s) with jitter seeded by --seed, or the answer's Retry-After, at most 8 times
// and 15 minutes per order:
//   - control:      no fault;
//   - worker-kill:  at 30 % of the orders answered, worker-1 is SIGKILLed and a new worker started;
//   - main-restart: at 60 %, main is stopped (SIGTERM) and started again on its port;
//   - redis-stop:   at 80 %, Redis is stopped for 5 s (its data saved) and started again.
// Once the ERP is done and n8n's executions have settled, every order is delivered once more: its
// answer must be the one the ERP kept. Per scenario (bench/chaosMeasure.ts, bench/chaosOutcome.ts):
// definite answers, consignments per order, lost / twice / orphaned orders, answers that differ,
// what the ERP got instead of an answer, wall time, efficiency (as bench:queue: calls answered
// other than 429 / rate, over the wall time) and the 429 share.
//   - single-kill:  one `n8n execute` of examples/quotes-flow.json with --orders consignments
//                   (bench/singleKill.ts, harness/killedBatch.ts): a clean run, then for each
//                   --kill-at share of its calls (by default 0.25: while creating, 0.6: while
//                   allocating) a run SIGKILLed there and the same run again; every consignment must
//                   be created once, allocated once and Manifested once; the rerun's cost in calls.
// Exits 1 when any order is lost, shipped twice or orphaned; times are reported, never asserted.
// Results: bench/results/chaos.md (bench/chaosReport.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { cliArgs } from '../harness/args';
import { REPO_ROOT } from '../harness/package';
import { elapsed, log } from '../harness/process';
import { buildAndPack, ensureN8n } from '../harness/real-n8n';
import { queueServiceVersions } from '../harness/real-n8n/services';
import {
	FAULTS,
	runQueueScenario,
	type QueueRun,
	type QueueScenario,
	type Settings,
} from './chaosMeasure';
import { chaosReport, failures } from './chaosReport';
import { headCommit } from './markdown';
import { runSingleKill, type SingleKillRun } from './singleKill';
import { benchSandbox } from './stack';

const QUEUE_SCENARIOS: QueueScenario[] = ['control', ...(Object.keys(FAULTS) as QueueScenario[])];
const SCENARIOS = [...QUEUE_SCENARIOS, 'single-kill'];

function parseArgs(argv: string[]): Settings {
	const args = cliArgs(argv);
	const scenarios = args.list('scenarios', SCENARIOS.join(','));
	const unknown = scenarios.filter((name) => !SCENARIOS.includes(name));
	if (unknown.length)
		throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
	const killAt = args.list('kill-at', '0.25,0.6').map(Number);
	if (killAt.some((share) => !(share > 0 && share < 1)))
		throw new Error('--kill-at takes shares of the calls, between 0 and 1');
	return {
		orders: args.num('orders', 300),
		rate: args.num('rate', 20),
		latency: args.num('latency', 50, 0),
		workers: args.num('workers', 3),
		timeoutS: args.num('timeout', 60),
		seed: args.num('seed', 1, 0),
		scenarios,
		killAt,
		build: !args.flag('no-build'),
		out: path.resolve(REPO_ROOT, args.value('out') ?? 'bench/results/chaos.md'),
	};
}

async function main(): Promise<number> {
	const s = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const runtime = await ensureN8n();
	const tgz = await buildAndPack({ build: s.build });
	const sandbox = await benchSandbox(s.latency);
	const queueRuns: QueueRun[] = [];
	let singleKill: SingleKillRun | undefined;
	try {
		for (const scenario of QUEUE_SCENARIOS.filter((name) => s.scenarios.includes(name))) {
			const one = Date.now();
			queueRuns.push(await runQueueScenario(s, runtime, tgz, sandbox, scenario));
			log(`${scenario} done in ${elapsed(one)}`);
		}
		if (s.scenarios.includes('single-kill')) {
			const one = Date.now();
			singleKill = await runSingleKill(s, tgz, sandbox);
			log(`single-kill done in ${elapsed(one)}`);
		}
	} finally {
		await sandbox.close();
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	}
	const markdown = chaosReport(s, queueRuns, singleKill, {
		what: `package built from the working tree at ${headCommit()}${s.build ? '' : ' (dist/ as it was)'}`,
		took: elapsed(started),
		n8n: runtime.version,
		...queueServiceVersions(),
	});
	fs.mkdirSync(path.dirname(s.out), { recursive: true });
	fs.writeFileSync(s.out, markdown);
	console.log(markdown.split('## Raw')[0]);
	log(`written to ${path.relative(process.cwd(), s.out)} in ${elapsed(started)}`);
	const failed = failures(queueRuns, singleKill);
	for (const line of failed) log(`FAILED: ${line}`);
	return failed.length ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(
			`chaos failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
		);
		process.exit(1);
	},
);
