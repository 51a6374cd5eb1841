// One n8n process killed in the middle of a batch, then the same workflow run again on the same
// input, as a person would after the crash: examples/quotes-flow.json with its five samples
// repeated to a batch of orders (each its own customer reference) under `n8n execute`, SIGKILLed
// (n8n and its task runner) once the sandbox has answered so many calls. Afterwards every order
// must have one consignment, created once, allocated once and Manifested once. Used by
// `npm run chaos -- --scenarios single-kill` and the e2e run.
import type { RequestLogEntry, Sandbox, StoredConsignment } from '../sandbox';
import { readExample } from './package';
import { sleep } from './process';
import { nodeItems, QUOTES_FLOW_NODES, type ExecutionResult, type N8nUserFolder } from './real-n8n';
import { apiRoute } from './webhookOutcomes';

const SUMMARY = 'Batch summary';

/** The quotes flow with its samples repeated to `orders` orders: `DEMO-1001-001`, `DEMO-1002-001`, ... */
export function quotesFlowBatch(orders: number, id: string): Record<string, any> {
	const workflow = readExample('quotes-flow.json');
	const samples = workflow.nodes.find((node: any) => node.name === QUOTES_FLOW_NODES.samples);
	const ending = /return consignments\.map\([^\n]*\n?$/;
	if (!ending.test(samples?.parameters?.jsCode ?? ''))
		throw new Error(`quotes-flow.json: "${QUOTES_FLOW_NODES.samples}" no longer ends as expected`);
	samples.parameters.jsCode = samples.parameters.jsCode.replace(
		ending,
		[
			`return Array.from({ length: ${orders} }, (_, i) => {`,
			'  const sample = consignments[i % consignments.length];',
			"  const copy = String(Math.floor(i / consignments.length) + 1).padStart(3, '0');",
			'  const ConsignmentReferenceProvidedByCustomer = `${sample.ConsignmentReferenceProvidedByCustomer}-${copy}`;',
			'  return { json: { ...sample, ConsignmentReferenceProvidedByCustomer, ShippingDate: today } };',
			'});',
			'',
		].join('\n'),
	);
	return { ...workflow, id, name: `${workflow.name} (${orders} orders)` };
}

/** What one run cost in API calls. */
export interface RunCalls {
	/** `n8n execute`'s own start-up included */
	wallS: number;
	calls: number;
	calls429: number;
	/** calls answered other than 429, by route */
	byRoute: Record<string, number>;
}

export function runCalls(log: RequestLogEntry[], wallMs: number): RunCalls {
	const work = log.filter((entry) => entry.status !== 429);
	const byRoute: Record<string, number> = {};
	for (const entry of work) byRoute[apiRoute(entry)] = (byRoute[apiRoute(entry)] ?? 0) + 1;
	return { wallS: wallMs / 1000, calls: log.length, calls429: log.length - work.length, byRoute };
}

/** The batch's "Batch summary": orders shipped and failed. */
export function batchSummary(execution: ExecutionResult): { shipped: number; failed: number } {
	const summary = nodeItems(execution.execution, SUMMARY)[0]?.json ?? {};
	return { shipped: Number(summary.shipped), failed: Number(summary.failed) };
}

export interface KilledBatch {
	/** the calls (not 429) the sandbox had answered when n8n was killed */
	killAfter: number;
	/** the step most of the last calls before the kill were for */
	step: string;
	/** the consignments' states right after the kill */
	states: Record<string, number>;
	killed: RunCalls;
	rerun: RunCalls & { shipped: number; failed: number };
	orders: string[];
	/** orders the sandbox has no consignment for */
	missing: string[];
	/** orders with more than one consignment, or created by more than one request */
	duplicates: string[];
	/** orders whose consignment is not Manifested, or was allocated or Manifested more than once */
	notOnce: string[];
}

/** `n8n execute` of the workflow, timed; `signal` kills it. */
async function timedRun(folder: N8nUserFolder, id: string, signal?: AbortSignal) {
	const started = Date.now();
	const result = await folder.execute(id, 20 * 60_000, signal);
	return { result, wallMs: Date.now() - started };
}

const callsNot429 = (sandbox: Sandbox) =>
	sandbox.requests().filter((entry) => entry.status !== 429).length;

/** The quotes flow's step each route is called by. */
const STEP_OF_ROUTE: Record<string, string> = {
	'GET /consignments/{take}/{skip}': QUOTES_FLOW_NODES.create,
	'POST /consignments': QUOTES_FLOW_NODES.create,
	'GET /quotes/consignment/{ref}': QUOTES_FLOW_NODES.quotes,
	'PUT /allocation/{ref}/allocatewithquote/{quote}': QUOTES_FLOW_NODES.allocate,
	'GET /consignments/{ref}': QUOTES_FLOW_NODES.allocate,
	'GET /labels/{ref}/PDF': QUOTES_FLOW_NODES.labels,
	'GET /consignments/docs/{ref}': QUOTES_FLOW_NODES.customs,
	'PUT /consignments/manifestFromQuery': QUOTES_FLOW_NODES.manifest,
};

/** The step most of the last calls were for. */
function currentStep(log: RequestLogEntry[]): string {
	const steps = log.slice(-20).map((entry) => STEP_OF_ROUTE[apiRoute(entry)] ?? apiRoute(entry));
	const count = (step: string) => steps.filter((s) => s === step).length;
	return [...new Set(steps)].sort((a, b) => count(b) - count(a))[0] ?? '-';
}

const times = (c: StoredConsignment, state: string) =>
	c.history.filter((change) => change.state === state).length;

/**
 * Runs the batch workflow (imported in `folder`, the sandbox empty), SIGKILLs n8n once the sandbox
 * has answered `killAfter` calls (not 429), runs it again to the end, and says what each order
 * ended with.
 */
export async function killAndRunAgain(
	folder: N8nUserFolder,
	sandbox: Sandbox,
	workflowId: string,
	killAfter: number,
): Promise<KilledBatch> {
	sandbox.clearRequests();
	const abort = new AbortController();
	let finished = false;
	const running = timedRun(folder, workflowId, abort.signal).finally(() => (finished = true));
	// checked often: the sandbox may answer hundreds of calls a second
	while (!finished && callsNot429(sandbox) < killAfter) await sleep(20);
	abort.abort();
	const killed = await running;
	if (killed.result.ok)
		throw new Error(`the batch ended before ${killAfter} calls: nothing to kill`);
	await sleep(1000); // calls the sandbox was still answering
	const killedLog = sandbox.requests();
	const states: Record<string, number> = {};
	for (const c of sandbox.consignments())
		states[c.ConsignmentState] = (states[c.ConsignmentState] ?? 0) + 1;

	sandbox.clearRequests();
	const rerun = await timedRun(folder, workflowId);
	if (!rerun.result.execution) throw new Error('the rerun printed no execution');
	const rerunLog = sandbox.requests();
	const orders = nodeItems(rerun.result.execution, QUOTES_FLOW_NODES.samples).map((item) =>
		String(item.json.ConsignmentReferenceProvidedByCustomer),
	);
	const creates = new Map<string, number>();
	for (const entry of [...killedLog, ...rerunLog]) {
		if (entry.method !== 'POST' || !/^\/consignments\/?(\?|$)/.test(entry.path) || !entry.handled)
			continue;
		const order = String(entry.customerReference);
		creates.set(order, (creates.get(order) ?? 0) + 1);
	}
	const byOrder = new Map<string, StoredConsignment[]>();
	for (const c of sandbox.consignments()) {
		const order = String(c.ConsignmentReferenceProvidedByCustomer);
		byOrder.set(order, [...(byOrder.get(order) ?? []), c]);
	}
	return {
		killAfter,
		step: currentStep(killedLog),
		states,
		killed: runCalls(killedLog, killed.wallMs),
		rerun: { ...runCalls(rerunLog, rerun.wallMs), ...batchSummary(rerun.result) },
		orders,
		missing: orders.filter((order) => !byOrder.has(order)),
		duplicates: orders.filter(
			(order) => (byOrder.get(order)?.length ?? 0) > 1 || (creates.get(order) ?? 0) > 1,
		),
		notOnce: orders.filter((order) => {
			const [c] = byOrder.get(order) ?? [];
			return (
				c &&
				(c.ConsignmentState !== 'Manifested' ||
					times(c, 'Manifested') !== 1 ||
					times(c, 'Allocated') !== 1)
			);
		}),
	};
}
