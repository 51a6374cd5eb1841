import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { carrierNamesFor } from '../../helpers/carrierNames';
import { unexpectedAnswer } from '../../helpers/errorItems';
import { explainNoQuotes } from '../../helpers/noQuotes';
import type { FormDefinitionOptions } from '../../helpers/quoteChoices';
import { DEFAULT_QUESTION, formFieldsFor, quoteChoices } from '../../helpers/quoteChoices';
import type { Quote, QuoteOrder } from '../../helpers/quotes';
import { requestQuotes, sortQuotes, summarizeQuote } from '../../helpers/quotes';
import { perItemExecute } from '../../helpers/runItems';
import { isPlainObject, requireConsignmentReference } from '../../helpers/validation';
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
				description:
					'Keep all quotes of a consignment together (ready for Allocate), with choices a person can read and a ready form definition',
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
	{
		displayName: 'Form Options',
		name: 'formOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { output: ['perConsignment'] } },
		description:
			'How the formFields output asks a person to choose: use it in a Form node ("Define Form: Using JSON") or the "Custom Form" of Send Email / Slack "send and wait"',
		options: [
			{
				displayName: 'Question',
				name: 'question',
				type: 'string',
				default: DEFAULT_QUESTION,
				description: 'The label above the choices',
			},
			{
				displayName: 'Choice Field Type',
				name: 'fieldType',
				type: 'options',
				options: [
					{ name: 'Radio Buttons', value: 'radio' },
					{ name: 'Dropdown List', value: 'dropdown' },
				],
				default: 'radio',
			},
		],
	},
];

export const option = {
	name: 'Get for Consignment',
	description: 'Get carrier quotes (price, delivery window) for a consignment',
	action: 'Get quotes for a consignment',
};

export const description: INodeProperties[] = properties;

interface QuotesPlan {
	reference: string;
	output: string;
	sortBy: QuoteOrder;
	form: FormDefinitionOptions;
}

export const execute = perItemExecute<QuotesPlan>({
	prepare(itemIndex) {
		const formOptions = this.getNodeParameter('formOptions', itemIndex, {}) as IDataObject;
		return {
			reference: requireConsignmentReference(this, itemIndex),
			output: this.getNodeParameter('output', itemIndex, 'perConsignment') as string,
			sortBy: this.getNodeParameter('sortBy', itemIndex, 'price') as QuoteOrder,
			form: {
				question: String(formOptions.question ?? DEFAULT_QUESTION),
				fieldType: formOptions.fieldType === 'dropdown' ? 'dropdown' : 'radio',
			},
		};
	},
	async run({ reference, output, sortBy, form }, itemIndex, client) {
		const response = await requestQuotes(client, reference, itemIndex);
		if (!isPlainObject(response) || !Array.isArray(response.Quotes)) {
			throw unexpectedAnswer(
				this.getNode(),
				itemIndex,
				`Electio answered GET /quotes/consignment/${reference} without a list of quotes`,
			);
		}
		const quotes = sortQuotes(response.Quotes as Quote[], sortBy);
		const carrierNames = await carrierNamesFor(client, quotes, itemIndex);
		const choices = quoteChoices(quotes, carrierNames);
		const common = {
			consignmentReference: reference,
			quoteRequestReference: response.QuoteRequestReference ?? null,
		};
		if (output === 'perQuote') {
			return quotes.map((quote, rank) => ({
				json: { ...common, rank: rank + 1, ...choices[rank], quote },
			}));
		}
		const unqualified = (
			Array.isArray(response.UnqualifiedServices) ? response.UnqualifiedServices : []
		) as IDataObject[];
		const noQuotesMessage = quotes.length
			? null
			: await explainNoQuotes(client, reference, unqualified, itemIndex);
		return {
			json: {
				...common,
				quoteCount: quotes.length,
				cheapest: quotes.length
					? summarizeQuote(sortQuotes(quotes, 'price')[0], carrierNames)
					: null,
				quoteChoices: choices,
				formFields: formFieldsFor(reference, choices, {
					...form,
					noChoiceText: noQuotesMessage ?? undefined,
				}),
				noQuotesMessage,
				quotes,
				unqualifiedServices: unqualified,
				message: response.Message ?? null,
			},
		};
	},
});
