// `npm run demo`: the quotes flow in a real n8n against the local sandbox, headless.
//
// Builds and packs this package, starts the sandbox on a free port, installs n8n 2.41.1 on Node 24
// (first time only, cached; ELECTIO_N8N_VERSION=1.123.x: n8n 1.123 on Node 22), installs the
// package into a throwaway n8n user folder the way n8n installs community packages, creates the
// sandbox credential, imports examples/quotes-flow.json, runs it with `n8n execute --id`, and writes
// labels, customs documents and summary.json into demo-output/. The sandbox's carriers then move
// the consignments along by themselves (automatic tracking, a step every 2 s) until Delivered, and
// examples/delivery-notifications.json, published under `n8n start`, fires for each. Exit code 0
// only if every consignment reached Manifested and then Delivered, and the trigger workflow fired
// exactly once for each (per the sandbox's records).
//
// Options: --keep (keep the n8n user folder and print where it is), --no-build (use dist/ as is).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../sandbox';
import {
	deliveryRows,
	deliveryTable,
	firedForDelivered,
	morePolls,
	startDeliveryNotifications,
} from '../harness/deliveryNotifications';
import { journeysEnded } from '../harness/parcelJourneys';
import { readExample, REPO_ROOT } from '../harness/package';
import { elapsed, log } from '../harness/process';
import {
	buildAndPack,
	collectFiles,
	ensureN8n,
	executionError,
	N8nUserFolder,
	nodeItems,
	QUOTES_FLOW_NODES,
	summarise,
	table,
	writeFiles,
} from '../harness/real-n8n';

const OUT_DIR = path.join(REPO_ROOT, 'demo-output');

async function main(): Promise<number> {
	const started = Date.now();
	const args = new Set(process.argv.slice(2));
	const keep = args.has('--keep');

	const runtime = await ensureN8n();
	log(`n8n ${runtime.version} (Node ${runtime.nodeVersion}) at ${runtime.home}`);
	const tgz = await buildAndPack({ build: !args.has('--no-build') });

	// The carriers move manifested consignments on by themselves, all of them to Delivered.
	const sandbox = await startSandbox({
		port: 0,
		tracking: { auto: true, stepMs: 2000, failureRate: 0 },
	});
	const folderDir = fs.mkdtempSync(path.join(os.tmpdir(), 'electio-demo-n8n-'));
	try {
		log(`sandbox on ${sandbox.url} (API key ${sandbox.apiKey})`);
		const folder = new N8nUserFolder(runtime, folderDir);
		let step = Date.now();
		await folder.installPackage(tgz);
		await folder.importCredential({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
		const workflowId = await folder.importWorkflow(readExample('quotes-flow.json'));
		log(
			`n8n user folder ready (package installed, credential and workflow imported) in ${elapsed(step)}`,
		);

		step = Date.now();
		log('executing quotes-flow.json in n8n (n8n execute --id)...');
		const result = await folder.execute(workflowId);
		log(`execution finished in ${elapsed(step)}: ${result.ok ? 'success' : 'FAILED'}`);

		fs.rmSync(OUT_DIR, { recursive: true, force: true });
		fs.mkdirSync(OUT_DIR, { recursive: true });

		if (!result.execution) {
			console.error(`n8n printed no execution data:\n${executionError(result)}`);
			return 1;
		}
		const labels = collectFiles(
			folder,
			nodeItems(result.execution, QUOTES_FLOW_NODES.labels),
			'label',
		);
		const customs = collectFiles(
			folder,
			nodeItems(result.execution, QUOTES_FLOW_NODES.customs),
			'customs',
		);
		const labelsByRef = writeFiles(OUT_DIR, labels);
		const customsByRef = writeFiles(OUT_DIR, customs);

		// the truth about states comes from the sandbox, not from what the workflow says
		const states = new Map<string, string>(
			sandbox.consignments().map((c: any) => [String(c.Reference), String(c.ConsignmentState)]),
		);
		const rows = summarise(result.execution, states, labelsByRef, customsByRef);
		const manifest = nodeItems(result.execution, QUOTES_FLOW_NODES.manifest)[0]?.json ?? null;
		// the tracking clock may already have moved them on: Manifested is a state they passed through
		const reachedManifest = (reference: string) =>
			!!sandbox.getConsignment(reference)?.history.some((change) => change.state === 'Manifested');
		const everyManifested =
			result.ok &&
			rows.length > 0 &&
			states.size === rows.length &&
			rows.every((row) => reachedManifest(row.consignmentReference));
		const summary = {
			ok: everyManifested,
			n8nVersion: runtime.version,
			workflow: 'examples/quotes-flow.json',
			sandboxUrl: sandbox.url,
			executionStatus: result.execution.status ?? (result.ok ? 'success' : 'error'),
			error: result.ok ? undefined : executionError(result),
			consignments: rows,
			manifest,
			files: [...labels, ...customs].length,
			durationSeconds: Math.round((Date.now() - started) / 100) / 10,
		};
		const references = rows.map((row) => row.consignmentReference);
		const deliveries = everyManifested ? await deliverAndTrigger(folder, sandbox, references) : [];
		const everyDelivered =
			deliveries.length === rows.length &&
			deliveries.every((row) => row.state === 'Delivered' && row.fired === 1);
		Object.assign(summary, { ok: everyManifested && everyDelivered, deliveries });
		fs.writeFileSync(path.join(OUT_DIR, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');

		console.log('');
		console.log(table(rows));
		console.log('');
		if (manifest?.message) console.log(`Manifest: ${manifest.message}`);
		console.log(
			`${labels.length} label(s), ${customs.length} customs document(s) and summary.json written to ${path.relative(process.cwd(), OUT_DIR) || OUT_DIR}/`,
		);
		if (!result.ok) console.log(`The workflow failed: ${executionError(result)}`);
		if (deliveries.length) {
			console.log('');
			console.log(deliveryTable(deliveries));
			console.log('');
		}
		if (everyManifested && everyDelivered) {
			console.log(
				`Demo OK: all ${rows.length} consignments Manifested, then Delivered, and the Electio Trigger workflow fired once for each (${elapsed(started)} in total).`,
			);
			return 0;
		}
		if (everyManifested) {
			console.log(
				'Demo FAILED: not every consignment was Delivered with the trigger workflow firing exactly once for it.',
			);
			return 1;
		}
		const notDone = rows.filter((row) => !reachedManifest(row.consignmentReference));
		console.log(
			`Demo FAILED: ${notDone.length || 'some'} of ${rows.length || states.size} consignment(s) not Manifested${
				states.size !== rows.length
					? ` (sandbox holds ${states.size}, the workflow created ${rows.length})`
					: ''
			}.`,
		);
		return 1;
	} finally {
		await sandbox.close();
		if (keep) log(`n8n user folder kept at ${folderDir}`);
		else fs.rmSync(folderDir, { recursive: true, force: true });
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	}
}

/**
 * Waits for the sandbox's carriers to end every journey, then publishes delivery-notifications.json
 * under `n8n start` (including the last hour, as the deliveries came before it was active) and waits
 * until it fired for each delivered consignment and polled once more without firing again.
 */
async function deliverAndTrigger(folder: N8nUserFolder, sandbox: Sandbox, references: string[]) {
	log('waiting for the sandbox carriers to deliver (a tracking step every 2 s)...');
	await journeysEnded(sandbox, references, 60_000);
	log('publishing examples/delivery-notifications.json and starting n8n (n8n start)...');
	const step = Date.now();
	const { server } = await startDeliveryNotifications(folder, sandbox, { includeLastHours: 1 });
	try {
		await firedForDelivered(sandbox, references, 120_000);
		log(
			`the trigger fired (${elapsed(step)}); waiting for its next poll, which must not fire again...`,
		);
		await morePolls(sandbox, 1);
	} finally {
		await server.stop();
	}
	return deliveryRows(sandbox, references);
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`Demo FAILED: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	},
);
