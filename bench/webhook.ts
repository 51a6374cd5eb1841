// `npm run bench:webhook`: production traffic (#9). Every ERP order its own HTTP call and its own
// execution, in a real n8n 2.41.1 under `n8n start` (regular mode, one process), against the sandbox.
//
//   npm run bench:webhook -- [--n 200] [--rate 20] [--latency 50] [--pairs 50]
//                            [--only ours,http,httpRetry] [--limits unlimited,limited] [--rounds 1]
//                            [--no-redelivery] [--no-batch] [--batch-rounds 3] [--profile]
//                            [--no-build] [--out bench/results/webhook.md]
//
// Flows, each published in the same n8n user folder (the sandbox credential, the packed package):
//   - ours:      examples/erp-webhook-to-label.json as committed (Create with Use Existing, Allocate
//                cheapest by the deliver-by date, Get Label, Respond 200/422/503), node defaults;
//   - http:      bench/http-erp-flow.json: the same flow from HTTP Request nodes and a Code node, defaults;
//   - httpRetry: the same with n8n's Retry On Fail on every HTTP Request node (3 tries, 1 s apart).
// Scenarios, each in a fresh `n8n start` (so no rate control learned by an earlier one carries over
// and the peak RSS is the scenario's own):
//   - burst, unlimited: --n orders posted at once; the sandbox log of this run gives the calls per order;
//   - burst, limited to --rate requests/s (token bucket, 429 + Retry-After), then in the same process
//     (ours, and http on the unlimited API) a redelivery of every order after its answer, and
//     --pairs new orders each posted twice at the same moment.
// Every number is read from what the ERP was answered and the sandbox's own records (consignments per
// customer reference, states, labels, every API call), and n8n's CPU time and RSS from /proc. Unless
// --no-batch, it then re-runs `npm run bench`'s unlimited scenario (one execution, all orders as
// items) with our node at its default settings beside the HTTP Request flow.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../sandbox';
import { cliArgs } from '../harness/args';
import { failedText, table } from './markdown';
import { readExample, REPO_ROOT } from '../harness/package';
import {
	elapsed,
	freePort,
	log,
	peakMainRssMb,
	peakRssMb,
	cpuSeconds,
	run,
	sampleRssEvery,
} from '../harness/process';
import { buildAndPack, ensureN8n, N8nUserFolder, type N8nServer } from '../harness/real-n8n';
import { ERP_WEBHOOK_PATH, ERP_WORKFLOW_ID, erpOrder } from '../harness/fixtures/webhookFlows';
import {
	apiRoute,
	burstOutcome,
	orderTimings,
	percentile,
	type BurstOutcome,
	type OrderTiming,
} from '../harness/webhookOutcomes';
import { sendAllTimed, waitForWebhook, type WebhookSend } from '../harness/webhookSends';

type Flow = 'ours' | 'http' | 'httpRetry';
type Limit = 'unlimited' | 'limited';

interface Settings {
	n: number;
	rate: number;
	latency: number;
	pairs: number;
	only: Flow[];
	limits: Limit[];
	/** bursts per flow and limit, interleaved; redelivery and pairs in the first round only */
	rounds: number;
	followUp: boolean;
	/** V8 CPU profiles of n8n (`--cpu-prof`) into this folder, one subfolder per scenario */
	profileDir?: string;
	batch: boolean;
	batchRounds: number;
	build: boolean;
	out: string;
}

const FLOWS: Record<Flow, { name: string; id: string; path: string }> = {
	ours: {
		name: 'Electio node (examples/erp-webhook-to-label.json, defaults)',
		id: ERP_WORKFLOW_ID,
		path: ERP_WEBHOOK_PATH,
	},
	http: {
		name: 'HTTP Request flow (defaults)',
		id: 'electioBenchHttpErp',
		path: 'electio-erp-order-http',
	},
	httpRetry: {
		name: 'HTTP Request flow (Retry On Fail)',
		id: 'electioBenchHttpErpRetry',
		path: 'electio-erp-order-http-retry',
	},
};

/** What the API and the ERP saw in one phase (a burst, a redelivery, the pairs). */
interface Phase {
	orders: number;
	sends: number;
	wallS: number;
	calls: number;
	calls429: number;
	/** answers by HTTP status (0 = none) */
	statuses: Record<string, number>;
	p50S: number;
	p95S: number;
	maxS: number;
	/** calls and 429s by route */
	routes: Record<string, { calls: number; calls429: number }>;
	timings: OrderTiming[];
}

interface Burst {
	flow: Flow;
	limit: Limit;
	round: number;
	/** CPU seconds n8n and its task runner used during the burst */
	cpuS: number;
	/** CPU seconds this process (the sandbox and the ERP client) used during the burst */
	sandboxCpuS: number;
	phase: Phase;
	outcome: BurstOutcome;
	/** n8n with its task runner just before the burst */
	idleTreeMb: number;
	peakMainMb: number;
	peakTreeMb: number;
	bootS: number;
}

interface Redelivery {
	flow: Flow;
	limit: Limit;
	kind: 'after the answer' | 'at the same moment';
	phase: Phase;
	outcome: BurstOutcome;
	/** both answers 200 with the same consignment and the same tracking numbers */
	identical: number;
}

function parseArgs(argv: string[]): Settings {
	const args = cliArgs(argv);
	const only = args.list('only', 'ours,http,httpRetry') as Flow[];
	for (const flow of only) if (!FLOWS[flow]) throw new Error(`--only: unknown flow "${flow}"`);
	return {
		n: args.num('n', 200),
		rate: args.num('rate', 20),
		latency: args.num('latency', 50),
		pairs: args.num('pairs', 50),
		only,
		limits: args.list('limits', 'unlimited,limited') as Limit[],
		rounds: args.num('rounds', 1),
		followUp: !args.flag('no-redelivery'),
		profileDir: args.flag('profile')
			? path.join(os.tmpdir(), 'electio-webhook-profiles')
			: undefined,
		batch: !args.flag('no-batch'),
		batchRounds: args.num('batch-rounds', 3),
		build: !args.flag('no-build'),
		out: path.resolve(REPO_ROOT, args.value('out') ?? 'bench/results/webhook.md'),
	};
}

/** The HTTP Request flow pointed at the sandbox; with Retry On Fail under its own id and path. */
function httpWorkflow(flow: 'http' | 'httpRetry', sandbox: Sandbox): Record<string, any> {
	const text = fs
		.readFileSync(path.join(__dirname, 'http-erp-flow.json'), 'utf8')
		.split('http://127.0.0.1:4010')
		.join(sandbox.url)
		.split('electio-sandbox-key')
		.join(sandbox.apiKey);
	const workflow = JSON.parse(text);
	if (flow === 'httpRetry') {
		workflow.id = FLOWS.httpRetry.id;
		workflow.name = `${workflow.name} (Retry On Fail)`;
		for (const node of workflow.nodes) {
			if (node.type === 'n8n-nodes-base.httpRequest') node.retryOnFail = true;
			if (node.type === 'n8n-nodes-base.webhook') {
				node.parameters.path = FLOWS.httpRetry.path;
				node.webhookId = `${node.webhookId.slice(0, -2)}b1`;
			}
		}
	}
	return workflow;
}

function phaseOf(
	sandbox: Sandbox,
	orders: number,
	sends: WebhookSend[],
	wallMs: number,
	timed = true,
): Phase {
	const calls = sandbox.requests();
	const routes: Phase['routes'] = {};
	for (const call of calls) {
		const route = (routes[apiRoute(call)] ??= { calls: 0, calls429: 0 });
		route.calls++;
		if (call.status === 429) route.calls429++;
	}
	const statuses: Record<string, number> = {};
	for (const send of sends) statuses[send.status] = (statuses[send.status] ?? 0) + 1;
	const seconds = sends.map((send) => send.ms / 1000);
	return {
		orders,
		sends: sends.length,
		wallS: wallMs / 1000,
		calls: calls.length,
		calls429: calls.filter((c) => c.status === 429).length,
		statuses,
		p50S: percentile(seconds, 50),
		p95S: percentile(seconds, 95),
		maxS: Math.max(...seconds),
		routes,
		timings: timed ? orderTimings(sandbox, sends) : [],
	};
}

const ordersFor = (tag: string, count: number) =>
	Array.from({ length: count }, (_, i) => erpOrder(`SO-${tag}-${String(i + 1).padStart(4, '0')}`));

const numbersOf = (orders: Array<Record<string, any>>) => orders.map((o) => String(o.orderNumber));

/** Both answers of an order 200 with the same consignment and the same tracking numbers. */
function identicalAnswers(first: WebhookSend[], second: WebhookSend[]): number {
	const firstBy = new Map(first.map((d) => [d.orderNumber, d]));
	return second.filter((again) => {
		const d = firstBy.get(again.orderNumber);
		return (
			d?.status === 200 &&
			again.status === 200 &&
			!!d.json?.consignmentReference &&
			d.json.consignmentReference === again.json?.consignmentReference &&
			JSON.stringify(d.json.trackingNumbers) === JSON.stringify(again.json?.trackingNumbers)
		);
	}).length;
}

class WebhookBench {
	private folder!: N8nUserFolder;
	sandbox!: Sandbox;
	n8nVersion = '';
	n8nNode = '';
	readonly bursts: Burst[] = [];
	readonly redeliveries: Redelivery[] = [];

	constructor(readonly s: Settings) {}

	async setUp(): Promise<void> {
		const runtime = await ensureN8n();
		this.n8nVersion = runtime.version;
		this.n8nNode = execFileSync(runtime.node, ['--version'], { encoding: 'utf8' }).trim();
		const tgz = await buildAndPack({ build: this.s.build });
		this.sandbox = await startSandbox({
			port: 0,
			seed: 1,
			latencyMs: this.s.latency,
			maxLogEntries: 1_000_000,
		});
		this.folder = new N8nUserFolder(
			runtime,
			fs.mkdtempSync(path.join(os.tmpdir(), 'electio-bench-webhook-')),
		);
		await this.folder.installPackage(tgz);
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
		await this.folder.importCredential({ baseUrl: this.sandbox.url, apiKey: this.sandbox.apiKey });
		const workflows = [readExample('erp-webhook-to-label.json')];
		if (this.s.only.includes('http')) workflows.push(httpWorkflow('http', this.sandbox));
		if (this.s.only.includes('httpRetry')) workflows.push(httpWorkflow('httpRetry', this.sandbox));
		const file = path.join(this.folder.dir, 'bench-workflows.json');
		fs.writeFileSync(file, JSON.stringify(workflows));
		const imported = await this.folder.n8n(['import:workflow', `--input=${file}`], {
			timeoutMs: 180_000,
		});
		if (imported.code !== 0)
			throw new Error(`importing the workflows failed:\n${imported.stdout}\n${imported.stderr}`);
		for (const workflow of workflows) await this.folder.publishWorkflow(workflow.id);
		log(`sandbox on ${this.sandbox.url}; n8n user folder ${this.folder.dir}`);
	}

	async tearDown(): Promise<void> {
		await this.sandbox?.close();
		if (this.folder) fs.rmSync(this.folder.dir, { recursive: true, force: true });
	}

	/** A fresh sandbox state at the given limit; setting the limit also refills the token bucket. */
	private configure(limit: Limit): void {
		this.sandbox.reset();
		this.sandbox.setLatency(this.s.latency);
		this.sandbox.setRateLimit(limit === 'limited' ? this.s.rate : null);
	}

	/** A fresh `n8n start` (its RSS sampled) for one scenario, stopped afterwards. */
	private async withN8n<T>(
		profileName: string,
		run: (
			server: N8nServer,
			bootS: number,
			rss: () => { mainMb: number; treeMb: number; nowTreeMb: number },
		) => Promise<T>,
	): Promise<T> {
		const booted = Date.now();
		const profile = this.s.profileDir && path.join(this.s.profileDir, profileName);
		if (profile) fs.mkdirSync(profile, { recursive: true });
		const server = await this.folder.start({
			port: await freePort(),
			timeoutMs: 240_000,
			env: profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profile}` } : {},
		});
		const bootS = (Date.now() - booted) / 1000;
		const sampler = sampleRssEvery(server.child.pid!, 100);
		try {
			return await run(server, bootS, () => ({
				mainMb: peakMainRssMb(sampler.samples),
				treeMb: peakRssMb(sampler.samples),
				nowTreeMb: sampler.samples[sampler.samples.length - 1].treeKb / 1024,
			}));
		} finally {
			sampler.stop();
			await server.stop();
		}
	}

	/** A burst of N orders at once; for `followUp` flows also the redelivery and the pairs. */
	async scenario(flow: Flow, limit: Limit, round: number, followUp: boolean): Promise<void> {
		const tag = `${flow}-${limit}-${round}`.toUpperCase();
		await this.withN8n(tag.toLowerCase(), async (server, bootS, rss) => {
			const url = `${server.url}/webhook/${FLOWS[flow].path}`;
			await waitForWebhook(url);
			this.configure(limit);
			const timeoutMs = 300_000;
			const orders = ordersFor(tag, this.s.n);
			const idleTreeMb = rss().nowTreeMb;
			log(`${FLOWS[flow].name}, ${limit}, round ${round}: burst of ${this.s.n} orders...`);
			const cpuBefore = cpuSeconds(server.child.pid!);
			const ownBefore = process.cpuUsage();
			const first = await sendAllTimed(url, orders, timeoutMs);
			const cpuS = cpuSeconds(server.child.pid!) - cpuBefore;
			const own = process.cpuUsage(ownBefore);
			const sandboxCpuS = (own.user + own.system) / 1e6;
			const phase = phaseOf(this.sandbox, this.s.n, first.sends, first.wallMs);
			const outcome = burstOutcome(this.sandbox, numbersOf(orders), first.sends);
			const peak = rss();
			this.bursts.push({
				flow,
				limit,
				round,
				cpuS,
				sandboxCpuS,
				phase,
				outcome,
				idleTreeMb,
				peakMainMb: peak.mainMb,
				peakTreeMb: peak.treeMb,
				bootS,
			});
			log(
				`  ${outcome.answered}/${this.s.n} answered in ${phase.wallS.toFixed(1)} s, ${outcome.duplicates.length} created twice, ${outcome.lost.length} lost, ${phase.calls429}/${phase.calls} calls 429, CPU n8n ${cpuS.toFixed(1)} s, sandbox + client ${sandboxCpuS.toFixed(1)} s, RSS ${peak.mainMb.toFixed(0)}/${peak.treeMb.toFixed(0)} MB (idle ${idleTreeMb.toFixed(0)} MB), n8n started in ${bootS.toFixed(0)} s`,
			);
			if (!followUp) return;

			this.sandbox.clearRequests();
			const again = await sendAllTimed(url, orders, timeoutMs);
			const afterAnswer = burstOutcome(this.sandbox, numbersOf(orders), first.sends, again.sends);
			this.redeliveries.push({
				flow,
				limit,
				kind: 'after the answer',
				phase: phaseOf(this.sandbox, this.s.n, again.sends, again.wallMs),
				outcome: afterAnswer,
				identical: identicalAnswers(first.sends, again.sends),
			});
			log(
				`  redelivered after the answer: ${identicalAnswers(first.sends, again.sends)}/${this.s.n} identical answers, ${afterAnswer.duplicates.length} orders with duplicates`,
			);

			this.sandbox.clearRequests();
			const pairOrders = ordersFor(`${tag}-PAIR`, this.s.pairs);
			const both = await sendAllTimed(url, [...pairOrders, ...pairOrders], timeoutMs);
			const a = both.sends.slice(0, this.s.pairs);
			const b = both.sends.slice(this.s.pairs);
			const pairs = burstOutcome(this.sandbox, numbersOf(pairOrders), a, b);
			this.redeliveries.push({
				flow,
				limit,
				kind: 'at the same moment',
				phase: phaseOf(this.sandbox, this.s.pairs, both.sends, both.wallMs, false),
				outcome: pairs,
				identical: identicalAnswers(a, b),
			});
			log(
				`  ${this.s.pairs} orders twice at the same moment: ${identicalAnswers(a, b)} identical answers, ${pairs.duplicates.length} orders with duplicates`,
			);
		});
	}
}

/** `npm run bench`'s unlimited scenario with our node at its defaults beside the HTTP Request flow. */
async function batchAtDefaults(s: Settings): Promise<string> {
	const out = path.join(os.tmpdir(), `electio-bench-batch-defaults-${process.pid}.md`);
	log('the batch benchmark, unlimited, our node at its defaults beside the HTTP Request flow...');
	const result = await run(
		process.execPath,
		[
			'--import',
			'tsx',
			path.join(__dirname, 'run.ts'),
			'--only',
			'oursDefault,http',
			'--scenarios',
			'unlimited',
			'--no-scaling',
			'--rounds',
			String(s.batchRounds),
			'--no-build',
			'--out',
			out,
		],
		{ cwd: REPO_ROOT, timeoutMs: 10 * 60_000, echoStderr: true },
	);
	if (result.code !== 0 || !fs.existsSync(out))
		return `The batch benchmark failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`;
	const report = fs.readFileSync(out, 'utf8');
	fs.rmSync(out, { force: true });
	const section = (heading: string) =>
		report
			.match(new RegExp(`^## ${heading}[^\\n]*\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm'))?.[1]
			.trim() ?? '';
	const settings = report.match(/^- Settings:[^\n]*/m)?.[0] ?? '';
	return [settings, section('Unlimited'), 'Every run:', section('Every run')].join('\n\n');
}

// ------------------------------------------------------------------------------------------------
// report

const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** Calls answered other than 429 per order in the unlimited burst of the flow: its calls per order. */
function callsPerOrder(bursts: Burst[], flow: Flow): number | undefined {
	const unlimited = bursts.find((b) => b.flow === flow && b.limit === 'unlimited' && b.round === 1);
	if (!unlimited) return undefined;
	return (unlimited.phase.calls - unlimited.phase.calls429) / unlimited.phase.orders;
}

function report(s: Settings, bench: WebhookBench, meta: Record<string, string>): string {
	const cpus = os.cpus();
	const perOrder = (flow: Flow) =>
		callsPerOrder(bench.bursts, flow) ??
		callsPerOrder(bench.bursts, flow === 'httpRetry' ? 'http' : flow);
	const ideal = (b: Burst) => {
		const calls = perOrder(b.flow);
		if (calls === undefined) return NaN;
		return b.limit === 'limited' ? (s.n * calls) / s.rate : (calls * s.latency) / 1000;
	};
	const lines: string[] = [
		'# Benchmark: a burst of ERP webhook orders in real n8n, our node vs HTTP Request nodes',
		'',
		`Run ${new Date().toISOString()}; ${meta.what}; took ${meta.took}. Each burst ran ${s.rounds === 1 ? 'once' : `${s.rounds} times`}, the batch benchmark ${s.batchRounds} round(s): 2 cores shared with other work, so times are noisy (the same run varied by 10-30 % on this machine, the batch's HTTP Request flow from 4.5 to 14 s); CPU seconds and call counts are steadier.`,
		'',
		`- Machine: ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM; load average at the start ${meta.load}; n8n, its task runner, the sandbox and the ERP client share it`,
		`- n8n ${bench.n8nVersion} on Node ${bench.n8nNode}, \`n8n start\` (regular mode, one process, SQLite, binary data on the filesystem), a fresh process per scenario; orchestrator and sandbox on Node ${process.version}`,
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
		`## Burst: ${s.n} orders at once`,
		'',
	];
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

	lines.push(...targets(s, bench, ideal), '');

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
	return lines.join('\n');
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

async function main(): Promise<void> {
	const s = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const head = execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'], {
		encoding: 'utf8',
	}).trim();
	const dirty = execFileSync(
		'git',
		['-C', REPO_ROOT, 'status', '--porcelain', '--', 'nodes', 'examples'],
		{
			encoding: 'utf8',
		},
	).trim();
	const load = os
		.loadavg()
		.map((x) => x.toFixed(1))
		.join(' ');
	const bench = new WebhookBench(s);
	process.on('SIGINT', () => void bench.tearDown().finally(() => process.exit(130)));
	let batch = '';
	try {
		await bench.setUp();
		// The unlimited bursts first (they give each flow's calls per order for the limited ideal),
		// the flows interleaved round by round. Redelivery and pairs: ours limited (the production
		// case), the HTTP Request flow unlimited (its duplicates do not depend on the limit).
		for (const limit of (['unlimited', 'limited'] as Limit[]).filter((l) => s.limits.includes(l))) {
			for (let round = 1; round <= s.rounds; round++) {
				for (const flow of s.only) {
					if (flow === 'httpRetry' && limit === 'unlimited') continue; // nothing to retry
					const followUp =
						s.followUp &&
						round === 1 &&
						((flow === 'ours' && limit === 'limited') ||
							(flow === 'http' && limit === 'unlimited'));
					await bench.scenario(flow, limit, round, followUp);
				}
			}
		}
	} finally {
		await bench.tearDown();
	}
	if (s.batch) batch = await batchAtDefaults(s);
	const markdown = report(s, bench, {
		what: `package built from ${head}${dirty ? ' with uncommitted changes in nodes/ or examples/' : ''}`,
		took: elapsed(started),
		load,
		batch,
	});
	fs.mkdirSync(path.dirname(s.out), { recursive: true });
	fs.writeFileSync(s.out, markdown);
	process.stdout.write(`\n${markdown}\n`);
	log(`written to ${path.relative(REPO_ROOT, s.out)} in ${elapsed(started)}`);
}

main().catch((error) => {
	console.error(
		`bench:webhook failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
	);
	process.exit(1);
});
