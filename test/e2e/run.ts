// `npm run test:e2e`: every example workflow in a real n8n (2.41.1 on Node 24) against the local
// sandbox, with assertions on what the sandbox saw. Not part of `npm test` (jest): it needs the
// n8n install (scripts/install-n8n.sh) and takes a couple of minutes.
//
//   quotes-flow.json           n8n execute --id; consignments Manifested, created once, PDFs valid
//   daily-manifest.json        n8n execute --id (its Manual Trigger); only labelled allocated ones move
//   erp-webhook-to-label.json  n8n start + POSTs to its production webhook (./erp.ts, names contain
//                              "erp"): 200 / 422 / 503 answers, redelivery once, a rate-limited burst
//   contact-centre.json        n8n execute --id; the order's uncollected consignment moved to DPD,
//                              the delivered one explained (./contactCentre.ts)
//   half-done-orders.json      n8n execute --id (its Run now trigger), twice: old half-done orders
//                              finished once, the others left alone, reports once (./halfDoneOrders.ts)
//   delivery-notifications.json  n8n start, the Electio Trigger active in its own user folder: fires
//                              once per delivered consignment across polls and a restart
//                              (./trigger.ts, names contain "trigger"; polls are a minute apart)
//   fault soak (short)         30 consignments under injected faults: none created twice, none lost
//   killed batch (./killedBatch.ts)  quotes-flow.json with 300 orders, n8n SIGKILLed while creating,
//                              run again: every consignment created, allocated, Manifested once
//   queue mode (./queue.ts)    main + 2 workers over Redis and Postgres: the quotes flow via a
//                              webhook, a burst of ERP orders with redelivery, and the
//                              delivery-notifications trigger (polled by main alone, fired once)
//
// Env: ELECTIO_E2E_SKIP_BUILD=1 uses dist/ as built (CI builds first); ELECTIO_E2E_KEEP=1 keeps the
// n8n user folder; ELECTIO_E2E_ONLY=<substring> runs only the tests whose name contains it (`queue`:
// the queue-mode group); ELECTIO_E2E_QUEUE=0 leaves the queue-mode group out; ELECTIO_E2E_SKIP=<text>[,...]
// leaves out the tests whose name contains one of them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSandbox } from '../../sandbox';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { readExample } from '../../harness/package';
import { elapsed, log } from '../../harness/process';
import {
	buildAndPack,
	ensureN8n,
	executionError,
	N8nUserFolder,
	nodeItems,
	type N8nRuntime,
} from '../../harness/real-n8n';
import { nameParts, runSuite, TestList, type TestOutcome } from '../../harness/testRunner';
import { assertQuotesFlowOutcome } from './checks';
import { contactCentreTests } from './contactCentre';
import { erpTests, stopErpServer } from './erp';
import { halfDoneOrdersTests } from './halfDoneOrders';
import { killedBatchTests } from './killedBatch';
import { queueTests, stopQueueCluster } from './queue';
import { triggerTests } from './trigger';
import {
	DAILY_MANIFEST,
	assert,
	assertEqual,
	consignmentsByCustomerRef,
	createdCount,
	seedConsignment,
	type Sandbox,
} from './support';

const suite = new TestList();
const { test } = suite;

let runtime: N8nRuntime;
let sandbox: Sandbox;
let folder: N8nUserFolder;
let tgz: string;

// ---------------------------------------------------------------------------------------------

test('n8n loads the package: the node and credential types are known', async () => {
	const types = JSON.parse(
		fs.readFileSync(
			path.join(folder.n8nDir, 'nodes', 'node_modules', 'n8n-nodes-electio', 'package.json'),
			'utf8',
		),
	).n8n;
	assert(
		types.nodes.length === 2 && types.credentials.length === 1,
		'package.json n8n section lists two nodes (Electio, Electio Trigger) and one credential',
	);
	// the other tests execute the node; this one fails fast with a clear message if n8n cannot load it
	const workflow = {
		id: 'e2eNodeLoadCheck',
		name: 'e2e: node loads',
		nodes: [
			{
				id: 't',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'g',
				name: 'Get consignment',
				type: 'n8n-nodes-electio.electio',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'consignment',
					operation: 'get',
					consignmentReference: 'EC-000-000-000',
				},
				credentials: { electioApi: { id: 'electioSandboxCred', name: 'Electio sandbox (local)' } },
				onError: 'continueRegularOutput',
			},
		],
		connections: { Start: { main: [[{ node: 'Get consignment', type: 'main', index: 0 }]] } },
		settings: {},
	};
	await folder.importWorkflow(workflow);
	const result = await folder.execute(workflow.id);
	const text = result.stdout + result.stderr;
	assert(
		!/Unrecognized node type|is not known|Could not find node type/i.test(text),
		`n8n does not know the node type:\n${executionError(result)}`,
	);
	const items = nodeItems(result.execution, 'Get consignment');
	assert(
		items.length === 1,
		`the Electio node ran (items: ${items.length}); ${executionError(result)}`,
	);
	// an unknown reference: the node answers with the sandbox's 404, proving credential + base URL work
	const seen = sandbox.requests().filter((r) => r.path.includes('EC-000-000-000'));
	assert(seen.length >= 1, 'the sandbox received the request from n8n');
	assert(
		seen.every((r) => r.apiKey === 'valid'),
		'n8n sent the sandbox API key from the credential',
	);
});

test('quotes-flow.json: every consignment created once, allocated, labelled, Manifested', async () => {
	sandbox.reset();
	const id = await folder.importWorkflow(readExample('quotes-flow.json'));
	const result = await folder.execute(id);
	assert(result.ok, `execution failed: ${executionError(result)}`);
	await assertQuotesFlowOutcome(sandbox, result.execution, folder);
	const [summary] = nodeItems(result.execution, 'Batch summary');
	assertEqual(
		summary?.json.failed,
		0,
		`batch summary (${JSON.stringify(summary?.json).slice(0, 300)})`,
	);
});

test('quotes-flow.json: an order Electio refuses does not stop the batch; the summary names it', async () => {
	sandbox.reset();
	// The first create is refused as invalid; the other orders must still ship and be manifested.
	sandbox.failNext({
		method: 'POST',
		path: '/consignments',
		status: 400,
		body: {
			Code: 'ValidationFailed',
			Message: 'The consignment is not valid',
			Details: [
				{ Code: 'Invalid', Message: 'is not a valid postcode', Target: 'Addresses[1].Postcode' },
			],
		},
	});
	const id = await folder.importWorkflow(readExample('quotes-flow.json'));
	const result = await folder.execute(id);
	assert(result.ok, `the batch must not fail as a whole: ${executionError(result)}`);
	const [summary] = nodeItems(result.execution, 'Batch summary');
	assert(summary, 'a batch summary');
	const { orders, shipped, failed, failedOrders } = summary.json as any;
	assertEqual(failed, 1, `failed orders (${JSON.stringify(summary.json).slice(0, 400)})`);
	assertEqual(shipped, orders - 1, 'shipped orders');
	assertEqual(failedOrders[0].step, 'Create consignment', 'the step it failed at');
	assertEqual(failedOrders[0].retryable, false, 'an invalid order is not retryable');
	assertEqual(failedOrders[0].details[0]?.field, 'Addresses[1].Postcode', 'the field to fix');
	const manifested = sandbox.consignments().filter((c: any) => c.ConsignmentState === 'Manifested');
	assertEqual(manifested.length, orders - 1, 'the other orders were manifested');
});

test("daily-manifest.json: manifests the day's allocated, labelled consignments only", async () => {
	sandbox.reset();
	const labelled1 = await seedConsignment(sandbox, 'E2E-DAILY-1', { allocate: true, label: true });
	const labelled2 = await seedConsignment(sandbox, 'E2E-DAILY-2', { allocate: true, label: true });
	const unlabelled = await seedConsignment(sandbox, 'E2E-DAILY-3', {
		allocate: true,
		label: false,
	});
	const unallocated = await seedConsignment(sandbox, 'E2E-DAILY-4', {
		allocate: false,
		label: false,
	});

	const id = await folder.importWorkflow(readExample('daily-manifest.json'));
	const result = await folder.execute(id);
	assert(result.ok, `execution failed: ${executionError(result)}`);

	const state = (ref: string) => sandbox.getConsignment(ref)?.ConsignmentState;
	assertEqual(state(labelled1), 'Manifested', 'labelled consignment 1');
	assertEqual(state(labelled2), 'Manifested', 'labelled consignment 2');
	assertEqual(state(unlabelled), 'Allocated', 'allocated consignment without labels');
	assertEqual(state(unallocated), 'Unallocated', 'unallocated consignment');

	const summary = nodeItems(result.execution, DAILY_MANIFEST.summary);
	assertEqual(summary.length, 1, 'summary items');
	const text = JSON.stringify(summary[0].json);
	assert(/\b2\b/.test(text), `summary mentions the 2 manifested consignments: ${text}`);
});

test('daily-manifest.json: while Electio answers 503 the run still ends with a summary saying to run it again', async () => {
	sandbox.reset();
	const labelled = await seedConsignment(sandbox, 'E2E-DAILY-503', { allocate: true, label: true });
	const id = await folder.importWorkflow(readExample('daily-manifest.json'));
	sandbox.setFaults({ rate503: 1 });
	let result: Awaited<ReturnType<typeof folder.execute>>;
	try {
		result = await folder.execute(id);
	} finally {
		sandbox.setFaults(null);
	}
	assert(result.ok, `the run must end with a summary, not fail: ${executionError(result)}`);
	const [summary] = nodeItems(result.execution, DAILY_MANIFEST.summary);
	assert(
		/FAILED/.test(String(summary?.json.message)),
		`summary says it failed: ${summary?.json.message}`,
	);
	assertEqual(summary?.json.retryable, true, 'a 503 is worth running again');
	assertEqual(
		sandbox.getConsignment(labelled)?.ConsignmentState,
		'Allocated',
		'nothing was manifested',
	);
});

contactCentreTests(test, () => ({ folder, sandbox }));
halfDoneOrdersTests(test, () => ({ folder, sandbox }));
triggerTests(test, () => ({ runtime, tgz, sandbox }));

erpTests(test, () => ({ folder, sandbox }));

test('fault soak (short): 30 consignments under injected 503/429/drops, none created twice, none lost', async () => {
	sandbox.reset();
	// The fault mix of `npm run soak`, on fewer consignments so CI stays quick.
	sandbox.setFaults({
		rate503: 0.1,
		rate429: 0.05,
		retryAfterSeconds: 1,
		dropRate: 0.02,
		extraLatencyMs: [0, 30],
	});
	const count = 30;
	const maxRetries = 5;
	const bodies = Array.from({ length: count }, (_, index) =>
		consignmentBody(`E2E-SOAK-${index + 1}`, { country: index % 5 === 0 ? 'FR' : 'GB' }),
	);
	const electio = (id: string, name: string, x: number, parameters: Record<string, unknown>) => ({
		id,
		name,
		type: 'n8n-nodes-electio.electio',
		typeVersion: 1,
		position: [x, 0],
		parameters: { ...parameters, requestOptions: { maxRetries } },
		credentials: { electioApi: { id: 'electioSandboxCred', name: 'Electio sandbox (local)' } },
		onError: 'continueRegularOutput',
	});
	const steps = [
		electio('c', 'Create', 440, {
			resource: 'consignment',
			operation: 'create',
			inputMode: 'json',
		}),
		electio('q', 'Quotes', 660, { resource: 'quote', operation: 'getForConsignment' }),
		electio('a', 'Allocate', 880, {
			resource: 'allocation',
			operation: 'allocateWithQuote',
			quoteSelection: 'cheapest',
		}),
		electio('l', 'Labels', 1100, { resource: 'label', operation: 'get', labelFormat: 'PDF' }),
		electio('m', 'Manifest', 1320, { resource: 'manifest', operation: 'fromQuery' }),
	];
	const nodes = [
		{
			id: 't',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 's',
			name: 'Orders',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: { jsCode: `return ${JSON.stringify(bodies)}.map((json) => ({ json }));` },
		},
		...steps,
	];
	const order = nodes.map((node) => node.name);
	const connections = Object.fromEntries(
		order
			.slice(0, -1)
			.map((name, index) => [
				name,
				{ main: [[{ node: order[index + 1], type: 'main', index: 0 }]] },
			]),
	);
	const workflow = {
		id: 'e2eFaultSoak',
		name: 'e2e: fault soak',
		nodes,
		connections,
		settings: {},
	};
	try {
		await folder.importWorkflow(workflow);
		const result = await folder.execute(workflow.id);
		assert(result.execution, `n8n printed the execution: ${executionError(result)}`);
		const faults = sandbox.faultCounts();
		assert(
			faults['503'] + faults['429'] + faults.drop > 0,
			`faults were injected: ${JSON.stringify(faults)}`,
		);

		// Every per-item step answers each input item exactly once.
		for (const step of ['Create', 'Quotes', 'Allocate', 'Labels']) {
			assertEqual(nodeItems(result.execution, step).length, count, `${step} output items`);
		}
		const reported = new Map<string, string>();
		const created = nodeItems(result.execution, 'Create');
		created.forEach((item, index) => {
			if (item.json.error)
				reported.set(
					bodies[index].ConsignmentReferenceProvidedByCustomer as string,
					String(item.json.error),
				);
		});
		const failedLater = new Set(
			['Quotes', 'Allocate', 'Labels'].flatMap((step) =>
				nodeItems(result.execution, step)
					.filter((item) => item.json.error)
					.map((item) => String(item.json.consignmentReference)),
			),
		);
		const manifestFailed = nodeItems(result.execution, 'Manifest').some((item) => item.json.error);
		const records = consignmentsByCustomerRef(sandbox);
		for (const body of bodies) {
			const customerRef = body.ConsignmentReferenceProvidedByCustomer as string;
			assert(
				createdCount(sandbox, customerRef) <= 1 && (records.get(customerRef) ? 1 : 0) <= 1,
				`${customerRef} created at most once`,
			);
			const record = records.get(customerRef);
			const manifested = record?.ConsignmentState === 'Manifested';
			const explained =
				reported.has(customerRef) ||
				(record && failedLater.has(record.Reference)) ||
				manifestFailed;
			assert(
				manifested || explained,
				`${customerRef} is Manifested or reported with a reason (state ${record?.ConsignmentState ?? 'not created'})`,
			);
			if (!record)
				assert(
					reported.has(customerRef),
					`${customerRef} was not created and the Create step says why`,
				);
		}
		// No call was attempted more often than the first try plus Max Retries.
		const attempts = new Map<string, number>();
		for (const entry of sandbox.requests()) {
			if (entry.method === 'POST') continue; // creates share one path; counted per customer reference above
			const key = `${entry.method} ${entry.path}`;
			attempts.set(key, (attempts.get(key) ?? 0) + 1);
		}
		// Create's lookups of one order share a path: one before creating, one after, and two after
		// each create whose answer was lost (at most Max Retries of them), each call with its retries.
		const lookupsPerOrder = 2 + 2 * maxRetries;
		const callsOn = (key: string) =>
			/\?referenceProvidedByCustomer=/.test(key) ? lookupsPerOrder : 1;
		for (const [key, count] of attempts) {
			const most = callsOn(key) * (maxRetries + 1);
			const statuses = sandbox
				.requests()
				.filter((entry) => `${entry.method} ${entry.path}` === key)
				.map((entry) => entry.status);
			assert(
				count <= most,
				`at most ${most} attempts on ${key} (saw ${count}: ${statuses.join(', ')})`,
			);
		}
	} finally {
		sandbox.setFaults(null);
	}
});

killedBatchTests(test, () => ({ folder, sandbox }));

queueTests(test, () => ({ runtime, tgz, sandbox }));

// ---------------------------------------------------------------------------------------------

async function main(): Promise<TestOutcome> {
	const started = Date.now();
	runtime = await ensureN8n();
	log(`n8n ${runtime.version} at ${runtime.home}`);
	// ELECTIO_E2E_ONLY: one part of a name (names hold commas); ELECTIO_E2E_SKIP=<text>[,<text>]:
	// leave out the tests whose name contains one of them. A test that needs a newer n8n than this
	// one says so and is left out (the README's compatibility table says why).
	const { selected, skipped } = suite.select({
		only: [process.env.ELECTIO_E2E_ONLY ?? ''],
		skip: nameParts('ELECTIO_E2E_SKIP'),
		n8nVersion: runtime.version,
	});
	for (const { test: t, why } of skipped) console.log(`  skip  ${t.name} (${why})`);
	tgz = await buildAndPack({ build: process.env.ELECTIO_E2E_SKIP_BUILD !== '1' });
	sandbox = (await startSandbox({ port: 0 })) as Sandbox;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'electio-e2e-n8n-'));
	folder = new N8nUserFolder(runtime, dir);
	let passed = 0;
	let failed = 0;
	try {
		const setup = Date.now();
		await folder.installPackage(tgz);
		await folder.importCredential({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
		log(`n8n user folder ready in ${elapsed(setup)} (${dir}); sandbox on ${sandbox.url}`);
		({ passed, failed } = await TestList.run(selected));
	} finally {
		await stopErpServer();
		await stopQueueCluster();
		await sandbox.close();
		if (process.env.ELECTIO_E2E_KEEP === '1') log(`kept the n8n user folder at ${dir}`);
		else fs.rmSync(dir, { recursive: true, force: true });
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	}
	console.log(
		`\ne2e (real n8n ${runtime.version}): ${passed} passed, ${failed} failed (${elapsed(started)})`,
	);
	return { passed, failed };
}

runSuite('e2e', main);
