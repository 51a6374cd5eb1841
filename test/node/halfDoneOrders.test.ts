// examples/half-done-orders.json (#21) run as it is, in n8n's engine, against the sandbox: its n8n
// nodes (Set, Split Out, Merge, Remove Duplicates, Aggregate...) are the installed n8n's own. An
// order whose delivery stopped half-way (a killed worker, an ERP that never sends it again) leaves
// its consignment Unallocated, Allocation Failed, or Allocated with no label; the finder must finish
// each one once, leave complete and too-young ones alone, and report exactly what it did and what a
// person has to look at, once.
import type { IDataObject, IRun } from 'n8n-workflow';
import { PDFDocument } from 'pdf-lib';

import { useElectio } from '../../harness/electio';
import { binaryBuffer, forgetProcessedItems, outputOf } from '../../harness/engine';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { useExample } from './support';

const h = useElectio({ seed: 21 });
const { workflow: example, run } = useExample(h, 'half-done-orders.json');
// n8n remembers what Remove Duplicates saw in its database: each test starts with a new one.
beforeEach(() => forgetProcessedItems());

const FINISHED = 'Report: finished';
const NEEDS_A_PERSON = 'Report: needs a person';

/** One run of the finder, started by its Run now trigger (the schedule starts the same node). */
async function runFinder(): Promise<IRun> {
	const execution = await run({ startNodeName: 'Run now' });
	expect(execution.data.resultData.error).toBeUndefined();
	return execution;
}

/** The consignments a report of the run lists (none when the report did not run). */
const listedIn = (run: IRun, report: string): IDataObject[] =>
	outputOf(run, report).flatMap((item) => item.json.consignments as IDataObject[]);

/** A consignment for an order, as the ERP example creates it. */
async function order(customerReference: string, extra: IDataObject = {}): Promise<string> {
	const { items, error } = await h.electio(
		{ resource: 'consignment', operation: 'create', inputMode: 'json' },
		[{ ...consignmentBody(customerReference), ...extra }],
	);
	if (error) throw error;
	return items[0].json.consignmentReference as string;
}

/** One Electio step for a consignment, as a delivery that stopped after it would have made it. */
async function step(parameters: IDataObject, consignmentReference: string): Promise<void> {
	await h.electio(parameters, [{ consignmentReference }], true);
}
const allocate = (reference: string) =>
	step(
		{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
		reference,
	);
const printLabel = (reference: string) =>
	step({ resource: 'label', operation: 'get', labelFormat: 'PDF' }, reference);

/** Seeds what `seed` creates as if it happened `minutes` ago, on the sandbox's clock. */
async function minutesAgo<T>(minutes: number, seed: () => Promise<T>): Promise<T> {
	h.sandbox.advanceClock(-minutes * 60_000);
	try {
		return await seed();
	} finally {
		h.sandbox.advanceClock(minutes * 60_000);
	}
}

/** The sandbox's calls during a run that name the consignment. */
const callsFor = (calls: ReturnType<typeof h.requests>, reference: string) =>
	calls.filter((call) => call.path.includes(reference));
const labelsPrinted = (calls: ReturnType<typeof h.requests>, reference: string) =>
	calls.filter((call) => call.path === `/labels/${reference}/PDF` && call.status === 200).length;
const allocations = (calls: ReturnType<typeof h.requests>, reference: string) =>
	calls.filter(
		(call) => call.method === 'PUT' && call.path.startsWith(`/allocation/${reference}/`),
	);

test('the schedule starts the same steps as Run now, every 5 minutes; email and Slack wait for credentials', () => {
	const trigger = example.nodes.find((node: IDataObject) => node.name === 'Every 5 minutes');
	expect(trigger.type).toBe('n8n-nodes-base.scheduleTrigger');
	expect(trigger.parameters.rule.interval).toEqual([{ field: 'minutes', minutesInterval: 5 }]);
	expect(example.connections['Every 5 minutes']).toEqual(example.connections['Run now']);
	const notify = example.nodes.filter((node: IDataObject) =>
		['n8n-nodes-base.emailSend', 'n8n-nodes-base.slack'].includes(node.type as string),
	);
	expect(notify.map((node: IDataObject) => [node.name, node.disabled])).toEqual([
		['Email the label to the warehouse', true],
		['Post the report to Slack', true],
		['Alert on Slack', true],
	]);
	expect(example.nodes.filter((node: IDataObject) => node.type === 'n8n-nodes-base.code')).toEqual(
		[],
	);
});

test('each old half-done consignment ends allocated with its label printed once; complete and young ones are left alone; the reports list exactly those, once', async () => {
	const today = new Date().toISOString().slice(0, 10);
	const old = await minutesAgo(30, async () => {
		const unallocated = await order('ORDER-1');
		const failed = await order('ORDER-2-SANDBOX-FAIL-ALLOCATION');
		await allocate(failed);
		const unlabelled = await order('ORDER-3');
		await allocate(unlabelled);
		const complete = await order('ORDER-4');
		await allocate(complete);
		await printLabel(complete);
		const cancelled = await order('ORDER-5');
		await step({ resource: 'consignment', operation: 'cancel' }, cancelled);
		// its requested delivery date can no longer be met: no quote qualifies
		const tooLate = await order('ORDER-6', { RequiredDeliveryDate: today });
		return { unallocated, failed, unlabelled, complete, cancelled, tooLate };
	});
	const youngUnallocated = await order('ORDER-7');
	const youngUnlabelled = await order('ORDER-8');
	await allocate(youngUnlabelled);

	const stored = (reference: string) => h.sandbox.getConsignment(reference)!;
	expect(
		[old.unallocated, old.failed, old.unlabelled, old.complete, old.cancelled].map((reference) => [
			stored(reference).ConsignmentState,
			stored(reference).LabelsPrinted,
		]),
	).toEqual([
		['Unallocated', false],
		['AllocationFailed', false],
		['Allocated', false],
		['Allocated', true],
		['Cancelled', false],
	]);
	const leftAlone = [old.complete, old.cancelled, youngUnallocated, youngUnlabelled];
	const before = leftAlone.map(stored);
	const trackingBefore = stored(old.unlabelled).TrackingReferences;

	const seen = h.requests().length;
	const run = await runFinder();
	const calls = h.requests().slice(seen);

	// found: the four old half-done ones, nothing else
	expect(
		outputOf(run, 'Find half-done consignments')
			.map((item) => item.json.consignmentReference)
			.sort(),
	).toEqual([old.unallocated, old.failed, old.unlabelled, old.tooLate].sort());

	for (const reference of [old.unallocated, old.failed, old.unlabelled]) {
		expect([
			reference,
			stored(reference).ConsignmentState,
			stored(reference).LabelsPrinted,
		]).toEqual([reference, 'Allocated', true]);
		expect([reference, labelsPrinted(calls, reference)]).toEqual([reference, 1]);
	}
	expect(allocations(calls, old.unallocated)).toHaveLength(1);
	expect(allocations(calls, old.failed)).toHaveLength(1);
	// the allocated one keeps its carrier and tracking numbers: nothing is booked twice
	expect(allocations(calls, old.unlabelled)).toHaveLength(0);
	expect(stored(old.unlabelled).TrackingReferences).toEqual(trackingBefore);

	for (const [index, reference] of leftAlone.entries()) {
		expect([reference, callsFor(calls, reference)]).toEqual([reference, []]);
		expect(stored(reference)).toEqual(before[index]);
	}
	expect(stored(old.tooLate).ConsignmentState).toBe('Unallocated');
	expect(allocations(calls, old.tooLate)).toHaveLength(0);
	expect(labelsPrinted(calls, old.tooLate)).toBe(0);

	// the finished report: exactly those three, saying what this run did to each
	const finished = listedIn(run, FINISHED);
	expect(
		finished
			.map((entry) => [
				entry.orderNumber,
				entry.consignmentReference,
				entry.foundAs,
				entry.allocatedNow,
			])
			.sort(),
	).toEqual([
		['ORDER-1', old.unallocated, 'Unallocated', true],
		['ORDER-2-SANDBOX-FAIL-ALLOCATION', old.failed, 'AllocationFailed', true],
		['ORDER-3', old.unlabelled, 'Allocated', false],
	]);
	for (const entry of finished) {
		const consignment = stored(entry.consignmentReference as string);
		expect(entry.trackingNumbers).toEqual(consignment.TrackingReferences);
		expect(entry.carrier).toBe(consignment.CarrierName);
	}
	const [finishedReport] = outputOf(run, FINISHED);
	expect(outputOf(run, FINISHED)).toHaveLength(1);
	expect(finishedReport.json.count).toBe(3);
	const message = finishedReport.json.message as string;
	expect(message).toMatch(/^3 order\(s\) had stopped half-way and are finished now:/);
	expect(message).toContain(`ORDER-1 ${old.unallocated} (was Unallocated): allocated now to`);
	expect(message).toContain(`ORDER-3 ${old.unlabelled} (was Allocated): already allocated to`);

	// the warehouse's email gets each label, a real PDF
	const emailed = outputOf(run, 'Email the label to the warehouse');
	expect(emailed.map((item) => item.json.consignmentReference).sort()).toEqual(
		[old.unallocated, old.failed, old.unlabelled].sort(),
	);
	for (const item of emailed) {
		const pdf = await PDFDocument.load(await binaryBuffer(item, 'data'));
		expect(pdf.getPageCount()).toBe(1);
	}

	// what could not be finished: exactly the one whose date cannot be met, with the reason
	const needsAPerson = listedIn(run, NEEDS_A_PERSON);
	expect(needsAPerson).toEqual([
		expect.objectContaining({
			consignmentReference: old.tooLate,
			orderNumber: 'ORDER-6',
			foundAs: 'Unallocated',
			retryable: false,
		}),
	]);
	// the plain sentence every failed item carries for a person (userMessage)
	expect(needsAPerson[0].reason).toMatch(
		/^No carrier can collect and deliver on the requested dates/,
	);
	expect(outputOf(run, NEEDS_A_PERSON)[0].json.message).toMatch(
		new RegExp(
			`^1 order\\(s\\) stopped half-way and could not be finished.*\\n• ORDER-6 ${old.tooLate} \\(Unallocated\\): `,
			's',
		),
	);

	// the next run: nothing left to finish, and what needs a person is not reported again
	const nextSeen = h.requests().length;
	const next = await runFinder();
	const nextCalls = h.requests().slice(nextSeen);
	expect(listedIn(next, FINISHED)).toEqual([]);
	expect(listedIn(next, NEEDS_A_PERSON)).toEqual([]);
	expect(
		outputOf(next, 'Not finished: one each').map((item) => item.json.consignmentReference),
	).toEqual([old.tooLate]);
	for (const reference of [old.unallocated, old.failed, old.unlabelled]) {
		expect([reference, callsFor(nextCalls, reference)]).toEqual([reference, []]);
	}
});

test('a label Electio cannot give now is reported once as worth retrying, and a later run finishes the order', async () => {
	const reference = await minutesAgo(20, async () => {
		const allocated = await order('ORDER-9');
		await allocate(allocated);
		return allocated;
	});
	h.sandbox.failNext({
		method: 'GET',
		path: `/labels/${reference}/PDF`,
		status: 503,
		headers: { 'Retry-After': '0' },
		times: 6,
	});
	const first = await runFinder();
	expect(listedIn(first, FINISHED)).toEqual([]);
	expect(listedIn(first, NEEDS_A_PERSON)).toEqual([
		expect.objectContaining({
			consignmentReference: reference,
			foundAs: 'Allocated',
			retryable: true,
		}),
	]);
	expect(outputOf(first, NEEDS_A_PERSON)[0].json.message).toContain(
		'Electio was unavailable or busy: the finder tries again every run.',
	);
	expect(h.sandbox.getConsignment(reference)!.LabelsPrinted).toBe(false);

	const second = await runFinder();
	expect(listedIn(second, FINISHED)).toEqual([
		expect.objectContaining({ consignmentReference: reference, allocatedNow: false }),
	]);
	expect(listedIn(second, NEEDS_A_PERSON)).toEqual([]);
	expect(labelsPrinted(h.requests(), reference)).toBe(1);
	expect(h.sandbox.getConsignment(reference)!.LabelsPrinted).toBe(true);

	const third = await runFinder();
	expect(outputOf(third, 'Find half-done consignments')).toEqual([]);
});
