import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ElectioApiError } from '../transport';
import { ItemInputError } from './validation';

/**
 * A failure whose sentence for a person the node knows exactly (the quote expired, the answer is
 * not one of the choices, the consignment went to another carrier), with the facts a workflow
 * needs to show the person what to do next: the fresh choices, the current carrier service.
 */
export class PersonError extends NodeOperationError {
	userMessage = '';

	/** What kind of failure this is, to branch on: `quoteExpired`, `answerNotAChoice`... */
	reason = '';

	/** Facts for the error item, beside the usual ones. */
	facts: IDataObject = {};
}

export function personError(
	node: INode,
	itemIndex: number,
	failure: {
		reason: string;
		message: string;
		userMessage: string;
		description?: string;
		facts?: IDataObject;
	},
): PersonError {
	const error = new PersonError(node, `Item ${itemIndex}: ${failure.message}`, {
		itemIndex,
		description: failure.description,
	});
	error.reason = failure.reason;
	error.userMessage = failure.userMessage;
	error.facts = failure.facts ?? {};
	return error;
}

/** The facts an error item carries for people: the sentence, and for some failures what to do next. */
export function personFacts(
	error: unknown,
	consignmentReference?: string,
): IDataObject & { userMessage: string } {
	if (error instanceof PersonError) {
		return { userMessage: error.userMessage, reason: error.reason, ...error.facts };
	}
	return { userMessage: userMessageOf(error, consignmentReference) };
}

/**
 * One plain sentence for a shop assistant or an agent: what went wrong and what to do, without
 * HTTP codes or JSON paths (the error item keeps those beside it).
 */
export function userMessageOf(error: unknown, consignmentReference?: string): string {
	if (error instanceof PersonError) return error.userMessage;
	if (error instanceof ItemInputError) return inputSentence(error.field, error.problem);
	if (error instanceof ElectioApiError) return apiSentence(error, consignmentReference);
	return 'Something went wrong with this order: please ask whoever looks after this workflow.';
}

function apiSentence(error: ElectioApiError, reference = 'this consignment'): string {
	const status = error.status;
	const message = error.apiMessage ?? '';
	if (status === undefined) return 'Electio cannot be reached right now: try again in a minute.';
	if (status === 401) {
		return "Electio did not accept this workflow's account key: ask whoever looks after the workflow to check the Electio credential.";
	}
	if (status === 403)
		return 'This Electio account may not do this: ask your Electio administrator.';
	if (status === 429) return 'Electio is busy right now: try again in a minute.';
	if (status >= 500) return 'Electio is unavailable right now: try again in a minute.';
	if (isQuoteExpired(error)) {
		return 'The delivery option has expired: get the delivery options again and choose again.';
	}
	if (status === 404) {
		return /quote/i.test(message)
			? 'That delivery option is no longer known to Electio: get the delivery options again and choose again.'
			: `Electio does not know consignment ${reference}: check the reference.`;
	}
	if (isStateConflict(error)) return stateSentence(message, reference);
	if (error.details.length) {
		const [first] = error.details;
		const more = error.details.length - 1;
		const sentence = detailSentence(first.field, first.message);
		return more ? `${sentence} (${more} more ${more === 1 ? 'problem' : 'problems'})` : sentence;
	}
	const first = message.split(/(?<=\.)\s/)[0]?.trim();
	return first ? sentenceOf(first) : 'Electio refused this request.';
}

/** Whether Electio refused a call because of the consignment's state. */
export function isStateConflict(error: { status?: number; apiMessage?: string }): boolean {
	return (
		(error.status === 400 || error.status === 409) && /\bstate\b/i.test(error.apiMessage ?? '')
	);
}

/** Whether Electio refused because the quote expired. */
export function isQuoteExpired(error: { apiCode?: string; apiMessage?: string }): boolean {
	return error.apiCode === 'QuoteExpired' || /expired/i.test(error.apiMessage ?? '');
}

/** The steps a state refusal may name, as the person would say they could not be done. */
const NOT_POSSIBLE: Array<[RegExp, string]> = [
	[/^allocate/i, 'booked with a carrier'],
	[/^(update|edit|change)/i, 'changed'],
	[/^deallocate/i, 'released from its carrier'],
	[/^cancel/i, 'cancelled'],
	[/label/i, 'given labels'],
	[/customs/i, 'given customs documents'],
	[/^manifest/i, 'handed to the carrier'],
	[/^quote/i, 'quoted'],
];

function stateSentence(message: string, reference: string): string {
	const parsed = /cannot (.+?) consignment (\S+?):? .*?\bstate (\w+)/i.exec(message);
	const state = parsed?.[3] ?? /\bstate (\w+)/i.exec(message)?.[1];
	const shownState = state ? state.replace(/([a-z])([A-Z])/g, '$1 $2') : undefined;
	const consignment = parsed?.[2] ?? reference;
	const step = parsed ? NOT_POSSIBLE.find(([verb]) => verb.test(parsed[1]))?.[1] : undefined;
	if (step && shownState) {
		const hint = step === 'changed' ? ': release it from its carrier (deallocate) first' : '';
		return `Consignment ${consignment} cannot be ${step} while it is ${shownState}${hint}.`;
	}
	return shownState
		? `This step is not possible while consignment ${consignment} is ${shownState}.`
		: `This step is not possible for consignment ${consignment} in its current state.`;
}

/** Country codes people often type for a country whose ISO code differs. */
const COUNTRY_CODE_MISTAKES: Record<string, string> = { UK: 'GB', EL: 'GR' };

/** A field problem (Electio's `Details`, or ours) as a sentence about the field a person knows. */
function detailSentence(path: string, message: string): string {
	const field = fieldName(path);
	const quoted = /["'“]([^"'”]*)["'”]/.exec(message)?.[1];
	if (field === 'country code') {
		const got = quoted ?? /got (\S+)/.exec(message)?.[1];
		const suggestion =
			/use ['"]?([A-Z]{2})['"]?/.exec(message)?.[1] ??
			(got ? COUNTRY_CODE_MISTAKES[got.toUpperCase()] : undefined);
		const what = got ? `Country code '${got}'` : 'The country code';
		return suggestion
			? `${what} is not valid: use '${suggestion}'.`
			: `${what} is not valid: use a two-letter code such as GB or FR.`;
	}
	if (field === 'shipping location' && quoted) {
		return `Shipping location '${quoted}' is not known to Electio: choose one of your shipping locations.`;
	}
	if (/required|missing|must be provided|is empty/i.test(message)) {
		return `The ${field} is missing.`;
	}
	// "Weight.Value must be ..." names the field again, as a path: say it the person's way.
	const rest = message.replace(/^[\w[\]]+(\.[\w[\]]+)+\s+/, '');
	return sentenceOf(rest !== message ? `${field} ${rest}` : `${field}: ${message}`);
}

function inputSentence(field: string, problem: string): string {
	if (fieldName(field) === 'country code') return detailSentence(field, problem);
	if (problem === 'is empty') return `The ${fieldName(field)} is missing.`;
	return sentenceOf(`${fieldName(field)} ${problem.replace(/, got (.+)$/, ' (got $1)')}`);
}

/** A field's name as a person knows it, from a UI label or a JSON path such as `Packages[0].Weight.Value`. */
function fieldName(path: string): string {
	const text = path.replace(/"/g, '');
	if (/country/i.test(text) && /(code|iso)/i.test(text)) return 'country code';
	if (/shippinglocation/i.test(text.replace(/\s/g, ''))) return 'shipping location';
	const packageField = /Packages\[(\d+)\]\.(\w+)(?:\.(\w+))?/.exec(text);
	if (packageField) {
		const [, index, group, part] = packageField;
		const what = group === 'Dimensions' && part ? part : group;
		return `package ${Number(index) + 1} ${words(what)}`;
	}
	const last =
		text
			.split(/[.[\]]/)
			.filter(Boolean)
			.pop() ?? text;
	return words(last === 'Value' || last === 'TwoLetterCode' ? text : last);
}

function words(identifier: string): string {
	return identifier
		.replace(/^Addresses\[?\w*\]?\.?/, 'destination ')
		.replace(/([a-z])([A-Z0-9])/g, '$1 $2')
		.replace(/[._[\]]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.toLowerCase();
}

function sentenceOf(text: string): string {
	const trimmed = text.trim();
	const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
	return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
