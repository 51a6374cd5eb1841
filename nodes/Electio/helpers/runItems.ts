import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ElectioClient } from '../transport';
import type { KnownReferences } from './errorItems';
import { errorItem, usesErrorOutput } from './errorItems';
import { referenceForReport, requireReference } from './validation';

/**
 * How one per-item operation is run: `prepare` reads and validates the item's parameters
 * without any I/O, `run` makes the calls. All items are prepared before the first request,
 * so bad input stops the node before anything is sent to Electio.
 */
export interface PerItemOperation<Plan> {
	prepare(itemIndex: number): Plan;
	run(plan: Plan, itemIndex: number): Promise<INodeExecutionData | INodeExecutionData[]>;
	/** The references an error item should carry, so later steps and the caller can name it. */
	referencesOf?(itemIndex: number, plan: Plan | undefined): KnownReferences;
}

/**
 * Runs an operation over every input item with at most `concurrency` items in flight, keeping
 * output order, pairing every output to its input and, with "Continue On Fail", turning each
 * failure into exactly one error item in its place.
 */
export async function runPerItem<Plan>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	concurrency: number,
	operation: PerItemOperation<Plan>,
): Promise<INodeExecutionData[]> {
	const continueOnFail = context.continueOnFail();
	const errorOutput = usesErrorOutput(context.getNode());
	const failedItem = (error: unknown, itemIndex: number, plan: Plan | undefined) =>
		errorItem(
			error,
			{ item: itemIndex },
			operation.referencesOf?.(itemIndex, plan) ?? {},
			errorOutput,
		);
	const results: INodeExecutionData[][] = new Array(items.length);
	const plans: Array<Plan | undefined> = new Array(items.length);

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			plans[itemIndex] = operation.prepare(itemIndex);
		} catch (error) {
			if (!continueOnFail) throw withItemIndex(context, error, itemIndex);
			results[itemIndex] = [failedItem(error, itemIndex, undefined)];
		}
	}

	let next = 0;
	const failure: { first?: { error: unknown; itemIndex: number } } = {};
	const worker = async () => {
		while (next < items.length && !failure.first) {
			const itemIndex = next++;
			if (results[itemIndex]) continue;
			try {
				const output = await operation.run(plans[itemIndex] as Plan, itemIndex);
				results[itemIndex] = pair(output, itemIndex);
			} catch (error) {
				if (continueOnFail) {
					results[itemIndex] = [failedItem(error, itemIndex, plans[itemIndex])];
				} else {
					// Stop handing out items; the first failure is what the user sees.
					failure.first ??= { error, itemIndex };
				}
			}
		}
	};
	const workers = Math.max(1, Math.min(concurrency, items.length));
	await Promise.all(Array.from({ length: workers }, worker));
	if (failure.first) throw withItemIndex(context, failure.first.error, failure.first.itemIndex);

	const output: INodeExecutionData[] = [];
	for (const itemResults of results) {
		for (const item of itemResults) output.push(item);
	}
	return output;
}

/**
 * `runPerItem` for the operations that act on each item's consignment: without a `prepare`, an
 * item's plan is its validated Consignment Reference; an error item carries the reference it was for.
 */
export async function runPerConsignment<Plan = string>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	concurrency: number,
	operation: Omit<PerItemOperation<Plan>, 'prepare' | 'referencesOf'> & {
		prepare?: (itemIndex: number) => Plan;
	},
): Promise<INodeExecutionData[]> {
	const referenceOnly = (itemIndex: number) =>
		requireReference(context, itemIndex, 'consignmentReference', 'Consignment Reference') as Plan;
	return await runPerItem(context, items, concurrency, {
		prepare: operation.prepare ?? referenceOnly,
		run: operation.run,
		referencesOf: (itemIndex) => ({
			consignmentReference: referenceForReport(context, itemIndex),
			customerReference: customerReferenceIn(items[itemIndex]?.json),
		}),
	});
}

function pair(
	output: INodeExecutionData | INodeExecutionData[],
	itemIndex: number,
): INodeExecutionData[] {
	const list = Array.isArray(output) ? output : [output];
	for (const item of list) item.pairedItem ??= { item: itemIndex };
	return list;
}

/** The customer's reference an earlier step put in the item, under our name or Electio's. */
export function customerReferenceIn(json: IDataObject | undefined): string | undefined {
	const value = json?.customerReference ?? json?.ConsignmentReferenceProvidedByCustomer;
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function withItemIndex(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeOperationError || (error as { node?: unknown })?.node) {
		const nodeError = error as NodeOperationError;
		nodeError.context = { ...(nodeError.context ?? {}), itemIndex };
		return nodeError;
	}
	return new NodeOperationError(context.getNode(), messageOf(error), { itemIndex });
}

/**
 * The `execute` of an operation that makes its calls for each item's consignment: `run` gets the
 * run's client, the item's validated reference and its index, with `this` the node's context.
 */
export function perConsignmentExecute(
	run: (
		this: IExecuteFunctions,
		client: ElectioClient,
		reference: string,
		itemIndex: number,
	) => Promise<INodeExecutionData | INodeExecutionData[]>,
) {
	return async function (
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		client: ElectioClient,
	): Promise<INodeExecutionData[]> {
		return await runPerConsignment(this, items, client.settings.maxConcurrency, {
			run: async (reference, itemIndex) => await run.call(this, client, reference, itemIndex),
		});
	};
}
