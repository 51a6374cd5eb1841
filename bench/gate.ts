// `npm run bench:gate`: the rate control at any number of n8n processes (#21, item 4), simulated.
//
//   npm run bench:gate -- [--processes 1,2,4,8,16,32] [--limits 20,50] [--burst 300]
//                         [--latency 50] [--concurrency 10] [--seed 21] [--out bench/results/gate.md]
//
// Each process (a queue-mode worker) has its own AccountGate for one Electio account: the real
// nodes/Electio/transport/gate.ts on a virtual clock (bench/gateSim/clock.ts, a discrete-event
// scheduler), called as ElectioClient.request calls it. They share one account limited to
// --limits requests/s (a token bucket as the sandbox's, 429 + Retry-After) and one queue of ERP
// orders posted at once, 4 to 6 calls each. Two workloads:
//   - sustained: 150 orders per process (at least 300), the one #21's targets are checked on;
//   - one burst of --burst orders spread over the processes, beside the equal-share reference (each
//     process pacing at exactly limit / processes from its first call).
// Virtual time makes every run the same and takes seconds. Efficiency = ideal / wall, ideal =
// calls answered other than 429 / limit, as bench:queue and bench:webhook define it. Exits
// non-zero when a sustained run misses the targets.
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
	SUSTAINED_ORDERS_PER_PROCESS,
	sustainedOrders,
	type SimResult,
	type SimSettings,
} from './gateSim/simulate';

interface Settings {
	processes: number[];
	limits: number[];
	burst: number;
	base: SimSettings;
	out: string;
}

function parseArgs(argv: string[]): Settings {
	const args = cliArgs(argv);
	const counts = (name: string, fallback: string) =>
		args.list(name, fallback).map((entry) => {
			const value = Number(entry);
			if (!Number.isInteger(value) || value < 1)
				throw new Error(`--${name} takes whole numbers >= 1`);
			return value;
		});
	return {
		processes: counts('processes', '1,2,4,8,16,32'),
		limits: counts('limits', '20,50'),
		burst: args.num('burst', 300),
		base: {
			...DEFAULT_SIM,
			latencyMs: args.num('latency', DEFAULT_SIM.latencyMs),
			concurrency: args.num('concurrency', DEFAULT_SIM.concurrency),
			seed: args.num('seed', DEFAULT_SIM.seed, 0),
		},
		out: path.resolve(args.value('out') ?? path.join(REPO_ROOT, 'bench/results/gate.md')),
	};
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

const split = (r: SimResult) =>
	r.ordersPerProcess[0] === r.ordersPerProcess[1]
		? String(r.ordersPerProcess[0])
		: r.ordersPerProcess.join(' to ');

const verdict = (r: SimResult) => {
	const missed = missedTargets(r);
	return missed.length ? `**missed**: ${missed.join(', ')}` : 'met';
};

const HEADERS = [
	'limit /s',
	'processes',
	'orders',
	'orders per process',
	'calls answered',
	'429s',
	'429 share',
	'wall s',
	'ideal s',
	'efficiency',
];

const cells = (r: SimResult) => [
	String(r.settings.limit),
	String(r.settings.processes),
	String(r.settings.orders),
	split(r),
	String(r.okCalls),
	String(r.throttledCalls),
	percent(r.throttledShare),
	r.wallS.toFixed(1),
	r.idealS.toFixed(1),
	r.efficiency.toFixed(2),
];

function report(
	s: Settings,
	sustained: SimResult[],
	burst: Array<{ gate: SimResult; equalShare: SimResult }>,
	meta: { head: string; took: string },
): string {
	const b = s.base;
	return [
		'# Benchmark: the rate control at 1 to 32 n8n processes, simulated',
		'',
		`Run ${new Date().toISOString()}; gate code from the working tree at ${meta.head}; took ${meta.took} (virtual time: every run gives the same numbers).`,
		'',
		`- Processes: n8n queue-mode workers, each with its own \`AccountGate\` (the real \`nodes/Electio/transport/gate.ts\`, on a virtual clock) for one Electio account, each call made as \`ElectioClient.request\` makes it (a new \`RunGate\` per node run; 429 → \`releaseThrottled(Retry-After)\` and again, within Max Wait When Throttled)`,
		`- Orders: posted at once to one queue; each process runs ${b.concurrency} executions at a time (n8n's default worker concurrency), taking the next order when one ends; an order is ${b.callsPerOrder[0]} to ${b.callsPerOrder[1]} calls one after the other (seeded, ${b.stepMs} ms of n8n between two)`,
		`- Account: a token bucket of L requests/s, burst L (as the sandbox's), 429 + Retry-After in whole seconds when empty; ${b.latencyMs} ms per call (±${b.latencyJitter * 100} %, seeded), the limit checked halfway`,
		"- Wall = first order taken to last order done (virtual). Ideal = calls answered other than 429 / L; efficiency = ideal / wall, as in `bench/results/queue.md` (above 1 when the bucket's initial burst weighs: it lets L calls through on top of the rate). 429 share = calls answered 429 / all calls.",
		`- Targets (#21) at every process count: efficiency >= ${GATE_TARGETS.efficiency}, at most ${GATE_TARGETS.throttledShare * 100} % of calls answered 429, no order failed.`,
		'',
		`## Sustained: ${SUSTAINED_ORDERS_PER_PROCESS} orders per process (at least 300): the targets`,
		'',
		'Every process stays busy long after it has learned its share of the limit.',
		'',
		table(
			[...HEADERS, 'targets'],
			sustained.map((r) => [...cells(r), verdict(r)]),
		),
		'',
		`## One burst of ${s.burst} orders spread over the processes`,
		'',
		`Each process learns its share from its own calls; with many processes the burst ends first. With 32 processes (10 executions each, 320 slots) all ${s.burst} orders are taken at once, 9 or 10 per process, so the process with the most calls sets the wall: even pacing at exactly the equal share from the first call (the last column, \`bench/gateSim/equalShare.ts\`) stays near 0.9. Reported, not checked against the targets.`,
		'',
		table(
			[...HEADERS, 'equal-share pacing: efficiency (429 share)'],
			burst.map(({ gate, equalShare }) => [
				...cells(gate),
				`${equalShare.efficiency.toFixed(2)} (${percent(equalShare.throttledShare)})`,
			]),
		),
		'',
	].join('\n');
}

async function main(): Promise<void> {
	const s = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const sustained: SimResult[] = [];
	const burst: Array<{ gate: SimResult; equalShare: SimResult }> = [];
	for (const limit of s.limits) {
		for (const processes of s.processes) {
			const run = { ...s.base, limit, processes };
			sustained.push(await simulate({ ...run, orders: sustainedOrders(processes) }));
			burst.push({
				gate: await simulate({ ...run, orders: s.burst }),
				equalShare: await simulate({ ...run, orders: s.burst, pacing: 'equalShare' }),
			});
		}
	}
	const head = execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'], {
		encoding: 'utf8',
	}).trim();
	const markdown = report(s, sustained, burst, { head, took: elapsed(started) });
	fs.mkdirSync(path.dirname(s.out), { recursive: true });
	fs.writeFileSync(s.out, markdown);
	console.log(markdown);
	log(`written to ${path.relative(process.cwd(), s.out)} in ${elapsed(started)}`);
	const missed = sustained.filter((row) => missedTargets(row).length > 0);
	if (missed.length) {
		console.error(
			`bench:gate: ${missed.length} of ${sustained.length} sustained runs missed the targets`,
		);
		process.exit(1);
	}
}

main().catch((error) => {
	console.error(
		`bench:gate failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
	);
	process.exit(1);
});
