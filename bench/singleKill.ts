// The single-kill scenario of `npm run chaos`: one n8n process (`n8n execute`, no queue) runs the
// quotes flow as one batch of --orders orders (harness/killedBatch.ts). A clean run says what the
// batch costs; then, on an empty sandbox each time, a run killed once the sandbox has answered each
// --kill-at share of the clean run's calls, and the same workflow run again on the same input.
import type { Sandbox } from '../sandbox';
import {
	batchSummary,
	killAndRunAgain,
	quotesFlowBatch,
	runCalls,
	type KilledBatch,
	type RunCalls,
} from '../harness/killedBatch';
import { log } from '../harness/process';
import type { Settings } from './chaosMeasure';
import { resetSandbox, startStack } from './stack';

const WORKFLOW_ID = 'chaosQuotesBatch';

export interface SingleKillRun {
	orders: number;
	clean: RunCalls & { shipped: number; failed: number };
	kills: Array<
		KilledBatch & {
			/** the share of the clean run's calls it was killed after */
			share: number;
			/** killed + rerun - clean, calls answered other than 429 */
			extraCalls: number;
		}
	>;
}

const work = (calls: RunCalls) => calls.calls - calls.calls429;

export async function runSingleKill(
	s: Settings,
	tgz: string,
	sandbox: Sandbox,
): Promise<SingleKillRun> {
	const stack = await startStack({
		build: false,
		latencyMs: s.latency,
		folderPrefix: 'electio-chaos-single-',
		workflows: () => [quotesFlowBatch(s.orders, WORKFLOW_ID)],
		tgz,
		sandbox,
	});
	try {
		resetSandbox(sandbox, s.latency, s.rate);
		log(`single-kill: a clean run of the quotes flow with ${s.orders} orders...`);
		const started = Date.now();
		const clean = await stack.folder.execute(WORKFLOW_ID, 20 * 60_000);
		if (!clean.ok) throw new Error('the clean run of the quotes batch failed');
		const cleanCalls = {
			...runCalls(sandbox.requests(), Date.now() - started),
			...batchSummary(clean),
		};
		const kills: SingleKillRun['kills'] = [];
		for (const share of s.killAt) {
			resetSandbox(sandbox, s.latency, s.rate);
			const killAfter = Math.round(work(cleanCalls) * share);
			log(`single-kill: killed after ${killAfter} calls, then run again...`);
			const batch = await killAndRunAgain(stack.folder, sandbox, WORKFLOW_ID, killAfter);
			log(
				`  killed during ${batch.step}; rerun: ${batch.rerun.shipped} shipped, ${batch.duplicates.length} duplicates, ${batch.notOnce.length} not Manifested once`,
			);
			const extraCalls = work(batch.killed) + work(batch.rerun) - work(cleanCalls);
			kills.push({ ...batch, share, extraCalls });
		}
		return { orders: s.orders, clean: cleanCalls, kills };
	} finally {
		await stack.close();
	}
}
