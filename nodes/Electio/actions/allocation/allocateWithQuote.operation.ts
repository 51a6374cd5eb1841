import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	allocationOutput,
	existingAllocationAfter,
	firstSummary,
	readAllocation,
} from '../../helpers/allocation';
import type { ChosenQuote } from '../../helpers/chosenQuote';
import {
	allocateChosen,
	allocatedElsewhereError,
	allocateWith,
	choiceForAnswer,
	noQuotesError,
	sameService,
} from '../../helpers/chosenQuote';
import { asNodeError } from '../../helpers/errorItems';
import { listValues } from '../../helpers/parameters';
import type { QuoteChoice } from '../../helpers/quoteChoices';
import { answerText, choiceOf, choicePrice, parseChoices } from '../../helpers/quoteChoices';
import type { Quote, QuoteFilters, QuoteStrategy } from '../../helpers/quotes';
import { chooseQuote, isExpired, quotesInItem, requestQuotes } from '../../helpers/quotes';
import { runPerConsignment } from '../../helpers/runItems';
import { hasAllocation } from '../../helpers/states';
import { isQuoteExpired, personError } from '../../helpers/userMessage';
import {
	describeValue,
	inputError,
	positiveNumber,
	requireReference,
} from '../../helpers/validation';
import { ElectioApiError, type ElectioClient } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

const properties: INodeProperties[] = [
	consignmentReferenceField,
	{
		displayName: 'Quote Selection',
		name: 'quoteSelection',
		type: 'options',
		options: [
			{
				name: 'Cheapest',
				value: 'cheapest',
				description: 'The lowest gross price among the quotes that pass the filters',
			},
			{
				name: 'Fastest',
				value: 'fastest',
				description: 'The earliest latest-delivery date among the quotes that pass the filters',
			},
			{
				name: 'By Quote Reference',
				value: 'reference',
				description: 'A quote you chose, e.g. from Get Quotes with one item per quote',
			},
			{
				name: 'Chosen by a Person',
				value: 'answer',
				description:
					"A person's answer from an n8n Form page, or a Send Email / Slack send-and-wait form, built from Get Quotes' formFields",
			},
		],
		default: 'cheapest',
	},
	{
		displayName: 'Quote Reference',
		name: 'quoteReference',
		type: 'string',
		required: true,
		default: '={{ $json.quoteReference }}',
		placeholder: 'f6374a18-a6b5-48c1-841c-aa3f00e9951a',
		displayOptions: { show: { quoteSelection: ['reference'] } },
		description:
			'The QuoteReference (a GUID) of the quote to allocate with. Quotes expire, so allocate soon after getting them.',
	},
	{
		displayName: 'Answer',
		name: 'answer',
		type: 'string',
		required: true,
		default: '={{ $json.quoteChoice }}',
		placeholder: 'Royal Mail · Tracked 48 Signed For · £5.68 · by Wed 9 Dec',
		displayOptions: { show: { quoteSelection: ['answer'] } },
		description:
			'The option the person chose, as the form returns it (its label), or a quote reference. An n8n Form page returns it as quoteChoice.',
		// A hint, not the description: the description lint would rewrite $json as $JSON.
		hint: 'After Send Email or Slack "send and wait" the answer is {{ $json.data.quoteChoice }} (on node versions that key answers by label: the question, e.g. {{ $json.data["Delivery option"] }})',
	},
	{
		displayName: 'Choices Shown',
		name: 'quoteChoices',
		type: 'string',
		default: '={{ $json.quoteChoices }}',
		displayOptions: { show: { quoteSelection: ['answer'] } },
		description:
			"The choices the person was shown: the form's hidden quoteChoices field, or Get Quotes' quoteChoices list. Empty: the answer is matched against the consignment's quotes now.",
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { quoteSelection: ['cheapest', 'fastest'] } },
		options: [
			{
				displayName: 'Allowed Carrier Names or IDs',
				name: 'allowedCarriers',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getCarriers' },
				default: [],
				description:
					'Only quotes from these carriers. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Deliver By',
				name: 'deliverBy',
				type: 'dateTime',
				default: '',
				description: 'Only quotes whose latest delivery date is on or before this moment',
			},
			{
				displayName: 'Maximum Gross Price',
				name: 'maxGrossPrice',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description: 'Only quotes up to this price including VAT (0 means no limit)',
			},
		],
	},
	{
		displayName: 'Return Existing Allocation',
		name: 'returnExistingAllocation',
		type: 'boolean',
		default: true,
		description:
			'Whether a consignment that is already allocated (an order delivered again) gives its existing carrier and tracking numbers instead of an error. The output says alreadyAllocated: true.',
	},
	{
		displayName: 'Allocate Same Offer After Expiry',
		name: 'requoteSamePrice',
		type: 'boolean',
		default: true,
		displayOptions: { show: { quoteSelection: ['reference', 'answer'] } },
		description:
			'Whether a chosen quote that expired while the person decided is replaced by a fresh quote for the same carrier service at the same price. Otherwise, and when the price changed, the item fails with the fresh choices (quoteChoices, formFields) to show again.',
	},
	{
		displayName: 'Reuse Quotes From Input',
		name: 'reuseInputQuotes',
		type: 'boolean',
		default: true,
		displayOptions: { show: { quoteSelection: ['cheapest', 'fastest'] } },
		description:
			'Whether to choose among the quotes a previous Get Quotes step put in the item (when they are for this consignment and not expired) instead of asking Electio again',
	},
];

export const option = {
	name: 'Allocate With Quote',
	description:
		'Allocate a consignment to a carrier service: the cheapest, the fastest, or a chosen quote',
	action: 'Allocate a consignment with a quote',
};

export const description: INodeProperties[] = properties;

type Strategy = QuoteStrategy | 'reference' | 'answer';

interface AllocationPlan {
	reference: string;
	strategy: Strategy;
	quoteReference?: string;
	/** A person's answer, and the choices they were shown when the form carried them back. */
	answer?: string;
	shownChoices?: QuoteChoice[];
	filters: QuoteFilters;
	/** Quotes already in the item, when they can be used. */
	inputQuotes?: Quote[];
	returnExisting: boolean;
	/** The previous step says the consignment already has a carrier service. */
	saysAllocated: boolean;
	requoteSamePrice: boolean;
}

/** The quote being allocated, for what an answer lost after Electio acted is reported with. */
interface Attempt {
	quoteReference?: string;
	price?: IDataObject | null;
	chosen?: ChosenQuote;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: ElectioClient,
): Promise<INodeExecutionData[]> {
	const prepare = (itemIndex: number): AllocationPlan => {
		const reference = requireReference(
			this,
			itemIndex,
			'consignmentReference',
			'Consignment Reference',
		);
		const strategy = this.getNodeParameter('quoteSelection', itemIndex) as Strategy;
		const json = items[itemIndex].json;
		const inputQuotes = quotesInItem(json, reference);
		const common = {
			reference,
			strategy,
			filters: { allowedCarriers: [] },
			returnExisting: this.getNodeParameter('returnExistingAllocation', itemIndex, true) as boolean,
			saysAllocated: json.created === false || hasAllocation(json.state),
			requoteSamePrice: this.getNodeParameter('requoteSamePrice', itemIndex, true) as boolean,
		};
		if (strategy === 'answer') return { ...common, ...readAnswer(itemIndex), saysAllocated: false };
		if (strategy === 'reference') {
			const quoteReference = requireReference(this, itemIndex, 'quoteReference', 'Quote Reference');
			return { ...common, quoteReference, inputQuotes };
		}
		if (strategy !== 'cheapest' && strategy !== 'fastest') {
			throw inputError(
				this,
				itemIndex,
				'"Quote Selection"',
				`must be cheapest, fastest, reference or answer, got ${describeValue(strategy)}`,
			);
		}
		const reuse = this.getNodeParameter('reuseInputQuotes', itemIndex, true) as boolean;
		return {
			...common,
			filters: readFilters(itemIndex),
			inputQuotes: reuse ? inputQuotes : undefined,
		};
	};

	const readAnswer = (itemIndex: number) => {
		const answer = answerText(this.getNodeParameter('answer', itemIndex, ''));
		if (answer instanceof Error) {
			throw inputError(
				this,
				itemIndex,
				'"Answer"',
				answer.message,
				"Map the form's answer, e.g. {{ $json.quoteChoice }} after a Form page whose fields came from Get Quotes.",
			);
		}
		const shownChoices = parseChoices(this.getNodeParameter('quoteChoices', itemIndex, ''));
		if (shownChoices instanceof Error) {
			throw inputError(this, itemIndex, '"Choices Shown"', shownChoices.message);
		}
		return { answer, shownChoices };
	};

	const readFilters = (itemIndex: number): QuoteFilters => {
		const raw = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const filters: QuoteFilters = { allowedCarriers: listValues(raw.allowedCarriers) };
		if (
			raw.maxGrossPrice !== undefined &&
			raw.maxGrossPrice !== '' &&
			Number(raw.maxGrossPrice) !== 0
		) {
			const max = positiveNumber(raw.maxGrossPrice);
			if (max === undefined) {
				throw inputError(
					this,
					itemIndex,
					'"Maximum Gross Price"',
					`must be a number greater than 0, got ${describeValue(raw.maxGrossPrice)}`,
				);
			}
			filters.maxGrossPrice = max;
		}
		if (raw.deliverBy) {
			const deliverBy = Date.parse(String(raw.deliverBy));
			if (Number.isNaN(deliverBy)) {
				throw inputError(
					this,
					itemIndex,
					'"Deliver By"',
					`is not a date, got ${describeValue(raw.deliverBy)}`,
				);
			}
			filters.deliverBy = deliverBy;
		}
		return filters;
	};

	/** Cheapest or fastest, among the item's quotes (when fresh) or Electio's now. */
	const pickByRule = async (plan: AllocationPlan, itemIndex: number, forceFresh: boolean) => {
		const usable =
			!forceFresh &&
			plan.inputQuotes?.length &&
			!plan.inputQuotes.some((quote) => isExpired(quote));
		let quotes = usable ? plan.inputQuotes! : undefined;
		let unqualified: IDataObject[] = [];
		if (!quotes) {
			const response = await requestQuotes(client, plan.reference, itemIndex);
			quotes = response?.Quotes ?? [];
			unqualified = response?.UnqualifiedServices ?? [];
		}
		const choice = chooseQuote(quotes, plan.strategy as QuoteStrategy, plan.filters, unqualified);
		if ('quote' in choice) return choice.quote;
		if (!quotes.length) {
			throw await noQuotesError(client, plan.reference, unqualified, itemIndex, choice.reason);
		}
		throw personError(this.getNode(), itemIndex, {
			reason: 'noQuoteFits',
			message: `no quote to allocate ${plan.reference} with: ${choice.reason}`,
			userMessage: `None of the ${quotes.length} delivery options meets the rules set for this order (carriers, maximum price or delivery date).`,
			description:
				'Relax the filters (carriers, maximum price, deliver-by date) or check the consignment details.',
		});
	};

	const allocateByRule = async (plan: AllocationPlan, attempt: Attempt, itemIndex: number) => {
		const allocateQuote = async (quote: Quote) => {
			Object.assign(attempt, {
				quoteReference: quote.QuoteReference,
				price: choicePrice(choiceOf(quote)),
			});
			const response = await allocateWith(client, plan.reference, quote.QuoteReference, itemIndex);
			return {
				...allocationOutput(plan.reference, firstSummary(response)),
				quoteReference: attempt.quoteReference,
				price: attempt.price,
			};
		};
		try {
			return await allocateQuote(await pickByRule(plan, itemIndex, false));
		} catch (error) {
			const reusedQuotes = plan.inputQuotes?.length;
			if (!reusedQuotes || !(error instanceof ElectioApiError) || !isQuoteExpired(error)) {
				throw asNodeError(client.node, error);
			}
			// The quotes carried from an earlier step went stale: choose again from fresh ones, once.
			return await allocateQuote(await pickByRule(plan, itemIndex, true));
		}
	};

	/** The quote a person (or an earlier step) chose, and what is known of it. */
	const chosenQuote = async (plan: AllocationPlan, itemIndex: number): Promise<ChosenQuote> => {
		if (plan.strategy === 'answer') {
			return await choiceForAnswer(
				client,
				plan.reference,
				plan.answer!,
				plan.shownChoices,
				itemIndex,
			);
		}
		const known = plan.inputQuotes?.find((quote) => quote.QuoteReference === plan.quoteReference);
		return {
			quoteReference: plan.quoteReference!,
			choice: known ? choiceOf(known) : undefined,
		};
	};

	const allocateChoice = async (plan: AllocationPlan, attempt: Attempt, itemIndex: number) => {
		const chosen = await chosenQuote(plan, itemIndex);
		Object.assign(attempt, {
			chosen,
			quoteReference: chosen.quoteReference,
			price: chosen.choice ? choicePrice(chosen.choice) : null,
		});
		const done = await allocateChosen(
			client,
			plan.reference,
			chosen,
			plan.requoteSamePrice,
			itemIndex,
		);
		return {
			...allocationOutput(plan.reference, firstSummary(done.response)),
			quoteReference: done.quoteReference,
			price: done.choice ? choicePrice(done.choice) : null,
			...(plan.strategy === 'answer' ? { choice: done.choice?.label ?? null } : {}),
			...(done.expiredQuoteReference
				? { requoted: true, expiredQuoteReference: done.expiredQuoteReference }
				: {}),
		};
	};

	return await runPerConsignment(this, items, client.settings.maxConcurrency, {
		prepare,
		run: async (plan, itemIndex) => {
			if (plan.returnExisting && plan.saysAllocated) {
				// An order delivered again: its existing allocation, with the same tracking numbers.
				const existing = await readAllocation(client, plan.reference, itemIndex);
				if (existing) {
					return {
						json: { ...existing, quoteReference: null, price: null, alreadyAllocated: true },
					};
				}
			}
			const attempt: Attempt = {};
			try {
				const byRule = plan.strategy === 'cheapest' || plan.strategy === 'fastest';
				return {
					json: byRule
						? await allocateByRule(plan, attempt, itemIndex)
						: await allocateChoice(plan, attempt, itemIndex),
				};
			} catch (error) {
				const existing = await existingAllocationAfter(
					error,
					client,
					plan.reference,
					itemIndex,
					plan.returnExisting,
				);
				if (existing.recoveredAfterLostResponse) {
					return {
						json: { ...existing, quoteReference: attempt.quoteReference, price: attempt.price },
					};
				}
				// Booked before: the same choice again (a double submit) gets that booking; another one fails.
				const choice = attempt.chosen?.choice;
				if (choice && !sameService(existing, choice)) {
					throw allocatedElsewhereError(client, plan.reference, existing, choice, itemIndex);
				}
				return { json: { ...existing, quoteReference: null, price: null } };
			}
		},
	});
}
