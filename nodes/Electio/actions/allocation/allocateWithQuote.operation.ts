import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Quote, QuoteFilters, QuotesResponse, QuoteStrategy } from '../../helpers/quotes';
import { chooseQuote, isExpired, summarizeQuote } from '../../helpers/quotes';
import type { AllocationSummary } from '../../helpers/allocation';
import {
	allocationOutput,
	firstSummary,
	isStateConflict,
	readAllocation,
} from '../../helpers/allocation';
import { asNodeError } from '../../helpers/errorItems';
import { runPerConsignment } from '../../helpers/runItems';
import { hasAllocation } from '../../helpers/states';
import { listValues } from '../../helpers/parameters';
import {
	describeValue,
	inputError,
	isPlainObject,
	positiveNumber,
	requireReference,
} from '../../helpers/validation';
import { apiPath, ElectioApiError, type ElectioClient } from '../../transport';
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

interface AllocationPlan {
	reference: string;
	strategy: QuoteStrategy | 'reference';
	quoteReference?: string;
	filters: QuoteFilters;
	/** Quotes already in the item, when they can be used. */
	inputQuotes?: Quote[];
	returnExisting: boolean;
	/** The previous step says the consignment already has a carrier service. */
	saysAllocated: boolean;
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
		const strategy = this.getNodeParameter(
			'quoteSelection',
			itemIndex,
		) as AllocationPlan['strategy'];
		const json = items[itemIndex].json;
		const quotesInItem = collectInputQuotes(json, reference);
		const existing = {
			returnExisting: this.getNodeParameter('returnExistingAllocation', itemIndex, true) as boolean,
			saysAllocated: json.created === false || hasAllocation(json.state),
		};
		if (strategy === 'reference') {
			const quoteReference = requireReference(this, itemIndex, 'quoteReference', 'Quote Reference');
			return {
				reference,
				strategy,
				quoteReference,
				filters: { allowedCarriers: [] },
				inputQuotes: quotesInItem,
				...existing,
			};
		}
		if (strategy !== 'cheapest' && strategy !== 'fastest') {
			throw inputError(
				this,
				itemIndex,
				'"Quote Selection"',
				`must be cheapest, fastest or reference, got ${describeValue(strategy)}`,
			);
		}
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
		const reuse = this.getNodeParameter('reuseInputQuotes', itemIndex, true) as boolean;
		return {
			reference,
			strategy,
			filters,
			inputQuotes: reuse ? quotesInItem : undefined,
			...existing,
		};
	};

	const fetchQuotes = async (reference: string, itemIndex: number) =>
		await client.request<QuotesResponse>({
			method: 'GET',
			path: apiPath`/quotes/consignment/${reference}`,
			itemIndex,
		});

	const pickQuote = async (
		plan: AllocationPlan,
		itemIndex: number,
		forceFresh: boolean,
	): Promise<{ quote?: Quote; quoteReference: string }> => {
		if (plan.strategy === 'reference') {
			const known = plan.inputQuotes?.find((quote) => quote.QuoteReference === plan.quoteReference);
			return { quote: known, quoteReference: plan.quoteReference! };
		}
		const usable =
			!forceFresh &&
			plan.inputQuotes?.length &&
			!plan.inputQuotes.some((quote) => isExpired(quote));
		let quotes = usable ? plan.inputQuotes! : undefined;
		let unqualified: IDataObject[] = [];
		if (!quotes) {
			const response = await fetchQuotes(plan.reference, itemIndex);
			quotes = response?.Quotes ?? [];
			unqualified = response?.UnqualifiedServices ?? [];
		}
		const choice = chooseQuote(quotes, plan.strategy, plan.filters, unqualified);
		if ('reason' in choice) {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex}: no quote to allocate ${plan.reference} with: ${choice.reason}`,
				{
					itemIndex,
					description:
						'Relax the filters (carriers, maximum price, deliver-by date) or check the consignment details.',
				},
			);
		}
		return { quote: choice.quote, quoteReference: choice.quote.QuoteReference };
	};

	const allocate = async (plan: AllocationPlan, quoteReference: string, itemIndex: number) =>
		await client.request<AllocationSummary[] | AllocationSummary>({
			method: 'PUT',
			path: apiPath`/allocation/${plan.reference}/allocatewithquote/${quoteReference}`,
			itemIndex,
		});

	const allocateOnce = async (plan: AllocationPlan, itemIndex: number): Promise<IDataObject> => {
		let { quote, quoteReference } = await pickQuote(plan, itemIndex, false);
		let response: AllocationSummary[] | AllocationSummary;
		try {
			response = await allocate(plan, quoteReference, itemIndex);
		} catch (error) {
			if (!(error instanceof ElectioApiError))
				throw new NodeOperationError(this.getNode(), error as Error);
			if (error.afterUnknownOutcome) {
				// An earlier attempt may have allocated it: believe the consignment, not the retry's error.
				const recovered = await readAllocation(client, plan.reference, itemIndex);
				if (recovered) {
					return {
						...recovered,
						quoteReference,
						price: quote ? priceOf(quote) : null,
						recoveredAfterLostResponse: true,
					};
				}
			}
			const reusedQuotes = plan.strategy !== 'reference' && plan.inputQuotes?.length;
			const quoteExpired =
				error.apiCode === 'QuoteExpired' || /expired/i.test(error.apiMessage ?? '');
			if (!reusedQuotes || !quoteExpired) throw asNodeError(this.getNode(), error);
			// The quotes carried from an earlier step went stale: choose again from fresh ones, once.
			({ quote, quoteReference } = await pickQuote(plan, itemIndex, true));
			response = await allocate(plan, quoteReference, itemIndex);
		}
		return {
			...allocationOutput(plan.reference, firstSummary(response)),
			quoteReference,
			price: quote ? priceOf(quote) : null,
		};
	};

	/** The allocation an order delivered again already has, so it gets the same tracking numbers. */
	const existingAllocation = async (plan: AllocationPlan, itemIndex: number) => {
		const existing = await readAllocation(client, plan.reference, itemIndex);
		return existing && { ...existing, quoteReference: null, price: null, alreadyAllocated: true };
	};

	return await runPerConsignment(this, items, client.settings.maxConcurrency, {
		prepare,
		run: async (plan, itemIndex) => {
			if (plan.returnExisting && plan.saysAllocated) {
				const existing = await existingAllocation(plan, itemIndex);
				if (existing) return { json: existing };
			}
			try {
				return { json: await allocateOnce(plan, itemIndex) };
			} catch (error) {
				if (!(plan.returnExisting && error instanceof ElectioApiError && isStateConflict(error)))
					throw asNodeError(this.getNode(), error);
				// Refused for its state: allocated by an earlier delivery of the same order?
				const existing = await existingAllocation(plan, itemIndex);
				if (!existing) throw asNodeError(this.getNode(), error);
				return { json: existing };
			}
		},
	});
}

function priceOf(quote: Quote): IDataObject {
	const summary = summarizeQuote(quote);
	return {
		net: summary.priceNet,
		vat: summary.priceVat,
		gross: summary.priceGross,
		currency: summary.currency,
	};
}

/** Quotes a Get Quotes step left in the item, in either of its output shapes. */
function collectInputQuotes(json: IDataObject, reference: string): Quote[] | undefined {
	const candidates = Array.isArray(json.quotes)
		? json.quotes
		: isPlainObject(json.quote)
			? [json.quote]
			: [];
	const quotes = (candidates as unknown[]).filter(
		(quote): quote is Quote =>
			isPlainObject(quote) &&
			typeof quote.QuoteReference === 'string' &&
			(quote.ConsignmentReference === undefined || quote.ConsignmentReference === reference),
	);
	return quotes.length ? quotes : undefined;
}
