// Finding consignments (CONTRACT.md "Finding consignments"): Search Consignments, Get Consignments
// References, Get Consignment Status, and the control routes that count customer references.
import { startSandbox, Sandbox } from '../../sandbox';
import {
	allocate,
	call,
	create,
	example,
	expectSameShape,
	international,
	minimal,
	rawRequest,
} from './helpers';

const NOW = new Date('2030-03-05T10:00:00Z'); // Tuesday
const HOUR = 3600000;
let sb: Sandbox;

async function refs(query: string): Promise<string[]> {
	const r = await call(sb, 'GET', `/consignments/getConsignmentReferences?${query}`);
	if (r.status === 404) return [];
	expect(r.status).toBe(200);
	return r.json;
}

describe('search over a known set', () => {
	// a: domestic, created first, allocated, labels printed; b: to France, an hour later, Inbound;
	// c: two hours later, customer reference shared with d (a duplicate), unallocated.
	let a: string, b: string, c: string, d: string;
	beforeAll(async () => {
		sb = await startSandbox({ seed: 5, now: () => NOW });
		a = await create(sb, minimal({ ConsignmentReferenceProvidedByCustomer: 'ORDER-100' }));
		await allocate(sb, a);
		await call(sb, 'GET', `/labels/${a}/PDF`);
		sb.advanceClock(HOUR);
		b = await create(sb, {
			...international('FR', 120, 2.5),
			ConsignmentReferenceProvidedByCustomer: 'ORDER-200',
			Direction: 'Inbound',
			Source: 'Web',
		});
		await allocate(sb, b);
		sb.advanceClock(HOUR);
		c = await create(sb, minimal({ ConsignmentReferenceProvidedByCustomer: 'order-300' }));
		d = await create(sb, minimal({ ConsignmentReferenceProvidedByCustomer: 'order-300' }));
	});
	afterAll(() => sb.close());

	test('summaries in the documented shape, newest first, Count = all matches', async () => {
		const r = await call(sb, 'GET', '/consignments/100/0');
		expect(r.status).toBe(200);
		expectSameShape(r.json, example('search-consignments.response.json'));
		expect(r.json.Count).toBe(4);
		expect(r.json.ConsignmentSummaries.map((s: any) => s.Reference)).toEqual([d, c, b, a]);
		const sa = r.json.ConsignmentSummaries[3];
		const got = (await call(sb, 'GET', `/consignments/${a}`)).json;
		expect(sa).toMatchObject({
			Reference: a,
			ConsignmentReferenceProvidedByCustomer: 'ORDER-100',
			State: 'Allocated',
			Source: 'Api',
			LabelsPrinted: true,
			DateCreated: got.DateCreated,
			DateLabelsWereFirstPrinted: got.DateLabelsWereFirstPrinted,
			MpdCarrierServiceReference: got.Allocation.CarrierServiceReference,
			MpdCarrierReference: got.Allocation.CarrierReference,
			DestinationAddressPostcode: got.Addresses[1].Postcode,
			DestinationAddressCountry: 'GB',
			EstimatedDeliveryDate: got.LatestDeliveryDate,
			CollectionDate: got.CollectionDate,
			Weight: got.Weight,
			ApiLink: { Rel: 'detail', Href: `${sb.url}/consignments/${a}` },
		});
		const sd = r.json.ConsignmentSummaries[0];
		expect(sd).toMatchObject({ State: 'Unallocated', MpdCarrierServiceReference: null });
	});

	test('paging: take / skip over the same order, Count stays the total', async () => {
		const p0 = (await call(sb, 'GET', '/consignments/3/0')).json;
		const p1 = (await call(sb, 'GET', '/consignments/3/3')).json;
		expect(p0.Count).toBe(4);
		expect(p1.Count).toBe(4);
		expect(p0.ConsignmentSummaries.map((s: any) => s.Reference)).toEqual([d, c, b]);
		expect(p1.ConsignmentSummaries.map((s: any) => s.Reference)).toEqual([a]);
		// Past the end of a non-empty result: 200, no summaries.
		const past = await call(sb, 'GET', '/consignments/3/9');
		expect(past.status).toBe(200);
		expect(past.json).toEqual({ Count: 4, ConsignmentSummaries: [] });
		expect((await call(sb, 'GET', '/consignments/0/0')).status).toBe(400);
	});

	test('get consignment references: same filters, a plain array in the same order', async () => {
		const r = await call(sb, 'GET', '/consignments/getConsignmentReferences?state=Allocated');
		expect(r.status).toBe(200);
		expectSameShape(r.json, example('get-consignment-references.response.json'));
		expect(r.json).toEqual([b, a]);
	});

	test('the customer reference matches exactly: duplicates all come back, partial or other case never', async () => {
		expect(await refs('referenceProvidedByCustomer=order-300')).toEqual([d, c]);
		expect(await refs('referenceProvidedByCustomer=ORDER-300')).toEqual([]);
		expect(await refs('referenceProvidedByCustomer=order-30')).toEqual([]);
		expect(await refs('ReferenceProvidedByCustomer=ORDER-100')).toEqual([a]);
		const page = (await call(sb, 'GET', '/consignments/10/0?referenceProvidedByCustomer=ORDER-200'))
			.json;
		expect(page.ConsignmentSummaries[0]).toMatchObject({ Reference: b, State: 'Allocated' });
	});

	test('each filter narrows as documented; names and enumerated values in any case', async () => {
		const got = (await call(sb, 'GET', `/consignments/${b}`)).json;
		const tracking = got.ConsignmentLegs[0].TrackingReferences[0];
		const cases: [string, string[]][] = [
			[`reference=${a.toLowerCase()}`, [a]],
			[`trackingReference=${tracking}`, [b]],
			['State=allocated', [b, a]],
			['state=Unallocated', [d, c]],
			['Direction=Inbound', [b]],
			['direction=outbound', [d, c, a]],
			['source=web', [b]],
			['labelsPrinted=true', [a]],
			['labelsPrinted=FALSE', [d, c, b]],
			['destinationCountryCode=fr', [b]],
			['postCode=75001', [b]],
			['postcode=m15wg', [d, c, b, a]], // the origin's postcode, spaces ignored
			[`carrierService=${got.Allocation.CarrierServiceReference}`, [b]],
			['shippingLocationReference=sorted1', [d, c, b, a]],
			['shippingLocationReference=EDC5_Electio', []],
			['searchTerm=dupont', [b]],
			[`searchTerm=${a.slice(-5)}`, [a]],
			['weightInGramsFrom=2000', [b]],
			['weightInGramsTo=1999', [d, c, a]],
			['valueFrom=100&valueTo=200', [b]],
			// created dates: inclusive, a date-only upper bound covers the whole day
			[`createdDateFrom=${new Date(NOW.getTime() + HOUR).toISOString()}`, [d, c, b]],
			[`createdDateTo=${new Date(NOW.getTime() + HOUR).toISOString()}`, [b, a]],
			[`startFrom=${NOW.toISOString()}&endAt=${NOW.toISOString()}`, [a]],
			['createdDateTo=2030-03-05', [d, c, b, a]],
			['createdDateTo=2030-03-04', []],
			// filters combine with AND, repeats of one property with OR
			['state=Allocated&direction=Outbound', [a]],
			['state=Allocated&state=Unallocated&source=Api', [d, c, a]],
			// an empty value filters nothing
			['state=', [d, c, b, a]],
		];
		for (const [q, want] of cases) expect([q, await refs(q)]).toEqual([q, want]);
		// the planned shipping date: allocated ones ship on their collection day
		const day = got.CollectionDate.slice(0, 10);
		const shipping = await refs(`shippingDateFrom=${day}&shippingDateTo=${day}`);
		expect(shipping).toContain(b);
		expect(await refs('shippingDateFrom=2031-01-01')).toEqual([]);
	});

	test('wrong filters are 400 naming the property', async () => {
		for (const [q, target] of [
			['refrence=EC-000-000-001', 'refrence'],
			['state=Shipped', 'state'],
			['createdDateFrom=yesterday', 'createdDateFrom'],
			['valueFrom=ten', 'valueFrom'],
			['labelsPrinted=yes', 'labelsPrinted'],
			['pageSize=10', 'pageSize'],
		]) {
			for (const p of [`/consignments/10/0?${q}`, `/consignments/getConsignmentReferences?${q}`]) {
				const r = await call(sb, 'GET', p);
				expect([p, r.status]).toEqual([p, 400]);
				expect(r.json.Details.map((x: any) => x.Target)).toEqual([target]);
			}
		}
	});

	test('no match is a 404 with the error body (both calls)', async () => {
		for (const p of [
			'/consignments/10/0?reference=EC-ZZZ-ZZZ-ZZZ',
			'/consignments/getConsignmentReferences?referenceProvidedByCustomer=nobody',
		]) {
			const r = await call(sb, 'GET', p);
			expect(r.status).toBe(404);
			expect(r.json).toMatchObject({ Code: 'ConsignmentNotFound' });
			expect(r.json.CorrelationId).toBeTruthy();
		}
	});

	test('get consignment status in the documented shape', async () => {
		const r = await call(sb, 'GET', `/consignments/${a}/status`);
		expect(r.status).toBe(200);
		expectSameShape(r.json, example('get-consignment-status.response.json'));
		const got = (await call(sb, 'GET', `/consignments/${a}`)).json;
		expect(r.json).toEqual({
			ConsignmentReferenceForAllLegsAssignedByMpd: a,
			Status: 'Allocated',
			ExpectedDeliveryDate: got.LatestDeliveryDate,
			ApiLink: { Rel: 'Link', Href: `${sb.url}/consignments/${a}` },
		});
		const un = (await call(sb, 'GET', `/consignments/${c}/status`)).json;
		expect(un).toMatchObject({ Status: 'Unallocated', ExpectedDeliveryDate: null });
		expect((await call(sb, 'GET', '/consignments/EC-ZZZ-ZZZ-ZZZ/status')).status).toBe(404);
	});

	test('the new routes do not shadow the ones that were there', async () => {
		expect((await call(sb, 'GET', `/consignments/${a}`)).json.Reference).toBe(a);
		expect((await call(sb, 'GET', `/consignments/docs/${a}`)).status).toBe(200);
		for (const p of [`/consignments/${a}/explode`, '/consignments/10/abc', '/consignments/x/0']) {
			const r = await rawRequest(sb, 'GET', p);
			expect([p, r.status]).toEqual([p, 404]);
		}
		expect((await call(sb, 'PUT', '/consignments/10/0')).status).toBe(405);
	});

	test('control routes count consignments per customer reference', async () => {
		const byRef = await call(sb, 'GET', '/__sandbox/customer-references');
		expect(byRef.json).toEqual({
			'ORDER-100': [a],
			'ORDER-200': [b],
			'order-300': [c, d],
		});
		const dup = await call(sb, 'GET', '/__sandbox/customer-references?duplicates=true');
		expect(dup.json).toEqual({ 'order-300': [c, d] });
		const list = await call(sb, 'GET', '/__sandbox/consignments?customerReference=order-300');
		expect(list.json.map((x: any) => x.Reference)).toEqual([c, d]);
		expect(sb.consignmentsByCustomerReference()['order-300']).toEqual([c, d]);
	});
});

test('emptySearch: "empty" answers 200 with nothing instead of 404', async () => {
	const s = await startSandbox({ emptySearch: 'empty' });
	try {
		sb = s;
		expect(await call(s, 'GET', '/consignments/10/0')).toMatchObject({
			status: 200,
			json: { Count: 0, ConsignmentSummaries: [] },
		});
		expect(await call(s, 'GET', '/consignments/getConsignmentReferences')).toMatchObject({
			status: 200,
			json: [],
		});
	} finally {
		await s.close();
	}
});
