import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AllocationAttempt } from '../../helpers/allocation';
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
	choiceForAnswer,
	sameService,
} from '../../helpers/chosenQuote';
import { listValues } from '../../helpers/parameters';
import { allocateByRule } from '../../helpers/quoteByRule';
import type { QuoteChoice } from '../../helpers/quoteChoices';
import { answerText, choiceOf, choicePrice, parseChoices } from '../../helpers/quoteChoices';
import type { Quote, QuoteFilters, QuoteStrategy } from '../../helpers/quotes';
import { quotesInItem } from '../../helpers/quotes';
import { perItemExecute } from '../../helpers/runItems';
import { hasAllocation } from '../../helpers/states';
import {
	describeValue,
	inputError,
	positiveNumber,
	requireConsignmentReference,
	requireQuoteReference,
} from '../../helpers/validation';
import type { ElectioClient } from '../../transport';
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

export const execute = perItemExecute<AllocationPlan>({
	prepare(itemIndex) {
		return readPlan(this, itemIndex);
	},
	async run(plan, itemIndex, client) {
		if (plan.returnExisting && plan.saysAllocated) {
			// An order delivered again: its existing allocation, with the same tracking numbers.
			const existing = await readAllocation(client, plan.reference, itemIndex);
			if (existing) {
				return { json: { ...existing, quoteReference: null, price: null, alreadyAllocated: true } };
			}
		}
		const attempt: AllocationAttempt = {};
		try {
			const { strategy } = plan;
			return {
				json:
					strategy === 'cheapest' || strategy === 'fastest'
						? await allocateByRule(client, { ...plan, strategy }, attempt, itemIndex)
						: await allocateChoice(client, plan, attempt, itemIndex),
			};
		} catch (error) {
			return { json: await outcomeAfterFailure(error, client, plan, attempt, itemIndex) };
		}
	},
});

/** The item's parameters, checked: which quote to allocate with, and what to do around it. */
function readPlan(context: IExecuteFunctions, itemIndex: number): AllocationPlan {
	const reference = requireConsignmentReference(context, itemIndex);
	const strategy = context.getNodeParameter('quoteSelection', itemIndex) as Strategy;
	const json = context.getInputData()[itemIndex].json;
	const inputQuotes = quotesInItem(json, reference);
	const common = {
		reference,
		strategy,
		filters: { allowedCarriers: [] },
		returnExisting: context.getNodeParameter(
			'returnExistingAllocation',
			itemIndex,
			true,
		) as boolean,
		saysAllocated: json.created === false || hasAllocation(json.state),
		requoteSamePrice: context.getNodeParameter('requoteSamePrice', itemIndex, true) as boolean,
	};
	if (strategy === 'answer') {
		return { ...common, ...readAnswer(context, itemIndex), saysAllocated: false };
	}
	if (strategy === 'reference') {
		return { ...common, quoteReference: requireQuoteReference(context, itemIndex), inputQuotes };
	}
	if (strategy !== 'cheapest' && strategy !== 'fastest') {
		throw inputError(
			context,
			itemIndex,
			'"Quote Selection"',
			`must be cheapest, fastest, reference or answer, got ${describeValue(strategy)}`,
		);
	}
	const reuse = context.getNodeParameter('reuseInputQuotes', itemIndex, true) as boolean;
	return {
		...common,
		filters: readFilters(context, itemIndex),
		inputQuotes: reuse ? inputQuotes : undefined,
	};
}

/** A person's answer and the choices they were shown, each checked. */
function readAnswer(
	context: IExecuteFunctions,
	itemIndex: number,
): Pick<AllocationPlan, 'answer' | 'shownChoices'> {
	const answer = answerText(context.getNodeParameter('answer', itemIndex, ''));
	if (answer instanceof Error) {
		throw inputError(
			context,
			itemIndex,
			'"Answer"',
			answer.message,
			"Map the form's answer, e.g. {{ $json.quoteChoice }} after a Form page whose fields came from Get Quotes.",
		);
	}
	const shownChoices = parseChoices(context.getNodeParameter('quoteChoices', itemIndex, ''));
	if (shownChoices instanceof Error) {
		throw inputError(context, itemIndex, '"Choices Shown"', shownChoices.message);
	}
	return { answer, shownChoices };
}

/** The Cheapest / Fastest filters, each checked. */
function readFilters(context: IExecuteFunctions, itemIndex: number): QuoteFilters {
	const raw = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const filters: QuoteFilters = { allowedCarriers: listValues(raw.allowedCarriers) };
	if (
		raw.maxGrossPrice !== undefined &&
		raw.maxGrossPrice !== '' &&
		Number(raw.maxGrossPrice) !== 0
	) {
		const max = positiveNumber(raw.maxGrossPrice);
		if (max === undefined) {
			throw inputError(
				context,
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
				context,
				itemIndex,
				'"Deliver By"',
				`is not a date, got ${describeValue(raw.deliverBy)}`,
			);
		}
		filters.deliverBy = deliverBy;
	}
	return filters;
}

/** The quote a person (or an earlier step) chose, and what is known of it. */
async function chosenQuote(
	client: ElectioClient,
	plan: AllocationPlan,
	itemIndex: number,
): Promise<ChosenQuote> {
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
}

/** Allocates the chosen quote, or the same offer quoted afresh after it expired. */
async function allocateChoice(
	client: ElectioClient,
	plan: AllocationPlan,
	attempt: AllocationAttempt,
	itemIndex: number,
): Promise<IDataObject> {
	const chosen = await chosenQuote(client, plan, itemIndex);
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
}

/**
 * The consignment's allocation after a failed allocate, when it has one: the one the lost answer
 * made, or an earlier one. Booked before, the same choice again (a double submit) gets that
 * booking; another choice fails.
 */
async function outcomeAfterFailure(
	error: unknown,
	client: ElectioClient,
	plan: AllocationPlan,
	attempt: AllocationAttempt,
	itemIndex: number,
): Promise<IDataObject> {
	const existing = await existingAllocationAfter(
		error,
		client,
		plan.reference,
		itemIndex,
		plan.returnExisting,
	);
	if (existing.recoveredAfterLostResponse) {
		return { ...existing, quoteReference: attempt.quoteReference, price: attempt.price };
	}
	const choice = attempt.chosen?.choice;
	if (choice && !sameService(existing, choice)) {
		throw allocatedElsewhereError(client, plan.reference, existing, choice, itemIndex);
	}
	return { ...existing, quoteReference: null, price: null };
}
