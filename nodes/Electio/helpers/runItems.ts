import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OperationExecute } from '../actions/node.type';
import type { ElectioClient } from '../transport';
import { customerReferenceIn } from './customerReference';
import type { KnownReferences } from './errorItems';
import { asNodeError, errorItem, usesErrorOutput } from './errorItems';
import { referenceForReport, requireConsignmentReference } from './validation';

type ItemOutput = INodeExecutionData | INodeExecutionData[];

/**
 * One per-item operation, `this` being the node's context: `prepare` reads and checks an item's
 * parameters without any I/O, `run` makes the item's calls through the run's client.
 */
export interface ItemOperation<Plan> {
	prepare(this: IExecuteFunctions, itemIndex: number): Plan;
	run(
		this: IExecuteFunctions,
		plan: Plan,
		itemIndex: number,
		client: ElectioClient,
	): Promise<ItemOutput>;
	/** What an error item names; by default the item's consignment and customer references. */
	referencesOf?(
		this: IExecuteFunctions,
		itemIndex: number,
		plan: Plan | undefined,
	): KnownReferences;
}

/**
 * The `execute` of every operation that works item by item (`runPerItem` runs it). Without
 * `prepare`, an item's plan is its validated Consignment Reference.
 */
export function perItemExecute<Plan = string>(
	operation: Omit<ItemOperation<Plan>, 'prepare'> & Partial<ItemOperation<Plan>>,
): OperationExecute {
	const prepare = operation.prepare ?? (consignmentReference as ItemOperation<Plan>['prepare']);
	return async function (this: IExecuteFunctions, items, client) {
		return await runPerItem(this, items, client.settings.maxConcurrency, {
			prepare: (itemIndex) => prepare.call(this, itemIndex),
			run: async (plan, itemIndex) => await operation.run.call(this, plan, itemIndex, client),
			referencesOf: (itemIndex, plan) =>
				operation.referencesOf?.call(this, itemIndex, plan) ??
				itemReferences(this, items, itemIndex),
		});
	};
}

function consignmentReference(this: IExecuteFunctions, itemIndex: number): string {
	return requireConsignmentReference(this, itemIndex);
}

/** The references an error item of a per-consignment step names, read without failing. */
function itemReferences(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	itemIndex: number,
): KnownReferences {
	return {
		consignmentReference: referenceForReport(context, itemIndex),
		customerReference: customerReferenceIn(items[itemIndex]?.json),
	};
}

/** `ItemOperation` with the context and client bound, as `runPerItem` calls it. */
interface BoundItemOperation<Plan> {
	prepare(itemIndex: number): Plan;
	run(plan: Plan, itemIndex: number): Promise<ItemOutput>;
	referencesOf?(itemIndex: number, plan: Plan | undefined): KnownReferences;
}

/**
 * Runs an operation over every input item with at most `concurrency` items in flight, keeping
 * output order, pairing every output to its input and, with "Continue On Fail", turning each
 * failure into exactly one error item in its place. All items are prepared before the first
 * request, so bad input stops the node before anything is sent to Electio.
 */
async function runPerItem<Plan>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	concurrency: number,
	operation: BoundItemOperation<Plan>,
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
			if (!continueOnFail) throw asNodeError(context.getNode(), error, itemIndex);
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
	if (failure.first) {
		throw asNodeError(context.getNode(), failure.first.error, failure.first.itemIndex);
	}

	const output: INodeExecutionData[] = [];
	for (const itemResults of results) {
		for (const item of itemResults) output.push(item);
	}
	return output;
}

function pair(output: ItemOutput, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(output) ? output : [output];
	for (const item of list) item.pairedItem ??= { item: itemIndex };
	return list;
}
