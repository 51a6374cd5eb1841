/**
 * Consignment → Update (#18): an agent corrects the address of an order whose allocation failed,
 * then it is quoted and allocated. Only the fields given change; Electio refuses once allocated.
 */
import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../../harness/electio';
import { consignmentBody } from '../../../harness/fixtures/consignments';
import { FAIL_ALLOCATION_MARK } from '../../../sandbox';

const h = useElectio({ seed: 20 });

const update = { resource: 'consignment', operation: 'update' };
const cheapest = { resource: 'allocation', operation: 'allocateWithCheapestQuote' };
const stored = (reference: string) => h.sandbox.getConsignment(reference)!;
const destinationOf = (reference: string) =>
	(stored(reference).Addresses as IDataObject[]).find(
		(address) => address.AddressType === 'Destination',
	)!;
const puts = () =>
	h.requests().filter((entry) => entry.method === 'PUT' && entry.path === '/consignments');

describe('a correction', () => {
	test('changes only the fields given; the order number, contact and packages stay', async () => {
		const [reference] = await h.created(1);
		const before = stored(reference);
		const { items, error } = await h.electio(
			{
				...update,
				destination: {
					addressLine1: '12 Rue de Rivoli',
					postcode: '75001',
					town: 'Paris',
					countryCode: 'fr',
				},
			},
			[{ consignmentReference: reference }],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			consignmentReference: reference,
			customerReference: before.ConsignmentReferenceProvidedByCustomer,
			state: 'Unallocated',
			updated: true,
			updatedFields: ['addressLine1', 'town', 'postcode', 'countryCode'],
			destination: {
				addressLine1: '12 Rue de Rivoli',
				town: 'Paris',
				postcode: '75001',
				countryCode: 'FR',
			},
		});
		const after = stored(reference);
		expect(destinationOf(reference)).toMatchObject({
			AddressLine1: '12 Rue de Rivoli',
			Town: 'Paris',
			Postcode: '75001',
			Country: { IsoCode: { TwoLetterCode: 'FR' } },
			Contact: { FirstName: 'Peter', LastName: 'McPetersson', Email: 'peter@example.com' },
		});
		// Electio deletes what an update leaves out: the node sent it all back.
		expect(after.ConsignmentReferenceProvidedByCustomer).toBe(
			before.ConsignmentReferenceProvidedByCustomer,
		);
		expect(after.Packages).toEqual(before.Packages);
		expect(after.Addresses).toHaveLength(2);
		expect(puts()).toHaveLength(1);
	});

	test('fix and re-quote: an order whose allocation failed is corrected and then allocated', async () => {
		const { items: createdItems } = await h.electio(
			{ resource: 'consignment', operation: 'create', inputMode: 'json' },
			[consignmentBody(`${FAIL_ALLOCATION_MARK}-ORDER-1`)],
		);
		const reference = createdItems[0].json.consignmentReference as string;
		const failed = await h.electio(cheapest, [{ consignmentReference: reference }], true);
		expect(failed.items[0].json.httpCode).toBe(400);
		expect(stored(reference).ConsignmentState).toBe('AllocationFailed');

		const corrected = await h.electio(
			{ ...update, destination: { postcode: 'M2 4WU', addressLine2: 'Flat 3' } },
			[{ consignmentReference: reference }],
		);
		expect(corrected.items[0].json).toMatchObject({ state: 'AllocationFailed', updated: true });
		expect(destinationOf(reference)).toMatchObject({ Postcode: 'M2 4WU', AddressLine2: 'Flat 3' });
		const allocated = await h.electio(cheapest, [{ consignmentReference: reference }]);
		expect(allocated.items[0].json.state).toBe('Allocated');
	});

	test('other fields: a new order number, shipping date and tags; Additional JSON merged in last', async () => {
		const [reference] = await h.created(1);
		const { items, error } = await h.electio(
			{
				...update,
				updateFields: {
					customerReference: 'ORDER-NEW-7',
					shippingDate: '2031-01-07T09:00:00.000Z',
					tags: 'fragile, gift',
				},
				additionalJson: '{"MetaData": [{"KeyValue": "desk", "StringValue": "3"}]}',
			},
			[{ consignmentReference: reference }],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			customerReference: 'ORDER-NEW-7',
			updatedFields: ['customerReference', 'shippingDate', 'tags', 'MetaData'],
		});
		expect(stored(reference)).toMatchObject({
			ConsignmentReferenceProvidedByCustomer: 'ORDER-NEW-7',
			Tags: ['fragile', 'gift'],
			MetaData: [{ KeyValue: 'desk', StringValue: '3' }],
		});
		expect(String(stored(reference).ShippingDate)).toMatch(/^2031-01-07T09:00:00/);
		expect(h.sandbox.consignmentsByCustomerReference()['ORDER-NEW-7']).toEqual([reference]);
	});
});

describe('refused, with Continue On Fail one item per input, paired', () => {
	test('bad input before any call, Electio refusing a field, and an allocated consignment', async () => {
		const [good, invalid] = await h.created(2);
		const [allocated] = await h.allocated(1);
		h.sandbox.clearRequests();
		const items = [
			{ consignmentReference: good, country: 'GB', postcode: 'M1 1AA' },
			{ consignmentReference: invalid, country: 'UK', postcode: 'M1 1AA' },
			{ consignmentReference: allocated, country: 'GB', postcode: 'M1 1AA' },
			{ consignmentReference: good, country: 'GBR', postcode: 'M1 1AA' },
			{ consignmentReference: '', country: 'GB', postcode: 'M1 1AA' },
		];
		const { items: out, error } = await h.electio(
			{
				...update,
				destination: {
					countryCode: '={{ $json.country }}',
					postcode: '={{ $json.postcode }}',
				},
			},
			items,
			true,
		);
		expect(error).toBeUndefined();
		expect(out.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out[0].json).toMatchObject({ consignmentReference: good, updated: true });

		expect(out[1].json).toMatchObject({
			consignmentReference: invalid,
			httpCode: 400,
			retryable: false,
			details: [
				{
					field: 'Addresses[Destination].Country.IsoCode.TwoLetterCode',
					message: "'UK' is not an ISO 3166-1 alpha-2 country code (use 'GB')",
				},
			],
			userMessage: "Country code 'UK' is not valid: use 'GB'.",
		});
		expect(out[2].json).toMatchObject({
			consignmentReference: allocated,
			httpCode: 400,
			userMessage: `Consignment ${allocated} cannot be changed while it is Allocated: release it from its carrier (deallocate) first.`,
		});
		expect(out[2].json.error).toMatch(
			/^Electio PUT \/consignments failed with 400: Cannot update consignment .* in state Allocated/,
		);
		expect(out[3].json).toMatchObject({
			error: 'Item 3: "Country Code" must be a two-letter ISO code such as GB, got "GBR"',
			httpCode: null,
			details: [{ field: 'Country Code', message: expect.stringMatching(/^must be/) }],
			userMessage: "Country code 'GBR' is not valid: use a two-letter code such as GB or FR.",
		});
		expect(out[4].json).toMatchObject({
			error: 'Item 4: "Consignment Reference" is empty',
			userMessage: 'The consignment reference is missing.',
		});
		// Bad input never reached Electio: the good, the invalid and the allocated one did.
		expect(puts().map((entry) => entry.status)).toEqual([200, 400, 400]);
		expect(stored(allocated).ConsignmentState).toBe('Allocated');
	});

	test('nothing to update is bad input, and says what to add', async () => {
		const [reference] = await h.created(1);
		const { error } = await h.electio({ ...update, destination: { postcode: '' } }, [
			{ consignmentReference: reference },
		]);
		expect(error?.message).toBe(
			'Item 0: "Destination Address" and the other fields are all empty: there is nothing to update',
		);
		expect(error?.description).toContain('Postcode or Country Code');
		expect(puts()).toHaveLength(0);
	});

	test('an unknown consignment: Electio does not know it, in words', async () => {
		const { items } = await h.electio(
			{ ...update, destination: { postcode: 'M1 1AA' } },
			[{ consignmentReference: 'EC-000-000-404' }],
			true,
		);
		expect(items[0].json).toMatchObject({
			httpCode: 404,
			userMessage: 'Electio does not know consignment EC-000-000-404: check the reference.',
		});
	});
});
