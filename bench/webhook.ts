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
// Measuring: bench/webhookMeasure.ts on bench/stack.ts; the report: bench/webhookReport.ts.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { cliArgs } from '../harness/args';
import { REPO_ROOT } from '../harness/package';
import { elapsed, log } from '../harness/process';
import { headCommit } from './markdown';
import {
	batchAtDefaults,
	FLOWS,
	WebhookBench,
	type Flow,
	type Limit,
	type Settings,
} from './webhookMeasure';
import { webhookReport } from './webhookReport';

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

async function main(): Promise<void> {
	const s = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const head = headCommit();
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
	const markdown = webhookReport(s, bench, {
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
