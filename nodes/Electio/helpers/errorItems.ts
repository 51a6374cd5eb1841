import type { IDataObject, INode, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ElectioApiError } from '../transport';
import { personFacts } from './userMessage';
import { ItemInputError } from './validation';

/** The references an error item should name, so a later step or the caller can act on it. */
export interface KnownReferences {
	consignmentReference?: string;
	customerReference?: string;
}

/** The facts about a failure a workflow can branch on: retry later, fix a field, or alert. */
export interface FailureFacts extends IDataObject {
	httpCode: number | null;
	retryable: boolean;
	details: IDataObject[];
	correlationId: string | null;
	consignmentReference: string | null;
	customerReference: string | null;
	/** One plain sentence for the person at the counter or on the phone. */
	userMessage: string;
}

/**
 * The item a failure becomes with "Continue On Fail". On the regular output the facts stand
 * beside n8n's `error` and `errorDescription`. n8n routes an item to the error output only when
 * its json holds nothing but `error`, `message` and `details` (it then adds the input item's
 * fields), so there the facts go under `details`, with Electio's field problems as
 * `details.fields`.
 */
export function errorItem(
	error: unknown,
	pairedItem: IPairedItemData | IPairedItemData[],
	known: KnownReferences,
	errorOutput: boolean,
): INodeExecutionData {
	const apiError = error instanceof ElectioApiError ? error : undefined;
	const inputError = error instanceof ItemInputError ? error : undefined;
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: string | null })?.description ?? null;
	const facts: FailureFacts = {
		httpCode: apiError?.status ?? numberOrNull((error as { httpCode?: unknown })?.httpCode),
		retryable: apiError?.retryable ?? false,
		details: inputError
			? [{ field: inputError.field, message: inputError.problem }]
			: (apiError?.details ?? []).map((detail) => ({ ...detail })),
		correlationId: apiError?.correlationId ?? null,
		consignmentReference: known.consignmentReference ?? null,
		customerReference: known.customerReference ?? null,
		// the sentence for a person, and what a person's next step needs (fresh choices...)
		...personFacts(error, known.consignmentReference),
	};
	if (errorOutput) {
		const { details: fields, ...rest } = facts;
		return {
			json: { error: message, message: description, details: { ...rest, fields } },
			pairedItem,
		};
	}
	return { json: { error: message, errorDescription: description, ...facts }, pairedItem };
}

/** Whether the node's "On Error" setting sends failed items to a separate error output. */
export function usesErrorOutput(node: INode): boolean {
	return node.onError === 'continueErrorOutput';
}

function numberOrNull(value: unknown): number | null {
	const number = Number(value);
	return value !== undefined && value !== null && Number.isFinite(number) ? number : null;
}

/**
 * The one way a failure becomes the error the node throws. n8n's node errors go on as they are:
 * an ElectioApiError keeps its message, its description with Electio's field problems and the
 * node's hints, its HTTP code and correlation ID; an input error keeps its field. Anything else
 * is wrapped, keeping its message. With `itemIndex`, the error names the item that failed.
 */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	const nodeError = isNodeError(error)
		? error
		: new NodeOperationError(node, error instanceof Error ? error : String(error));
	if (itemIndex !== undefined) nodeError.context = { ...nodeError.context, itemIndex };
	return nodeError;
}

/** n8n's node errors, also those made by another copy of n8n-workflow (n8n's own, in a run). */
function isNodeError(error: unknown): error is NodeApiError | NodeOperationError {
	return (
		error instanceof NodeApiError ||
		error instanceof NodeOperationError ||
		(error instanceof Error && (error as { node?: unknown }).node !== undefined)
	);
}

/** Thrown when Electio's answer lacks what the call is for: names the item, like an input error. */
export function unexpectedAnswer(
	node: INode,
	itemIndex: number,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(node, `Item ${itemIndex}: ${problem}`, { itemIndex, description });
}
