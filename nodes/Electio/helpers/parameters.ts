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
