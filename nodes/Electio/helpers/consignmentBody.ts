import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { describeValue, inputError, isPlainObject, positiveNumber } from './validation';
import { dateText } from './parameters';

const COUNTRY_CODE = /^[A-Z]{2}$/;

/**
 * Checks a create-consignment body against the rules Electio enforces, so the user learns which
 * field is wrong before anything is sent. `field` prefixes each path, e.g. "Consignment JSON".
 */
export function validateConsignmentBody(
	context: IExecuteFunctions,
	itemIndex: number,
	body: unknown,
	field: string,
): asserts body is IDataObject {
	const fail = (path: string, problem: string, hint?: string) => {
		throw inputError(context, itemIndex, `${field} ${path}`.trim(), problem, hint, path);
	};
	if (!isPlainObject(body)) {
		fail(
			'',
			`must be a JSON object (a consignment), got ${Array.isArray(body) ? 'an array' : describeValue(body)}`,
			'Map a single consignment per item, for example {{ $json.body }} for a webhook.',
		);
		return;
	}

	const packages = body.Packages;
	if (!Array.isArray(packages) || packages.length === 0) {
		fail('Packages', 'must be a list with at least one package');
		return;
	}
	packages.forEach((pkg, index) => {
		const at = `Packages[${index}]`;
		if (!isPlainObject(pkg)) return fail(at, `must be an object, got ${describeValue(pkg)}`);
		const sized = typeof pkg.PackageSizeReference === 'string' && pkg.PackageSizeReference !== '';
		const weight = pkg.Weight as IDataObject | undefined;
		if (!sized || weight !== undefined) {
			if (!isPlainObject(weight))
				return fail(`${at}.Weight`, 'is missing (needs Value and Unit, or a PackageSizeReference)');
			if (positiveNumber(weight.Value) === undefined) {
				return fail(
					`${at}.Weight.Value`,
					`must be a number greater than 0, got ${describeValue(weight.Value)}`,
				);
			}
		}
		const dimensions = pkg.Dimensions as IDataObject | undefined;
		if (!sized || dimensions !== undefined) {
			if (!isPlainObject(dimensions)) {
				return fail(
					`${at}.Dimensions`,
					'are missing (need Width, Length and Height, or a PackageSizeReference)',
				);
			}
			for (const side of ['Width', 'Length', 'Height']) {
				if (positiveNumber(dimensions[side]) === undefined) {
					return fail(
						`${at}.Dimensions.${side}`,
						`must be a number greater than 0, got ${describeValue(dimensions[side])}`,
					);
				}
			}
		}
	});

	const addresses = body.Addresses;
	if (!Array.isArray(addresses)) {
		fail('Addresses', 'must be a list with an Origin and a Destination address');
		return;
	}
	const byType = (type: string) =>
		addresses.find((address) => isPlainObject(address) && address.AddressType === type) as
			IDataObject | undefined;
	const origin = byType('Origin');
	const destination = byType('Destination');
	if (!origin) fail('Addresses', 'has no address with AddressType "Origin"');
	if (!destination) {
		fail(
			'Addresses',
			'has no address with AddressType "Destination"',
			'Add the delivery address with "AddressType": "Destination".',
		);
	}
	if (!origin?.ShippingLocationReference && !destination?.ShippingLocationReference) {
		fail(
			'Addresses',
			'need a ShippingLocationReference on the Origin (or Destination) address',
			'Use one of your Electio shipping locations, e.g. "Sorted1".',
		);
	}
	addresses.forEach((address, index) => {
		if (!isPlainObject(address) || address.ShippingLocationReference) return;
		const code = ((address.Country as IDataObject)?.IsoCode as IDataObject)?.TwoLetterCode;
		if (typeof code !== 'string' || !COUNTRY_CODE.test(code)) {
			fail(
				`Addresses[${index}].Country.IsoCode.TwoLetterCode`,
				`must be a two-letter ISO country code such as "GB", got ${describeValue(code)}`,
			);
		}
	});
}

/** The destination's address fields: the node's names and Electio's keys. */
const DESTINATION_ADDRESS_FIELDS = [
	['addressLine1', 'AddressLine1'],
	['addressLine2', 'AddressLine2'],
	['addressLine3', 'AddressLine3'],
	['town', 'Town'],
	['postcode', 'Postcode'],
	['region', 'Region'],
	['companyName', 'CompanyName'],
	['specialInstructions', 'SpecialInstructions'],
] as const;

/** The destination contact's fields: the node's names and Electio's keys. */
const DESTINATION_CONTACT_FIELDS = [
	['title', 'Title'],
	['firstName', 'FirstName'],
	['lastName', 'LastName'],
	['email', 'Email'],
	['telephone', 'Telephone'],
	['mobile', 'Mobile'],
] as const;

/**
 * Sets the destination fields that have a value (named as the node names them, e.g. `postcode`,
 * `firstName`, `countryCode`) on an Electio address and its contact; the others stay as they are.
 * Returns the names of the fields it set.
 */
export function applyDestinationFields(address: IDataObject, fields: IDataObject): string[] {
	const set: string[] = [];
	const text = (name: string) => {
		const value = fields[name];
		return value === undefined || value === null ? '' : String(value).trim();
	};
	const contact = isPlainObject(address.Contact) ? address.Contact : {};
	for (const [fieldList, target] of [
		[DESTINATION_ADDRESS_FIELDS, address],
		[DESTINATION_CONTACT_FIELDS, contact],
	] as const) {
		for (const [field, key] of fieldList) {
			if (!text(field)) continue;
			target[key] = text(field);
			set.push(field);
		}
	}
	address.Contact = contact;
	if (text('countryCode')) {
		address.Country = { IsoCode: { TwoLetterCode: text('countryCode').toUpperCase() } };
		set.push('countryCode');
	}
	return set;
}

/** Whether a value is a two-letter country code in the form Electio takes (GB, FR, US). */
export function isCountryCode(value: string): boolean {
	return COUNTRY_CODE.test(value);
}

interface PackageFields {
	weight?: unknown;
	length?: unknown;
	width?: unknown;
	height?: unknown;
	value?: unknown;
	currency?: string;
	description?: string;
	packageReference?: string;
	itemsJson?: unknown;
}

/** Builds the create body from the node's fields, naming the UI field of any bad value. */
export function consignmentFromFields(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const get = <T>(name: string, fallback: T) =>
		context.getNodeParameter(name, itemIndex, fallback) as T;
	const fail = (field: string, problem: string, hint?: string) =>
		inputError(context, itemIndex, field, problem, hint);
	// An expression over a missing field yields undefined or null: that is an empty field, not "undefined".
	const text = (name: string) => {
		const value = get<unknown>(name, '');
		return value === undefined || value === null ? '' : String(value).trim();
	};

	const shippingLocation = text('shippingLocationReference');
	if (!shippingLocation) throw fail('"Origin Shipping Location"', 'is empty');

	const countryCode = text('destinationCountryCode').toUpperCase();
	if (!isCountryCode(countryCode)) {
		throw fail(
			'"Destination Country Code"',
			`must be a two-letter ISO code such as GB, got ${describeValue(countryCode)}`,
		);
	}
	const addressLine1 = text('destinationAddressLine1');
	if (!addressLine1) throw fail('"Destination Address Line 1"', 'is empty');
	const postcode = text('destinationPostcode');
	const town = text('destinationTown');
	const details = get<IDataObject>('destinationDetails', {});

	const destination: IDataObject = {
		AddressType: 'Destination',
		Contact: {},
		AddressLine1: addressLine1,
		Town: town,
		Postcode: postcode,
		Country: { IsoCode: { TwoLetterCode: countryCode } },
		IsCached: false,
	};
	applyDestinationFields(destination, details);

	const packageEntries =
		(get<IDataObject>('packages', {}).package as PackageFields[] | undefined) ?? [];
	if (packageEntries.length === 0)
		throw fail(
			'"Packages"',
			'has no package',
			'Add at least one package with its weight and dimensions.',
		);
	const packages = packageEntries.map((entry, index) => {
		const label = `Package ${index + 1}`;
		const weight = positiveNumber(entry.weight);
		if (weight === undefined) {
			throw fail(
				`"${label} Weight (Kg)"`,
				`must be a number greater than 0, got ${describeValue(entry.weight)}`,
			);
		}
		const dimensions: IDataObject = { Unit: 'Cm' };
		for (const [field, key] of [
			['length', 'Length'],
			['width', 'Width'],
			['height', 'Height'],
		] as const) {
			const size = positiveNumber(entry[field]);
			if (size === undefined) {
				throw fail(
					`"${label} ${key} (Cm)"`,
					`must be a number greater than 0, got ${describeValue(entry[field])}`,
				);
			}
			dimensions[key] = size;
		}
		const pkg: IDataObject = { Weight: { Value: weight, Unit: 'Kg' }, Dimensions: dimensions };
		if (entry.description) pkg.Description = entry.description;
		if (entry.packageReference) pkg.PackageReferenceProvidedByCustomer = entry.packageReference;
		if (entry.value !== undefined && entry.value !== '' && entry.value !== 0) {
			const amount = positiveNumber(entry.value);
			if (amount === undefined)
				throw fail(
					`"${label} Value"`,
					`must be a number greater than 0, got ${describeValue(entry.value)}`,
				);
			pkg.Value = {
				Amount: amount,
				Currency: { IsoCode: (entry.currency || 'GBP').toUpperCase() },
			};
		}
		const items = parseJsonField(entry.itemsJson, () =>
			fail(`"${label} Items (JSON)"`, 'is not valid JSON'),
		);
		if (items !== undefined) {
			if (!Array.isArray(items))
				throw fail(`"${label} Items (JSON)"`, 'must be a JSON list of items');
			if (items.length) pkg.Items = items;
		}
		return pkg;
	});

	const body: IDataObject = {
		Packages: packages,
		Addresses: [
			{ AddressType: 'Origin', ShippingLocationReference: shippingLocation, IsCached: false },
			destination,
		],
	};
	const customerReference = text('customerReference');
	if (customerReference) body.ConsignmentReferenceProvidedByCustomer = customerReference;

	const more = get<IDataObject>('additionalFields', {});
	if (more.shippingDate) body.ShippingDate = dateText(more.shippingDate);
	if (more.requiredDeliveryDate) body.RequiredDeliveryDate = dateText(more.requiredDeliveryDate);
	if (more.direction) body.Direction = more.direction;
	if (more.source) body.Source = more.source;
	if (more.tags)
		body.Tags = String(more.tags)
			.split(',')
			.map((tag) => tag.trim())
			.filter(Boolean);
	const metadata = ((more.metadata as IDataObject)?.entry as IDataObject[] | undefined) ?? [];
	if (metadata.length) {
		body.MetaData = metadata.map((entry) => ({
			KeyValue: entry.key,
			StringValue: String(entry.value ?? ''),
		}));
	}

	const extra = parseJsonField(get<unknown>('additionalJson', '{}'), () =>
		fail('"Additional JSON"', 'is not valid JSON'),
	);
	if (extra !== undefined) {
		if (!isPlainObject(extra)) throw fail('"Additional JSON"', 'must be a JSON object');
		deepMerge(body, extra);
	}
	return body;
}

/** Accepts an object from an expression or JSON text typed into the field. */
export function parseJsonField(value: unknown, onInvalid: () => Error): unknown {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		throw onInvalid();
	}
}

/** Objects merge key by key; lists and scalars from `extra` replace what was built. */
export function deepMerge(target: IDataObject, extra: IDataObject): void {
	for (const [key, value] of Object.entries(extra)) {
		if (isPlainObject(value) && isPlainObject(target[key]))
			deepMerge(target[key] as IDataObject, value);
		else target[key] = value;
	}
}
