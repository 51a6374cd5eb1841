// Shorthands the node's tests share: input items from references, what the sandbox holds or saw,
// and an example workflow run as it is.
import type { IRun } from 'n8n-workflow';

import { PACKAGE_NAME, runWorkflow, type ElectioHarness } from '../../harness/electio';
import type { RunWorkflowOptions } from '../../harness/engine';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { readExample } from '../../harness/package';
import { installedNodeTypes } from '../../harness/real-n8n/nodeTypes';

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

/**
 * An example of examples/ run as it is in n8n's engine against the file's sandbox: its n8n nodes
 * (Set, Merge, Respond to Webhook...) are the installed n8n's, loaded before the file's tests.
 */
export function useExample(h: ElectioHarness, file: string) {
	const workflow = readExample(file);
	let otherNodeTypes: RunWorkflowOptions['otherNodeTypes'];
	beforeAll(async () => {
		otherNodeTypes = await installedNodeTypes(workflow, PACKAGE_NAME);
	}, 20 * 60_000);
	return {
		workflow,
		/** One execution from `startNodeName`, with the given start items, mode and hooks. */
		run: async (
			options: Omit<RunWorkflowOptions, 'nodes' | 'connections' | 'credentials'>,
		): Promise<IRun> =>
			await runWorkflow({
				nodes: workflow.nodes,
				connections: workflow.connections,
				credentials: h.credentials,
				otherNodeTypes,
				...options,
			}),
	};
}
