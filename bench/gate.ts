// `npm run bench:gate`: the rate control at any number of n8n processes (#21, item 4), simulated.
//
//   npm run bench:gate -- [--processes 1,2,4,8,16,32] [--limits 20,50] [--orders 300]
//                         [--latency 50] [--concurrency 10] [--seed 21] [--out bench/results/gate.md]
//
// Each process (a queue-mode worker) has its own AccountGate for one Electio account: the real
// nodes/Electio/transport/gate.ts on a virtual clock (bench/gateSim/clock.ts, a discrete-event
// scheduler), called as ElectioClient.request calls it. They share one account limited to
// --limits requests/s (a token bucket as the sandbox's, 429 + Retry-After) and one queue of
// --orders ERP orders posted at once, 4 to 6 calls each. Virtual time makes every run the same and
// takes seconds. Efficiency = ideal / wall, ideal = calls answered other than 429 / limit, as
// bench:queue and bench:webhook define it. Exits non-zero when a run misses #21's targets.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { cliArgs } from '../harness/args';
import { elapsed, log } from '../harness/process';
import { REPO_ROOT } from '../harness/package';
import { table } from './markdown';
import {
	DEFAULT_SIM,
	GATE_TARGETS,
	missedTargets,
	simulate,
	type SimResult,
	type SimSettings,
} from './gateSim/simulate';

interface Settings {
	processes: number[];
	limits: number[];
	base: SimSettings;
	out: string;
}

function parseArgs(argv: string[]): Settings {
	const args = cliArgs(argv);
	const numbers = (name: string, fallback: string) =>
		args.list(name, fallback).map((entry) => {
			const value = Number(entry);
			if (!Number.isInteger(value) || value < 1)
				throw new Error(`--${name} takes whole numbers >= 1`);
			return value;
		});
	return {
		processes: numbers('processes', '1,2,4,8,16,32'),
		limits: numbers('limits', '20,50'),
		base: {
			...DEFAULT_SIM,
			orders: args.num('orders', DEFAULT_SIM.orders),
			latencyMs: args.num('latency', DEFAULT_SIM.latencyMs),
			concurrency: args.num('concurrency', DEFAULT_SIM.concurrency),
			seed: args.num('seed', DEFAULT_SIM.seed, 0),
		},
		out: path.resolve(args.value('out') ?? path.join(REPO_ROOT, 'bench/results/gate.md')),
	};
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

function resultsTable(rows: SimResult[]): string {
	return table(
		[
			'limit /s',
			'processes',
			'orders per process',
			'calls answered',
			'429s',
			'429 share',
			'wall s',
			'ideal s',
			'efficiency',
			'targets',
		],
		rows.map((r) => {
			const missed = missedTargets(r);
			return [
				String(r.settings.limit),
				String(r.settings.processes),
				r.ordersPerProcess[0] === r.ordersPerProcess[1]
					? String(r.ordersPerProcess[0])
					: r.ordersPerProcess.join(' to '),
				String(r.okCalls),
				String(r.throttledCalls),
				percent(r.throttledShare),
				r.wallS.toFixed(1),
				r.idealS.toFixed(1),
				r.efficiency.toFixed(2),
				missed.length ? `**missed**: ${missed.join(', ')}` : 'met',
			];
		}),
	);
}

function report(s: Settings, rows: SimResult[], meta: { head: string; took: string }): string {
	const b = s.base;
	return [
		'# Benchmark: the rate control at 1 to 32 n8n processes, simulated',
		'',
		`Run ${new Date().toISOString()}; gate code from the working tree at ${meta.head}; took ${meta.took} (virtual time: every run gives the same numbers).`,
		'',
		`- Processes: n8n queue-mode workers, each with its own \`AccountGate\` (the real \`nodes/Electio/transport/gate.ts\`, on a virtual clock) for one Electio account, each call made as \`ElectioClient.request\` makes it (a new \`RunGate\` per node run; 429 → \`releaseThrottled(Retry-After)\` and again, within Max Wait When Throttled)`,
		`- Burst: ${b.orders} ERP orders posted at once to one queue; each process runs ${b.concurrency} executions at a time (n8n's default worker concurrency), taking the next order when one ends; an order is ${b.callsPerOrder[0]} to ${b.callsPerOrder[1]} calls one after the other (seeded, ${b.stepMs} ms of n8n between two)`,
		`- Account: a token bucket of L requests/s, burst L (as the sandbox's), 429 + Retry-After in whole seconds when empty; ${b.latencyMs} ms per call (±${b.latencyJitter * 100} %, seeded), the limit checked halfway`,
		'- Wall = first order taken to last order done (virtual). Ideal = calls answered other than 429 / L; efficiency = ideal / wall, as in `bench/results/queue.md`. 429 share = calls answered 429 / all calls.',
		`- Targets (#21) at every process count: efficiency >= ${GATE_TARGETS.efficiency}, at most ${GATE_TARGETS.throttledShare * 100} % of calls answered 429, no order failed.`,
		'',
		resultsTable(rows),
		'',
	].join('\n');
}

async function main(): Promise<void> {
	const s = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const rows: SimResult[] = [];
	for (const limit of s.limits) {
		for (const processes of s.processes) {
			rows.push(await simulate({ ...s.base, limit, processes }));
		}
	}
	const head = execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'], {
		encoding: 'utf8',
	}).trim();
	const markdown = report(s, rows, { head, took: elapsed(started) });
	fs.mkdirSync(path.dirname(s.out), { recursive: true });
	fs.writeFileSync(s.out, markdown);
	console.log(markdown);
	log(`written to ${path.relative(process.cwd(), s.out)} in ${elapsed(started)}`);
	const missed = rows.filter((row) => missedTargets(row).length > 0);
	if (missed.length) {
		console.error(`bench:gate: ${missed.length} of ${rows.length} runs missed the targets`);
		process.exit(1);
	}
}

main().catch((error) => {
	console.error(
		`bench:gate failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
	);
	process.exit(1);
});
