import type { IDataObject } from 'n8n-workflow';

import { apiPath, ElectioApiError, type ElectioClient } from '../transport';
import type { AllocationSummary } from './allocation';
import { carrierNamesFor } from './carrierNames';
import { asNodeError } from './errorItems';
import { explainNoQuotes } from './noQuotes';
import type { QuoteChoice } from './quoteChoices';
import {
	DEFAULT_QUESTION,
	formatPrice,
	formFieldsFor,
	matchAnswer,
	quoteChoices,
	plainText,
	serviceName,
} from './quoteChoices';
import type { Quote } from './quotes';
import { requestQuotes, sortQuotes } from './quotes';
import { isQuoteExpired, personError, PersonError } from './userMessage';

const SHOW_AGAIN =
	'Show the person the choices again (quoteChoices, formFields: a Form page or send-and-wait form) and allocate their new answer.';

/** A quote a person (or an earlier step) chose; what is known of it beyond its reference. */
export interface ChosenQuote {
	quoteReference: string;
	choice?: QuoteChoice;
}

/** The consignment's quotes now, as choices (cheapest first) and as a form to show again. */
export async function freshChoices(
	client: ElectioClient,
	reference: string,
	itemIndex: number,
): Promise<{ choices: QuoteChoice[]; facts: IDataObject; noQuotes?: string }> {
	const response = await requestQuotes(client, reference, itemIndex);
	const quotes = sortQuotes(
		Array.isArray(response?.Quotes) ? (response.Quotes as Quote[]) : [],
		'price',
	);
	const choices = quoteChoices(quotes, await carrierNamesFor(client, quotes, itemIndex));
	const noQuotes = choices.length
		? undefined
		: await explainNoQuotes(client, reference, response?.UnqualifiedServices ?? [], itemIndex);
	const formFields = formFieldsFor(reference, choices, {
		question: DEFAULT_QUESTION,
		fieldType: 'radio',
		noChoiceText: noQuotes,
	});
	return { choices, noQuotes, facts: { quoteChoices: choices, formFields } };
}

/** The failure for a consignment no carrier service will take, in a person's words. */
export async function noQuotesError(
	client: ElectioClient,
	reference: string,
	unqualified: IDataObject[],
	itemIndex: number,
	technical: string,
	/** Electio's refusal that said so, whose status and correlation ID the item keeps. */
	cause?: ElectioApiError,
): Promise<PersonError> {
	const sentence = await explainNoQuotes(client, reference, unqualified, itemIndex);
	return personError(client.node, itemIndex, {
		reason: 'noQuotes',
		message: `no quote to allocate ${reference} with: ${technical}`,
		userMessage: sentence,
		description: 'Check the consignment details (weight, size, address, dates), then quote again.',
		facts: cause
			? {
					httpCode: cause.status ?? null,
					correlationId: cause.correlationId ?? null,
					details: cause.details.map((detail) => ({ ...detail })),
				}
			: {},
	});
}

/**
 * The choice a person's answer means, among the choices they were shown (or, when the form did
 * not carry them back, the quotes now). An answer that matches none, or several, fails naming it
 * and the choices, with the form to show again.
 */
export async function choiceForAnswer(
	client: ElectioClient,
	reference: string,
	answer: string,
	shown: QuoteChoice[] | undefined,
	itemIndex: number,
): Promise<ChosenQuote> {
	const fresh = shown ? undefined : await freshChoices(client, reference, itemIndex);
	if (fresh?.noQuotes) {
		throw personError(client.node, itemIndex, {
			reason: 'noQuotes',
			message: `no quote to allocate ${reference} with: Electio returned no quotes`,
			userMessage: fresh.noQuotes,
			facts: fresh.facts,
		});
	}
	const choices = shown ?? fresh!.choices;
	const match = matchAnswer(answer, choices);
	if ('choice' in match)
		return { quoteReference: match.choice.quoteReference, choice: match.choice };
	const labels = match.candidates.map((choice) => `"${choice.label}"`).join(', ');
	const facts = fresh?.facts ?? {
		quoteChoices: choices,
		formFields: formFieldsFor(reference, choices, {
			question: DEFAULT_QUESTION,
			fieldType: 'radio',
		}),
	};
	if (match.problem === 'ambiguous') {
		throw personError(client.node, itemIndex, {
			reason: 'answerAmbiguous',
			message: `the answer "${answer}" fits ${match.candidates.length} quotes of ${reference}: ${labels}`,
			userMessage: `"${answer}" fits more than one delivery option: choose one of ${labels}.`,
			description: SHOW_AGAIN,
			facts,
		});
	}
	throw personError(client.node, itemIndex, {
		reason: 'answerNotAChoice',
		message: `the answer "${answer}" is not one of the quotes of ${reference}: ${labels}`,
		userMessage: `"${answer}" is not one of the delivery options: choose one of ${labels}.`,
		description: SHOW_AGAIN,
		facts,
	});
}

export interface ChosenAllocation {
	response: AllocationSummary[] | AllocationSummary;
	quoteReference: string;
	choice?: QuoteChoice;
	/** The quote first chosen, when it had expired and the same service at the same price was taken. */
	expiredQuoteReference?: string;
}

/**
 * Allocates a chosen quote. People take their time: when the quote expired meanwhile, the
 * consignment is quoted again and the same carrier service at the same price is allocated (unless
 * `requoteSamePrice` is off); a changed price or a service no longer offered fails with a sentence
 * the person understands and the fresh choices.
 */
export async function allocateChosen(
	client: ElectioClient,
	reference: string,
	chosen: ChosenQuote,
	requoteSamePrice: boolean,
	itemIndex: number,
): Promise<ChosenAllocation> {
	try {
		const response = await allocateWith(client, reference, chosen.quoteReference, itemIndex);
		return { response, quoteReference: chosen.quoteReference, choice: chosen.choice };
	} catch (error) {
		// A bare quote reference says nothing of its service and price: Electio's error stands.
		if (!(error instanceof ElectioApiError) || !isQuoteExpired(error) || !chosen.choice) {
			throw asNodeError(client.node, error);
		}
		const fresh = await freshChoices(client, reference, itemIndex);
		const same = requoteSamePrice ? sameOffer(chosen.choice, fresh.choices) : undefined;
		if (!same) {
			const expired = { quoteReference: chosen.quoteReference, choice: chosen.choice };
			throw expiredError(client, reference, expired, fresh, requoteSamePrice, itemIndex);
		}
		const response = await allocateWith(client, reference, same.quoteReference, itemIndex);
		return {
			response,
			quoteReference: same.quoteReference,
			choice: same,
			expiredQuoteReference: chosen.quoteReference,
		};
	}
}

/** Allocates the consignment with one quote. */
export async function allocateWith(
	client: ElectioClient,
	reference: string,
	quoteReference: string,
	itemIndex: number,
): Promise<AllocationSummary[] | AllocationSummary> {
	return await client.request<AllocationSummary[] | AllocationSummary>({
		method: 'PUT',
		path: apiPath`/allocation/${reference}/allocatewithquote/${quoteReference}`,
		itemIndex,
	});
}

/** The fresh quote for the same carrier service at the same price, if Electio offers one. */
function sameOffer(chosen: QuoteChoice, choices: QuoteChoice[]): QuoteChoice | undefined {
	return choices.find(
		(choice) =>
			sameService(choice, chosen) &&
			choice.priceGross === chosen.priceGross &&
			choice.currency === chosen.currency,
	);
}

/** Whether two descriptions name the same carrier service (by reference, else by name). */
export function sameService(
	a: { serviceReference?: unknown; service?: unknown },
	b: { serviceReference?: unknown; service?: unknown },
): boolean {
	if (a.serviceReference && b.serviceReference && a.serviceReference === b.serviceReference) {
		return true;
	}
	const name = (value: unknown) =>
		typeof value === 'string' ? plainText(value).toLowerCase() : '';
	return name(a.service) !== '' && name(a.service) === name(b.service);
}

function expiredError(
	client: ElectioClient,
	reference: string,
	expired: { quoteReference: string; choice: QuoteChoice },
	fresh: { choices: QuoteChoice[]; facts: IDataObject; noQuotes?: string },
	requoteSamePrice: boolean,
	itemIndex: number,
): PersonError {
	const choice = expired.choice;
	const name = serviceName(choice);
	const now = fresh.choices.find((offer) => sameService(offer, choice));
	let userMessage: string;
	if (fresh.noQuotes) {
		userMessage = `The delivery option chosen has expired and there is none now: ${fresh.noQuotes}`;
	} else if (!requoteSamePrice) {
		userMessage = 'The delivery options shown have expired: please choose again.';
	} else if (!now) {
		userMessage = `${name} is no longer offered for this consignment: please choose again.`;
	} else {
		const was = formatPrice(choice.priceGross, choice.currency);
		const is = formatPrice(now.priceGross, now.currency);
		userMessage = `The price of ${name} has changed from ${was} to ${is}: please choose again.`;
	}
	return personError(client.node, itemIndex, {
		reason: 'quoteExpired',
		message: `quote ${expired.quoteReference} for ${reference} expired${
			requoteSamePrice ? ' and Electio no longer offers the same service at the same price' : ''
		}`,
		userMessage,
		description: SHOW_AGAIN,
		facts: fresh.facts,
	});
}

/**
 * A consignment already allocated to another carrier service than the one chosen: said plainly,
 * never returned as if the choice had been applied.
 */
export function allocatedElsewhereError(
	client: ElectioClient,
	reference: string,
	existing: IDataObject,
	choice: QuoteChoice,
	itemIndex: number,
): PersonError {
	const current = serviceName(existing);
	const chosenName = serviceName(choice);
	return personError(client.node, itemIndex, {
		reason: 'allocatedElsewhere',
		message: `${reference} is already allocated to ${current}, not to the chosen ${chosenName}`,
		userMessage: `Consignment ${reference} is already booked with ${current}, so your choice (${chosenName}) was not applied. To change it, release the booking (deallocate) first.`,
		description:
			'Deallocate the consignment, then allocate the new choice; or keep the booking it has.',
		facts: {
			currentCarrier: existing.carrier ?? null,
			currentService: existing.service ?? null,
			currentServiceReference: existing.serviceReference ?? null,
			trackingNumber: existing.trackingNumber ?? null,
			state: existing.state ?? null,
		},
	});
}
