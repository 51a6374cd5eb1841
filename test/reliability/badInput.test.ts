/**
 * Bad input, operation by operation and for the credential: each case asserts the exact message
 * a user sees, that it names the item (and the field), that nothing was sent to Electio when the
 * input itself is wrong, and that with "Continue On Fail" the good items still succeed.
 */
import type { IDataObject } from 'n8n-workflow';

import { consignmentBody } from '../../harness/fixtures/consignments';
import { SECRET_KEY } from './support';
import { useElectio, type ElectioHarness } from '../../harness/electio';

const h = useElectio({ apiKey: SECRET_KEY });

const get = { resource: 'consignment', operation: 'get' };
const cancel = { resource: 'consignment', operation: 'cancel' };
const quotes = { resource: 'quote', operation: 'getForConsignment' };
const allocate = {
	resource: 'allocation',
	operation: 'allocateWithQuote',
	quoteSelection: 'cheapest',
};
const allocateByQuote = {
	resource: 'allocation',
	operation: 'allocateWithQuote',
	quoteSelection: 'reference',
};
const labels = { resource: 'label', operation: 'get', labelFormat: 'PDF' };
const customs = { resource: 'customsDocument', operation: 'get' };
const createJson = {
	resource: 'consignment',
	operation: 'create',
	inputMode: 'json',
	consignmentJson: '={{ $json.body }}',
};
const manifestPerItem = { resource: 'manifest', operation: 'fromQuery', runMode: 'perItem' };

/** Create in fields mode, every field read from the item so good and bad items can differ. */
const createFields = {
	resource: 'consignment',
	operation: 'create',
	inputMode: 'fields',
	shippingLocationReference: '={{ $json.location }}',
	customerReference: '={{ $json.ref }}',
	destinationAddressLine1: '={{ $json.line1 }}',
	destinationTown: 'Manchester',
	destinationPostcode: 'M1 5WG',
	destinationCountryCode: '={{ $json.country }}',
	packages: {
		package: [
			{ weight: '={{ $json.weight }}', length: '={{ $json.length }}', width: 15, height: 10 },
		],
	},
	additionalJson: '={{ $json.extra }}',
};
const goodFields: IDataObject = {
	location: 'Sorted1',
	ref: 'FIELDS-OK',
	line1: '13 Porter Street',
	country: 'GB',
	weight: 1.5,
	length: 20,
	extra: '{}',
};

function jsonBody(change: (body: IDataObject) => unknown): IDataObject {
	return { body: change(consignmentBody('JSON-BAD')) as IDataObject };
}
function withoutDestination(body: IDataObject): IDataObject {
	return {
		...body,
		Addresses: (body.Addresses as IDataObject[]).filter(
			(address) => address.AddressType !== 'Destination',
		),
	};
}
function setWeight(value: IDataObject[string]) {
	return (body: IDataObject) => {
		((body.Packages as IDataObject[])[0].Weight as IDataObject).Value = value;
		return body;
	};
}
function setDestinationCountry(code: string) {
	return (body: IDataObject) => {
		const destination = (body.Addresses as IDataObject[]).find(
			(address) => address.AddressType === 'Destination',
		)!;
		destination.Country = { IsoCode: { TwoLetterCode: code } };
		return body;
	};
}

type Good = (h: ElectioHarness) => Promise<IDataObject>;
const unallocated: Good = async (harness) => ({
	consignmentReference: (await harness.created(1))[0],
});
const isAllocated: Good = async (harness) => ({
	consignmentReference: (await harness.allocated(1))[0],
});
const goodBody: Good = async () => ({ body: consignmentBody('JSON-OK') });

interface InputCase {
	name: string;
	parameters: IDataObject;
	/** Item 0, which is valid and must still succeed with Continue On Fail. */
	good: Good;
	/** Item 1, which is wrong. */
	bad: IDataObject;
	/** The exact message; always names item 1 and the field. */
	message: string;
	/** The field's display name (and path in the JSON), exactly as the message must show it. */
	field: string;
}

const inputCases: InputCase[] = [
	// ---- references, every operation that takes one
	{
		name: 'get: reference missing from the item',
		parameters: get,
		good: unallocated,
		bad: {},
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" is empty',
	},
	{
		name: 'get: empty reference',
		parameters: get,
		good: unallocated,
		bad: { consignmentReference: '' },
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" is empty',
	},
	{
		name: 'get: blank reference',
		parameters: get,
		good: unallocated,
		bad: { consignmentReference: '   ' },
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" is empty',
	},
	{
		name: 'get: reference ".."',
		parameters: get,
		good: unallocated,
		bad: { consignmentReference: '..' },
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" ".." is not a valid reference',
	},
	{
		name: 'get: reference "."',
		parameters: get,
		good: unallocated,
		bad: { consignmentReference: '.' },
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" "." is not a valid reference',
	},
	{
		name: 'cancel: reference missing',
		parameters: cancel,
		good: unallocated,
		bad: {},
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" is empty',
	},
	{
		name: 'cancel: reference ".."',
		parameters: cancel,
		good: unallocated,
		bad: { consignmentReference: '..' },
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" ".." is not a valid reference',
	},
	{
		name: 'get quotes: reference missing',
		parameters: quotes,
		good: unallocated,
		bad: { consignmentReference: null },
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" is empty',
	},
	{
		name: 'allocate: reference missing',
		parameters: allocate,
		good: unallocated,
		bad: {},
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" is empty',
	},
	{
		name: 'allocate by quote: quote reference missing',
		parameters: allocateByQuote,
		good: async (harness) => await quoteFor(harness),
		bad: { consignmentReference: 'EC-000-000-001' },
		field: '"Quote Reference"',
		message: 'Item 1: "Quote Reference" is empty',
	},
	{
		name: 'allocate: negative maximum price',
		parameters: { ...allocate, filters: { maxGrossPrice: '={{ $json.max }}' } },
		good: async (harness) => ({ ...(await unallocated(harness)), max: 100 }),
		bad: { consignmentReference: 'EC-000-000-001', max: -5 },
		field: '"Maximum Gross Price"',
		message: 'Item 1: "Maximum Gross Price" must be a number greater than 0, got -5',
	},
	{
		name: 'labels: reference missing',
		parameters: labels,
		good: isAllocated,
		bad: { consignmentReference: '' },
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" is empty',
	},
	{
		name: 'labels: unknown label format',
		parameters: { ...labels, labelFormat: '={{ $json.format }}' },
		good: async (harness) => ({ ...(await isAllocated(harness)), format: 'PDF' }),
		bad: { consignmentReference: 'EC-000-000-001', format: 'GIF' },
		field: '"Label Format"',
		message: 'Item 1: "Label Format" must be one of PDF, PNG, ZPL, ZPLII, got "GIF"',
	},
	{
		name: 'labels: empty output field',
		parameters: { ...labels, binaryPropertyName: '={{ $json.field }}' },
		good: async (harness) => ({ ...(await isAllocated(harness)), field: 'data' }),
		bad: { consignmentReference: 'EC-000-000-001', field: ' ' },
		field: '"Put Output File in Field"',
		message: 'Item 1: "Put Output File in Field" is empty',
	},
	{
		name: 'customs documents: reference missing',
		parameters: customs,
		good: isAllocated,
		bad: {},
		field: '"Consignment Reference"',
		message: 'Item 1: "Consignment Reference" is empty',
	},

	// ---- create, fields mode
	{
		name: 'create (fields): weight zero',
		parameters: createFields,
		good: async () => goodFields,
		bad: { ...goodFields, weight: 0 },
		field: '"Package 1 Weight (Kg)"',
		message: 'Item 1: "Package 1 Weight (Kg)" must be a number greater than 0, got 0',
	},
	{
		name: 'create (fields): weight negative',
		parameters: createFields,
		good: async () => goodFields,
		bad: { ...goodFields, weight: -2 },
		field: '"Package 1 Weight (Kg)"',
		message: 'Item 1: "Package 1 Weight (Kg)" must be a number greater than 0, got -2',
	},
	{
		name: 'create (fields): weight text',
		parameters: createFields,
		good: async () => goodFields,
		bad: { ...goodFields, weight: 'heavy' },
		field: '"Package 1 Weight (Kg)"',
		message: 'Item 1: "Package 1 Weight (Kg)" must be a number greater than 0, got "heavy"',
	},
	{
		name: 'create (fields): length zero',
		parameters: createFields,
		good: async () => goodFields,
		bad: { ...goodFields, length: 0 },
		field: '"Package 1 Length (Cm)"',
		message: 'Item 1: "Package 1 Length (Cm)" must be a number greater than 0, got 0',
	},
	{
		name: 'create (fields): destination missing',
		parameters: createFields,
		good: async () => goodFields,
		bad: { ...goodFields, line1: undefined },
		field: '"Destination Address Line 1"',
		message: 'Item 1: "Destination Address Line 1" is empty',
	},
	{
		name: 'create (fields): destination country not a code',
		parameters: createFields,
		good: async () => goodFields,
		bad: { ...goodFields, country: 'United Kingdom' },
		field: '"Destination Country Code"',
		message:
			'Item 1: "Destination Country Code" must be a two-letter ISO code such as GB, got "UNITED KINGDOM"',
	},
	{
		name: 'create (fields): origin missing',
		parameters: createFields,
		good: async () => goodFields,
		bad: { ...goodFields, location: '' },
		field: '"Origin Shipping Location"',
		message: 'Item 1: "Origin Shipping Location" is empty',
	},
	{
		name: 'create (fields): Additional JSON not JSON',
		parameters: createFields,
		good: async () => goodFields,
		bad: { ...goodFields, extra: '{"Tags": [' },
		field: '"Additional JSON"',
		message: 'Item 1: "Additional JSON" is not valid JSON',
	},

	// ---- create, JSON mode
	{
		name: 'create (json): invalid JSON text',
		parameters: createJson,
		good: goodBody,
		bad: { body: '{"Packages": [' },
		field: '"Consignment JSON"',
		message: 'Item 1: "Consignment JSON" is not valid JSON',
	},
	{
		name: 'create (json): empty',
		parameters: createJson,
		good: goodBody,
		bad: { body: '' },
		field: '"Consignment JSON"',
		message: 'Item 1: "Consignment JSON" is empty',
	},
	{
		name: 'create (json): a list instead of a consignment',
		parameters: createJson,
		good: goodBody,
		bad: { body: [consignmentBody('A'), consignmentBody('B')] },
		field: '"Consignment JSON"',
		message: 'Item 1: "Consignment JSON" must be a JSON object (a consignment), got an array',
	},
	{
		name: 'create (json): a number instead of a consignment',
		parameters: createJson,
		good: goodBody,
		bad: { body: 42 },
		field: '"Consignment JSON"',
		message: 'Item 1: "Consignment JSON" must be a JSON object (a consignment), got 42',
	},
	{
		name: 'create (json): no packages',
		parameters: createJson,
		good: goodBody,
		bad: jsonBody((body) => ({ ...body, Packages: [] })),
		field: '"Consignment JSON" Packages',
		message: 'Item 1: "Consignment JSON" Packages must be a list with at least one package',
	},
	{
		name: 'create (json): weight zero',
		parameters: createJson,
		good: goodBody,
		bad: jsonBody(setWeight(0)),
		field: '"Consignment JSON" Packages[0].Weight.Value',
		message:
			'Item 1: "Consignment JSON" Packages[0].Weight.Value must be a number greater than 0, got 0',
	},
	{
		name: 'create (json): weight negative',
		parameters: createJson,
		good: goodBody,
		bad: jsonBody(setWeight(-1)),
		field: '"Consignment JSON" Packages[0].Weight.Value',
		message:
			'Item 1: "Consignment JSON" Packages[0].Weight.Value must be a number greater than 0, got -1',
	},
	{
		name: 'create (json): weight text',
		parameters: createJson,
		good: goodBody,
		bad: jsonBody(setWeight('two kilos')),
		field: '"Consignment JSON" Packages[0].Weight.Value',
		message:
			'Item 1: "Consignment JSON" Packages[0].Weight.Value must be a number greater than 0, got "two kilos"',
	},
	{
		name: 'create (json): no destination',
		parameters: createJson,
		good: goodBody,
		bad: jsonBody(withoutDestination),
		field: '"Consignment JSON" Addresses',
		message: 'Item 1: "Consignment JSON" Addresses has no address with AddressType "Destination"',
	},
	{
		name: 'create (json): destination country not a code',
		parameters: createJson,
		good: goodBody,
		bad: jsonBody(setDestinationCountry('England')),
		field: '"Consignment JSON" Addresses[1].Country.IsoCode.TwoLetterCode',
		message:
			'Item 1: "Consignment JSON" Addresses[1].Country.IsoCode.TwoLetterCode must be a two-letter ISO country code such as "GB", got "England"',
	},

	// ---- manifest, once per item
	{
		name: 'manifest: From after To',
		parameters: {
			...manifestPerItem,
			shippingDateFilter: 'range',
			shippingDateFrom: '={{ $json.from }}',
			shippingDateTo: '2030-01-01T00:00:00.000Z',
		},
		good: async () => ({ from: '2029-12-01T00:00:00.000Z' }),
		bad: { from: '2030-02-01T00:00:00.000Z' },
		field: '"From"',
		message: 'Item 1: "From" is after "To" (2030-02-01T00:00:00.000Z > 2030-01-01T00:00:00.000Z)',
	},
	{
		name: 'manifest: a state that cannot be manifested',
		parameters: { ...manifestPerItem, states: '={{ $json.states }}' },
		good: async () => ({ states: ['Allocated'] }),
		bad: { states: ['Cancelled'] },
		field: '"States"',
		message:
			'Item 1: "States" can only hold Allocated, ManifestFailed, ReadyToShip, got "Cancelled"',
	},
];

async function quoteFor(harness: ElectioHarness): Promise<IDataObject> {
	const [reference] = await harness.created(1);
	const { items } = await harness.electio(quotes, [{ consignmentReference: reference }]);
	return {
		consignmentReference: reference,
		quoteReference: (items[0].json.quotes as IDataObject[])[0].QuoteReference,
	};
}

describe('input that is wrong is refused before any request, naming the item and the field', () => {
	test.each(inputCases)('$name', async ({ parameters, good, bad, message, field }) => {
		expect(message).toContain('Item 1: ');
		expect(message).toContain(field);
		const goodItem = await good(h);
		h.sandbox.clearRequests();

		// Without Continue On Fail: the node stops on item 1 and nothing at all is sent.
		const strict = await h.electio(parameters, [goodItem, bad]);
		expect(strict.error?.message).toBe(message);
		expect(strict.error?.context?.itemIndex).toBe(1);
		expect(strict.items).toHaveLength(0);
		expect(h.requests()).toHaveLength(0);

		// With Continue On Fail: item 1 becomes one error item in its place, item 0 still succeeds,
		// and only item 0 reached Electio.
		const tolerant = await h.electio(parameters, [goodItem, bad], true);
		expect(tolerant.error).toBeUndefined();
		const paired = (index: number) =>
			tolerant.items.filter((item) => (item.pairedItem as { item: number }).item === index);
		expect(paired(1)).toHaveLength(1);
		expect(paired(1)[0].json.error).toBe(message);
		expect(paired(0).length).toBeGreaterThanOrEqual(1);
		for (const item of paired(0)) expect(item.json.error).toBeUndefined();
		expect(h.requests().length).toBeGreaterThan(0);
		// Only item 0's calls, all answered: a lookup by customer reference that finds none is a 404.
		const isLookup = (path: string) => /^\/consignments\/\d+\/\d+\?/.test(path);
		expect(
			h
				.requests()
				.every((entry) => entry.status < 400 || (entry.status === 404 && isLookup(entry.path))),
		).toBe(true);
	});
});

test('an optional field mapped from a missing value is left out, never sent as the text "undefined"', async () => {
	const { items, error } = await h.electio(createFields, [
		{ ...goodFields, ref: undefined },
		{ ...goodFields, ref: null },
	]);
	expect(error).toBeUndefined();
	expect(items.map((item) => item.json.customerReference)).toEqual([null, null]);
	for (const consignment of h.sandbox.consignments()) {
		expect(JSON.stringify(consignment)).not.toMatch(/"(undefined|null)"/);
	}
});
