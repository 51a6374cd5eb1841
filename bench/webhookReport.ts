// How `npm run bench:webhook` reports what bench/webhookMeasure.ts measured: per burst what the ERP
// was answered and the sandbox holds, its times, memory and CPU; the redeliveries; the targets of
// #9; where each order's time went; the batch benchmark at our defaults beside them.
import * as os from 'node:os';

import { percentile, type OrderTiming } from '../harness/webhookOutcomes';
import { failedText, table } from './markdown';
import { FLOWS, type Burst, type Flow, type Settings, type WebhookBench } from './webhookMeasure';

/** What the report says of the run besides the measurements: what was built, how long it took. */
export interface ReportMeta {
	what: string;
	took: string;
	load: string;
	/** the batch benchmark's sections, or why it failed; empty when not run */
	batch: string;
}

const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** Calls answered other than 429 per order in the unlimited burst of the flow: its calls per order. */
function callsPerOrder(bursts: Burst[], flow: Flow): number | undefined {
	const unlimited = bursts.find((b) => b.flow === flow && b.limit === 'unlimited' && b.round === 1);
	if (!unlimited) return undefined;
	return (unlimited.phase.calls - unlimited.phase.calls429) / unlimited.phase.orders;
}

export function webhookReport(s: Settings, bench: WebhookBench, meta: ReportMeta): string {
	const perOrder = (flow: Flow) =>
		callsPerOrder(bench.bursts, flow) ??
		callsPerOrder(bench.bursts, flow === 'httpRetry' ? 'http' : flow);
	const ideal = (b: Burst) => {
		const calls = perOrder(b.flow);
		if (calls === undefined) return NaN;
		return b.limit === 'limited' ? (s.n * calls) / s.rate : (calls * s.latency) / 1000;
	};
	return [
		...header(s, bench, meta),
		...burstSection(s, bench, perOrder, ideal),
		...redeliverySection(s, bench),
		...targets(s, bench, ideal),
		'',
		...timeSection(s, bench),
		...batchSection(meta),
	].join('\n');
}

function header(s: Settings, bench: WebhookBench, meta: ReportMeta): string[] {
	const cpus = os.cpus();
	return [
		'# Benchmark: a burst of ERP webhook orders in real n8n, our node vs HTTP Request nodes',
		'',
		`Run ${new Date().toISOString()}; ${meta.what}; took ${meta.took}. Each burst ran ${s.rounds === 1 ? 'once' : `${s.rounds} times`}, the batch benchmark ${s.batchRounds} round(s): 2 cores shared with other work, so times are noisy (the same run varied by 10-30 % on this machine, the batch's HTTP Request flow from 4.5 to 14 s); CPU seconds and call counts are steadier.`,
		'',
		`- Machine: ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM; load average at the start ${meta.load}; n8n, its task runner, the sandbox and the ERP client share it`,
		`- n8n ${bench.stack.n8nVersion} on Node ${bench.stack.n8nNode}, \`n8n start\` (regular mode, one process, SQLite, binary data on the filesystem), a fresh process per scenario; orchestrator and sandbox on Node ${process.version}`,
		`- Each order its own HTTP call (all ${s.n} at once, an ERP flushing its queue) and its own execution. Sandbox: ${s.latency} ms per call; limited: ${s.rate} requests/s per key (token bucket of ${s.rate}, 429 + Retry-After in whole seconds)`,
		`- Flows: ${(Object.keys(FLOWS) as Flow[])
			.filter((flow) => s.only.includes(flow))
			.map((flow) => `**${FLOWS[flow].name}**`)
			.join(
				'; ',
			)}. The HTTP Request flow is \`bench/http-erp-flow.json\`: webhook → create → quotes → Code (cheapest by the deliver-by date) → allocate → label → Respond 200`,
		'- Answered = 200 with a consignment reference and the tracking numbers the sandbox holds for that consignment. Failed = any other answer. Created twice = orders the sandbox holds more than one consignment for. Lost = orders without an allocated, labelled consignment in the sandbox at the end (failed orders included: the ERP must send them again).',
		`- Calls per order = API calls answered other than 429, per order, in the flow's unlimited burst. Ideal: limited N x calls per order / R, efficiency = ideal / wall; unlimited: one order's calls one after the other (calls per order x latency), no efficiency (the API sets no pace; compare the flows' wall times). Wall = first order sent to last answer; latency per order = sent to answered. Peak RSS = the n8n process (VmHWM, start-up included) / with its task runner (idle: the two just before the burst). CPU = user + system CPU seconds during the burst of n8n and its task runner (what the flow costs n8n, whatever else runs on the machine) and of the bench's own process (the sandbox answering the calls, and the ERP client).`,
		'',
	];
}

function burstSection(
	s: Settings,
	bench: WebhookBench,
	perOrder: (flow: Flow) => number | undefined,
	ideal: (b: Burst) => number,
): string[] {
	const lines: string[] = [`## Burst: ${s.n} orders at once`, ''];
	const burstRows = bench.bursts.map((b) => {
		const idealS = ideal(b);
		const succeeded = b.outcome.answered === s.n;
		return [
			FLOWS[b.flow].name,
			b.limit === 'limited' ? `${s.rate}/s` : 'none',
			String(b.round),
			`${b.outcome.answered}/${s.n}`,
			failedText(b.phase.statuses),
			String(b.outcome.duplicates.length),
			String(b.outcome.lost.length),
			f(b.phase.wallS),
			f(perOrder(b.flow) ?? NaN, 2),
			f(idealS),
			succeeded && b.limit === 'limited' ? f(idealS / b.phase.wallS, 2) : '-',
			f(b.phase.p50S),
			f(b.phase.p95S),
			f(b.phase.maxS),
			`${f(b.peakMainMb, 0)} / ${f(b.peakTreeMb, 0)} (idle ${f(b.idleTreeMb, 0)})`,
			`${f(b.cpuS)} (${f((1000 * b.cpuS) / s.n, 0)}) / ${f(b.sandboxCpuS)}`,
			String(b.phase.calls),
			`${f((100 * b.phase.calls429) / Math.max(1, b.phase.calls), 0)} %`,
		];
	});
	lines.push(
		table(
			[
				'flow',
				'API limit',
				'round',
				'answered',
				'failed',
				'created twice',
				'lost',
				'wall s',
				'calls / order',
				'ideal s',
				'efficiency',
				'p50 s',
				'p95 s',
				'max s',
				'peak RSS MB',
				'CPU s: n8n (ms / order) / sandbox + client',
				'API calls',
				'429 share',
			],
			burstRows,
		),
		'',
	);
	return lines;
}

function redeliverySection(s: Settings, bench: WebhookBench): string[] {
	const lines: string[] = [];
	if (bench.redeliveries.length) {
		lines.push(
			'## Redelivery',
			'',
			`After the answer: every order of the burst posted once more when all first answers were in (all at once again). At the same moment: ${s.pairs} new orders, each posted twice at once. Both in the same n8n process as the burst before them.`,
			'',
			table(
				[
					'flow',
					'API limit',
					'redelivered',
					'orders',
					'identical answers (200, same consignment and tracking numbers)',
					'orders created twice',
					'lost',
					'wall s',
					'API calls (429s)',
					'answers',
				],
				bench.redeliveries.map((r) => [
					FLOWS[r.flow].name,
					r.limit === 'limited' ? `${s.rate}/s` : 'none',
					r.kind,
					String(r.phase.orders),
					`${r.identical}/${r.phase.orders}`,
					String(r.outcome.duplicates.length),
					String(r.outcome.lost.length),
					f(r.phase.wallS),
					`${r.phase.calls} (${r.phase.calls429})`,
					Object.entries(r.phase.statuses)
						.map(([status, count]) => `${count} x ${status === '0' ? 'no answer' : status}`)
						.join(', '),
				]),
			),
			'',
		);
	}
	return lines;
}

function timeSection(s: Settings, bench: WebhookBench): string[] {
	const lines: string[] = [];
	lines.push(
		'## Where the time goes (burst)',
		'',
		'Per order, by the sandbox log of the calls made for it: sent → its first API call (n8n taking the request, starting the execution, the first wait to call); inside its calls (latency, 429s included); between its calls (waits of the rate control and of retries, n8n between nodes); its last API answer → the webhook answer. Median / p95 over the orders.',
		'',
		table(
			[
				'flow',
				'API limit',
				'sent → first call s',
				'in calls s',
				'between calls s',
				'last call → answer s',
				'calls per order (429s)',
			],
			bench.bursts.map((b) => {
				const t = b.phase.timings;
				const stat = (pick: (o: OrderTiming) => number) => {
					const values = t.map(pick).map((ms) => ms / 1000);
					return `${f(percentile(values, 50), 2)} / ${f(percentile(values, 95), 2)}`;
				};
				return [
					FLOWS[b.flow].name,
					b.limit === 'limited' ? `${s.rate}/s` : 'none',
					stat((o) => o.beforeFirstCallMs),
					stat((o) => o.inCallsMs),
					stat((o) => o.betweenCallsMs),
					stat((o) => o.afterLastCallMs),
					`${stat((o) => o.calls * 1000)} (${stat((o) => o.calls429 * 1000)})`,
				];
			}),
		),
		'',
		'API calls by route (429s):',
		'',
		table(
			['flow', 'API limit', 'calls by route (429s)'],
			bench.bursts.map((b) => [
				FLOWS[b.flow].name,
				b.limit === 'limited' ? `${s.rate}/s` : 'none',
				Object.entries(b.phase.routes)
					.sort((x, y) => y[1].calls - x[1].calls)
					.map(([route, c]) => `\`${route}\` ${c.calls} (${c.calls429})`)
					.join('<br>'),
			]),
		),
		'',
	);
	return lines;
}

function batchSection(meta: ReportMeta): string[] {
	const lines: string[] = [];
	if (meta.batch) {
		lines.push(
			'## The batch benchmark at our defaults (`npm run bench`, unlimited)',
			'',
			'One execution with all consignments as items (`bench/electio-flow.json` with no Request Options set, i.e. Max Concurrency 200, beside `bench/http-request-flow.json` at its defaults), as `npm run bench -- --only oursDefault,http --scenarios unlimited --no-scaling` reports it:',
			'',
			meta.batch,
			'',
		);
	}
	return lines;
}

function targets(s: Settings, bench: WebhookBench, ideal: (b: Burst) => number): string[] {
	const lines = ['## Against the targets (#9)', ''];
	for (const ours of bench.bursts.filter((b) => b.flow === 'ours' && b.limit === 'limited')) {
		const efficiency = ideal(ours) / ours.phase.wallS;
		const met =
			ours.outcome.answered === s.n &&
			!ours.outcome.duplicates.length &&
			!ours.outcome.lost.length &&
			efficiency >= 0.8;
		lines.push(
			`- Burst limited (ours, round ${ours.round}): ${ours.outcome.answered}/${s.n} answered (target ${s.n}/${s.n}), ${ours.outcome.duplicates.length} created twice (0), ${ours.outcome.lost.length} lost (0), efficiency ${f(efficiency, 2)} (>= 0.8): **${met ? 'met' : 'missed'}**`,
		);
	}
	for (const r of bench.redeliveries.filter((x) => x.flow === 'ours')) {
		const met = !r.outcome.duplicates.length && r.identical === r.phase.orders;
		lines.push(
			`- Redelivery ${r.kind} (ours): ${r.outcome.duplicates.length} orders created twice (0), ${r.identical}/${r.phase.orders} identical answers (all): **${met ? 'met' : 'missed'}**`,
		);
	}
	const unlimited = (flow: Flow) =>
		bench.bursts.filter((b) => b.flow === flow && b.limit === 'unlimited');
	const [ours, http] = [unlimited('ours'), unlimited('http')];
	if (ours.length && http.length) {
		const wall = (bursts: Burst[]) => bursts.reduce((sum, b) => sum + b.phase.wallS, 0);
		const cpu = (bursts: Burst[]) => bursts.reduce((sum, b) => sum + b.cpuS, 0);
		lines.push(
			`- Burst unlimited, ours / HTTP Request flow (not a target of #9 for webhooks; the batch's is <= 1.0): wall time **${f(wall(ours) / ours.length / (wall(http) / http.length), 2)}x**, n8n CPU ${f(cpu(ours) / ours.length / (cpu(http) / http.length), 2)}x (mean over ${ours.length} and ${http.length} run(s))`,
		);
	}
	return lines;
}
