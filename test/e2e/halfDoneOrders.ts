// examples/half-done-orders.json in a real n8n (#21), `n8n execute` (its Run now trigger): orders
// left half-done more than 15 minutes ago are finished with one label each, a complete one and a
// young one are left alone, one that cannot be finished is reported; the next run reports nothing
// again (Remove Duplicates keeps what it saw in n8n's database). The sandbox's records are the judge.
import { consignmentBody } from '../../harness/fixtures/consignments';
import { readExample } from '../../harness/package';
import { executionError, nodeItems, type N8nUserFolder } from '../../harness/real-n8n';
import { createConsignment } from '../../harness/sandboxApi';
import { assert, assertEqual, NEEDS_ERROR_OUTPUT, seedConsignment, type Sandbox } from './support';
import type { RegisterTest } from '../../harness/testRunner';

export function halfDoneOrdersTests(
	test: RegisterTest,
	context: () => { folder: N8nUserFolder; sandbox: Sandbox },
): void {
	test(
		'half-done-orders.json: old half-done orders finished with one label each, complete and young ones left alone, what cannot be finished reported once',
		async () => {
			const { folder, sandbox } = context();
			sandbox.reset();
			sandbox.advanceClock(-30 * 60_000);
			let old: Record<string, string>;
			try {
				old = {
					unallocated: await seedConsignment(sandbox, 'E2E-HALF-1', {
						allocate: false,
						label: false,
					}),
					unlabelled: await seedConsignment(sandbox, 'E2E-HALF-2', {
						allocate: true,
						label: false,
					}),
					complete: await seedConsignment(sandbox, 'E2E-HALF-3', { allocate: true, label: true }),
					// no quote can deliver by today any more: a person has to decide
					tooLate: await createConsignment(sandbox, {
						...consignmentBody('E2E-HALF-5'),
						RequiredDeliveryDate: new Date().toISOString().slice(0, 10),
					}),
				};
			} finally {
				sandbox.advanceClock(30 * 60_000);
			}
			const young = await seedConsignment(sandbox, 'E2E-HALF-4', { allocate: true, label: false });
			const id = await folder.importWorkflow(readExample('half-done-orders.json'));

			const first = await folder.execute(id);
			assert(first.ok, `execution failed: ${executionError(first)}`);
			const labelCalls = (reference: string) =>
				sandbox
					.requests()
					.filter((call) => call.path === `/labels/${reference}/PDF` && call.status === 200).length;
			for (const reference of [old.unallocated, old.unlabelled]) {
				const consignment = sandbox.getConsignment(reference)!;
				assertEqual(consignment.ConsignmentState, 'Allocated', `${reference} state`);
				assertEqual(consignment.LabelsPrinted, true, `${reference} labels printed`);
				assertEqual(labelCalls(reference), 1, `${reference} labels printed by the finder`);
			}
			assertEqual(labelCalls(old.complete), 1, 'the complete one: only its own label call');
			assertEqual(
				sandbox.getConsignment(young)!.LabelsPrinted,
				false,
				'the young one is left alone',
			);

			const [report] = nodeItems(first.execution, 'Report: finished');
			const listed = ((report?.json.consignments ?? []) as Array<Record<string, unknown>>)
				.map((entry) => `${entry.consignmentReference} ${entry.allocatedNow}`)
				.sort();
			assertEqual(
				JSON.stringify(listed),
				JSON.stringify([`${old.unallocated} true`, `${old.unlabelled} false`].sort()),
				'the finished report lists exactly those, saying which it allocated',
			);

			const needsAPerson = nodeItems(first.execution, 'Report: needs a person').flatMap(
				(item) => item.json.consignments as Array<Record<string, unknown>>,
			);
			assertEqual(
				JSON.stringify(needsAPerson.map((entry) => entry.consignmentReference)),
				JSON.stringify([old.tooLate]),
				'the report for a person lists the one that cannot be finished',
			);
			assertEqual(sandbox.getConsignment(old.tooLate)!.ConsignmentState, 'Unallocated', 'too late');

			const second = await folder.execute(id);
			assert(second.ok, `second execution failed: ${executionError(second)}`);
			assertEqual(
				nodeItems(second.execution, 'Report: finished').length,
				0,
				'nothing left to finish',
			);
			assertEqual(
				nodeItems(second.execution, 'Report: needs a person').length,
				0,
				'what needs a person is not reported again (n8n remembers it in its database)',
			);
			for (const reference of [old.unallocated, old.unlabelled])
				assertEqual(labelCalls(reference), 1, `${reference} label printed once over two runs`);
		},
		NEEDS_ERROR_OUTPUT,
	);
}
