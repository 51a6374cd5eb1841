// Update Consignment (PUT /consignments): the consignment with its Reference in the body, the
// documented replace rules, allowed only before allocation, answered with a link like create.
import { FAIL_ALLOCATION_MARK, startSandbox, Sandbox } from '../../sandbox';
import { allocate, call, create, example, expectSameShape, minimal, state } from './helpers';

const NOW = new Date('2030-03-05T10:00:00Z');
let sb: Sandbox;
beforeEach(async () => {
	sb = await startSandbox({ seed: 12, now: () => NOW });
});
afterEach(() => sb.close());

async function get(ref: string): Promise<any> {
	return (await call(sb, 'GET', `/consignments/${ref}`)).json;
}

/** The body a client sends: the consignment as it is, with a new destination. */
async function withDestination(ref: string, destination: Record<string, unknown>): Promise<any> {
	const current = await get(ref);
	return {
		Reference: ref,
		ConsignmentReferenceProvidedByCustomer: current.ConsignmentReferenceProvidedByCustomer,
		MetaData: current.MetaData,
		Addresses: [current.Addresses[0], { ...current.Addresses[1], ...destination }],
	};
}

const france = {
	AddressLine1: '12 Rue de Rivoli',
	Town: 'Paris',
	Postcode: '75001',
	Country: { IsoCode: { TwoLetterCode: 'FR' } },
};

describe('an unallocated consignment', () => {
	test('gets the new address, keeps its packages, answers a link, and quotes for the new address', async () => {
		const ref = await create(sb, minimal({ ConsignmentReferenceProvidedByCustomer: 'ORDER-9' }));
		const before = await get(ref);
		const domestic = (await call(sb, 'GET', `/quotes/consignment/${ref}`)).json.Quotes;

		const r = await call(sb, 'PUT', '/consignments', await withDestination(ref, france));
		expect(r.status).toBe(200);
		expectSameShape(r.json, example('create-consignment.response.json'));
		expect(r.json).toEqual([{ Rel: 'Link', Href: `${sb.url}/consignments/${ref}` }]);

		const after = await get(ref);
		expect(after.Addresses[1]).toMatchObject({
			AddressType: 'Destination',
			AddressLine1: '12 Rue de Rivoli',
			Postcode: '75001',
			Country: { IsoCode: { TwoLetterCode: 'FR' } },
		});
		expect(after.ConsignmentReferenceProvidedByCustomer).toBe('ORDER-9');
		expect(after.Packages.map((p: any) => p.Reference)).toEqual(
			before.Packages.map((p: any) => p.Reference),
		);
		expect(after.ConsignmentState).toBe('Unallocated');
		expect(after.DateCreated).toBe(before.DateCreated);

		const abroad = (await call(sb, 'GET', `/quotes/consignment/${ref}`)).json.Quotes;
		const services = (quotes: any[]) => quotes.map((q) => q.MpdCarrierServiceReference).sort();
		expect(services(abroad)).not.toEqual(services(domestic));
		expect(abroad[0].DestinationAddress.Country.IsoCode.TwoLetterCode).toBe('FR');
		expect(sb.requests().find((entry) => entry.method === 'PUT')).toMatchObject({
			method: 'PUT',
			path: '/consignments',
			status: 200,
			handled: true,
			consignmentReference: ref,
			customerReference: 'ORDER-9',
		});
	});

	test('what the body leaves out is deleted, as documented; Packages and Tags stay unless given', async () => {
		const ref = await create(
			sb,
			minimal({
				ConsignmentReferenceProvidedByCustomer: 'ORDER-10',
				MetaData: [{ KeyValue: 'k', StringValue: 'v' }],
				Tags: ['fragile'],
			}),
		);
		const r = await call(sb, 'PUT', '/consignments', {
			Reference: ref,
			Addresses: (await get(ref)).Addresses,
		});
		expect(r.status).toBe(200);
		const after = await get(ref);
		expect(after.ConsignmentReferenceProvidedByCustomer).toBe('');
		expect(after.MetaData).toEqual([]);
		expect(after.Tags).toEqual(['fragile']);
		expect(after.Packages).toHaveLength(1);
	});

	test('new packages replace the old ones; the first keeps its reference, a new one gets its own', async () => {
		const ref = await create(sb);
		const [old] = (await get(ref)).Packages;
		const body = await withDestination(ref, {});
		const heavy = { ...old, Weight: { Value: 4, Unit: 'Kg' } };
		const r = await call(sb, 'PUT', '/consignments', { ...body, Packages: [heavy, heavy] });
		expect(r.status).toBe(200);
		const after = await get(ref);
		expect(after.Packages).toHaveLength(2);
		expect(after.Packages[0].Reference).toBe(old.Reference);
		expect(after.Packages[1].Reference).toMatch(/^EP-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
		expect(after.Packages[1].Reference).not.toBe(old.Reference);
		expect(after.Weight).toEqual({ Value: 8, Unit: 'Kg' });
	});

	test('a failed allocation can be corrected and allocated', async () => {
		const ref = await create(
			sb,
			minimal({ ConsignmentReferenceProvidedByCustomer: `${FAIL_ALLOCATION_MARK}-1` }),
		);
		await expect(allocate(sb, ref)).rejects.toThrow(/allocate failed 400/);
		expect(await state(sb, ref)).toBe('AllocationFailed');
		const r = await call(sb, 'PUT', '/consignments', await withDestination(ref, france));
		expect(r.status).toBe(200);
		expect(await state(sb, ref)).toBe('AllocationFailed');
		await allocate(sb, ref);
		expect(await state(sb, ref)).toBe('Allocated');
	});
});

describe('refused', () => {
	test('once allocated, and once cancelled: 400 naming the state, nothing changed', async () => {
		const allocated = await create(sb);
		await allocate(sb, allocated);
		const cancelled = await create(sb);
		await call(sb, 'PUT', `/consignments/${cancelled}/cancel`);
		for (const [ref, current] of [
			[allocated, 'Allocated'],
			[cancelled, 'Cancelled'],
		]) {
			const before = await get(ref);
			const r = await call(sb, 'PUT', '/consignments', await withDestination(ref, france));
			expect(r.status).toBe(400);
			expect(r.json.Message).toBe(
				`Cannot update consignment ${ref}: it is in state ${current}; allowed only from Unallocated, AllocationFailed`,
			);
			expect(r.json.Details).toEqual([
				expect.objectContaining({ Code: 'InvalidConsignmentState', Target: 'ConsignmentState' }),
			]);
			expect(await get(ref)).toEqual(before);
		}
	});

	test('an invalid address lists the field, with the fix for a UK country code', async () => {
		const ref = await create(sb);
		const before = await get(ref);
		const r = await call(
			sb,
			'PUT',
			'/consignments',
			await withDestination(ref, { Country: { IsoCode: { TwoLetterCode: 'UK' } }, Postcode: '' }),
		);
		expect(r.status).toBe(400);
		expect(r.json.Code).toBe('ValidationFailed');
		expect(r.json.Details).toEqual(
			expect.arrayContaining([
				{
					Code: 'InvalidCountry',
					Message: "'UK' is not an ISO 3166-1 alpha-2 country code (use 'GB')",
					Target: 'Addresses[Destination].Country.IsoCode.TwoLetterCode',
				},
				expect.objectContaining({ Target: 'Addresses[Destination].Postcode' }),
			]),
		);
		expect(await get(ref)).toEqual(before);
	});

	test('no Reference, an unknown one, or an empty list', async () => {
		const noReference = await call(sb, 'PUT', '/consignments', { Addresses: [] });
		expect(noReference.status).toBe(400);
		expect(noReference.json.Details[0].Target).toBe('Reference');
		const unknown = await call(sb, 'PUT', '/consignments', {
			...(await withDestination(await create(sb), {})),
			Reference: 'EC-ZZZ-ZZZ-ZZZ',
		});
		expect(unknown.status).toBe(404);
		expect((await call(sb, 'PUT', '/consignments', [])).status).toBe(400);
	});

	test('a list is all or nothing: one invalid entry changes none', async () => {
		const [first, second] = [await create(sb), await create(sb)];
		const before = await get(first);
		const r = await call(sb, 'PUT', '/consignments', [
			await withDestination(first, france),
			await withDestination(second, { Country: { IsoCode: { TwoLetterCode: 'XX' } } }),
		]);
		expect(r.status).toBe(400);
		expect(await get(first)).toEqual(before);
	});
});
