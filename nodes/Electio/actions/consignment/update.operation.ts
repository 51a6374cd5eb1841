import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	applyDestinationFields,
	deepMerge,
	isCountryCode,
	parseJsonField,
} from '../../helpers/consignmentBody';
import { dateText } from '../../helpers/parameters';
import { perItemExecute } from '../../helpers/runItems';
import {
	describeValue,
	inputError,
	isPlainObject,
	requireConsignmentReference,
} from '../../helpers/validation';
import { apiPath } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';
import { description as createFields } from './create.operation';

/** Create's own definition of these fields, so both operations describe them the same way. */
function createOptions(collection: string, names?: string[]): INodeProperties[] {
	const group = createFields.find((field) => field.name === collection);
	const options = (group?.options ?? []) as INodeProperties[];
	return options.filter((option) => !names || names.includes(option.name));
}

const byDisplayName = (a: INodeProperties, b: INodeProperties) =>
	a.displayName.localeCompare(b.displayName);

/** The address lines Create asks for as required fields of their own; here each is optional. */
const addressFields: INodeProperties[] = [
	{ displayName: 'Address Line 1', name: 'addressLine1', type: 'string', default: '' },
	{
		displayName: 'Country Code',
		name: 'countryCode',
		type: 'string',
		default: '',
		placeholder: 'GB',
		description: 'Two-letter ISO 3166 country code, e.g. GB, FR, US',
	},
	{ displayName: 'Postcode', name: 'postcode', type: 'string', default: '' },
	{ displayName: 'Town', name: 'town', type: 'string', default: '' },
];

const customerReferenceField: INodeProperties = {
	displayName: 'Customer Reference',
	name: 'customerReference',
	type: 'string',
	default: '',
	description:
		'Replaces the order number the consignment is found by. Left out, the consignment keeps its own.',
};

/** Create's additional fields that Update also changes. */
const updatable = ['requiredDeliveryDate', 'shippingDate', 'tags'];

const properties: INodeProperties[] = [
	consignmentReferenceField,
	{
		displayName: 'Destination Address',
		name: 'destination',
		type: 'collection',
		placeholder: 'Add Address Field',
		default: {},
		description:
			'The delivery address fields to correct. Only the fields you add change; the rest of the address and its contact stay as they are.',
		options: [...addressFields, ...createOptions('destinationDetails')].sort(byDisplayName),
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [customerReferenceField, ...createOptions('additionalFields', updatable)].sort(
			byDisplayName,
		),
	},
	{
		displayName: 'Additional JSON',
		name: 'additionalJson',
		type: 'json',
		default: '{}',
		description:
			'Other Electio consignment fields to replace, merged in last, e.g. {"Packages": [...]} or {"CustomsDocumentation": {"ReasonForExport": "Sale"}}',
	},
];

export const option = {
	name: 'Update',
	description:
		'Correct a consignment that is not allocated yet (e.g. the address of one whose allocation failed), then quote it again',
	action: 'Update a consignment',
};

export const description: INodeProperties[] = properties;

/** What Electio's Update Consignment replaces, and so must be sent back unchanged when not edited. */
const KEPT_FIELDS = [
	'ConsignmentReferenceProvidedByCustomer',
	'ShippingDate',
	'RequestedDeliveryDate',
	'CustomsDocumentation',
	'MetaData',
	'Tags',
	'Direction',
	'Addresses',
];

interface UpdatePlan {
	reference: string;
	destination: IDataObject;
	other: IDataObject;
	extra?: IDataObject;
}

export const execute = perItemExecute<UpdatePlan>({
	prepare(itemIndex) {
		const fail = (field: string, problem: string, hint?: string) =>
			inputError(this, itemIndex, field, problem, hint);
		const reference = requireConsignmentReference(this, itemIndex);
		const destination = this.getNodeParameter('destination', itemIndex, {}) as IDataObject;
		const other = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const countryCode = String(destination.countryCode ?? '')
			.trim()
			.toUpperCase();
		if (destination.countryCode !== undefined && !isCountryCode(countryCode)) {
			throw fail(
				'"Country Code"',
				`must be a two-letter ISO code such as GB, got ${describeValue(destination.countryCode)}`,
			);
		}
		if (destination.addressLine1 !== undefined && !String(destination.addressLine1).trim()) {
			throw fail('"Address Line 1"', 'is empty', 'Leave the field out to keep the current line.');
		}
		const extra = parseJsonField(this.getNodeParameter('additionalJson', itemIndex, '{}'), () =>
			fail('"Additional JSON"', 'is not valid JSON'),
		);
		if (extra !== undefined && !isPlainObject(extra)) {
			throw fail('"Additional JSON"', 'must be a JSON object');
		}
		const changes = [destination, other, extra ?? {}].some((group) =>
			Object.values(group).some((value) => value !== '' && value !== undefined && value !== null),
		);
		if (!changes) {
			throw fail(
				'"Destination Address"',
				'and the other fields are all empty: there is nothing to update',
				'Add the fields to correct, e.g. Postcode or Country Code.',
			);
		}
		return { reference, destination, other, extra };
	},
	async run(plan, itemIndex, client) {
		// Update replaces what it is not sent, so the change goes onto the consignment as it is.
		const current = await client.request<IDataObject>({
			method: 'GET',
			path: apiPath`/consignments/${plan.reference}`,
			itemIndex,
		});
		const { body, updatedFields } = updateBody(plan, isPlainObject(current) ? current : {});
		await client.request({ method: 'PUT', path: '/consignments', body, itemIndex });
		return {
			json: {
				consignmentReference: plan.reference,
				customerReference: (body.ConsignmentReferenceProvidedByCustomer as string) || null,
				state: current?.ConsignmentState ?? null,
				updated: true,
				updatedFields,
				destination: destinationOf(body),
			},
		};
	},
});

/** The Update Consignment body: the consignment as Electio has it, with the item's changes. */
function updateBody(
	plan: UpdatePlan,
	current: IDataObject,
): { body: IDataObject; updatedFields: string[] } {
	const body: IDataObject = { Reference: plan.reference };
	for (const key of KEPT_FIELDS) {
		if (current[key] !== undefined) body[key] = structuredClone(current[key]);
	}
	const addresses = Array.isArray(body.Addresses) ? (body.Addresses as IDataObject[]) : [];
	let destination = addresses.find((address) => address?.AddressType === 'Destination');
	if (!destination) {
		destination = { AddressType: 'Destination' };
		body.Addresses = [...addresses, destination];
	}
	const updatedFields = applyDestinationFields(destination, plan.destination);
	const other = plan.other;
	if (typeof other.customerReference === 'string' && other.customerReference.trim()) {
		body.ConsignmentReferenceProvidedByCustomer = other.customerReference.trim();
		updatedFields.push('customerReference');
	}
	if (other.shippingDate) {
		body.ShippingDate = dateText(other.shippingDate);
		updatedFields.push('shippingDate');
	}
	if (other.requiredDeliveryDate) {
		body.RequestedDeliveryDate = {
			Date: dateText(other.requiredDeliveryDate),
			IsToBeExactlyOnTheDateSpecified: false,
		};
		updatedFields.push('requiredDeliveryDate');
	}
	if (typeof other.tags === 'string' && other.tags.trim()) {
		body.Tags = other.tags
			.split(',')
			.map((tag) => tag.trim())
			.filter(Boolean);
		updatedFields.push('tags');
	}
	if (plan.extra && Object.keys(plan.extra).length) {
		deepMerge(body, plan.extra);
		updatedFields.push(...Object.keys(plan.extra));
	}
	return { body, updatedFields };
}

function destinationOf(body: IDataObject): IDataObject | null {
	const addresses = Array.isArray(body.Addresses) ? (body.Addresses as IDataObject[]) : [];
	const destination = addresses.find((address) => address?.AddressType === 'Destination');
	if (!destination) return null;
	const country = (destination.Country as IDataObject)?.IsoCode as IDataObject | undefined;
	return {
		addressLine1: destination.AddressLine1 ?? null,
		town: destination.Town ?? null,
		postcode: destination.Postcode ?? null,
		countryCode: country?.TwoLetterCode ?? null,
	};
}
