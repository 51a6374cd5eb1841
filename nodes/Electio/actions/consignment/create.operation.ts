import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	consignmentFromFields,
	parseJsonField,
	validateConsignmentBody,
} from '../../helpers/consignmentBody';
import type { IfCustomerReferenceExists } from '../../helpers/createOnce';
import { createOnce } from '../../helpers/createOnce';
import { CUSTOMER_REFERENCE, customerReferenceIn } from '../../helpers/customerReference';
import { perItemExecute } from '../../helpers/runItems';
import { inputError, isPlainObject } from '../../helpers/validation';

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
		displayName: 'If the Customer Reference Exists',
		name: 'ifCustomerReferenceExists',
		type: 'options',
		options: [
			{
				name: 'Use Existing',
				value: 'useExisting',
				description:
					'Output the consignment already made for this customer reference (created: false) instead of a second one: a redelivered order never ships twice',
			},
			{
				name: 'Create Another',
				value: 'createAnother',
				description: 'Always create a new consignment, even for a customer reference already used',
			},
			{
				name: 'Fail',
				value: 'fail',
				description:
					'Fail the item, naming the consignment that already has this customer reference',
			},
		],
		default: 'useExisting',
		description:
			'Electio can only recognise an order by its customer reference (ConsignmentReferenceProvidedByCustomer). Without one, a redelivered order creates a second consignment.',
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
			'Your own reference, such as the order number. Without one the node cannot tell a redelivered order from a new one, so it may create the consignment twice.',
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

export const execute = perItemExecute({
	prepare(itemIndex) {
		const ifExists = this.getNodeParameter(
			'ifCustomerReferenceExists',
			itemIndex,
			'useExisting',
		) as IfCustomerReferenceExists;
		return { body: bodyOf(this, itemIndex), ifExists };
	},
	async run(plan, itemIndex, client) {
		return { json: await createOnce(this, client, { ...plan, itemIndex }) };
	},
	referencesOf(itemIndex, plan) {
		const body = plan?.body ?? typedBody(this, itemIndex);
		return { customerReference: customerReferenceIn(body, [CUSTOMER_REFERENCE]) };
	},
});

/** The item's create body, from the fields or the JSON, checked before anything is sent. */
function bodyOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const mode = context.getNodeParameter('inputMode', itemIndex) as string;
	if (mode === 'fields') return consignmentFromFields(context, itemIndex);
	const body = jsonOf(context, itemIndex);
	if (body === undefined) throw inputError(context, itemIndex, '"Consignment JSON"', 'is empty');
	validateConsignmentBody(context, itemIndex, body, '"Consignment JSON"');
	return body;
}

function jsonOf(context: IExecuteFunctions, itemIndex: number): unknown {
	return parseJsonField(context.getNodeParameter('consignmentJson', itemIndex, ''), () =>
		inputError(
			context,
			itemIndex,
			'"Consignment JSON"',
			'is not valid JSON',
			'Check quotes and commas, or map an object with an expression.',
		),
	);
}

/** The body as typed, unchecked, so that an item whose body was refused still names its order. */
function typedBody(context: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	try {
		if (context.getNodeParameter('inputMode', itemIndex) === 'fields') {
			const typed = context.getNodeParameter('customerReference', itemIndex, '');
			return { [CUSTOMER_REFERENCE]: String(typed ?? '') };
		}
		const json = jsonOf(context, itemIndex);
		return isPlainObject(json) ? json : undefined;
	} catch {
		return undefined;
	}
}
