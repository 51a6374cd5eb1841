// What `npm run bench` measures (bench/run.ts runs it, bench/batchReport.ts reports it): one
// contender's run of the quotes flow on the stack (bench/stack.ts), our node's or the HTTP Request
// flow's in `n8n execute`, or the bare client bench/floor.ts; its time, peak RSS and what the
// sandbox's records say of it (consignments Manifested, duplicates, calls, 429s).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Sandbox } from '../sandbox';
import { REPO_ROOT } from '../harness/package';
import { freePort, log, peakMainRssMb, peakRssMb, runSampled } from '../harness/process';
import { parseExecutionJson, type N8nUserFolder } from '../harness/real-n8n';
import { DEFAULT_CLIENT_SETTINGS } from '../nodes/Electio/transport';
import { resetSandbox, startStack, type BenchStack } from './stack';

/**
 * Calls per consignment: our node's Create at its default (If the Customer Reference Exists: Use
 * Existing) looks the customer reference up before and after creating, and the floor makes the
 * same calls; the HTTP Request flow makes only the four of the quotes flow.
 */
export const CALLS_PER_CONSIGNMENT: Record<Kind, number> = {
	ours: 6,
	floor: 6,
	http: 4,
	httpRetry: 4,
};

export interface Settings {
	n: number;
	latency: number;
	rate: number;
	rounds: number;
	scaling: number[];
	build: boolean;
	out: string;
	quick: boolean;
	/** only these contenders (e.g. oursDefault,ours5,floor5,http,httpRetry,ours200,floor200) */
	only?: string[];
	/** only these scenarios */
	scenarios: Scenario[];
	/** write V8 CPU profiles of the n8n executions into this folder */
	profileDir?: string;
}

export type Kind = 'ours' | 'http' | 'httpRetry' | 'floor';
export type Scenario = 'unlimited' | 'limited';

export interface Contender {
	kind: Kind;
	/** workers / max concurrency; 0 = all items at once (the HTTP Request node) */
	concurrency: number;
	/** ours with no Request Options set: the node's defaults (concurrency is then its default) */
	defaults?: boolean;
	/** Caps n8n's V8 old space (MB): shows how much of the peak RSS is memory the flow needs. */
	heapCapMb?: number;
}

export interface Measurement {
	contender: string;
	scenario: Scenario;
	n: number;
	round: number;
	wallS: number;
	/** the whole execution (n8n: startedAt..stoppedAt, including the Orders node) */
	executionS: number;
	failed: number;
	duplicates: number;
	calls2xx: number;
	requests: number;
	throttled: number;
	/** the whole process tree (n8n + its task runner) */
	peakRssMb: number;
	/** the main process alone (where n8n runs the nodes and keeps the items) */
	peakMainMb: number;
	status: string;
	sandboxAvgMs: number;
}

export const CONTENDERS = {
	/** ours with no Request Options set: the node's defaults */
	oursDefault: {
		kind: 'ours',
		concurrency: DEFAULT_CLIENT_SETTINGS.maxConcurrency,
		defaults: true,
	},
	ours5: { kind: 'ours', concurrency: 5 },
	ours200: { kind: 'ours', concurrency: 200 },
	oursHeapCapped: { kind: 'ours', concurrency: 5, heapCapMb: 400 },
	floor5: { kind: 'floor', concurrency: 5 },
	floor200: { kind: 'floor', concurrency: 200 },
	http: { kind: 'http', concurrency: 0 },
	httpRetry: { kind: 'httpRetry', concurrency: 0 },
} satisfies Record<string, Contender>;

/** At a default of 200 the default run is the Max Concurrency 200 run: measured once. */
export const DEFAULT_IS_200 = CONTENDERS.oursDefault.concurrency === CONTENDERS.ours200.concurrency;

/** The contenders of each scenario the settings ask for, in the order they run in a round. */
export function lineupFor(s: Settings): Record<Scenario, Contender[]> {
	const { oursDefault, ours5, ours200, floor5, floor200, http, httpRetry } = CONTENDERS;
	const lineup: Record<Scenario, Contender[]> = {
		unlimited: [floor5, ours5, oursDefault, floor200, ours200, http, httpRetry],
		limited: [floor5, ours5, oursDefault, ours200, http, httpRetry],
	};
	for (const scenario of Object.keys(lineup) as Scenario[]) {
		lineup[scenario] = s.scenarios.includes(scenario)
			? lineup[scenario].filter(
					(c) =>
						(!s.only || s.only.includes(contenderKey(c))) && !(DEFAULT_IS_200 && c === ours200),
				)
			: [];
	}
	return lineup;
}

export function contenderKey(c: Contender): string {
	const key =
		c.kind === 'http' || c.kind === 'httpRetry'
			? c.kind
			: `${c.kind}${c.defaults ? 'Default' : c.concurrency}`;
	return c.heapCapMb ? `${key}heap${c.heapCapMb}` : key;
}

export function contenderName(c: Contender): string {
	switch (c.kind) {
		case 'ours':
			if (c.defaults) return 'ours (Electio node, default settings)';
			return `ours (Electio node, max concurrency ${c.concurrency})${c.heapCapMb ? `, n8n heap capped at ${c.heapCapMb} MB` : ''}`;
		case 'http':
			return 'HTTP Request flow (defaults)';
		case 'httpRetry':
			return 'HTTP Request flow (retry on fail)';
		case 'floor':
			return `floor (bare fetch, ${c.concurrency} workers)`;
	}
}

function workflowId(c: Contender, n: number): string {
	const ours = `Ours${c.defaults ? 'Default' : c.concurrency}`;
	return `bench${c.kind === 'ours' ? ours : c.kind === 'http' ? 'Http' : 'HttpRetry'}N${n}`;
}

/** The committed workflow with N, the sandbox URL and, for ours, the concurrency filled in. */
function workflowFor(c: Contender, n: number, sandboxUrl: string): Record<string, any> {
	const file = c.kind === 'ours' ? 'electio-flow.json' : 'http-request-flow.json';
	const text = fs
		.readFileSync(path.join(__dirname, file), 'utf8')
		.split('http://127.0.0.1:4010')
		.join(sandboxUrl);
	const workflow = JSON.parse(text);
	workflow.id = workflowId(c, n);
	workflow.name = `${workflow.name} [${contenderName(c)}, N=${n}]`;
	for (const node of workflow.nodes) {
		if (node.name === 'Orders')
			node.parameters.jsCode = node.parameters.jsCode.replace(/const N = \d+;/, `const N = ${n};`);
		if (c.kind === 'ours' && c.defaults) delete node.parameters.requestOptions;
		else if (c.kind === 'ours' && node.parameters.requestOptions)
			node.parameters.requestOptions.maxConcurrency = c.concurrency;
		if (c.kind === 'httpRetry' && node.type === 'n8n-nodes-base.httpRequest')
			node.retryOnFail = true;
	}
	return workflow;
}

/** The contenders' runs on one stack, and the sandbox's capacity for the same call mix. */
export class BatchBench {
	/** the sandbox and n8n it runs on, once set up */
	stack!: BenchStack;
	readonly results: Measurement[] = [];
	sandboxCapacity = { callsPerSecond: 0, avgMs: 0, n: 0, workers: 0 };

	constructor(readonly s: Settings) {}

	async setUp(contenders: Contender[], sizes: number[]): Promise<void> {
		this.stack = await startStack({
			build: this.s.build,
			latencyMs: this.s.latency,
			folderPrefix: 'electio-bench-n8n-',
			workflows: (sandbox) => {
				const workflows = [];
				for (const c of contenders) {
					if (c.kind === 'floor') continue;
					for (const n of sizes) workflows.push(workflowFor(c, n, sandbox.url));
				}
				return [...new Map(workflows.map((w) => [w.id, w])).values()];
			},
		});
	}

	async tearDown(): Promise<void> {
		await this.stack?.close();
	}

	private get sandbox(): Sandbox {
		return this.stack.sandbox;
	}

	private get folder(): N8nUserFolder {
		return this.stack.folder;
	}

	private configure(scenario: Scenario, latency = this.s.latency): void {
		resetSandbox(this.sandbox, latency, scenario === 'limited' ? this.s.rate : null);
	}

	/** The sandbox alone: no latency, no limit, many workers; its calls per second for this call mix. */
	async measureSandbox(): Promise<void> {
		const n = Math.max(300, this.s.n);
		const workers = 64;
		this.configure('unlimited', 0);
		const result = await this.runFloor(n, workers);
		const stats = this.sandbox.stats();
		this.sandboxCapacity = {
			callsPerSecond: stats.requests / result.wallS,
			avgMs: stats.averageDurationMs,
			n,
			workers,
		};
		log(
			`sandbox capacity: ${this.sandboxCapacity.callsPerSecond.toFixed(0)} calls/s (no latency, ${workers} workers, avg ${stats.averageDurationMs.toFixed(1)} ms)`,
		);
		this.configure('unlimited');
	}

	private async runFloor(n: number, concurrency: number) {
		const child = await runSampled(
			process.execPath,
			[
				'--import',
				'tsx',
				path.join(__dirname, 'floor.ts'),
				JSON.stringify({ url: this.sandbox.url, apiKey: this.sandbox.apiKey, n, concurrency }),
			],
			{ cwd: REPO_ROOT, timeoutMs: 15 * 60_000 },
		);
		const line = child.stdout.trim().split('\n').pop() ?? '';
		let parsed: { startedAt: number; stoppedAt: number; failed: number; maxRssKb: number };
		try {
			parsed = JSON.parse(line);
		} catch {
			throw new Error(
				`floor printed no result (exit ${child.code}):\n${child.stderr.slice(-2000)}`,
			);
		}
		return {
			wallS: (parsed.stoppedAt - parsed.startedAt) / 1000,
			executionS: (parsed.stoppedAt - parsed.startedAt) / 1000,
			peakRssMb: Math.max(parsed.maxRssKb / 1024, peakRssMb(child.samples)),
			peakMainMb: Math.max(parsed.maxRssKb / 1024, peakMainRssMb(child.samples)),
			status: child.code === 0 ? 'ok' : `exit ${child.code}`,
			nodeTimes: '',
		};
	}

	private async runN8n(c: Contender, n: number) {
		const brokerPort = await freePort();
		const extraEnv: Record<string, string> = { N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
		if (c.heapCapMb) extraEnv.NODE_OPTIONS = `--max-old-space-size=${c.heapCapMb}`;
		if (this.s.profileDir) {
			fs.mkdirSync(this.s.profileDir, { recursive: true });
			extraEnv.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${this.s.profileDir} --cpu-prof-name=${workflowId(c, n)}-${Date.now()}.cpuprofile`;
		}
		const child = await runSampled(
			this.folder.runtime.node,
			[this.folder.runtime.bin, 'execute', `--id=${workflowId(c, n)}`, '--rawOutput'],
			{ cwd: this.folder.dir, env: this.folder.env(extraEnv), timeoutMs: 20 * 60_000 },
		);
		const execution = parseExecutionJson(child.stdout) ?? parseExecutionJson(child.stderr);
		if (!execution?.startedAt || !execution?.stoppedAt) {
			const dump = path.join(os.tmpdir(), `electio-bench-${workflowId(c, n)}-${Date.now()}.log`);
			fs.writeFileSync(dump, `${child.stdout}\n--- stderr ---\n${child.stderr}`);
			// n8n sometimes exits before its tens of MB of printed execution are flushed; the run itself
			// completed (exit 0), so time it by the sandbox's own log of the calls it made.
			const requests = this.sandbox.requests();
			if (child.code === 0 && requests.length) {
				const first = Math.min(...requests.map((r) => r.startedAt));
				const last = Math.max(...requests.map((r) => r.startedAt + r.durationMs));
				log(
					`${workflowId(c, n)}: n8n's printed execution was cut short (kept in ${dump}); timed by the sandbox log`,
				);
				return {
					nodeTimes: '',
					wallS: (last - first) / 1000,
					executionS: (last - first) / 1000,
					peakRssMb: peakRssMb(child.samples, last),
					peakMainMb: peakMainRssMb(child.samples, last),
					status: 'ok (timed by the sandbox log)',
				};
			}
			throw new Error(
				`n8n printed no execution for ${workflowId(c, n)} (exit ${child.code}); its output is in ${dump}:\n${(child.stdout + child.stderr).slice(-3000)}`,
			);
		}
		const startedAt = Date.parse(execution.startedAt);
		const stoppedAt = Date.parse(execution.stoppedAt);
		const firstApiStart = execution.data?.resultData?.runData?.Create?.[0]?.startTime as
			number | undefined;
		const error = execution.data?.resultData?.error;
		if (process.env.BENCH_DUMP) {
			const runData = execution.data?.resultData?.runData ?? {};
			const nodes = Object.fromEntries(
				Object.entries(runData).map(([name, runs]) => [
					name,
					{ start: (runs as any)[0]?.startTime, ms: (runs as any)[0]?.executionTime },
				]),
			);
			fs.writeFileSync(
				`${process.env.BENCH_DUMP}-${workflowId(c, n)}.json`,
				JSON.stringify({ nodes, startedAt, stoppedAt, requests: this.sandbox.requests() }),
			);
		}
		const nodeTimes = Object.entries(execution.data?.resultData?.runData ?? {})
			.map(
				([name, runs]) =>
					`${name} ${(runs as Array<{ executionTime?: number }>)[0]?.executionTime ?? 0} ms`,
			)
			.join(', ');
		return {
			nodeTimes,
			wallS: (stoppedAt - (firstApiStart ?? startedAt)) / 1000,
			executionS: (stoppedAt - startedAt) / 1000,
			peakRssMb: peakRssMb(child.samples, stoppedAt),
			peakMainMb: peakMainRssMb(child.samples, stoppedAt),
			status: error
				? `error in ${error.node?.name ?? '?'}: ${String(error.message ?? '').slice(0, 60)}`
				: 'ok',
		};
	}

	async run(c: Contender, scenario: Scenario, n: number, round: number): Promise<Measurement> {
		this.configure(scenario);
		const timing =
			c.kind === 'floor' ? await this.runFloor(n, c.concurrency) : await this.runN8n(c, n);
		const requests = this.sandbox.requests();
		const consignments = this.sandbox.consignments();
		const manifested = new Set(
			consignments
				.filter((entry) => entry.ConsignmentState === 'Manifested')
				.map((entry) => entry.ConsignmentReferenceProvidedByCustomer),
		);
		const { nodeTimes, ...times } = timing;
		const measurement: Measurement = {
			contender: contenderName(c),
			scenario,
			n,
			round,
			...times,
			failed: n - manifested.size,
			duplicates: Math.max(
				0,
				consignments.length -
					new Set(consignments.map((e) => e.ConsignmentReferenceProvidedByCustomer)).size,
			),
			calls2xx: requests.filter((entry) => entry.status >= 200 && entry.status < 300).length,
			requests: requests.length,
			throttled: requests.filter((entry) => entry.status === 429).length,
			sandboxAvgMs: this.sandbox.stats().averageDurationMs,
		};
		this.results.push(measurement);
		log(
			`${scenario.padEnd(9)} N=${String(n).padEnd(4)} round ${round}  ${measurement.contender.padEnd(40)} ${measurement.wallS.toFixed(2).padStart(7)} s  failed ${measurement.failed}  429s ${measurement.throttled}  RSS ${measurement.peakMainMb.toFixed(0)}/${measurement.peakRssMb.toFixed(0)} MB  ${measurement.status}`,
		);
		if (nodeTimes) log(`          node times: ${nodeTimes}`);
		return measurement;
	}
}
