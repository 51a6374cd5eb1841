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
// Measuring: bench/batchMeasure.ts on bench/stack.ts; the report: bench/batchReport.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { cliArgs } from '../harness/args';
import { REPO_ROOT } from '../harness/package';
import { log } from '../harness/process';
import {
	BatchBench,
	CONTENDERS,
	contenderKey,
	lineupFor,
	type Measurement,
	type Scenario,
	type Settings,
} from './batchMeasure';
import { batchReport } from './batchReport';

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

async function main(): Promise<void> {
	const s = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const { oursDefault, ours5, ours200, oursHeapCapped, floor5, http, httpRetry } = CONTENDERS;
	const lineup = lineupFor(s);
	const scalingSizes = s.scaling.filter((n) => n !== s.n);
	const bench = new BatchBench(s);
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

	const report = batchReport(s, bench, lineup, started, baseline);
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
