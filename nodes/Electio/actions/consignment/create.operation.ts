import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	consignmentFromFields,
	parseJsonField,
	validateConsignmentBody,
} from '../../helpers/consignmentBody';
import type { ConsignmentSummary } from '../../helpers/customerReference';
import { findByCustomerReference, runExclusive } from '../../helpers/customerReference';
import { asNodeError } from '../../helpers/errorItems';
import { runPerItem } from '../../helpers/runItems';
import { inputError, isPlainObject } from '../../helpers/validation';
import { apiPath, ElectioApiError, type ElectioClient } from '../../transport';

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

/** How long to wait before looking a lost create up a second time: Electio's search may lag. */
const LOOKUP_AGAIN_MS = 1000;

const NO_CUSTOMER_REFERENCE_HINT =
	'The request reached Electio but no answer came back, so the consignment may or may not exist. It was NOT sent again, to avoid shipping twice: find it in Electio by its destination and time before running this item again. With a Customer Reference the node looks it up by itself.';

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: ElectioClient,
): Promise<INodeExecutionData[]> {
	const post = async (body: IDataObject, itemIndex: number): Promise<IDataObject> => {
		const links = await client.request<Array<{ Rel?: string; Href?: string }>>({
			method: 'POST',
			path: '/consignments',
			body,
			itemIndex,
			repeatable: false,
			hints: { unknownOutcome: NO_CUSTOMER_REFERENCE_HINT },
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
		return { consignmentReference, state: 'Unallocated', href: href as string };
	};

	/** Creates the consignment; after a lost answer, asks Electio whether it exists before trying again. */
	const createConsignment = async (
		body: IDataObject,
		customerReference: string | undefined,
		itemIndex: number,
	): Promise<IDataObject> => {
		for (let attempt = 0; ; attempt++) {
			try {
				const created = await post(body, itemIndex);
				return { ...created, customerReference: customerReference ?? null, created: true };
			} catch (error) {
				const lost = error instanceof ElectioApiError && error.afterUnknownOutcome;
				if (!lost || !customerReference || attempt >= client.settings.maxRetries) {
					throw asNodeError(this.getNode(), error);
				}
				for (const delayMs of [0, LOOKUP_AGAIN_MS]) {
					if (delayMs) await sleep(delayMs);
					const [found] = await findByCustomerReference(client, customerReference, itemIndex);
					if (found) {
						return {
							...existingOutput(found, customerReference),
							created: true,
							recoveredAfterLostResponse: true,
						};
					}
				}
				// Not there after two looks: it was never created, so creating it now ships it once.
			}
		}
	};

	const useExisting = (
		existing: ConsignmentSummary[],
		customerReference: string,
		ifExists: IfExists,
		itemIndex: number,
	): IDataObject => {
		const references = existing.map((found) => found.reference);
		if (existing.length > 1) {
			throw inputError(
				this,
				itemIndex,
				'"Customer Reference"',
				`"${customerReference}" belongs to ${existing.length} consignments (${references.join(', ')}), so none was picked`,
				'Electio does not promise that customer references are unique. Cancel the extra consignments in Electio, or choose "Create Another".',
			);
		}
		if (ifExists === 'fail') {
			throw inputError(
				this,
				itemIndex,
				'"Customer Reference"',
				`"${customerReference}" is already used by ${references[0]} (${existing[0].state})`,
				'Choose "Use Existing" to continue with that consignment, or "Create Another" to ship again.',
			);
		}
		return { ...existingOutput(existing[0], customerReference), created: false };
	};

	/**
	 * Another process (a second n8n worker) may have created the same order at the same moment.
	 * The older consignment stands; ours, the newer, is cancelled while it is still Unallocated.
	 */
	const keepOldest = async (
		created: IDataObject,
		customerReference: string,
		itemIndex: number,
	): Promise<IDataObject> => {
		const found = await findByCustomerReference(client, customerReference, itemIndex);
		const oldest = found[0];
		const ours = created.consignmentReference as string;
		if (!oldest || oldest.reference === ours || !found.some((f) => f.reference === ours)) {
			return created;
		}
		await client.request({
			method: 'PUT',
			path: apiPath`/consignments/${ours}/cancel`,
			itemIndex,
		});
		return {
			...existingOutput(oldest, customerReference),
			created: false,
			duplicateCancelled: ours,
		};
	};

	/** The customer reference of an item whose body could not be built, for its error item. */
	const customerReferenceTyped = (itemIndex: number): string | undefined => {
		try {
			const mode = this.getNodeParameter('inputMode', itemIndex) as string;
			const raw =
				mode === 'fields'
					? {
							ConsignmentReferenceProvidedByCustomer: this.getNodeParameter(
								'customerReference',
								itemIndex,
								'',
							),
						}
					: parseJsonField(
							this.getNodeParameter('consignmentJson', itemIndex, ''),
							() => new Error(),
						);
			return isPlainObject(raw) ? customerReferenceOf(raw) : undefined;
		} catch {
			return undefined;
		}
	};

	return await runPerItem(this, items, client.settings.maxConcurrency, {
		prepare: (itemIndex) => {
			const mode = this.getNodeParameter('inputMode', itemIndex) as string;
			if (mode === 'fields') return consignmentFromFields(this, itemIndex);
			const raw = this.getNodeParameter('consignmentJson', itemIndex, '');
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
			const customerReference = customerReferenceOf(body);
			const ifExists = this.getNodeParameter(
				'ifCustomerReferenceExists',
				itemIndex,
				'useExisting',
			) as IfExists;
			if (!customerReference || ifExists === 'createAnother') {
				return { json: await createConsignment(body, customerReference, itemIndex) };
			}
			// One at a time per order in this process: a simultaneous redelivery finds the first one.
			return await runExclusive(client.gate.account, customerReference, async () => {
				const existing = await findByCustomerReference(client, customerReference, itemIndex);
				if (existing.length) {
					return { json: useExisting(existing, customerReference, ifExists, itemIndex) };
				}
				const created = await createConsignment(body, customerReference, itemIndex);
				return { json: await keepOldest(created, customerReference, itemIndex) };
			});
		},
		referencesOf: (itemIndex, body) => ({
			customerReference: body ? customerReferenceOf(body) : customerReferenceTyped(itemIndex),
		}),
	});
}

type IfExists = 'useExisting' | 'createAnother' | 'fail';

/** The item for a consignment found by its customer reference. */
function existingOutput(found: ConsignmentSummary, customerReference: string): IDataObject {
	const link = found.summary.ApiLink as { Href?: string } | undefined;
	return {
		consignmentReference: found.reference,
		customerReference,
		state: found.state,
		href: link?.Href ?? null,
		dateCreated: found.dateCreated || null,
	};
}

function customerReferenceOf(body: IDataObject): string | undefined {
	// Compared with what Electio stores, so kept exactly as sent; blank counts as none.
	const value = body.ConsignmentReferenceProvidedByCustomer;
	return typeof value === 'string' && value.trim() ? value : undefined;
}
