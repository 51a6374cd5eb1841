import type { IDataObject } from 'n8n-workflow';

import { ElectioApiError, type ElectioClient } from '../transport';
import type { AllocationAttempt } from './allocation';
import { allocationOutput, firstSummary } from './allocation';
import { allocateWith, noQuotesError } from './chosenQuote';
import { asNodeError } from './errorItems';
import { choiceOf, choicePrice } from './quoteChoices';
import type { Quote, QuoteFilters, QuoteStrategy } from './quotes';
import { chooseQuote, isExpired, requestQuotes } from './quotes';
import { isQuoteExpired, personError } from './userMessage';

/** Allocate With Quote's Cheapest and Fastest: which quotes to choose among, and how. */
export interface QuoteRule {
	reference: string;
	strategy: QuoteStrategy;
	filters: QuoteFilters;
	/** Quotes a previous step left in the item, when they may be reused. */
	inputQuotes?: Quote[];
}

/** Cheapest or fastest, among the item's quotes (when fresh) or Electio's now. */
async function pickByRule(
	client: ElectioClient,
	rule: QuoteRule,
	itemIndex: number,
	forceFresh: boolean,
): Promise<Quote> {
	const usable =
		!forceFresh && rule.inputQuotes?.length && !rule.inputQuotes.some((quote) => isExpired(quote));
	let quotes = usable ? rule.inputQuotes! : undefined;
	let unqualified: IDataObject[] = [];
	if (!quotes) {
		const response = await requestQuotes(client, rule.reference, itemIndex);
		quotes = response?.Quotes ?? [];
		unqualified = response?.UnqualifiedServices ?? [];
	}
	const choice = chooseQuote(quotes, rule.strategy, rule.filters, unqualified);
	if ('quote' in choice) return choice.quote;
	if (!quotes.length) {
		throw await noQuotesError(client, rule.reference, unqualified, itemIndex, choice.reason);
	}
	throw personError(client.node, itemIndex, {
		reason: 'noQuoteFits',
		message: `no quote to allocate ${rule.reference} with: ${choice.reason}`,
		userMessage: `None of the ${quotes.length} delivery options meets the rules set for this order (carriers, maximum price or delivery date).`,
		description:
			'Relax the filters (carriers, maximum price, deliver-by date) or check the consignment details.',
	});
}

/**
 * Allocates the quote the rule picks. When the quotes carried from an earlier step went stale,
 * it chooses again from fresh ones, once.
 */
export async function allocateByRule(
	client: ElectioClient,
	rule: QuoteRule,
	attempt: AllocationAttempt,
	itemIndex: number,
): Promise<IDataObject> {
	try {
		const quote = await pickByRule(client, rule, itemIndex, false);
		return await allocateQuote(client, rule.reference, quote, attempt, itemIndex);
	} catch (error) {
		const reusedQuotes = rule.inputQuotes?.length;
		if (!reusedQuotes || !(error instanceof ElectioApiError) || !isQuoteExpired(error)) {
			throw asNodeError(client.node, error);
		}
		const quote = await pickByRule(client, rule, itemIndex, true);
		return await allocateQuote(client, rule.reference, quote, attempt, itemIndex);
	}
}

/** Allocates one quote, noting it in `attempt` first for a recovery after a lost answer. */
async function allocateQuote(
	client: ElectioClient,
	reference: string,
	quote: Quote,
	attempt: AllocationAttempt,
	itemIndex: number,
): Promise<IDataObject> {
	Object.assign(attempt, {
		quoteReference: quote.QuoteReference,
		price: choicePrice(choiceOf(quote)),
	});
	const response = await allocateWith(client, reference, quote.QuoteReference, itemIndex);
	return {
		...allocationOutput(reference, firstSummary(response)),
		quoteReference: attempt.quoteReference,
		price: attempt.price,
	};
}
