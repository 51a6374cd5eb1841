/**
 * After the manifest (#11), reading: Tracking → Get Events (newest first, delivered, signed by),
 * Consignment → Search (filters, paging through {take}/{skip}, a 404 is no result) and
 * Consignment → Get Status, against the sandbox, with bad input and Continue On Fail pairing.
 */
import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../harness/electio';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { CONSIGNMENT_STATE_OPTIONS } from '../../nodes/Electio/helpers/states';
import { WIRE_STATES } from '../../sandbox/states';

const h = useElectio({ seed: 31, tracking: { failureRate: 0 } });

const refs = (references: string[]) =>
	references.map((consignmentReference) => ({ consignmentReference }));
const tracking = { resource: 'tracking', operation: 'getEvents' };
const search = { resource: 'consignment', operation: 'search' };
const status = { resource: 'consignment', operation: 'getStatus' };

/** Answers the next call to `path` with `body` (a 200), as Electio might. */
function answerNext(path: string, body: unknown, times = 1) {
	h.sandbox.failNext({ method: 'GET', path, status: 200, body: body as object, times });
}

describe('tracking: get events', () => {
	test('a delivered consignment: events newest first, delivered, signed by, the latest event', async () => {
		const [reference] = await h.manifested(1);
		h.sandbox.advanceTracking(4);
		const { items, error } = await h.electio(tracking, refs([reference]));
		expect(error).toBeUndefined();
		const json = items[0].json;
		expect(json).toMatchObject({
			consignmentReference: reference,
			state: 'Delivered',
			delivered: true,
			eventCount: 4,
		});
		const events = json.events as IDataObject[];
		expect(events.map((event) => event.Code)).toEqual([
			'DELIVERED',
			'OUT_FOR_DELIVERY',
			'IN_TRANSIT',
			'COLLECTED',
		]);
		const times = events.map((event) => Date.parse(event.TimeStamp as string));
		expect([...times].sort((a, b) => b - a)).toEqual(times);
		const stored = h.sandbox.getConsignment(reference)!;
		const signed = stored.trackingEvents.find((event) => event.Code === 'DELIVERED')!.SignedBy;
		expect(signed).toBeTruthy();
		expect(json.signedBy).toBe(signed);
		expect(json.latestEvent).toEqual(events[0]);
		expect(events[0]).toMatchObject({
			Leg: 1,
			CarrierServiceName: stored.CarrierServiceName,
			PackageReference: (stored.Packages as IDataObject[])[0].Reference,
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('the flattened form: one list per package, the carrier service on each event, no legs', async () => {
		const [reference] = await h.manifested(1, { packages: 2 });
		h.sandbox.advanceTracking(2);
		const { items } = await h.electio({ ...tracking, eventsForm: 'flattened' }, refs([reference]));
		const json = items[0].json;
		expect(h.requests().some((entry) => entry.path === `/tracking/flattened/${reference}`)).toBe(
			true,
		);
		expect(json).toMatchObject({ state: 'InTransit', delivered: false, signedBy: null });
		const events = json.events as IDataObject[];
		// every package carries the consignment's events
		expect(events).toHaveLength(4);
		expect(new Set(events.map((event) => event.PackageReference)).size).toBe(2);
		expect(events.every((event) => event.Leg === null && event.CarrierServiceName)).toBe(true);
		expect((json.latestEvent as IDataObject).Code).toBe('IN_TRANSIT');
	});

	test('before any carrier event: empty lists are an answer, not an error', async () => {
		const [allocated] = await h.allocated(1);
		const [created] = await h.created(1);
		const { items, error } = await h.electio(tracking, refs([allocated, created]));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				consignmentReference: allocated,
				state: 'Allocated',
				events: [],
				eventCount: 0,
				latestEvent: null,
				delivered: false,
				signedBy: null,
			}),
			expect.objectContaining({ consignmentReference: created, state: 'Unallocated', events: [] }),
		]);
	});

	test('events in any order, sharing a timestamp or in the documented examples, come out newest first', async () => {
		const [reference] = await h.allocated(1);
		const at = (time: string, code: string, signedBy: string | null = null) => ({
			TimeStamp: time,
			Code: code,
			Description: code,
			SignedBy: signedBy,
			Location: null,
		});
		answerNext(`/tracking/${reference}`, {
			ConsignmentReferenceForAllLegsAssignedByMpd: reference,
			TrackedPackages: [
				{
					PackageReferenceForAllLegsAssignedByMpd: 'EP-000-000-001',
					Legs: [
						{
							CarrierServiceName: 'Leg one',
							Events: [
								at('2030-01-02T10:00:00+01:00', 'B'),
								at('2030-01-01T09:00:00Z', 'A'),
								at('2030-01-02T09:00:00Z', 'C', 'A. Person'),
							],
						},
						{ CarrierServiceName: 'Leg two', Events: [at('2030-01-02T11:30:00+00:00', 'D')] },
						{ CarrierServiceName: 'Leg three' },
					],
				},
				{ PackageReferenceForAllLegsAssignedByMpd: 'EP-000-000-002', Legs: [] },
			],
		});
		const { items } = await h.electio(tracking, refs([reference]));
		const events = items[0].json.events as IDataObject[];
		// 10:00+01:00 and 09:00Z are the same moment: the one Electio listed later comes first
		expect(events.map((event) => [event.Code, event.Leg])).toEqual([
			['D', 2],
			['C', 1],
			['B', 1],
			['A', 1],
		]);
		expect(items[0].json.signedBy).toBe('A. Person');

		const documented = {
			perLeg: require('../fixtures/electio-api-examples/get-tracking.response.json'),
			flattened: require('../fixtures/electio-api-examples/get-tracking-flattened.response.json'),
		};
		answerNext(`/tracking/${reference}`, documented.perLeg);
		answerNext(`/tracking/flattened/${reference}`, documented.flattened);
		const perLeg = await h.electio(tracking, refs([reference]));
		const flattened = await h.electio({ ...tracking, eventsForm: 'flattened' }, refs([reference]));
		expect(perLeg.items[0].json).toMatchObject({
			consignmentReference: 'EC-000-002-4DF',
			signedBy: 'C. Smith',
			latestEvent: { Code: 'Sample', CarrierServiceName: 'Carrier Service B', Leg: 1 },
		});
		expect(flattened.items[0].json).toMatchObject({
			signedBy: 'P. Smith',
			latestEvent: {
				Code: 'DELIVERED',
				CarrierServiceName: 'Sample Carrier Service A',
				PackageReference: 'EP-000-002-4RE',
				Leg: null,
			},
		});
		// delivered comes from the consignment's state, never from an event code
		expect(flattened.items[0].json.delivered).toBe(false);
	});

	test('bad input fails before any call; an unknown reference with Continue On Fail is its own paired item', async () => {
		const empty = await h.electio(tracking, [{ consignmentReference: '' }]);
		expect(empty.error?.message).toBe('Item 0: "Consignment Reference" is empty');
		expect(h.requests()).toHaveLength(0);

		const [reference] = await h.allocated(1);
		const { items, error } = await h.electio(
			tracking,
			[{ consignmentReference: 'EC-000-000-404' }, { consignmentReference: reference }, {}],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({
			consignmentReference: 'EC-000-000-404',
			httpCode: 404,
			error: expect.stringMatching(/failed with 404/),
		});
		expect(items[1].json).toMatchObject({ consignmentReference: reference, state: 'Allocated' });
		expect(items[2].json.error).toBe('Item 2: "Consignment Reference" is empty');
	});
});

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

describe('consignment: get status', () => {
	test("the consignment's state and expected delivery date; an unknown one fails alone with Continue On Fail", async () => {
		const [allocated] = await h.allocated(1);
		const [created] = await h.created(1);
		const { items, error } = await h.electio(
			status,
			[...refs([allocated, created]), { consignmentReference: 'EC-000-000-404' }],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({
			consignmentReference: allocated,
			state: 'Allocated',
			Status: 'Allocated',
			expectedDeliveryDate: expect.any(String),
		});
		expect(items[1].json).toMatchObject({ state: 'Unallocated', expectedDeliveryDate: null });
		expect(items[2].json).toMatchObject({ consignmentReference: 'EC-000-000-404', httpCode: 404 });
		expect(h.requests().at(-1)!.path).toBe('/consignments/EC-000-000-404/status');

		const failed = await h.electio(status, [{ consignmentReference: 'EC-000-000-404' }]);
		expect(failed.error?.message).toMatch(
			/GET \/consignments\/EC-000-000-404\/status failed with 404/,
		);
	});

	test('follows a consignment along its journey as the sandbox delivers it', async () => {
		const [reference] = await h.manifested(1);
		const states: unknown[] = [];
		for (let step = 0; step <= 4; step++) {
			if (step) h.sandbox.advanceTracking(1);
			states.push((await h.electio(status, refs([reference]))).items[0].json.state);
		}
		expect(states).toEqual(['Manifested', 'Collected', 'InTransit', 'OutForDelivery', 'Delivered']);
	});
});
