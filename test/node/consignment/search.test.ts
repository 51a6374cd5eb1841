import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../../harness/electio';
import { consignmentBody } from '../../../harness/fixtures/consignments';
import { CONSIGNMENT_STATE_OPTIONS } from '../../../nodes/Electio/helpers/states';
import { WIRE_STATES } from '../../../sandbox/states';

const h = useElectio({ seed: 31, tracking: { failureRate: 0 } });
const search = { resource: 'consignment', operation: 'search' };

describe('consignment: search', () => {
	test('by customer reference (the order number): one item per consignment, paired to its input; no match is no item', async () => {
		const create = { resource: 'consignment', operation: 'create', inputMode: 'json' };
		await h.electio(create, [consignmentBody('ORDER-4711'), consignmentBody('ORDER-4712')]);
		await h.electio({ ...create, ifCustomerReferenceExists: 'createAnother' }, [
			consignmentBody('ORDER-4712'),
		]);
		h.sandbox.clearRequests();
		const { items, error } = await h.electio(
			{ ...search, filters: { referenceProvidedByCustomer: '={{ $json.order }}' } },
			['ORDER-4711', 'ORDER-0000', 'ORDER-4712'].map((order) => ({ order })),
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.customerReference, item.pairedItem])).toEqual([
			['ORDER-4711', { item: 0 }],
			['ORDER-4712', { item: 2 }],
			['ORDER-4712', { item: 2 }],
		]);
		const expected = h.sandbox.consignmentsByCustomerReference();
		expect(items.map((item) => item.json.consignmentReference).sort()).toEqual(
			[...expected['ORDER-4711'], ...expected['ORDER-4712']].sort(),
		);
		expect(items[0].json).toMatchObject({
			state: 'Unallocated',
			Reference: items[0].json.consignmentReference,
			DestinationAddressPostcode: 'M1 5WG',
		});
		// the order with no consignment was a 404 from Electio: no result, not an error
		const searches = h.requests().filter((entry) => entry.path.startsWith('/consignments/50/0?'));
		expect(searches.map((entry) => entry.status)).toEqual([200, 404, 200]);
		expect(searches[0].path).toBe('/consignments/50/0?referenceProvidedByCustomer=ORDER-4711');
	});

	test('every documented filter goes into the query as Electio names it, dates as ISO 8601', async () => {
		await h.allocated(2);
		await h.created(1);
		const { items, error } = await h.electio({
			...search,
			filters: {
				state: 'Allocated',
				shippingLocationReference: 'Sorted1',
				createdDateFrom: '2000-01-01T00:00:00',
				createdDateTo: '2100-01-01T00:00:00Z',
				postCode: 'M1 5WG',
				destinationCountryCode: 'GB',
				direction: 'Outbound',
				source: 'Api',
				weightInGramsFrom: 100,
				weightInGramsTo: '5000',
				valueFrom: 0,
				labelsPrinted: false,
			},
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items.every((item) => item.json.state === 'Allocated')).toBe(true);
		const query = new URL(`http://x${h.requests().at(-1)!.path}`).searchParams;
		expect(Object.fromEntries(query)).toEqual({
			state: 'Allocated',
			shippingLocationReference: 'Sorted1',
			createdDateFrom: new Date('2000-01-01T00:00:00').toISOString(),
			createdDateTo: '2100-01-01T00:00:00.000Z',
			postCode: 'M1 5WG',
			destinationCountryCode: 'GB',
			direction: 'Outbound',
			source: 'Api',
			weightInGramsFrom: '100',
			weightInGramsTo: '5000',
			valueFrom: '0',
			labelsPrinted: 'false',
		});
	});

	test('Return All pages through {take}/{skip} until a short page; Limit stops where it says', async () => {
		const created = await h.created(205);
		h.sandbox.clearRequests();
		const all = await h.electio({ ...search, returnAll: true });
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(205);
		expect(new Set(all.items.map((item) => item.json.consignmentReference))).toEqual(
			new Set(created),
		);
		expect(new Set(all.items.map((item) => JSON.stringify(item.pairedItem)))).toEqual(
			new Set(['{"item":0}']),
		);
		const paths = () => h.requests().map((entry) => entry.path);
		expect(paths()).toEqual([
			'/consignments/100/0',
			'/consignments/100/100',
			'/consignments/100/200',
		]);

		h.sandbox.clearRequests();
		const limited = await h.electio({ ...search, returnAll: false, limit: 150 });
		expect(limited.items).toHaveLength(150);
		expect(paths()).toEqual(['/consignments/100/0', '/consignments/50/100']);

		h.sandbox.clearRequests();
		const byDefault = await h.electio(search);
		expect(byDefault.items).toHaveLength(50);
		expect(paths()).toEqual(['/consignments/50/0']);
	});

	test('a server that ignores skip cannot make Return All loop: a page with nothing new ends it', async () => {
		const summaries = Array.from({ length: 100 }, (_, index) => ({
			Reference: `EC-000-000-${String(index).padStart(3, '0')}`,
			State: 'Allocated',
		}));
		h.sandbox.failNext({
			method: 'GET',
			path: /\/consignments\/100\/\d+/,
			status: 200,
			body: { Count: 100, ConsignmentSummaries: summaries },
			times: 10,
		});
		const { items, error } = await h.electio({ ...search, returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(100);
		expect(h.requests()).toHaveLength(2);
	});

	test('bad filters name the item and the field before anything is sent; with Continue On Fail only that item fails', async () => {
		const cases: Array<[IDataObject, string]> = [
			[
				{ createdDateFrom: 'next tuesday' },
				'Item 0: "Created From" must be a date, got "next tuesday"',
			],
			[
				{ shippingDateFrom: '2030-02-01', shippingDateTo: '2030-01-01' },
				'Item 0: "Shipping Date From" is after "Shipping Date To"',
			],
			[{ valueTo: -1 }, 'Item 0: "Value To" must be a number of 0 or more, got -1'],
		];
		for (const [filters, message] of cases) {
			const { error } = await h.electio({ ...search, filters });
			expect(error?.message).toContain(message);
		}
		const badLimit = await h.electio({ ...search, limit: 0 });
		expect(badLimit.error?.message).toContain('"Limit" must be a whole number of 1 or more');
		expect(h.requests()).toHaveLength(0);

		await h.created(1);
		const { items } = await h.electio(
			{ ...search, filters: { createdDateFrom: '={{ $json.from }}' } },
			[{ from: 'soon' }, { from: '2000-01-01' }],
			true,
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.error).toMatch(/^Item 0: "Created From" must be a date/);
		expect(items[1].json.state).toBe('Unallocated');
	});

	test('a failed search with Continue On Fail is one error item for its input item', async () => {
		h.sandbox.failNext({
			method: 'GET',
			path: /\/consignments\/50\/0/,
			status: 400,
			body: { Message: 'Bad search', Code: 'X' },
		});
		const { items, error } = await h.electio(
			{ ...search, filters: { referenceProvidedByCustomer: 'ORDER-1' } },
			[{}],
			true,
		);
		expect(error).toBeUndefined();
		expect(items).toEqual([
			expect.objectContaining({
				json: expect.objectContaining({
					httpCode: 400,
					customerReference: 'ORDER-1',
					error: expect.stringMatching(/failed with 400: Bad search/),
				}),
				pairedItem: { item: 0 },
			}),
		]);
	});

	test('the State filter offers every state Electio reports', () => {
		expect(CONSIGNMENT_STATE_OPTIONS.map((option) => option.value).sort()).toEqual(
			[...WIRE_STATES].sort(),
		);
	});
});
