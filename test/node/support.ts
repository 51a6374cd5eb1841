// Shorthands the node's tests share: input items from references, and what the sandbox holds or saw.
import type { ElectioHarness } from '../../harness/electio';
import { consignmentBody } from '../../harness/fixtures/consignments';

/** One input item per consignment reference. */
export const refs = (references: string[]) =>
	references.map((consignmentReference) => ({ consignmentReference }));

/** A documented Electio example (test/fixtures/electio-api-examples). */
export const example = (name: string) => require(`../fixtures/electio-api-examples/${name}`);

/** The consignments the sandbox holds for a customer reference (the order number). */
export function consignmentsFor(harness: ElectioHarness, customerReference: string): string[] {
	return harness.sandbox.consignmentsByCustomerReference()[customerReference] ?? [];
}

/** Shorthands bound to one file's harness. */
export function sandboxShorthands(h: ElectioHarness) {
	return {
		/** The state the sandbox holds for a consignment. */
		state: (reference: string) => h.sandbox.getConsignment(reference)?.ConsignmentState,
		/** The calls the sandbox saw to a path. */
		callsTo: (path: string) => h.requests().filter((entry) => entry.path === path),
		/** Electio acts on the next PUT to `path`, and its answer is lost on the way back. */
		loseAnswerOf: (path: string) =>
			h.sandbox.failNext({ method: 'PUT', path, drop: true, afterHandling: true }),
		/** Creates one consignment (a fresh customer reference) and returns its reference. */
		oneConsignment: async (): Promise<string> => {
			const { items } = await h.electio(
				{ resource: 'consignment', operation: 'create', inputMode: 'json' },
				[consignmentBody(`T-${Math.random()}`)],
			);
			return items[0].json.consignmentReference as string;
		},
	};
}
