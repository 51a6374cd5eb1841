// n8n killed in the middle of a batch (#21): examples/quotes-flow.json with 300 orders under
// `n8n execute`, SIGKILLed while it creates the consignments, then run again on the same input
// (harness/killedBatch.ts). The sandbox's records are the judge: every order one consignment,
// created once, allocated once, Manifested once. `npm run chaos -- --scenarios single-kill` runs
// the same at the chaos's rate and reports what the rerun cost.
import { killAndRunAgain, quotesFlowBatch } from '../../harness/killedBatch';
import { log } from '../../harness/process';
import type { N8nUserFolder } from '../../harness/real-n8n';
import { assert, assertEqual, type Sandbox } from './support';
import type { RegisterTest } from '../../harness/testRunner';

const ORDERS = 300;
/** a pace at which the kill lands in the creates (three calls an order: look up, create, look up) */
const RATE = 100;

export function killedBatchTests(
	test: RegisterTest,
	context: () => { folder: N8nUserFolder; sandbox: Sandbox },
): void {
	test(`quotes-flow.json, ${ORDERS} orders: n8n killed while creating, run again: every consignment created, allocated and Manifested once`, async () => {
		const { folder, sandbox } = context();
		sandbox.reset();
		sandbox.setRateLimit(RATE);
		try {
			const id = await folder.importWorkflow(quotesFlowBatch(ORDERS, 'e2eKilledBatch'));
			const batch = await killAndRunAgain(folder, sandbox, id, 2 * ORDERS);
			const created = Object.values(batch.states).reduce((sum, count) => sum + count, 0);
			log(
				`killed after ${batch.killAfter} calls with ${created} consignments created; the rerun made ${batch.rerun.calls - batch.rerun.calls429} calls in ${batch.rerun.wallS.toFixed(1)} s`,
			);
			assert(
				created > 0 && created < ORDERS,
				`killed in the middle of the creates (${created} of ${ORDERS} created)`,
			);
			assertEqual(batch.orders.length, ORDERS, 'orders in the batch');
			assertEqual(batch.missing.length, 0, `orders without a consignment (${batch.missing})`);
			assertEqual(batch.duplicates.length, 0, `orders created twice (${batch.duplicates})`);
			assertEqual(
				batch.notOnce.length,
				0,
				`orders not allocated once and Manifested once (${batch.notOnce.slice(0, 5)})`,
			);
			assertEqual(batch.rerun.shipped, ORDERS, "the rerun's batch summary: shipped");
			assertEqual(batch.rerun.failed, 0, "the rerun's batch summary: failed");
		} finally {
			sandbox.setRateLimit(null);
		}
	});
}
