import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Input that is wrong before anything is sent; knows the field, for error items. */
export class ItemInputError extends NodeOperationError {
	/** The field as the user sees it, without quotes: `Consignment Reference`. */
	field = '';

	/** What is wrong with it: `is empty`. */
	problem = '';
}

/** Thrown for input that is wrong before anything is sent: names the item and the field. */
export function inputError(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	problem: string,
	hint?: string,
	/** The field as the caller's data names it (a JSON path), when that is more useful. */
	dataField?: string,
): ItemInputError {
	const error = new ItemInputError(context.getNode(), `Item ${itemIndex}: ${field} ${problem}`, {
		itemIndex,
		description: hint,
	});
	error.field = dataField || field.replace(/"/g, '');
	error.problem = problem;
	return error;
}

/** What a user is told about each reference field when it is empty or unusable. */
const REFERENCE_HINTS = {
	consignmentReference:
		'Consignment references look like EC-000-05B-MMA. By default this field reads {{ $json.consignmentReference }} from the previous Electio step.',
	quoteReference:
		'Quote references are GUIDs such as f6374a18-a6b5-48c1-841c-aa3f00e9951a. By default this field reads {{ $json.quoteReference }}, which Get Quotes outputs with "One Item per Quote".',
} as const;

/** Reads a required reference parameter; references travel in URL paths, so dot-segments are refused. */
function requireReference(
	context: IExecuteFunctions,
	itemIndex: number,
	parameterName: keyof typeof REFERENCE_HINTS,
	label: string,
): string {
	const hint = REFERENCE_HINTS[parameterName];
	const raw = context.getNodeParameter(parameterName, itemIndex, '');
	const value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (!value) {
		throw inputError(context, itemIndex, `"${label}"`, 'is empty', hint);
	}
	if (/^\.{1,2}$/.test(value)) {
		throw inputError(context, itemIndex, `"${label}"`, `"${value}" is not a valid reference`, hint);
	}
	return value;
}

/** The item's Consignment Reference: what most operations act on. */
export function requireConsignmentReference(context: IExecuteFunctions, itemIndex: number): string {
	return requireReference(context, itemIndex, 'consignmentReference', 'Consignment Reference');
}

/** The item's Quote Reference: the quote a previous step chose. */
export function requireQuoteReference(context: IExecuteFunctions, itemIndex: number): string {
	return requireReference(context, itemIndex, 'quoteReference', 'Quote Reference');
}

/** A strictly positive finite number, accepting numeric strings such as "1.5" from spreadsheets. */
export function positiveNumber(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined;
}

/** A number option held within [min, max]; the fallback when it is missing or not a number. */
export function bounded(value: unknown, min: number, max: number, fallback: number): number {
	const number = Number(value);
	return value !== undefined && value !== '' && Number.isFinite(number)
		? Math.min(max, Math.max(min, number))
		: fallback;
}

/** An object that is not an array (Electio's answers and n8n's items are such objects). */
export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A text value from Electio's answer, or null when it is missing, not text or blank. */
export function textOrNull(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The item's reference for error reports, without failing when the parameter cannot be read. */
export function referenceForReport(
	context: IExecuteFunctions,
	itemIndex: number,
): string | undefined {
	try {
		const value = context.getNodeParameter('consignmentReference', itemIndex, '');
		return typeof value === 'string' && value.trim() ? value.trim() : undefined;
	} catch {
		return undefined;
	}
}
