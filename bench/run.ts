// `npm run bench`: the whole quotes flow, side by side, against the local sandbox.
//
//   npm run bench -- [--n 300] [--latency 50] [--rate 50] [--rounds 2] [--scaling 100,300,1000]
//                    [--quick] [--no-scaling] [--no-build] [--out bench/results/latest.md]
//                    [--only oursDefault,ours5,ours200,floor5,floor200,http,httpRetry]
//                    [--scenarios unlimited,limited]
//                    [--profile]   (V8 CPU profiles of the n8n executions into bench/results/profiles/)
//   BENCH_DUMP=/tmp/x  writes each n8n run's node timings and the sandbox's request log to /tmp/x-<id>.json
//
// Contenders, interleaved round by round (A B C ... A B C ...), on one sandbox:
//   - ours: bench/electio-flow.json (the Electio node) at its default settings (no Request Options:
//     Max Concurrency 200, the maximum), and at Max Concurrency 5 (the default before #9);
//   - http: bench/http-request-flow.json (HTTP Request v4.2 + Code nodes) at default settings,
//     and once more with "Retry On Fail" on (its defaults: 3 tries, 1000 ms apart);
//   - floor: bench/floor.ts, a bare fetch client with a fixed number of workers.
// The two n8n flows run in real n8n 2.41.1 (`n8n execute`, Node 24, from the cached install that
// scripts/install-n8n.sh makes; n8n-nodes-base is loaded from there, not from this project), each
// execution in its own process; their time is the execution's own: from the start of the first API
// node ("Create") to the execution's stoppedAt, so neither n8n's start-up nor the generation of the
// input items counts. Peak RSS is sampled from each contender's process tree (n8n + its task
// runner) up to the execution's stop (the CLI printing the result afterwards is not counted).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../sandbox';
import { cliArgs } from '../harness/args';
import { table } from './markdown';
import { REPO_ROOT } from '../harness/package';
import { freePort, log, peakMainRssMb, peakRssMb, runSampled } from '../harness/process';
import { buildAndPack, ensureN8n, N8nUserFolder, parseExecutionJson } from '../harness/real-n8n';
import { DEFAULT_CLIENT_SETTINGS } from '../nodes/Electio/transport';

/**
 * Calls per consignment: our node's Create at its default (If the Customer Reference Exists: Use
 * Existing) looks the customer reference up before and after creating, and the floor makes the
 * same calls; the HTTP Request flow makes only the four of the quotes flow.
 */
const CALLS_PER_CONSIGNMENT: Record<Kind, number> = { ours: 6, floor: 6, http: 4, httpRetry: 4 };

interface Settings {
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

type Kind = 'ours' | 'http' | 'httpRetry' | 'floor';
type Scenario = 'unlimited' | 'limited';

interface Contender {
	kind: Kind;
	/** workers / max concurrency; 0 = all items at once (the HTTP Request node) */
	concurrency: number;
	/** ours with no Request Options set: the node's defaults (concurrency is then its default) */
	defaults?: boolean;
	/** Caps n8n's V8 old space (MB): shows how much of the peak RSS is memory the flow needs. */
	heapCapMb?: number;
}

interface Measurement {
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

function parseArgs(argv: string[]): Settings {
	const args = cliArgs(argv);
	const quick = args.flag('quick');
	return {
		n: args.num('n', quick ? 60 : 300),
		latency: args.num('latency', 50),
		rate: args.num('rate', 50),
		rounds: args.num('rounds', quick ? 1 : 2),
		scaling: args.flag('no-scaling')
			? []
			: args
					.list('scaling', quick ? '' : '100,300,1000')
					.map(Number)
					.filter((entry) => Number.isFinite(entry) && entry > 0),
		build: !args.flag('no-build'),
		out: path.resolve(
			REPO_ROOT,
			args.value('out') ?? (quick ? 'bench/results/quick.md' : 'bench/results/latest.md'),
		),
		quick,
		only: args.value('only') === undefined ? undefined : args.list('only', ''),
		scenarios: args.list('scenarios', 'unlimited,limited') as Scenario[],
		profileDir: args.flag('profile')
			? path.resolve(REPO_ROOT, 'bench/results/profiles')
			: undefined,
	};
}

function contenderKey(c: Contender): string {
	const key =
		c.kind === 'http' || c.kind === 'httpRetry'
			? c.kind
			: `${c.kind}${c.defaults ? 'Default' : c.concurrency}`;
	return c.heapCapMb ? `${key}heap${c.heapCapMb}` : key;
}

function contenderName(c: Contender): string {
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

function idealS(s: Settings, scenario: Scenario, n: number, c: Contender): number {
	const calls = n * CALLS_PER_CONSIGNMENT[c.kind] + 1;
	const concurrency = c.concurrency;
	if (scenario === 'limited') return calls / s.rate;
	return (calls * (s.latency / 1000)) / (concurrency || n);
}

class Bench {
	private folder!: N8nUserFolder;
	private sandbox!: Sandbox;
	readonly results: Measurement[] = [];
	sandboxCapacity = { callsPerSecond: 0, avgMs: 0, n: 0, workers: 0 };
	n8nVersion = '';
	n8nNode = '';

	constructor(readonly s: Settings) {}

	async setUp(contenders: Contender[], sizes: number[]): Promise<void> {
		const runtime = await ensureN8n();
		this.n8nVersion = runtime.version;
		this.n8nNode = execFileSync(runtime.node, ['--version'], { encoding: 'utf8' }).trim();
		log(
			`n8n ${runtime.version} (Node ${this.n8nNode}) from ${runtime.home}; n8n-nodes-base is loaded from there`,
		);
		const tgz = await buildAndPack({ build: this.s.build });
		this.sandbox = await startSandbox({
			port: 0,
			seed: 1,
			latencyMs: this.s.latency,
			maxLogEntries: 1_000_000,
		});
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'electio-bench-n8n-'));
		this.folder = new N8nUserFolder(runtime, dir);
		await this.folder.installPackage(tgz);
		await this.folder.importCredential({ baseUrl: this.sandbox.url, apiKey: this.sandbox.apiKey });
		const workflows = [];
		for (const c of contenders) {
			if (c.kind === 'floor') continue;
			for (const n of sizes) workflows.push(workflowFor(c, n, this.sandbox.url));
		}
		const unique = [...new Map(workflows.map((w) => [w.id, w])).values()];
		const file = path.join(dir, 'bench-workflows.json');
		fs.writeFileSync(file, JSON.stringify(unique));
		const imported = await this.folder.n8n(['import:workflow', `--input=${file}`], {
			timeoutMs: 180_000,
		});
		if (imported.code !== 0)
			throw new Error(`importing the workflows failed:\n${imported.stdout}\n${imported.stderr}`);
		log(`sandbox on ${this.sandbox.url}; n8n user folder ${dir} with ${unique.length} workflows`);
	}

	async tearDown(): Promise<void> {
		await this.sandbox?.close();
		if (this.folder) fs.rmSync(this.folder.dir, { recursive: true, force: true });
	}

	private configure(scenario: Scenario, latency = this.s.latency): void {
		this.sandbox.reset();
		this.sandbox.setLatency(latency);
		// Setting the limit also refills the token bucket: every contender starts from the same state.
		this.sandbox.setRateLimit(scenario === 'limited' ? this.s.rate : null);
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

// ------------------------------------------------------------------------------------------------
// reporting

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

function scenarioTable(s: Settings, rows: Row[], n: number): string {
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

// ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const s = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const oursDefault: Contender = {
		kind: 'ours',
		concurrency: DEFAULT_CLIENT_SETTINGS.maxConcurrency,
		defaults: true,
	};
	const ours5: Contender = { kind: 'ours', concurrency: 5 };
	const ours200: Contender = { kind: 'ours', concurrency: 200 };
	const oursHeapCapped: Contender = { kind: 'ours', concurrency: 5, heapCapMb: 400 };
	const floor5: Contender = { kind: 'floor', concurrency: 5 };
	const floor200: Contender = { kind: 'floor', concurrency: 200 };
	const http: Contender = { kind: 'http', concurrency: 0 };
	const httpRetry: Contender = { kind: 'httpRetry', concurrency: 0 };
	const lineup: Record<Scenario, Contender[]> = {
		unlimited: [floor5, ours5, oursDefault, floor200, ours200, http, httpRetry],
		limited: [floor5, ours5, oursDefault, ours200, http, httpRetry],
	};
	// At a default of 200 the default run is the Max Concurrency 200 run: measured once.
	const defaultIs200 = oursDefault.concurrency === ours200.concurrency;
	for (const scenario of Object.keys(lineup) as Scenario[]) {
		lineup[scenario] = s.scenarios.includes(scenario)
			? lineup[scenario].filter(
					(c) => (!s.only || s.only.includes(contenderKey(c))) && !(defaultIs200 && c === ours200),
				)
			: [];
	}
	const scalingSizes = s.scaling.filter((n) => n !== s.n);
	const bench = new Bench(s);
	let baseline: Measurement | undefined;
	process.on('SIGINT', () => void bench.tearDown().finally(() => process.exit(130)));
	try {
		await bench.setUp([oursDefault, ours5, ours200, http, httpRetry], [s.n, ...scalingSizes, 1]);
		await bench.measureSandbox();
		// n8n's own footprint: our flow with a single consignment.
		baseline = await bench.run(ours5, 'unlimited', 1, 0);

		for (let round = 1; round <= s.rounds; round++) {
			for (const scenario of s.scenarios) {
				for (const c of lineup[scenario]) await bench.run(c, scenario, s.n, round);
			}
		}
		// Scaling: ours at max concurrency 5 (and the floor beside it), N from small to large.
		for (const n of scalingSizes) {
			for (const scenario of s.scenarios) {
				for (const c of [floor5, ours5]) {
					if (!s.only || s.only.includes(contenderKey(c))) await bench.run(c, scenario, n, 1);
				}
				// The HTTP Request flow at the largest N, for its memory beside ours; and ours again with
				// n8n's heap capped, to tell memory the flow needs from V8 collecting lazily on a big machine.
				if (scenario === 'unlimited' && n === Math.max(...scalingSizes)) {
					if (!s.only || s.only.includes('http')) await bench.run(http, scenario, n, 1);
					if (!s.only || s.only.includes('ours5')) {
						// A diagnostic only: its failure must not cost the whole run.
						await bench.run(oursHeapCapped, scenario, n, 1).catch((error: Error) => {
							log(
								`heap-capped run failed (left out of the report): ${error.message.split('\n')[0]}`,
							);
						});
					}
				}
			}
		}
	} finally {
		await bench.tearDown();
	}

	// ---- report
	const out: string[] = [];
	const commit = (() => {
		try {
			return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
				cwd: REPO_ROOT,
				encoding: 'utf8',
			}).trim();
		} catch {
			return '?';
		}
	})();
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
		`- Orchestrator, sandbox and floor: Node ${process.version}; n8n ${bench.n8nVersion} on Node ${bench.n8nNode} (\`n8n execute\`, one process per execution; n8n-nodes-base from the cached n8n install, binary data mode \`default\` = in memory)`,
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
		out.push(scenarioTable(s, rows, s.n));
		out.push('');
		const o5 = pick(rows, ours5);
		const oDefault = pick(rows, oursDefault);
		const o200 = pick(rows, ours200) ?? (defaultIs200 ? oDefault : undefined);
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
	const report = out.join('\n');
	fs.mkdirSync(path.dirname(s.out), { recursive: true });
	fs.writeFileSync(s.out, report);
	process.stdout.write(`\n${report}\n`);
	log(
		`written to ${path.relative(REPO_ROOT, s.out)} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
