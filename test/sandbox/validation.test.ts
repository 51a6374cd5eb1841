// Auth, headers and every create-validation rule: 400 with Details naming the field.
import { startSandbox, Sandbox } from '../../sandbox';
import { call, example, expectSameShape, minimal } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ apiKeys: ['key-a', 'key-b'] });
});
afterAll(() => sb.close());

describe('auth and headers', () => {
	test('missing and unknown keys are 401 with {Code, Message, CorrelationId}', async () => {
		for (const headers of [
			{ 'ocp-apim-subscription-key': '' },
			{ 'ocp-apim-subscription-key': 'wrong' },
		]) {
			const r = await call(sb, 'GET', '/carriers', undefined, headers);
			expect(r.status).toBe(401);
			expect(Object.keys(r.json).sort()).toEqual(['Code', 'CorrelationId', 'Message']);
			expect(typeof r.json.Code).toBe('string');
			expect(r.json.Message).toMatch(/subscription key/);
			expect(r.json.CorrelationId).toMatch(/^[0-9a-f-]{36}$/);
		}
		const log = sb.requests().slice(-2);
		expect(log.map((e) => e.apiKey)).toEqual(['missing', 'invalid']);
		expect(JSON.stringify(log)).not.toContain('wrong');
		// Nothing was created by an unauthenticated create.
		const before = sb.consignments().length;
		const r = await call(sb, 'POST', '/consignments', minimal(), {
			'ocp-apim-subscription-key': 'nope',
		});
		expect(r.status).toBe(401);
		expect(sb.consignments().length).toBe(before);
	});

	test('every configured key works; electio-api-version 1.1 accepted, unknown versions refused', async () => {
		expect(sb.apiKey).toBe('key-a');
		expect(
			(await call(sb, 'GET', '/carriers', undefined, { 'ocp-apim-subscription-key': 'key-b' }))
				.status,
		).toBe(200);
		expect(
			(await call(sb, 'GET', '/carriers', undefined, { 'electio-api-version': '1.1' })).status,
		).toBe(200);
		const bad = await call(sb, 'GET', '/carriers', undefined, { 'electio-api-version': '9.9' });
		expect(bad.status).toBe(400);
		expect(bad.json.Details[0].Target).toBe('electio-api-version');
	});
});

async function violations(
	body: unknown,
): Promise<{ Code: string; Message: string; Target: string }[]> {
	const before = sb.consignments().length;
	const r = await call(sb, 'POST', '/consignments', body);
	expect(r.status).toBe(400);
	expect(r.json.Code).toBeTruthy();
	expect(r.json.Message).toBeTruthy();
	expect(r.json.CorrelationId).toBeTruthy();
	expect(Array.isArray(r.json.Details)).toBe(true);
	for (const d of r.json.Details)
		expect(Object.keys(d).sort()).toEqual(['Code', 'Message', 'Target']);
	expect(sb.consignments().length).toBe(before);
	return r.json.Details;
}
const targets = async (body: unknown) => (await violations(body)).map((d) => d.Target);

describe('create validation', () => {
	test('the documented bodies are valid', async () => {
		for (const f of [
			'create-consignment.request.json',
			'create-consignment-minimal.request.json',
		]) {
			const r = await call(sb, 'POST', '/consignments', example(f));
			expect(r.status).toBe(201);
		}
	});

	test('packages are required', async () => {
		expect(await targets({ ...minimal(), Packages: [] })).toEqual(['Packages']);
		const b = minimal();
		delete b.Packages;
		expect(await targets(b)).toEqual(['Packages']);
	});

	test('weight is required and positive', async () => {
		const b = minimal();
		delete b.Packages[0].Weight;
		expect(await targets(b)).toEqual(['Packages[0].Weight']);
		for (const v of [0, -1, 'heavy', null]) {
			const c = minimal();
			c.Packages[0].Weight = { Value: v, Unit: 'Kg' };
			expect(await targets(c)).toEqual(['Packages[0].Weight.Value']);
		}
		const u = minimal();
		u.Packages[0].Weight.Unit = 'Stone';
		expect(await targets(u)).toEqual(['Packages[0].Weight.Unit']);
	});

	test('dimensions are required (or a known package size) and positive', async () => {
		const b = minimal();
		delete b.Packages[0].Dimensions;
		expect(await targets(b)).toEqual(['Packages[0].Dimensions']);
		const c = minimal();
		c.Packages[0].Dimensions = { Unit: 'Cm', Width: 10, Length: -3, Height: 0 };
		expect((await targets(c)).sort()).toEqual([
			'Packages[0].Dimensions.Height',
			'Packages[0].Dimensions.Length',
		]);
		const sized = minimal();
		delete sized.Packages[0].Dimensions;
		sized.Packages[0].PackageSizeReference = 'SMALL_PARCEL';
		const ok = await call(sb, 'POST', '/consignments', sized);
		expect(ok.status).toBe(201);
		const ref = ok.json[0].Href.split('/').pop();
		const got = await call(sb, 'GET', `/consignments/${ref}`);
		expect(got.json.Packages[0].PackageSizeReference).toBe('SMALL_PARCEL');
		expect(got.json.Packages[0].Dimensions.Width).toBeGreaterThan(0);
		const unknown = minimal();
		delete unknown.Packages[0].Dimensions;
		unknown.Packages[0].PackageSizeReference = 'SHOEBOX';
		expect(await targets(unknown)).toEqual([
			'Packages[0].PackageSizeReference',
			'Packages[0].Dimensions',
		]);
		const over = minimal();
		over.Packages[0].PackageSizeReference = 'LARGE_LETTER';
		over.Packages[0].Weight.Value = 5;
		expect(await targets(over)).toEqual(['Packages[0].Weight.Value']);
	});

	test('values and item lines are checked', async () => {
		const b = minimal();
		b.Packages[0].Value.Amount = -5;
		expect(await targets(b)).toEqual(['Packages[0].Value.Amount']);
		const i = minimal();
		i.Packages[0].Items = [{ Quantity: 0, CountryOfOrigin: { IsoCode: { TwoLetterCode: 'XX' } } }];
		expect((await targets(i)).sort()).toEqual([
			'Packages[0].Items[0].CountryOfOrigin.IsoCode.TwoLetterCode',
			'Packages[0].Items[0].Quantity',
		]);
	});

	test('an origin and a destination are required', async () => {
		const b = minimal();
		b.Addresses = [b.Addresses[0]];
		expect(await targets(b)).toEqual(['Addresses[Destination]']);
		const c = minimal();
		c.Addresses = [c.Addresses[1]];
		const t = await targets(c);
		expect(t).toContain('Addresses[Origin]');
		const d = minimal();
		delete d.Addresses;
		expect(await targets(d)).toEqual(['Addresses']);
		const e = minimal();
		e.Addresses[1].AddressType = 'Somewhere';
		expect(await targets(e)).toEqual(['Addresses[1].AddressType', 'Addresses[Destination]']);
	});

	test('a known shipping location reference on the origin or the destination', async () => {
		const b = minimal();
		b.Addresses[0].ShippingLocationReference = 'Atlantis';
		expect(await targets(b)).toEqual(['Addresses[Origin].ShippingLocationReference']);
		const c = minimal();
		c.Addresses[0] = {
			AddressType: 'Origin',
			AddressLine1: '1 High St',
			Postcode: 'LS1 1AA',
			Country: { IsoCode: { TwoLetterCode: 'GB' } },
		};
		const d = await violations(c);
		expect(d.map((x) => x.Target)).toEqual(['Addresses[Origin].ShippingLocationReference']);
		expect(d[0].Message).toMatch(/ShippingLocationReference/);
		// On the destination (a return to a warehouse) is fine too.
		const ret = minimal({ Direction: 'Returns' });
		ret.Addresses = [
			{ ...c.Addresses[0] },
			{ AddressType: 'Destination', ShippingLocationReference: 'BHM_Returns' },
		];
		expect((await call(sb, 'POST', '/consignments', ret)).status).toBe(201);
	});

	test('addresses without a shipping location need a line, a postcode and an ISO country', async () => {
		const b = minimal();
		delete b.Addresses[1].AddressLine1;
		delete b.Addresses[1].Postcode;
		expect((await targets(b)).sort()).toEqual([
			'Addresses[Destination].AddressLine1',
			'Addresses[Destination].Postcode',
		]);
		for (const code of ['UK', 'XX', 'gb', 'GBR']) {
			const c = minimal();
			c.Addresses[1].Country.IsoCode.TwoLetterCode = code;
			const d = await violations(c);
			expect(d.map((x) => x.Target)).toEqual([
				'Addresses[Destination].Country.IsoCode.TwoLetterCode',
			]);
			if (code === 'UK') expect(d[0].Message).toMatch(/GB/);
		}
		const n = minimal();
		delete n.Addresses[1].Country;
		expect(await targets(n)).toEqual(['Addresses[Destination].Country.IsoCode.TwoLetterCode']);
	});

	test('dates, direction, customer reference and body type', async () => {
		expect(await targets(minimal({ ShippingDate: 'tomorrow-ish' }))).toEqual(['ShippingDate']);
		expect(await targets(minimal({ RequiredDeliveryDate: 12 }))).toEqual(['RequiredDeliveryDate']);
		expect(await targets(minimal({ Direction: 'Sideways' }))).toEqual(['Direction']);
		expect(await targets(minimal({ ConsignmentReferenceProvidedByCustomer: 42 }))).toEqual([
			'ConsignmentReferenceProvidedByCustomer',
		]);
		expect(await targets([minimal()])).toEqual(['']);
		const r = await call(sb, 'POST', '/consignments');
		expect(r.status).toBe(400);
	});

	test('all violations are reported together', async () => {
		const b = minimal();
		b.Packages[0].Weight.Value = 0;
		b.Packages[0].Dimensions.Width = -1;
		b.Addresses[1].Country.IsoCode.TwoLetterCode = 'ZZ';
		const d = await violations(b);
		expect(d.map((x) => x.Target).sort()).toEqual([
			'Addresses[Destination].Country.IsoCode.TwoLetterCode',
			'Packages[0].Dimensions.Width',
			'Packages[0].Weight.Value',
		]);
	});

	test('the shape checker itself catches a missing property', () => {
		expect(() => expectSameShape({ a: 1 }, { a: 1, b: 2 })).toThrow(/missing \[b\]/);
		expect(() => expectSameShape({ a: { c: 1 } }, { a: { d: 1 } })).toThrow();
	});
});
