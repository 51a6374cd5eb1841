import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OperationExecute } from '../actions/node.type';
import { ElectioApiError } from '../transport';
import { customerReferenceIn } from './customerReference';
import { asNodeError, errorItem, usesErrorOutput } from './errorItems';
import { requireConsignmentReference } from './validation';

/** One entry of a list call's answer (`WithMessage`): the outcome for the reference in `Data`. */
export interface WithMessage {
	IsSuccess?: boolean;
	Message?: string;
	Data?: string;
}

/** What one reference's item says after a list call. */
interface Outcome {
	success: boolean;
	message: string;
}

/** How one list operation calls Electio and what a reference that succeeded is then. */
export interface ReferenceListCall {
	/** The one call for all references of the run. */
	send(references: string[]): Promise<WithMessage[] | unknown>;
	/** The consignment's state after success (e.g. `Manifested`). */
	stateAfter: string;
}

/**
 * The `execute` of every list operation: one `PUT <path>` for all input items' references, the
 * body being the list itself or what `body` makes of it.
 */
export function listCallExecute(options: {
	path: string;
	stateAfter: string;
	body?: (references: string[]) => IDataObject;
}): OperationExecute {
	return async function (this: IExecuteFunctions, items, client) {
		return await runReferenceList(this, items, {
			stateAfter: options.stateAfter,
			send: async (references) =>
				await client.request<WithMessage[]>({
					method: 'PUT',
					path: options.path,
					body: options.body ? options.body(references) : references,
				}),
		});
	};
}

/**
 * Runs a list call (manifest, set ready to ship...) once for all input items' references, and
 * gives every input item its reference's outcome, matched by `Data` (never by position: the
 * documented answers may repeat or reorder references). An item without a usable reference fails
 * before the call, alone with "Continue On Fail"; a failed call fails every item.
 */
async function runReferenceList(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	call: ReferenceListCall,
): Promise<INodeExecutionData[]> {
	const continueOnFail = context.continueOnFail();
	const errorOutput = usesErrorOutput(context.getNode());
	const output: INodeExecutionData[] = new Array(items.length);
	const references: Array<string | undefined> = items.map((item, itemIndex) => {
		try {
			return requireConsignmentReference(context, itemIndex);
		} catch (error) {
			if (!continueOnFail) throw asNodeError(context.getNode(), error, itemIndex);
			const known = { customerReference: customerReferenceIn(item.json) };
			output[itemIndex] = errorItem(error, { item: itemIndex }, known, errorOutput);
			return undefined;
		}
	});
	const unique = [...new Set(references.filter((reference) => reference !== undefined))];

	let outcomes: Map<string, Outcome>;
	if (!unique.length) {
		outcomes = new Map();
	} else {
		try {
			outcomes = outcomesByReference(unique, await call.send(unique));
		} catch (error) {
			const refused = error instanceof ElectioApiError ? refusedList(unique, error) : undefined;
			if (refused) {
				outcomes = refused;
			} else if (!continueOnFail) {
				throw asNodeError(context.getNode(), error);
			} else {
				references.forEach((reference, itemIndex) => {
					if (reference === undefined) return;
					const known = {
						consignmentReference: reference,
						customerReference: customerReferenceIn(items[itemIndex].json),
					};
					output[itemIndex] = errorItem(error, { item: itemIndex }, known, errorOutput);
				});
				return output;
			}
		}
	}
	references.forEach((reference, itemIndex) => {
		if (reference === undefined) return;
		const outcome = outcomes.get(reference.toUpperCase()) ?? {
			success: false,
			message:
				"Electio's answer does not mention this reference, so whether it changed is unknown: check it with Consignment > Get Status",
		};
		const json: IDataObject = {
			consignmentReference: reference,
			success: outcome.success,
			state: outcome.success ? call.stateAfter : null,
			message: outcome.message,
		};
		output[itemIndex] = { json, pairedItem: { item: itemIndex } };
	});
	return output;
}

/** The outcome of each reference from the answer's `Data`; a reference named twice succeeds only if both say so. */
function outcomesByReference(references: string[], answer: unknown): Map<string, Outcome> {
	const outcomes = new Map<string, Outcome>();
	const wanted = new Set(references.map((reference) => reference.toUpperCase()));
	for (const entry of Array.isArray(answer) ? (answer as WithMessage[]) : []) {
		const key = typeof entry?.Data === 'string' ? entry.Data.trim().toUpperCase() : '';
		if (!wanted.has(key)) continue;
		const success = entry.IsSuccess === true;
		const message = typeof entry.Message === 'string' ? entry.Message : '';
		const earlier = outcomes.get(key);
		if (!earlier || (earlier.success && !success)) outcomes.set(key, { success, message });
	}
	return outcomes;
}

/**
 * A list Electio refused as a whole because some references cannot change: those it names fail
 * with its reason, the others are left as they were. Undefined when the refusal names none of them.
 */
function refusedList(
	references: string[],
	error: ElectioApiError,
): Map<string, Outcome> | undefined {
	if (!error.status || error.status < 400 || error.status >= 500 || error.status === 429) return;
	const named = new Map<string, string>();
	for (const detail of error.details) {
		const position = /^\[(\d+)\]$/.exec(detail.field)?.[1];
		const reference =
			(position !== undefined ? references[Number(position)] : undefined) ??
			references.find((candidate) => mentions(detail.message, candidate));
		if (reference) named.set(reference.toUpperCase(), detail.message);
	}
	if (!named.size) return;
	const outcomes = new Map<string, Outcome>();
	for (const reference of references) {
		const key = reference.toUpperCase();
		outcomes.set(key, {
			success: false,
			message:
				named.get(key) ??
				`Not changed: Electio refused the whole list because ${named.size} other reference(s) could not change (${[...named.values()][0]}). Run again without them.`,
		});
	}
	return outcomes;
}

/** Whether a message names the reference as a whole word (EC-1 is not named by EC-10). */
function mentions(message: string, reference: string): boolean {
	const escaped = reference.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`(^|[^\\w-])${escaped}($|[^\\w-])`, 'i').test(message);
}
