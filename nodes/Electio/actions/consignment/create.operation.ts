import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	consignmentFromFields,
	parseJsonField,
	validateConsignmentBody,
} from '../../helpers/consignmentBody';
import { itemParameter } from '../../helpers/parameters';
import { runPerItem } from '../../helpers/runItems';
import { inputError } from '../../helpers/validation';
import type { ElectioClient } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		options: [
			{ name: 'Fields', value: 'fields', description: 'Fill in the consignment field by field' },
			{
				name: 'JSON',
				value: 'json',
				description: 'Send an Electio consignment body as it is, e.g. from an ERP webhook',
			},
		],
		default: 'fields',
	},
	{
		displayName: 'Consignment JSON',
		name: 'consignmentJson',
		type: 'json',
		default: '={{ $json }}',
		required: true,
		displayOptions: { show: { inputMode: ['json'] } },
		description:
			'The Electio create-consignment body (Packages, Addresses, ...). The default takes the whole input item.',
		// A hint, not the description: the description lint would rewrite $json as $JSON.
		hint: 'After a Webhook trigger, map the request body instead: {{ $json.body }}',
	},
	{
		displayName: 'Origin Shipping Location Name or ID',
		name: 'shippingLocationReference',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getShippingLocations' },
		default: '',
		required: true,
		displayOptions: { show: { inputMode: ['fields'] } },
		description:
			'The shipping location the parcels leave from. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Customer Reference',
		name: 'customerReference',
		type: 'string',
		default: '',
		placeholder: 'ORDER-10023',
		displayOptions: { show: { inputMode: ['fields'] } },
		description:
			'Your own reference (order number). Recommended: it lets you find the consignment in Electio if a call is interrupted.',
	},
	{
		displayName: 'Destination Address Line 1',
		name: 'destinationAddressLine1',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Destination Town',
		name: 'destinationTown',
		type: 'string',
		default: '',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Destination Postcode',
		name: 'destinationPostcode',
		type: 'string',
		default: '',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Destination Country Code',
		name: 'destinationCountryCode',
		type: 'string',
		default: 'GB',
		required: true,
		placeholder: 'GB',
		displayOptions: { show: { inputMode: ['fields'] } },
		description: 'Two-letter ISO 3166 country code, e.g. GB, FR, US',
	},
	{
		displayName: 'Destination Details',
		name: 'destinationDetails',
		type: 'collection',
		placeholder: 'Add Detail',
		default: {},
		displayOptions: { show: { inputMode: ['fields'] } },
		options: [
			{ displayName: 'Address Line 2', name: 'addressLine2', type: 'string', default: '' },
			{ displayName: 'Address Line 3', name: 'addressLine3', type: 'string', default: '' },
			{ displayName: 'Company Name', name: 'companyName', type: 'string', default: '' },
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			{ displayName: 'Mobile', name: 'mobile', type: 'string', default: '' },
			{ displayName: 'Region', name: 'region', type: 'string', default: '' },
			{
				displayName: 'Special Instructions',
				name: 'specialInstructions',
				type: 'string',
				default: '',
			},
			{ displayName: 'Telephone', name: 'telephone', type: 'string', default: '' },
			{ displayName: 'Title', name: 'title', type: 'string', default: '' },
		],
	},
	{
		displayName: 'Packages',
		name: 'packages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Package',
		default: { package: [{ weight: 1, length: 20, width: 15, height: 10 }] },
		displayOptions: { show: { inputMode: ['fields'] } },
		options: [
			{
				displayName: 'Package',
				name: 'package',
				values: [
					{
						displayName: 'Currency',
						name: 'currency',
						type: 'string',
						default: 'GBP',
						description: 'ISO 4217 code of the value, e.g. GBP, EUR',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: 'What the package holds, e.g. Socks',
					},
					{
						displayName: 'Height (Cm)',
						name: 'height',
						type: 'number',
						default: 10,
					},
					{
						displayName: 'Items (JSON)',
						name: 'itemsJson',
						type: 'json',
						default: '[]',
						description:
							'Item lines for customs, e.g. [{"Sku": "SKU1", "Quantity": 1, "Value": {"Amount": 5.99, "Currency": {"IsoCode": "GBP"}}, "CountryOfOrigin": {"IsoCode": {"TwoLetterCode": "GB"}}}]',
					},
					{
						displayName: 'Length (Cm)',
						name: 'length',
						type: 'number',
						default: 20,
					},
					{
						displayName: 'Package Reference',
						name: 'packageReference',
						type: 'string',
						default: '',
						description: 'Your own reference for this package',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'number',
						default: 0,
						description: 'Declared value of the contents (needed for customs when shipping abroad)',
					},
					{
						displayName: 'Weight (Kg)',
						name: 'weight',
						type: 'number',
						default: 1,
					},
					{
						displayName: 'Width (Cm)',
						name: 'width',
						type: 'number',
						default: 15,
					},
				],
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { inputMode: ['fields'] } },
		options: [
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				options: [
					{ name: 'Outbound', value: 'Outbound' },
					{ name: 'Inbound', value: 'Inbound' },
					{ name: 'Returns', value: 'Returns' },
				],
				default: 'Outbound',
			},
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Metadata',
				default: {},
				options: [
					{
						displayName: 'Entry',
						name: 'entry',
						values: [
							{ displayName: 'Key', name: 'key', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Required Delivery Date',
				name: 'requiredDeliveryDate',
				type: 'dateTime',
				default: '',
			},
			{
				displayName: 'Shipping Date',
				name: 'shippingDate',
				type: 'dateTime',
				default: '',
				description: 'When the consignment is collected; Electio quotes services for this date',
			},
			{
				displayName: 'Source',
				name: 'source',
				type: 'string',
				default: 'n8n',
				description: 'Which system created the consignment',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				description: 'Comma-separated tags',
			},
		],
	},
	{
		displayName: 'Additional JSON',
		name: 'additionalJson',
		type: 'json',
		default: '{}',
		displayOptions: { show: { inputMode: ['fields'] } },
		description:
			'Any other Electio consignment fields, merged into the body, e.g. {"CustomsDocumentation": {"ReasonForExport": "Sale"}}',
	},
];

export const option = {
	name: 'Create',
	description: 'Create a consignment from fields or from JSON',
	action: 'Create a consignment',
};

export const description: INodeProperties[] = properties;

const UNKNOWN_OUTCOME_HINT =
	'The request reached Electio but no answer came back, so the consignment may or may not exist. It was NOT sent again, to avoid shipping twice. Look it up by its customer reference in Electio before running this item again.';

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: ElectioClient,
): Promise<INodeExecutionData[]> {
	return await runPerItem(this, items, client.settings.maxConcurrency, {
		prepare: (itemIndex) => {
			const mode = this.getNodeParameter('inputMode', itemIndex) as string;
			if (mode === 'fields') return consignmentFromFields(this, itemIndex);
			const raw = itemParameter(this, 'consignmentJson', itemIndex, '');
			const body = parseJsonField(raw, () =>
				inputError(
					this,
					itemIndex,
					'"Consignment JSON"',
					'is not valid JSON',
					'Check quotes and commas, or map an object with an expression.',
				),
			);
			if (body === undefined) throw inputError(this, itemIndex, '"Consignment JSON"', 'is empty');
			validateConsignmentBody(this, itemIndex, body, '"Consignment JSON"');
			return body;
		},
		run: async (body: IDataObject, itemIndex) => {
			const customerReference = body.ConsignmentReferenceProvidedByCustomer as string | undefined;
			const links = await client.request<Array<{ Rel?: string; Href?: string }>>({
				method: 'POST',
				path: '/consignments',
				body,
				itemIndex,
				repeatable: false,
				hints: {
					unknownOutcome: customerReference
						? UNKNOWN_OUTCOME_HINT.replace(
								'its customer reference',
								`customer reference "${customerReference}"`,
							)
						: UNKNOWN_OUTCOME_HINT.replace(
								'by its customer reference',
								'by its destination and time',
							) + ' Set a Customer Reference to make this easy.',
				},
			});
			const href = Array.isArray(links) ? links.find((link) => link?.Href)?.Href : undefined;
			const consignmentReference = href
				? decodeURIComponent(href.replace(/\/+$/, '').split('/').pop() ?? '')
				: '';
			if (!consignmentReference) {
				throw inputError(
					this,
					itemIndex,
					'the response',
					`had no consignment link: ${JSON.stringify(links).slice(0, 200)}`,
				);
			}
			return {
				json: {
					consignmentReference,
					customerReference: customerReference ?? null,
					state: 'Unallocated',
					href: href as string,
				},
			};
		},
	});
}
