import type { INodeProperties } from 'n8n-workflow';

import { unexpectedAnswer } from '../../helpers/errorItems';
import type { Quote, QuoteOrder, QuotesResponse } from '../../helpers/quotes';
import { sortQuotes, summarizeQuote } from '../../helpers/quotes';
import { perItemExecute } from '../../helpers/runItems';
import { isPlainObject, requireConsignmentReference } from '../../helpers/validation';
import { apiPath } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

const properties: INodeProperties[] = [
	consignmentReferenceField,
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'One Item per Consignment',
				value: 'perConsignment',
				description: 'Keep all quotes of a consignment together in a list (ready for Allocate)',
			},
			{
				name: 'One Item per Quote',
				value: 'perQuote',
				description: 'Split the quotes into items, e.g. to compare them in a table or filter them',
			},
		],
		default: 'perConsignment',
	},
	{
		displayName: 'Sort By',
		name: 'sortBy',
		type: 'options',
		options: [
			{ name: 'Price (Cheapest First)', value: 'price' },
			{ name: 'Delivery Date (Earliest First)', value: 'deliveryDate' },
			{ name: 'As Electio Returns Them', value: 'none' },
		],
		default: 'price',
	},
];

export const option = {
	name: 'Get for Consignment',
	description: 'Get carrier quotes (price, delivery window) for a consignment',
	action: 'Get quotes for a consignment',
};

export const description: INodeProperties[] = properties;

export const execute = perItemExecute({
	prepare(itemIndex) {
		return {
			reference: requireConsignmentReference(this, itemIndex),
			output: this.getNodeParameter('output', itemIndex, 'perConsignment') as string,
			sortBy: this.getNodeParameter('sortBy', itemIndex, 'price') as QuoteOrder,
		};
	},
	async run({ reference, output, sortBy }, itemIndex, client) {
		const response = await client.request<QuotesResponse>({
			method: 'GET',
			path: apiPath`/quotes/consignment/${reference}`,
			itemIndex,
		});
		if (!isPlainObject(response) || !Array.isArray(response.Quotes)) {
			throw unexpectedAnswer(
				this.getNode(),
				itemIndex,
				`Electio answered GET /quotes/consignment/${reference} without a list of quotes`,
			);
		}
		const quotes = sortQuotes(response.Quotes as Quote[], sortBy);
		const common = {
			consignmentReference: reference,
			quoteRequestReference: response.QuoteRequestReference ?? null,
		};
		if (output === 'perQuote') {
			return quotes.map((quote, rank) => ({
				json: { ...common, rank: rank + 1, ...summarizeQuote(quote), quote },
			}));
		}
		return {
			json: {
				...common,
				quoteCount: quotes.length,
				cheapest: quotes.length ? summarizeQuote(sortQuotes(quotes, 'price')[0]) : null,
				quotes,
				unqualifiedServices: response.UnqualifiedServices ?? [],
				message: response.Message ?? null,
			},
		};
	},
});
