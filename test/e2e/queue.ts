// The queue-mode group of `npm run test:e2e` (#12): n8n main (EXECUTIONS_MODE=queue, Postgres,
// binary data in the database) and two `n8n worker` processes over Redis, each with the package in
// its own nodes folder (harness/real-n8n/queue.ts). Executions reach the workers through
// production webhooks (the quotes flow behind a webhook, and a burst of ERP orders delivered twice)
// and through the Electio Trigger, which main alone polls (examples/delivery-notifications.json).
// Checked by the sandbox's records, the files n8n stored in Postgres, and the workers' logs.
// On by default and in CI; ELECTIO_E2E_QUEUE=0 leaves the group out; ELECTIO_E2E_ONLY=queue runs
// only it. Needs scripts/install-queue-deps.sh (Redis and Postgres from Debian's packages).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	DELIVERY_NOTIFICATIONS,
	firedForDelivered,
	morePolls,
	statePollTimes,
} from '../../harness/deliveryNotifications';
import {
	ERP_WEBHOOK_PATH,
	ERP_WORKFLOW_ID,
	erpOrder,
	QUOTES_WEBHOOK,
	quotesFlowOnWebhook,
} from '../../harness/fixtures/webhookFlows';
import { journeysEnded, seedJourneys } from '../../harness/parcelJourneys';
import { readExample } from '../../harness/package';
import { log } from '../../harness/process';
import { nodeItems, QUOTES_FLOW_NODES, type N8nRuntime } from '../../harness/real-n8n';
import { QueueCluster } from '../../harness/real-n8n/queue';
import { QUEUE_DEPS_SCRIPT, queueDepsInstalled } from '../../harness/real-n8n/services';
import { burstOutcome } from '../../harness/webhookOutcomes';
import { postJson, sendAll, waitForWebhook } from '../../harness/webhookSends';
import { TRACKING_DEFAULTS } from '../../sandbox';
import { assertFiredOncePerDelivered, assertQuotesFlowOutcome } from './checks';
import { assert, assertEqual, type Sandbox } from './support';
import type { RegisterTest } from '../../harness/testRunner';

export interface QueueContext {
	runtime: N8nRuntime;
	tgz: string;
	sandbox: Sandbox;
}

const WORKERS = 2;
const DELIVERY_WORKFLOW_ID: string = readExample(DELIVERY_NOTIFICATIONS.file).id;
let booting: Promise<QueueCluster> | undefined;

/** One cluster for the group, started by the first test that needs it. */
function queueCluster(context: QueueContext): Promise<QueueCluster> {
	booting ??= (async () => {
		if (!queueDepsInstalled()) {
			throw new Error(`Redis and Postgres are not installed: run \`bash ${QUEUE_DEPS_SCRIPT}\``);
		}
		return await QueueCluster.start({
			runtime: context.runtime,
			tgz: context.tgz,
			dir: fs.mkdtempSync(path.join(os.tmpdir(), 'electio-e2e-queue-')),
			workers: WORKERS,
			credential: { baseUrl: context.sandbox.url, apiKey: context.sandbox.apiKey },
			workflows: [
				quotesFlowOnWebhook(),
				readExample('erp-webhook-to-label.json'),
				// active from the start: it polls through the other tests, which deliver nothing
				readExample(DELIVERY_NOTIFICATIONS.file),
			],
			publish: [QUOTES_WEBHOOK.id, ERP_WORKFLOW_ID, DELIVERY_WORKFLOW_ID],
		});
	})();
	return booting;
}

/** Stops the group's cluster if it was started (ELECTIO_E2E_KEEP=1 keeps its logs and data). */
export async function stopQueueCluster(): Promise<void> {
	const cluster = await booting?.catch(() => undefined);
	await cluster?.stop({ keep: process.env.ELECTIO_E2E_KEEP === '1' });
}

/** Every execution ran on one of the workers, by their logs; returns the workers that ran any. */
function assertRanOnWorkers(cluster: QueueCluster, executionIds: string[]): Set<string> {
	const byWorker = cluster.executionsByWorker();
	const elsewhere = executionIds.filter((id) => !byWorker.has(id));
	assertEqual(elsewhere.length, 0, `executions no worker's log reports (${elsewhere.join(', ')})`);
	const unknown = cluster.logLines(/Unrecognized node type|is not known/i);
	assertEqual(unknown.length, 0, `n8n processes not knowing the node:\n${unknown.join('\n')}`);
	return new Set(executionIds.map((id) => byWorker.get(id)!));
}

export function queueTests(test: RegisterTest, context: () => QueueContext): void {
	if (process.env.ELECTIO_E2E_QUEUE === '0') {
		log('the queue-mode tests are off (ELECTIO_E2E_QUEUE=0)');
		return;
	}

	test(`queue mode: the quotes flow via its webhook on main + ${WORKERS} workers: run by a worker, Manifested, labels and customs PDFs read back from Postgres, manifest sent once`, async () => {
		const { sandbox } = context();
		const cluster = await queueCluster(context());
		sandbox.reset();
		const before = (await cluster.executions(QUOTES_WEBHOOK.id)).length;
		const answer = await postJson(`${cluster.url}/webhook/${QUOTES_WEBHOOK.path}`, {});
		assertEqual(answer.status, 200, `webhook status (body: ${answer.text.slice(0, 500)})`);
		const executions = await cluster.settledExecutions(QUOTES_WEBHOOK.id, before + 1);
		const record = executions[executions.length - 1];
		assertEqual(record.mode, 'webhook', `mode of execution ${record.id}`);
		assertEqual(record.status, 'success', `status of execution ${record.id}`);
		assertRanOnWorkers(cluster, [record.id]);

		const execution = await cluster.execution(record.id);
		const labels = nodeItems(execution, QUOTES_FLOW_NODES.labels);
		assert(
			labels.length > 0 && labels.every((item) => item.binary?.data?.id?.startsWith('database:')),
			`labels are stored in n8n's database (binary ids: ${labels.map((l) => l.binary?.data?.id).join(', ')})`,
		);
		await assertQuotesFlowOutcome(sandbox, execution, await cluster.binaries(record.id));
		// main answers the webhook with what the worker's last node output
		const last = execution.data.resultData.lastNodeExecuted;
		assertEqual(
			answer.text,
			JSON.stringify(nodeItems(execution, last)[0]?.json),
			`the webhook's answer is the first item of "${last}"`,
		);
	});

	const burst = 30;
	test(`queue mode: a burst of ${burst} ERP orders (each its own webhook call) and their redelivery on main + ${WORKERS} workers: every order answered with its tracking numbers, 0 lost, 0 duplicates, the redelivery answered the same`, async () => {
		const { sandbox } = context();
		const cluster = await queueCluster(context());
		sandbox.reset();
		const url = `${cluster.url}/webhook/${ERP_WEBHOOK_PATH}`;
		await waitForWebhook(url);
		const before = (await cluster.executions(ERP_WORKFLOW_ID)).length;
		const orders = Array.from({ length: burst }, (_, i) =>
			erpOrder(`SO-QUEUE-${String(i + 1).padStart(3, '0')}`),
		);
		const first = await sendAll(url, orders);
		// the ERP delivers every order once more (it timed out, or its queue is at-least-once)
		const again = await sendAll(url, orders);
		const executions = (await cluster.settledExecutions(ERP_WORKFLOW_ID, before + 2 * burst)).slice(
			before,
		);
		const outcome = burstOutcome(
			sandbox,
			orders.map((o) => o.orderNumber),
			first,
			again,
		);
		const summary = JSON.stringify({ ...outcome, lost: outcome.lost.length });
		assertEqual(
			outcome.answered,
			burst,
			`orders answered 200 with their tracking numbers (${summary})`,
		);
		assertEqual(outcome.lost.length, 0, `orders without a shipped consignment (${outcome.lost})`);
		assertEqual(
			outcome.duplicates.length,
			0,
			`orders the sandbox holds more than one consignment for (${outcome.duplicates.join(', ')})`,
		);
		assertEqual(
			outcome.sameAnswer,
			burst,
			`redeliveries answered with the first answer (different: ${outcome.redeliveryDifferent.join(', ')})`,
		);
		assertEqual(executions.length, 2 * burst, 'executions recorded');
		const workers = assertRanOnWorkers(
			cluster,
			executions.map((e) => e.id),
		);
		assertEqual(workers.size, WORKERS, `workers that ran orders (${[...workers].join(', ')})`);
	});

	test(`queue mode: the delivery-notifications trigger on main + ${WORKERS} workers: polled by main alone (once a minute, not once per instance), fired once for each consignment the sandbox delivers and never for a failed one, its executions run by the workers`, async () => {
		const { sandbox } = context();
		const cluster = await queueCluster(context());
		sandbox.reset();
		sandbox.setTracking({ auto: true, stepMs: 1000 });
		try {
			const before = (await cluster.executions(DELIVERY_WORKFLOW_ID)).length;
			// both branches get work: three journeys end delivered, three fail
			const journeys = await seedJourneys(sandbox, {
				delivered: ['E2E-QUEUE-TRIGGER-1', 'E2E-QUEUE-TRIGGER-2', 'E2E-QUEUE-TRIGGER-3'],
				failed: ['E2E-QUEUE-TRIGGER-4', 'E2E-QUEUE-TRIGGER-5', 'E2E-QUEUE-TRIGGER-6'],
			});
			await journeysEnded(sandbox, [...journeys.delivered, ...journeys.failed], 30_000);
			await firedForDelivered(sandbox, journeys.delivered, 150_000);
			// one poll more after the firings: nothing is fired for again
			await morePolls(sandbox, 1);

			assertFiredOncePerDelivered(sandbox, journeys);

			// Every instance polling would show as polls seconds apart; main alone polls once a minute.
			// The first poll seen may be the one n8n runs at activation, seconds before the first
			// scheduled one (when the cluster has just started): the gaps are counted after it.
			while (statePollTimes(sandbox).length < 3) await morePolls(sandbox, 1);
			const polls = statePollTimes(sandbox).slice(1);
			const gaps = polls.slice(1).map((at, index) => at - polls[index]);
			assert(
				Math.min(...gaps) >= 45_000,
				`polls at least 45 s apart (gaps in s: ${gaps.map((gap) => (gap / 1000).toFixed(1)).join(', ')})`,
			);

			const executions = (await cluster.settledExecutions(DELIVERY_WORKFLOW_ID, before + 1)).slice(
				before,
			);
			for (const record of executions) {
				assertEqual(record.mode, 'trigger', `mode of execution ${record.id}`);
				assertEqual(record.status, 'success', `status of execution ${record.id}`);
			}
			assertRanOnWorkers(
				cluster,
				executions.map((record) => record.id),
			);
			log(
				`queue trigger: ${journeys.delivered.length} delivered, each fired for once; ${journeys.failed.length} failed, none fired for; ${polls.length} polls, ${gaps.map((gap) => (gap / 1000).toFixed(0)).join('/')} s apart; ${executions.length} execution(s), all on workers`,
			);
		} finally {
			sandbox.setTracking(TRACKING_DEFAULTS);
		}
	});
}
