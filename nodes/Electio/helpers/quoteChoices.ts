import type { IDataObject } from 'n8n-workflow';

import type { Quote } from './quotes';
import { summarizeQuote } from './quotes';
import { isPlainObject } from './validation';

/**
 * One quote as a person chooses it: the label shown on the form (`Royal Mail · Tracked 48 Signed
 * For · £5.68 · by Wed 9 Dec`) and the flat facts behind it.
 */
export interface QuoteChoice extends IDataObject {
	label: string;
	quoteReference: string;
	carrier: string | null;
	service: string | null;
	serviceReference: string | null;
	priceGross: number | null;
	currency: string | null;
}

/** The form field names Get Quotes defines and Allocate With Quote reads back by default. */
export const CHOICE_FIELD = 'quoteChoice';
export const CHOICES_FIELD = 'quoteChoices';
export const REFERENCE_FIELD = 'consignmentReference';

export const DEFAULT_QUESTION = 'Delivery option';

/** The quotes as choices, labels unique (a repeated label gets " (2)", " (3)"...). */
export function quoteChoices(quotes: Quote[], carrierNames: Map<string, string>): QuoteChoice[] {
	const seen = new Map<string, number>();
	return quotes.map((quote) => {
		const summary = summarizeQuote(quote, carrierNames);
		let label = choiceLabel(summary);
		const count = (seen.get(label) ?? 0) + 1;
		seen.set(label, count);
		if (count > 1) label = `${label} (${count})`;
		return { label, ...summary } as QuoteChoice;
	});
}

/** `Carrier · Service` of a choice or an allocation, in plain words. */
export function serviceName(offer: { carrier?: unknown; service?: unknown }): string {
	return [offer.carrier, offer.service]
		.filter((part): part is string => typeof part === 'string' && part.trim() !== '')
		.map(plainText)
		.join(' · ');
}

/** A single quote as a choice, named by what the quote itself says. */
export function choiceOf(quote: Quote): QuoteChoice {
	return quoteChoices([quote], new Map())[0];
}

/** The price of a choice, as allocation outputs show it. */
export function choicePrice(choice: QuoteChoice): IDataObject {
	return {
		net: choice.priceNet ?? null,
		vat: choice.priceVat ?? null,
		gross: choice.priceGross,
		currency: choice.currency,
	};
}

/** `Carrier · Service · £5.68 · by Wed 9 Dec`, leaving out what Electio did not say. */
function choiceLabel(summary: IDataObject): string {
	const name = serviceName(summary);
	const parts = name ? [name] : [];
	const price = formatPrice(summary.priceGross, summary.currency);
	if (price) parts.push(price);
	const by = formatDay(summary.latestDeliveryDate);
	if (by) parts.push(`by ${by}`);
	return parts.join(' · ') || String(summary.quoteReference);
}

/** Electio's names use no-break spaces; forms keep text as typed, so labels use plain ones. */
export function plainText(text: string): string {
	// n8n escapes < and > in JSON-defined form fields, so an option holding them would not come back as sent.
	return text
		.replace(/[<>]/g, '')
		.replace(/[\s\u00a0]+/g, ' ')
		.trim();
}

export function formatPrice(amount: unknown, currency: unknown): string | undefined {
	if (typeof amount !== 'number' || !Number.isFinite(amount)) return undefined;
	if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) return amount.toFixed(2);
	const text = new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount);
	return plainText(text);
}

/** `Wed 9 Dec` for the date part of an Electio date, as written (its local day, whatever the offset). */
function formatDay(value: unknown): string | undefined {
	const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
	if (!match) return undefined;
	const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return day.toLocaleDateString('en-GB', {
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		timeZone: 'UTC',
	});
}

export interface FormDefinitionOptions {
	question: string;
	fieldType: 'radio' | 'dropdown';
	/** Shown instead of the choice when there is nothing to choose. */
	noChoiceText?: string;
}

/**
 * The fields for n8n's Form node ("Define Form: Using JSON") and the "Custom Form" of Send Email /
 * Slack "send and wait": one required choice, then hidden fields that carry the consignment and
 * the choices to the next step, which a Form page's output would otherwise not know.
 */
export function formFieldsFor(
	consignmentReference: string,
	choices: QuoteChoice[],
	options: FormDefinitionOptions,
): IDataObject[] {
	const hidden = [
		{ fieldType: 'hiddenField', fieldName: REFERENCE_FIELD, fieldValue: consignmentReference },
		{
			fieldType: 'hiddenField',
			fieldName: CHOICES_FIELD,
			fieldValue: JSON.stringify(choices.map(compactChoice)),
		},
	];
	if (!choices.length) {
		const text = escapeHtml(options.noChoiceText ?? 'There is no delivery option to choose.');
		return [{ fieldType: 'html', html: `<p>${text}</p>` }, ...hidden];
	}
	return [
		{
			fieldLabel: plainText(options.question) || DEFAULT_QUESTION,
			fieldName: CHOICE_FIELD,
			fieldType: options.fieldType,
			requiredField: true,
			fieldOptions: { values: choices.map((choice) => ({ option: choice.label })) },
		},
		...hidden,
	];
}

/** What the next step needs of a choice, small enough for a hidden form field. */
function compactChoice(choice: QuoteChoice): IDataObject {
	return {
		label: choice.label,
		quoteReference: choice.quoteReference,
		carrier: choice.carrier,
		service: choice.service,
		serviceReference: choice.serviceReference,
		priceGross: choice.priceGross,
		currency: choice.currency,
	};
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The choices a form carried back (its hidden field: JSON text) or Get Quotes put in the item (a
 * list). Undefined when there are none; an Error when the value is there but unusable.
 */
export function parseChoices(value: unknown): QuoteChoice[] | undefined | Error {
	if (value === undefined || value === null || value === '') return undefined;
	let list: unknown = value;
	if (typeof value === 'string') {
		try {
			list = JSON.parse(value);
		} catch {
			return new Error('is not the JSON list of choices Get Quotes wrote');
		}
	}
	if (!Array.isArray(list)) return new Error('must be the list of choices Get Quotes output');
	const choices = list.filter(
		(entry): entry is QuoteChoice =>
			isPlainObject(entry) &&
			typeof entry.label === 'string' &&
			typeof entry.quoteReference === 'string',
	);
	if (choices.length !== list.length) {
		return new Error('holds entries without a label and a quote reference');
	}
	return choices.length ? choices : undefined;
}

export type AnswerMatch =
	{ choice: QuoteChoice } | { problem: 'unknown' | 'ambiguous'; candidates: QuoteChoice[] };

/**
 * The choice a person's answer means: the label as the form returns it, or a quote reference; a
 * carrier service's name or reference, or the label's start, when exactly one choice has it.
 */
export function matchAnswer(answer: string, choices: QuoteChoice[]): AnswerMatch {
	const wanted = normalized(answer);
	const exact = choices.filter(
		(choice) =>
			normalized(choice.label) === wanted || choice.quoteReference.toLowerCase() === wanted,
	);
	if (exact.length === 1) return { choice: exact[0] };
	const loose = exact.length
		? exact
		: choices.filter(
				(choice) =>
					normalized(choice.label).startsWith(`${wanted} ·`) ||
					normalized(choice.service) === wanted ||
					normalized(choice.serviceReference) === wanted,
			);
	if (loose.length === 1) return { choice: loose[0] };
	return loose.length
		? { problem: 'ambiguous', candidates: loose }
		: { problem: 'unknown', candidates: choices };
}

function normalized(text: unknown): string {
	return typeof text === 'string' ? plainText(text).toLowerCase() : '';
}

/** The answer as one text: forms return a radio or dropdown choice as text, checkboxes as a list. */
export function answerText(value: unknown): string | Error {
	const values = Array.isArray(value) ? value : [value];
	if (values.length > 1) return new Error(`holds ${values.length} choices; choose one`);
	const [single] = values;
	if (typeof single === 'number') return String(single);
	if (typeof single !== 'string' || !single.trim()) return new Error('is empty');
	return single.trim();
}
