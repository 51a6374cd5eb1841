// What `npm run bench:webhook` measures (bench/webhook.ts runs it, bench/webhookReport.ts reports
// it): bursts of ERP orders, each its own webhook call, sent to a flow under a fresh `n8n start` on
// the stack (bench/stack.ts); per phase what the ERP was answered against the sandbox's records, the
// API calls by route, n8n's CPU and RSS; the redelivery and the simultaneous pairs; and the batch
// benchmark (bench/run.ts) at our defaults beside them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Sandbox } from '../sandbox';
import { ERP_WEBHOOK_PATH, ERP_WORKFLOW_ID, erpOrder } from '../harness/fixtures/webhookFlows';
import { readExample, REPO_ROOT } from '../harness/package';
import {
	cpuSeconds,
	freePort,
	log,
	peakMainRssMb,
	peakRssMb,
	run,
	sampleRssEvery,
} from '../harness/process';
import type { N8nServer } from '../harness/real-n8n';
import {
	apiRoute,
	burstOutcome,
	orderTimings,
	percentile,
	type BurstOutcome,
	type OrderTiming,
} from '../harness/webhookOutcomes';
import { sendAllTimed, waitForWebhook, type WebhookSend } from '../harness/webhookSends';
import { resetSandbox, startStack, type BenchStack } from './stack';

export type Flow = 'ours' | 'http' | 'httpRetry';
export type Limit = 'unlimited' | 'limited';

export interface Settings {
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

export const FLOWS: Record<Flow, { name: string; id: string; path: string }> = {
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
export interface Phase {
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

export interface Burst {
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

export interface Redelivery {
	flow: Flow;
	limit: Limit;
	kind: 'after the answer' | 'at the same moment';
	phase: Phase;
	outcome: BurstOutcome;
	/** both answers 200 with the same consignment and the same tracking numbers */
	identical: number;
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

/** The bursts of each flow on one stack, each in a fresh `n8n start`, and their follow-ups. */
export class WebhookBench {
	/** the sandbox and n8n it runs on, once set up */
	stack!: BenchStack;
	readonly bursts: Burst[] = [];
	readonly redeliveries: Redelivery[] = [];

	constructor(readonly s: Settings) {}

	async setUp(): Promise<void> {
		this.stack = await startStack({
			build: this.s.build,
			latencyMs: this.s.latency,
			folderPrefix: 'electio-bench-webhook-',
			workflows: (sandbox) => [
				readExample('erp-webhook-to-label.json'),
				...(['http', 'httpRetry'] as const)
					.filter((flow) => this.s.only.includes(flow))
					.map((flow) => httpWorkflow(flow, sandbox)),
			],
			publish: true,
		});
	}

	async tearDown(): Promise<void> {
		await this.stack?.close();
	}

	get sandbox(): Sandbox {
		return this.stack.sandbox;
	}

	/** A fresh sandbox state at the given limit. */
	private configure(limit: Limit): void {
		resetSandbox(this.sandbox, this.s.latency, limit === 'limited' ? this.s.rate : null);
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
		const server = await this.stack.folder.start({
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
export async function batchAtDefaults(s: Settings): Promise<string> {
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
