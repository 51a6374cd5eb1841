// How `npm run chaos` reports what bench/chaosMeasure.ts and bench/singleKill.ts measured, and which
// results fail the run (an order lost, shipped twice or orphaned).
import * as os from 'node:os';

import { ERP_REDELIVERY } from '../harness/erpClient';
import type { QueueRun, Settings } from './chaosMeasure';
import { table } from './markdown';
import type { RunCalls } from '../harness/killedBatch';
import type { SingleKillRun } from './singleKill';

export interface ReportMeta {
	what: string;
	took: string;
	n8n: string;
	postgres: string;
	redis: string;
}

const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const pct = (part: number, whole: number) =>
	whole ? `${((100 * part) / whole).toFixed(1)} %` : '-';
const listed = (orders: string[]) =>
	orders.length
		? `**${orders.length}** (${orders.slice(0, 3).join(', ')}${orders.length > 3 ? ', ...' : ''})`
		: '0';
const counts = (values: Record<string, number>) =>
	Object.entries(values)
		.sort((a, b) => b[1] - a[1])
		.map(([key, count]) => `${key}: ${count}`)
		.join(', ') || '-';

/** "<scenario>: N orders <what> (the first five)" for each check that found orders. */
function found(scenario: string, checks: Array<[string, string[]]>): string[] {
	return checks
		.filter(([, orders]) => orders.length)
		.map(
			([what, orders]) =>
				`${scenario}: ${orders.length} orders ${what} (${orders.slice(0, 5).join(', ')})`,
		);
}

/** What fails the run: per scenario, orders lost, shipped twice or orphaned. */
export function failures(runs: QueueRun[], single?: SingleKillRun): string[] {
	return [
		...runs.flatMap(({ scenario, outcome: o }) =>
			found(scenario, [
				['lost', o.lost],
				['shipped twice', o.twice],
				['orphaned', o.orphans],
			]),
		),
		...(single?.kills ?? []).flatMap((kill) =>
			found(`single-kill at ${kill.share}`, [
				['without a consignment', kill.missing],
				['created twice', kill.duplicates],
				['not allocated and Manifested exactly once', kill.notOnce],
			]),
		),
	];
}

export function chaosReport(
	s: Settings,
	runs: QueueRun[],
	single: SingleKillRun | undefined,
	meta: ReportMeta,
): string {
	const failed = failures(runs, single);
	return [
		...header(s, meta),
		...(runs.length ? queueSection(s, runs) : []),
		...(single ? singleKillSection(s, single) : []),
		'## Verdict',
		'',
		failed.length
			? failed.map((line) => `- FAILED: ${line}`).join('\n')
			: '- No order lost, shipped twice or orphaned in any scenario.',
		'',
		'## Raw',
		'',
		'```json',
		JSON.stringify({ settings: s, runs, single }, null, 1),
		'```',
		'',
	].join('\n');
}

function header(s: Settings, meta: ReportMeta): string[] {
	const cpus = os.cpus();
	const policy = ERP_REDELIVERY;
	return [
		"# Chaos: n8n's own processes fail in the middle of the work",
		'',
		`Run ${new Date().toISOString()}; ${meta.what}; took ${meta.took}.`,
		'',
		`- Machine: ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, shared with other work; n8n, Redis, Postgres, the sandbox and the ERP client all run on it`,
		`- n8n ${meta.n8n} in queue mode: \`n8n start\` (EXECUTIONS_MODE=queue, Postgres ${meta.postgres}, Redis ${meta.redis}, binary data in the database) and ${s.workers} \`n8n worker\` processes (concurrency 10 each), each with the package in its own nodes folder; a fresh cluster per scenario`,
		`- Workflow: \`examples/erp-webhook-to-label.json\` as on this commit; ${s.orders} orders posted at once, each its own webhook call and execution. Sandbox: ${s.latency} ms per call, ${s.rate} requests/s per key (token bucket, 429 + Retry-After)`,
		`- The ERP (\`harness/erpClient.ts\`): delivers an order again after no answer within ${s.timeoutS} s, a 5xx, a 2xx without the workflow's JSON answer, or a 404, after a backoff doubling from ${policy.baseDelayMs / 1000} s to ${policy.maxDelayMs / 1000} s with jitter (seed ${s.seed}), or the answer's Retry-After if longer; at most ${policy.maxDeliveries} deliveries and ${policy.maxTotalMs / 60_000} minutes per order. Definite: a 2xx with the workflow's answer (\`status\`: shipped), or another 4xx (422: rejected).`,
		'- Once the ERP is done and n8n has settled its executions, every order is delivered once more (a check): its answer must be the one the ERP kept.',
		"- Definite = the ERP kept a 200 with the answer or a 422. Exactly 1 = the order has one consignment that is not cancelled, and it is allocated with labels printed. Lost = no such consignment. Twice = more than one consignment not cancelled. Orphaned = a consignment not cancelled that is not allocated and labelled once the ERP gave up or was answered. Answers differ = a kept 200 that is not the sandbox's consignment and tracking numbers for the order, or a check answered otherwise than the kept answer.",
		"- Efficiency as `npm run bench:queue` defines it: ideal = calls answered other than 429 / the rate; efficiency = ideal / wall; wall = first delivery to the last definite answer. Redeliveries' calls count as work, so calls per order shows what they cost (6 without a fault: lookup, create, lookup, quotes, allocate, label).",
		'',
	];
}

function queueSection(s: Settings, runs: QueueRun[]): string[] {
	const faultText = (run: QueueRun) =>
		run.fault
			? `${run.scenario} at ${f(run.fault.atS)} s (${run.fault.answeredBefore} answered)`
			: run.scenario;
	return [
		'## Queue mode: the ERP example under faults',
		'',
		table(
			[
				'scenario',
				'definite answers',
				'exactly 1 consignment',
				'lost',
				'twice',
				'orphaned',
				'answers differ',
				'deliveries (orders redelivered, most for one)',
				'extra consignments cancelled',
				'wall s',
				'efficiency',
				'calls/order',
				'429 share',
				'latency p50 / p95 / max s',
			],
			runs.map((run) => {
				const o = run.outcome;
				return [
					faultText(run),
					`${o.definite}/${o.orders}`,
					`${o.exactlyOne}/${o.orders}`,
					listed(o.lost),
					listed(o.twice),
					listed(o.orphans),
					listed(o.differing),
					`${o.deliveries} (${o.redelivered}, ${o.mostDeliveries})`,
					String(o.cancelledExtras),
					f(run.wallS),
					f(run.efficiency, 2),
					f(o.callsPerOrder, 2),
					`${pct(o.calls429, o.calls)} (${o.calls429} of ${o.calls})`,
					`${f(o.latencyS.p50)} / ${f(o.latencyS.p95)} / ${f(o.latencyS.max)}`,
				];
			}),
		),
		'',
		'### Without the redelivery',
		'',
		'The executions n8n lost (crashed or failed), by what the sandbox held for their orders when the fault struck: what an ERP that never redelivers is left with. Half-done = a consignment created, no label printed; labelled = shipped, but the ERP never got the tracking numbers.',
		'',
		table(
			[
				'scenario',
				'executions lost',
				'order not created',
				'half-done',
				'labelled, unanswered',
				'order unknown',
			],
			runs.map((run) => {
				const lost = run.outcome.lostExecutions;
				return [
					run.scenario,
					String(lost.executions),
					String(lost.notCreated),
					String(lost.halfDone),
					String(lost.labelled),
					String(lost.unknown),
				];
			}),
		),
		'',
		'### The faults, and what n8n did with its executions',
		'',
		table(
			['scenario', 'fault', 'executions once settled', 'not successful, by worker'],
			runs.map((run) => [
				run.scenario,
				run.fault ? `${run.fault.what}; ${run.fault.note}` : '-',
				counts(run.executions),
				counts(run.failedByWorker),
			]),
		),
		'',
		...differingSection(runs),
		'### What the ERP got instead of a definite answer',
		'',
		'Every delivery that was not definite, by what came back (a delivery the ERP then made again).',
		'',
		table(
			['scenario', 'answer', 'deliveries'],
			runs.flatMap((run) => {
				const kinds = Object.entries(run.outcome.notDefinite).sort((a, b) => b[1] - a[1]);
				if (!kinds.length) return [[run.scenario, 'none', '0']];
				return kinds.map(([kind, count]) => [run.scenario, `\`${kind}\``, String(count)]);
			}),
		),
		'',
		...(runs.some((run) => Object.keys(run.outcome.notDefinite).some((k) => k.startsWith('200 ')))
			? [
					"A 200 with an empty body is n8n's answer when it lost the Respond step's: in queue mode the worker sends that answer to main over Redis pub/sub, which keeps nothing while Redis is down; when main then learns that the job finished, it answers the webhook with an empty 200 (n8n 2.41.1, `scaling.service.js`, `job-finished`). An ERP that takes any 200 as shipped records the order without tracking numbers; this ERP delivers it again and gets the order's answer.",
					'',
				]
			: []),
	];
}

function differingSection(runs: QueueRun[]): string[] {
	const rows = runs.flatMap((run) =>
		run.outcome.differingAnswers.map((d) => [
			run.scenario,
			d.order,
			`\`${d.kept}\``,
			`\`${d.check}\``,
		]),
	);
	if (!rows.length) return [];
	return [
		'### Answers that differ',
		'',
		table(['scenario', 'order', 'the answer the ERP kept', 'the check delivery'], rows),
		'',
	];
}

function singleKillSection(s: Settings, r: SingleKillRun): string[] {
	const runs = [r.clean, ...r.kills.flatMap((kill) => [kill.killed, kill.rerun])];
	const routes = [...new Set(runs.flatMap((run) => Object.keys(run.byRoute)))].sort();
	const row = (name: string, calls: RunCalls, outcome: string) => [
		name,
		f(calls.wallS),
		String(calls.calls - calls.calls429),
		String(calls.calls429),
		...routes.map((route) => String(calls.byRoute[route] ?? 0)),
		outcome,
	];
	return [
		'## One n8n process killed in the middle of a batch (single-kill)',
		'',
		`\`examples/quotes-flow.json\` with its five samples repeated to ${r.orders} orders (each its own customer reference) as one batch under \`n8n execute\` (regular mode, SQLite), against the same sandbox (${s.rate} requests/s, ${s.latency} ms per call). A clean run on an empty sandbox; then, on an empty sandbox each time, a run SIGKILLed (n8n and its task runner) once the sandbox had answered a share of the clean run's calls, and the same workflow run again on the same input.`,
		'',
		table(
			[
				'run',
				'wall s (start-up included)',
				'calls (not 429)',
				'429s',
				...routes.map((route) => `\`${route}\``),
				'outcome',
			],
			[
				row('clean', r.clean, `${r.clean.shipped} shipped, ${r.clean.failed} failed`),
				...r.kills.flatMap((kill) => [
					row(
						`killed at ${Math.round(kill.share * 100)} % (${kill.killAfter} calls)`,
						kill.killed,
						`killed during \`${kill.step}\`, leaving ${counts(kill.states)}`,
					),
					row(
						'run again',
						kill.rerun,
						`${kill.rerun.shipped} shipped, ${kill.rerun.failed} failed`,
					),
				]),
			],
		),
		'',
		...r.kills.map(
			(kill) =>
				`- Killed at ${Math.round(kill.share * 100)} %, after the rerun: orders without a consignment ${listed(kill.missing)}, created twice ${listed(kill.duplicates)}, not allocated once and Manifested once ${listed(kill.notOnce)}. The crash cost ${kill.extraCalls} calls (not 429) more than the clean run (${pct(kill.extraCalls, r.clean.calls - r.clean.calls429)}).`,
		),
		'',
	];
}
