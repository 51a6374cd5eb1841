// How `npm run bench` reports what bench/batchMeasure.ts measured: per contender the median run of
// its rounds, the ratios against the floor and the HTTP Request flow beside the targets, the scaling
// of ours over N, and every run.
import * as os from 'node:os';

import {
	CALLS_PER_CONSIGNMENT,
	CONTENDERS,
	contenderName,
	DEFAULT_IS_200,
	type BatchBench,
	type Contender,
	type Measurement,
	type Scenario,
	type Settings,
} from './batchMeasure';
import { headCommit, table } from './markdown';

function idealS(s: Settings, scenario: Scenario, n: number, c: Contender): number {
	const calls = n * CALLS_PER_CONSIGNMENT[c.kind] + 1;
	const concurrency = c.concurrency;
	if (scenario === 'limited') return calls / s.rate;
	return (calls * (s.latency / 1000)) / (concurrency || n);
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

interface Row {
	name: string;
	concurrency: number;
	wallS: number;
	executionS: number;
	failed: number;
	duplicates: number;
	callsPerS: number;
	throttled: number;
	peakRssMb: number;
	peakMainMb: number;
	ideal: number;
	status: string;
	rounds: number;
}

function summarise(
	s: Settings,
	results: Measurement[],
	c: Contender,
	scenario: Scenario,
	n: number,
): Row | undefined {
	const runs = results.filter(
		(r) => r.contender === contenderName(c) && r.scenario === scenario && r.n === n,
	);
	if (!runs.length) return undefined;
	// The median run by wall time stands for the contender (its own numbers, not a blend).
	const wall = median(runs.map((r) => r.wallS));
	const representative = [...runs].sort(
		(a, b) => Math.abs(a.wallS - wall) - Math.abs(b.wallS - wall),
	)[0];
	return {
		name: contenderName(c),
		concurrency: c.concurrency,
		wallS: wall,
		executionS: median(runs.map((r) => r.executionS)),
		failed: Math.max(...runs.map((r) => r.failed)),
		duplicates: Math.max(...runs.map((r) => r.duplicates)),
		callsPerS: median(runs.map((r) => r.calls2xx / r.wallS)),
		throttled: Math.round(median(runs.map((r) => r.throttled))),
		peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
		peakMainMb: Math.max(...runs.map((r) => r.peakMainMb)),
		ideal: idealS(s, scenario, n, c),
		status: [...new Set(runs.map((r) => r.status))].join('; ') || representative.status,
		rounds: runs.length,
	};
}

function scenarioTable(rows: Row[], n: number): string {
	return table(
		[
			'contender',
			'wall s',
			'consignments/s',
			'API calls/s',
			'items failed',
			'429s',
			'peak RSS MB (main / with runner)',
			'ideal s',
			'efficiency',
			'status',
		],
		rows.map((r) => [
			r.name,
			r.wallS.toFixed(2),
			(r.failed >= n ? 0 : (n - r.failed) / r.wallS).toFixed(1),
			r.callsPerS.toFixed(0),
			`${r.failed}${r.duplicates ? ` (+${r.duplicates} duplicates)` : ''}`,
			String(r.throttled),
			`${r.peakMainMb.toFixed(0)} / ${r.peakRssMb.toFixed(0)}`,
			r.ideal.toFixed(2),
			r.failed ? '-' : (r.ideal / r.wallS).toFixed(2),
			r.status,
		]),
	);
}

const ratio = (a?: Row, b?: Row) => (a && b ? (a.wallS / b.wallS).toFixed(2) : 'n/a');

/** The report of a run that started at `started`; `baseline` is our flow with N = 1 (n8n's footprint). */
export function batchReport(
	s: Settings,
	bench: BatchBench,
	lineup: Record<Scenario, Contender[]>,
	started: number,
	baseline: Measurement | undefined,
): string {
	const out = [
		...header(s, bench, started, baseline),
		...scenarioSections(s, bench, lineup),
		...scalingSection(s, bench),
		...everyRun(bench),
	];
	return out.join('\n');
}

function header(
	s: Settings,
	bench: BatchBench,
	started: number,
	baseline: Measurement | undefined,
): string[] {
	const out: string[] = [];
	const commit = headCommit();
	const cpus = os.cpus();
	out.push(`# Benchmark: the quotes flow, our node vs HTTP Request nodes vs a bare client`);
	out.push('');
	out.push(
		`Run ${new Date().toISOString()} at commit ${commit}${s.quick ? ' (quick mode)' : ''}; took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
	);
	out.push('');
	out.push(
		`- Machine: ${cpus.length} x ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${os.type()} ${os.release()}`,
	);
	out.push(
		`- Orchestrator, sandbox and floor: Node ${process.version}; n8n ${bench.stack.n8nVersion} on Node ${bench.stack.n8nNode} (\`n8n execute\`, one process per execution; n8n-nodes-base from the cached n8n install, binary data mode \`default\` = in memory)`,
	);
	out.push(
		`- Settings: N = ${s.n} consignments, latency ${s.latency} ms per call, limited scenario: ${s.rate} requests/s per key (token bucket, 429 + Retry-After in whole seconds), ${s.rounds} interleaved round(s), median shown`,
	);
	out.push(
		`- Flow: Create -> Get Quotes -> Allocate (cheapest) -> Get Labels (PDF) per consignment, then one Manifest From Query. Calls per consignment: ours ${CALLS_PER_CONSIGNMENT.ours} (Create at its default *Use Existing* looks the customer reference up before and after creating: never twice), the floor the same ${CALLS_PER_CONSIGNMENT.floor}, the HTTP Request flow ${CALLS_PER_CONSIGNMENT.http} (no such lookups: a redelivered order ships twice)`,
	);
	out.push(
		`- Wall time: n8n flows from the start of the first API node to the execution's stoppedAt (the execution's own clock; n8n start-up and the Orders node excluded); floor: first call to manifest answer`,
	);
	out.push(
		`- Ideal: unlimited \`(N x calls + 1) x latency / concurrency\` (HTTP Request: concurrency = N); limited \`(N x calls + 1) / R\`, calls being the contender's calls per consignment. Efficiency = ideal / wall. Items failed = consignments not Manifested in the sandbox at the end.`,
	);
	if (baseline) {
		out.push(
			`- n8n's own footprint in this run (our flow with N = 1): peak RSS ${baseline.peakMainMb.toFixed(0)} MB main process, ${baseline.peakRssMb.toFixed(0)} MB with its task runner`,
		);
	}
	out.push(
		`- Sandbox throughput in this run (no latency, no limit, ${bench.sandboxCapacity.workers} bare-client workers, same call mix): **${bench.sandboxCapacity.callsPerSecond.toFixed(0)} calls/s** (avg ${bench.sandboxCapacity.avgMs.toFixed(1)} ms in the sandbox per call)`,
	);
	out.push('');
	return out;
}

function scenarioSections(
	s: Settings,
	bench: BatchBench,
	lineup: Record<Scenario, Contender[]>,
): string[] {
	const { oursDefault, ours5, ours200, floor5, floor200, http, httpRetry } = CONTENDERS;
	const out: string[] = [];
	const rowsOf = (scenario: Scenario, n: number) =>
		lineup[scenario]
			.map((c) => summarise(s, bench.results, c, scenario, n))
			.filter((r): r is Row => !!r);
	const pick = (rows: Row[], c: Contender) => rows.find((r) => r.name === contenderName(c));

	for (const scenario of ['unlimited', 'limited'] as Scenario[]) {
		const rows = rowsOf(scenario, s.n);
		out.push(
			`## ${scenario === 'unlimited' ? 'Unlimited' : `Limited (${s.rate} requests/s)`}, N = ${s.n}, latency ${s.latency} ms`,
		);
		out.push('');
		out.push(scenarioTable(rows, s.n));
		out.push('');
		const o5 = pick(rows, ours5);
		const oDefault = pick(rows, oursDefault);
		const o200 = pick(rows, ours200) ?? (DEFAULT_IS_200 ? oDefault : undefined);
		const h = pick(rows, http);
		if (scenario === 'unlimited') {
			out.push(
				`- ours/floor at equal concurrency: 5 -> **${ratio(o5, pick(rows, floor5))}**, 200 -> **${ratio(o200, pick(rows, floor200))}** (target <= 1.2)`,
			);
			out.push(
				`- ours at default settings / HTTP Request flow (defaults): **${ratio(oDefault, h)}** (target <= 1.0)`,
			);
			out.push(
				`- ours (max concurrency 200) / HTTP Request flow (defaults): **${ratio(o200, h)}** (target <= 1.5); at max concurrency 5: ${ratio(o5, h)}`,
			);
			out.push(
				`- our efficiency: concurrency 5 ${o5 ? (o5.ideal / o5.wallS).toFixed(2) : 'n/a'}, concurrency 200 ${o200 ? (o200.ideal / o200.wallS).toFixed(2) : 'n/a'}`,
			);
		} else {
			out.push(
				`- ours at default settings: ${oDefault?.failed ?? 'n/a'} items failed, efficiency **${oDefault ? (oDefault.ideal / oDefault.wallS).toFixed(2) : 'n/a'}** of N x calls / R (target: 0 failed, >= 0.8); at max concurrency 5: ${o5?.failed ?? 'n/a'} failed, efficiency ${o5 ? (o5.ideal / o5.wallS).toFixed(2) : 'n/a'}, ours/floor ${ratio(o5, pick(rows, floor5))}`,
			);
			out.push(
				`- HTTP Request flow: defaults ${h?.failed ?? 'n/a'} items failed in ${h?.wallS.toFixed(2) ?? 'n/a'} s; with retry on fail ${pick(rows, httpRetry)?.failed ?? 'n/a'} failed in ${pick(rows, httpRetry)?.wallS.toFixed(2) ?? 'n/a'} s`,
			);
		}
		out.push('');
	}
	return out;
}

function scalingSection(s: Settings, bench: BatchBench): string[] {
	const { ours5, floor5, http, oursHeapCapped } = CONTENDERS;
	const out: string[] = [];
	if (s.scaling.length) {
		out.push(`## Scaling (ours at max concurrency 5, floor with 5 workers beside it)`);
		out.push('');
		const scalingRows: string[][] = [];
		for (const scenario of ['unlimited', 'limited'] as Scenario[]) {
			const perItem: number[] = [];
			for (const n of [...s.scaling].sort((a, b) => a - b)) {
				const o = summarise(s, bench.results, ours5, scenario, n);
				const f = summarise(s, bench.results, floor5, scenario, n);
				if (!o) continue;
				perItem.push((o.wallS / n) * 1000);
				scalingRows.push([
					scenario,
					String(n),
					o.wallS.toFixed(2),
					((o.wallS / n) * 1000).toFixed(1),
					f ? ((f.wallS / n) * 1000).toFixed(1) : 'n/a',
					(o.ideal / o.wallS).toFixed(2),
					String(o.failed),
					String(o.throttled),
					`${o.peakMainMb.toFixed(0)} / ${o.peakRssMb.toFixed(0)}`,
				]);
			}
			if (perItem.length > 1) {
				const spread = (Math.max(...perItem) / Math.min(...perItem) - 1) * 100;
				scalingRows.push([scenario, 'spread', '', `${spread.toFixed(1)} %`, '', '', '', '', '']);
			}
		}
		const capped = summarise(s, bench.results, oursHeapCapped, 'unlimited', Math.max(...s.scaling));
		if (capped) {
			out.push(
				`Ours at N = ${Math.max(...s.scaling)} (unlimited) with n8n's V8 old space capped at ${oursHeapCapped.heapCapMb} MB (\`--max-old-space-size\`): ${capped.wallS.toFixed(2)} s, ${capped.failed} failed, peak RSS ${capped.peakMainMb.toFixed(0)} / ${capped.peakRssMb.toFixed(0)} MB: what the flow needs; the uncapped peak also holds garbage V8 has not collected yet, as it sizes its heap to the machine's memory.`,
			);
			out.push('');
		}
		const httpBig = summarise(s, bench.results, http, 'unlimited', Math.max(...s.scaling));
		if (httpBig) {
			out.push(
				`HTTP Request flow at N = ${Math.max(...s.scaling)} (unlimited): ${httpBig.wallS.toFixed(2)} s, ${httpBig.failed} failed, peak RSS ${httpBig.peakMainMb.toFixed(0)} / ${httpBig.peakRssMb.toFixed(0)} MB (main / with runner).`,
			);
			out.push('');
		}
		out.push(
			table(
				[
					'scenario',
					'N',
					'ours wall s',
					'ours ms/consignment',
					'floor ms/consignment',
					'efficiency',
					'failed',
					'429s',
					'peak RSS MB (main / with runner)',
				],
				scalingRows,
			),
		);
		out.push('');
	}
	return out;
}

function everyRun(bench: BatchBench): string[] {
	const out: string[] = [];
	out.push(`## Every run`);
	out.push('');
	out.push(
		table(
			[
				'scenario',
				'N',
				'round',
				'contender',
				'wall s',
				'execution s',
				'failed',
				'2xx calls',
				'requests',
				'429s',
				'RSS MB (main / with runner)',
				'sandbox avg ms',
				'status',
			],
			bench.results.map((r) => [
				r.scenario,
				String(r.n),
				String(r.round),
				r.contender,
				r.wallS.toFixed(2),
				r.executionS.toFixed(2),
				String(r.failed),
				String(r.calls2xx),
				String(r.requests),
				String(r.throttled),
				`${r.peakMainMb.toFixed(0)} / ${r.peakRssMb.toFixed(0)}`,
				r.sandboxAvgMs.toFixed(1),
				r.status,
			]),
		),
	);
	out.push('');
	return out;
}
