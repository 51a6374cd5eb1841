import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

/** `{{ $json }}` or `{{ $json.field }}`: the defaults that chain one Electio step to the next. */
const ITEM_FIELD_EXPRESSION = /^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*))?\s*\}\}$/;

/**
 * Reads a per-item parameter. The plain `{{ $json.field }}` expressions that chain the steps are
 * read straight from the input item, which is exactly what n8n would evaluate them to, without
 * paying its expression engine once per item on batches of thousands. Anything else is
 * evaluated by n8n as usual.
 */
export function itemParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: NodeParameterValueType,
): unknown {
	const raw = context.getNodeParameter(name, itemIndex, fallback, { rawExpressions: true });
	if (typeof raw !== 'string' || !raw.startsWith('=')) return raw;
	const match = ITEM_FIELD_EXPRESSION.exec(raw);
	if (!match) return context.getNodeParameter(name, itemIndex, fallback);
	const json = context.getInputData()[itemIndex]?.json ?? {};
	return match[1] === undefined ? json : json[match[1]];
}

/** A list parameter (multiOptions, or comma-separated text from an expression) as clean strings. */
export function listValues(value: unknown): string[] {
	const values = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return values.map((entry) => String(entry).trim()).filter(Boolean);
}

/** A dateTime parameter as ISO text: n8n hands over a Luxon DateTime from expressions, else text. */
export function dateText(value: unknown): string {
	if (value && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return (value as { toISO: () => string }).toISO();
	}
	return String(value ?? '');
}
