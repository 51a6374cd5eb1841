// The state machine, quote rules, unqualified services and manifest filters.
import {
	startSandbox,
	Sandbox,
	FAIL_ALLOCATION_MARK,
	FAIL_MANIFEST_MARK,
	REASON_ADDRESSES,
	REASON_DATES,
	REASON_WEIGHT,
} from '../../sandbox';
import { allocate, call, create, international, minimal, state } from './helpers';

const NOW = new Date('2030-03-05T10:00:00Z'); // Tuesday
let sb: Sandbox;
beforeEach(async () => {
	sb = await startSandbox({ seed: 7, now: () => NOW });
});
afterEach(() => sb.close());

async function expectStateError(method: string, p: string, current: string, body?: unknown) {
	const r = await call(sb, method, p, body);
	expect(r.status).toBe(400);
	expect(r.json.Message).toContain(current);
	expect(r.json.CorrelationId).toBeTruthy();
	return r;
}

describe('state machine', () => {
	test('labels and customs documents only after allocation', async () => {
		const ref = await create(sb);
		const r = await expectStateError('GET', `/labels/${ref}/PDF`, 'Unallocated');
		expect(r.json.Message).toMatch(/allowed only from Allocated/);
		await expectStateError('GET', `/consignments/docs/${ref}`, 'Unallocated');
		expect(sb.getConsignment(ref)!.LabelsPrinted).toBe(false);
	});

	test('allocate only from Unallocated / AllocationFailed', async () => {
		const ref = await create(sb);
		const quotes = (await call(sb, 'GET', `/quotes/consignment/${ref}`)).json.Quotes;
		expect(
			(await call(sb, 'PUT', `/allocation/${ref}/allocatewithquote/${quotes[0].QuoteReference}`))
				.status,
		).toBe(200);
		const again = await expectStateError(
			'PUT',
			`/allocation/${ref}/allocatewithquote/${quotes[1].QuoteReference}`,
			'Allocated',
		);
		expect(again.json.Message).toMatch(/Unallocated, AllocationFailed/);
		await expectStateError('PUT', `/allocation/${ref}/allocatewithcheapestquote`, 'Allocated');
		expect(sb.getConsignment(ref)!.CarrierServiceReference).toBe(
			quotes[0].MpdCarrierServiceReference,
		);
	});

	test('AllocationFailed can be allocated again; the failure mark fails the first attempt', async () => {
		const ref = await create(
			sb,
			minimal({ ConsignmentReferenceProvidedByCustomer: `ORDER-1-${FAIL_ALLOCATION_MARK}` }),
		);
		const q = (await call(sb, 'GET', `/quotes/consignment/${ref}`)).json.Quotes[0];
		const fail = await call(sb, 'PUT', `/allocation/${ref}/allocatewithquote/${q.QuoteReference}`);
		expect(fail.status).toBe(400);
		expect(await state(sb, ref)).toBe('AllocationFailed');
		expect((await call(sb, 'GET', `/consignments/${ref}`)).json.FailedAllocation).not.toBeNull();
		const ok = await call(sb, 'PUT', `/allocation/${ref}/allocatewithquote/${q.QuoteReference}`);
		expect(ok.status).toBe(200);
		expect(sb.getConsignment(ref)!.history.map((h) => h.state)).toEqual([
			'Unallocated',
			'AllocationFailed',
			'Allocated',
		]);
	});

	test('a UK destination postcode the carrier rejects: quoted, then AllocationFailed saying why, also for the cheapest quote; not for a foreign postcode', async () => {
		const body = minimal();
		body.Addresses[1].Postcode = 'SW1Y 4JHH';
		const ref = await create(sb, body);
		const quotes = (await call(sb, 'GET', `/quotes/consignment/${ref}`)).json.Quotes;
		expect(quotes.length).toBeGreaterThan(0);
		const fail = await call(
			sb,
			'PUT',
			`/allocation/${ref}/allocatewithquote/${quotes[0].QuoteReference}`,
		);
		expect(fail.status).toBe(400);
		expect(fail.json.Message).toMatch(/rejected the destination postcode 'SW1Y 4JHH'/);
		expect(fail.json.Details[0].Target).toBe('Addresses[Destination].Postcode');
		expect(await state(sb, ref)).toBe('AllocationFailed');
		const summary = (await call(sb, 'GET', `/consignments/1/0?reference=${ref}`)).json
			.ConsignmentSummaries[0];
		expect(summary.FailedAllocationMessage).toBe(
			"The carrier rejected the destination postcode 'SW1Y 4JHH': check the address",
		);
		const cheapest = await call(sb, 'PUT', `/allocation/${ref}/allocatewithcheapestquote`);
		expect(cheapest.status).toBe(400);
		expect(await state(sb, ref)).toBe('AllocationFailed');
		// Foreign postcodes are not the UK carriers' business.
		const paris = await create(sb, international('FR', 20));
		expect((await call(sb, 'PUT', `/allocation/${paris}/allocatewithcheapestquote`)).status).toBe(
			200,
		);
	});

	test('allocate with cheapest quote, and AllocationFailed when nothing qualifies', async () => {
		const ref = await create(sb);
		const cheapest = (await call(sb, 'GET', `/quotes/consignment/${ref}`)).json.Quotes[0];
		const r = await call(sb, 'PUT', `/allocation/${ref}/allocatewithcheapestquote`);
		expect(r.status).toBe(200);
		expect(r.json[0].CarrierServiceReference).toBe(cheapest.MpdCarrierServiceReference);
		const none = minimal();
		none.Packages[0].Weight.Value = 5000; // nothing carries 5 t in one package
		const n = await create(sb, none);
		const f = await call(sb, 'PUT', `/allocation/${n}/allocatewithcheapestquote`);
		expect(f.status).toBe(400);
		expect(f.json.Details.length).toBeGreaterThan(0);
		expect(await state(sb, n)).toBe('AllocationFailed');
	});

	test('cancelled is final', async () => {
		const ref = await create(sb);
		await allocate(sb, ref);
		expect((await call(sb, 'PUT', `/consignments/${ref}/cancel`)).status).toBe(200);
		expect(await state(sb, ref)).toBe('Cancelled');
		await expectStateError('PUT', `/consignments/${ref}/cancel`, 'Cancelled');
		await expectStateError('PUT', `/consignments/${ref}/deallocate`, 'Cancelled');
		await expectStateError('GET', `/labels/${ref}/PDF`, 'Cancelled');
		await expectStateError('GET', `/quotes/consignment/${ref}`, 'Cancelled');
		await expectStateError('PUT', `/allocation/${ref}/allocatewithcheapestquote`, 'Cancelled');
		await expectStateError('PUT', '/consignments/setreadytoship', 'Cancelled', [ref]);
		const m = await call(sb, 'PUT', '/consignments/manifest', { ConsignmentReferences: [ref] });
		expect(m.status).toBe(200);
		expect(m.json[0]).toMatchObject({ IsSuccess: false, Data: ref });
		expect(m.json[0].Message).toContain('Cancelled');
		expect(await state(sb, ref)).toBe('Cancelled');
	});

	test('deallocate returns to Unallocated and clears the allocation; not from Unallocated', async () => {
		const ref = await create(sb);
		await expectStateError('PUT', `/consignments/${ref}/deallocate`, 'Unallocated');
		await allocate(sb, ref);
		await call(sb, 'GET', `/labels/${ref}/PDF`);
		const r = await call(sb, 'PUT', `/consignments/${ref}/deallocate`);
		expect(r.status).toBe(200);
		expect(r.text).toBe('');
		const c = (await call(sb, 'GET', `/consignments/${ref}`)).json;
		expect(c.ConsignmentState).toBe('Unallocated');
		expect(c.Allocation).toBeNull();
		expect(c.ConsignmentLegs).toEqual([]);
		expect(c.LabelsPrinted).toBe(false);
		await expectStateError('GET', `/labels/${ref}/PDF`, 'Unallocated');
		// ... and can be allocated again.
		await allocate(sb, ref);
		expect(await state(sb, ref)).toBe('Allocated');
	});

	test('ready to ship: Allocated <-> ReadyToShip, all-or-nothing batches', async () => {
		const a = await create(sb);
		const b = await create(sb);
		await allocate(sb, a);
		const bad = await expectStateError('PUT', '/consignments/setreadytoship', 'Unallocated', [
			a,
			b,
		]);
		expect(bad.json.Details.map((d: any) => d.Target)).toEqual(['[1]']);
		expect(await state(sb, a)).toBe('Allocated');
		const ok = await call(sb, 'PUT', '/consignments/setreadytoship', [a]);
		expect(ok.status).toBe(200);
		expect(ok.json[0]).toMatchObject({ IsSuccess: true, Data: a });
		expect(await state(sb, a)).toBe('ReadyToShip');
		await expectStateError('PUT', '/consignments/setreadytoship', 'ReadyToShip', [a]);
		await expectStateError('PUT', `/consignments/${a}/deallocate`, 'ReadyToShip');
		expect((await call(sb, 'PUT', '/consignments/setnotreadytoship', [a])).status).toBe(200);
		expect(await state(sb, a)).toBe('Allocated');
		await expectStateError('PUT', '/consignments/setnotreadytoship', 'Allocated', [a]);
		const missing = await call(sb, 'PUT', '/consignments/setreadytoship', ['EC-ZZZ-ZZZ-ZZZ']);
		expect(missing.status).toBe(400);
		expect((await call(sb, 'PUT', '/consignments/setreadytoship', { refs: [a] })).status).toBe(400);
	});

	test('manifest by references: manifestable states only, ManifestFailed can be retried', async () => {
		const ok = await create(sb);
		const rts = await create(sb);
		const un = await create(sb);
		const failing = await create(
			sb,
			minimal({ ConsignmentReferenceProvidedByCustomer: FAIL_MANIFEST_MARK }),
		);
		for (const r of [ok, rts, failing]) await allocate(sb, r);
		await call(sb, 'PUT', '/consignments/setreadytoship', [rts]);
		const m = await call(sb, 'PUT', '/consignments/manifest', {
			ConsignmentReferences: [ok, rts, un, failing, 'EC-ZZZ-ZZZ-ZZZ'],
		});
		expect(m.status).toBe(200);
		expect(m.json.map((x: any) => [x.Data, x.IsSuccess])).toEqual([
			[ok, true],
			[rts, true],
			[un, false],
			[failing, false],
			['EC-ZZZ-ZZZ-ZZZ', false],
		]);
		for (const x of m.json)
			expect(Object.keys(x).sort()).toEqual(['ApiLinks', 'Data', 'IsSuccess', 'Message']);
		expect(await state(sb, ok)).toBe('Manifested');
		expect(await state(sb, rts)).toBe('Manifested');
		expect(await state(sb, un)).toBe('Unallocated');
		expect(await state(sb, failing)).toBe('ManifestFailed');
		// ManifestFailed: labels still available, and a second manifest succeeds.
		expect((await call(sb, 'GET', `/labels/${failing}/PDF`)).status).toBe(200);
		const again = await call(sb, 'PUT', '/consignments/manifest', {
			ConsignmentReferences: [failing],
		});
		expect(again.json[0].IsSuccess).toBe(true);
		// Manifested: not again, but deallocate and cancel are allowed.
		const twice = await call(sb, 'PUT', '/consignments/manifest', { ConsignmentReferences: [ok] });
		expect(twice.json[0].IsSuccess).toBe(false);
		expect((await call(sb, 'PUT', `/consignments/${ok}/deallocate`)).status).toBe(200);
		expect((await call(sb, 'PUT', `/consignments/${rts}/cancel`)).status).toBe(200);
		expect((await call(sb, 'PUT', '/consignments/manifest', {})).status).toBe(400);
	});

	test('unknown consignments are 404 with the error body', async () => {
		for (const [m, p] of [
			['GET', '/consignments/EC-ZZZ-ZZZ-ZZZ'],
			['GET', '/quotes/consignment/EC-ZZZ-ZZZ-ZZZ'],
			['PUT', '/consignments/EC-ZZZ-ZZZ-ZZZ/cancel'],
			['GET', '/labels/EC-ZZZ-ZZZ-ZZZ/PDF'],
			['GET', '/consignments/docs/EC-ZZZ-ZZZ-ZZZ'],
		]) {
			const r = await call(sb, m, p);
			expect(r.status).toBe(404);
			expect(r.json.Message).toContain('EC-ZZZ-ZZZ-ZZZ');
			expect(r.json.CorrelationId).toBeTruthy();
		}
	});
});

describe('quotes', () => {
	test('unknown, foreign and expired quotes are refused', async () => {
		const a = await create(sb);
		const b = await create(sb);
		const qa = (await call(sb, 'GET', `/quotes/consignment/${a}`)).json.Quotes[0];
		const unknown = await call(
			sb,
			'PUT',
			`/allocation/${a}/allocatewithquote/00000000-0000-4000-8000-000000000000`,
		);
		expect(unknown.status).toBe(404);
		expect(unknown.json.Message).toMatch(/not found/);
		const foreign = await call(
			sb,
			'PUT',
			`/allocation/${b}/allocatewithquote/${qa.QuoteReference}`,
		);
		expect(foreign.status).toBe(400);
		expect(foreign.json.Message).toContain(`belongs to consignment ${a}`);
		expect(await state(sb, b)).toBe('Unallocated');
		const notGuid = await call(sb, 'PUT', `/allocation/${a}/allocatewithquote/cheapest-please`);
		expect(notGuid.status).toBe(400);
		sb.advanceClock(60 * 60 * 1000 + 1000);
		const expired = await call(
			sb,
			'PUT',
			`/allocation/${a}/allocatewithquote/${qa.QuoteReference}`,
		);
		expect(expired.status).toBe(400);
		expect(expired.json.Code).toBe('QuoteExpired');
		expect(expired.json.Message).toMatch(/expired/);
		expect(await state(sb, a)).toBe('Unallocated');
		// A fresh quote works.
		const fresh = (await call(sb, 'GET', `/quotes/consignment/${a}`)).json.Quotes[0];
		expect(fresh.QuoteReference).not.toBe(qa.QuoteReference);
		expect(
			(
				await call(
					sb,
					'PUT',
					`/allocation/${a}/allocatewithquote/${fresh.QuoteReference.toUpperCase()}`,
				)
			).status,
		).toBe(200);
	});

	test('quote references are reproducible with the same seed', async () => {
		const refsOf = async (s: Sandbox) => {
			const r = await create(s);
			return (await call(s, 'GET', `/quotes/consignment/${r}`)).json.Quotes.map(
				(q: any) => q.QuoteReference,
			);
		};
		const other = await startSandbox({ seed: 7, now: () => NOW });
		const third = await startSandbox({ seed: 8, now: () => NOW });
		try {
			const mine = await refsOf(sb);
			expect(await refsOf(other)).toEqual(mine);
			expect(await refsOf(third)).not.toEqual(mine);
		} finally {
			await other.close();
			await third.close();
		}
	});

	test('unqualified services with weight, destination and date reasons', async () => {
		const reasonsFor = async (body: any) => {
			const ref = await create(sb, body);
			const q = (await call(sb, 'GET', `/quotes/consignment/${ref}`)).json;
			const m = new Map<string, string>(
				q.UnqualifiedServices.map((u: any) => [u.MpdCarrierServiceReference, u.ExclusionReason]),
			);
			for (const u of q.UnqualifiedServices)
				expect(Object.keys(u).sort()).toEqual([
					'Available',
					'ExclusionReason',
					'MpdCarrierService',
					'MpdCarrierServiceReference',
					'Rates',
				]);
			return { m, q };
		};
		// Domestic 0.5 kg: pallets too light, international services wrong route, Saturday not on a Tuesday.
		const dom = await reasonsFor(minimal());
		expect(dom.m.get('MPD_PWNEXTDAYPALLET')).toBe(REASON_WEIGHT);
		expect(dom.m.get('MPD_DHLEXPRESSWW')).toBe(REASON_ADDRESSES);
		expect(dom.m.get('MPD_DPDSATURDAY')).toBe(REASON_DATES);
		// Saturday delivery qualifies when shipping on a Friday.
		const fri = await reasonsFor(minimal({ ShippingDate: '2030-03-08T09:00:00Z' }));
		expect(fri.m.has('MPD_DPDSATURDAY')).toBe(false);
		const sat = fri.q.Quotes.find((q: any) => q.MpdCarrierServiceReference === 'MPD_DPDSATURDAY');
		expect(new Date(sat.EarliestDeliveryDate + 'Z').getUTCDay()).toBe(6);
		// 25 kg: Royal Mail (20 kg) out, DPD (30 kg) in.
		const heavy = minimal();
		heavy.Packages[0].Weight.Value = 25;
		const h = await reasonsFor(heavy);
		expect(h.m.get('MPD_RMDTPS24')).toBe(REASON_WEIGHT);
		expect(h.m.has('MPD_DPDNEXTDAY')).toBe(false);
		// Volumetric weight counts: a light but huge box.
		const bulky = minimal();
		bulky.Packages[0].Dimensions = { Unit: 'Cm', Width: 50, Length: 55, Height: 50 }; // 27.5 kg volumetric
		expect((await reasonsFor(bulky)).m.get('MPD_RMDTPS24')).toBe(REASON_WEIGHT);
		// 120 kg on one package: pallets qualify, parcels do not.
		const pallet = minimal();
		pallet.Packages[0] = {
			...pallet.Packages[0],
			Weight: { Value: 120, Unit: 'Kg' },
			Dimensions: { Unit: 'Cm', Width: 80, Length: 120, Height: 100 },
		};
		const p = await reasonsFor(pallet);
		expect(p.m.has('MPD_PWNEXTDAYPALLET')).toBe(false);
		expect(p.m.get('MPD_DPDNEXTDAY')).toBe(REASON_WEIGHT);
		// International: domestic services unqualified by address; 3 kg is over RM international's 2 kg.
		const intl = await reasonsFor(international('US', 20, 3));
		expect(intl.m.get('MPD_RMDTPS24')).toBe(REASON_ADDRESSES);
		expect(intl.m.get('MPD_RMINTLTRACKEDSIGNED')).toBe(REASON_WEIGHT);
		expect(intl.m.get('MPD_DHLECONOMYSELECT')).toBe(REASON_ADDRESSES); // Europe only
		expect(intl.q.Quotes.map((q: any) => q.MpdCarrierServiceReference)).toContain(
			'MPD_DHLEXPRESSWW',
		);
		// Past shipping date and a required delivery date too early.
		const past = await reasonsFor(minimal({ ShippingDate: '2030-03-01T00:00:00Z' }));
		expect(past.q.Quotes).toHaveLength(0);
		expect(past.q.Message).toBeTruthy();
		expect([...past.m.values()].every((r) => r.includes(REASON_DATES))).toBe(true);
		const rush = await reasonsFor(minimal({ RequiredDeliveryDate: '2030-03-06T00:00:00Z' }));
		expect(rush.m.get('MPD_RMDTPS48HNAST')).toBe(REASON_DATES); // 48h cannot arrive tomorrow
		expect(rush.m.has('MPD_RMDTPS24')).toBe(false);
		// Combined reasons are joined.
		const both = await reasonsFor(international('US', 20, 25));
		expect(both.m.get('MPD_RMDTPS24')).toBe(`${REASON_ADDRESSES} ${REASON_WEIGHT}`);
	});
});

describe('manifest from query', () => {
	test('applies every filter and reports the documented message', async () => {
		const mk = async (
			opts: {
				loc?: string;
				ship?: string;
				service?: string;
				print?: boolean;
				ready?: boolean;
				mark?: string;
			} = {},
		) => {
			const b = minimal({
				ShippingDate: opts.ship ?? '2030-03-05T00:00:00Z',
				ConsignmentReferenceProvidedByCustomer: opts.mark ?? '',
			});
			if (opts.loc) b.Addresses[0].ShippingLocationReference = opts.loc;
			const ref = await create(sb, b);
			await allocate(sb, ref, opts.service ?? 'MPD_DPDNEXTDAY');
			if (opts.print) await call(sb, 'GET', `/labels/${ref}/PDF`);
			if (opts.ready) await call(sb, 'PUT', '/consignments/setreadytoship', [ref]);
			return ref;
		};
		const run = async (q: unknown) => {
			const r = await call(sb, 'PUT', '/consignments/manifestFromQuery', q);
			expect(r.status).toBe(200);
			return r.json;
		};
		const leeds = await mk({ loc: 'LDS_Warehouse' });
		const unprinted = await mk();
		const printed = await mk({ print: true });
		const rm = await mk({ service: 'MPD_RMDTPS24' });
		const wed = await mk({ ship: '2030-03-06T00:00:00Z' });
		const later = await mk({ ship: '2030-03-12T00:00:00Z' });
		const ready = await mk({ ready: true });
		const failing = await mk({ mark: FAIL_MANIFEST_MARK, loc: 'BHM_Returns' });
		const unallocated = await create(sb, minimal({ ShippingDate: '2030-03-05T00:00:00Z' }));

		expect(await run({ ShippingLocationReferences: ['LDS_Warehouse'] })).toEqual({
			Message:
				'Query found 1 consignment(s). 1 successfully queued to manifest. 0 failed to be added to the queue',
			FailedConsignments: [],
		});
		expect(await state(sb, leeds)).toBe('Manifested');
		expect((await run({ Carriers: ['royal_mail'] })).Message).toMatch(/^Query found 1 consignment/);
		expect(await state(sb, rm)).toBe('Manifested');
		expect((await run({ LabelsPrinted: true })).Message).toMatch(/^Query found 1 consignment/);
		expect(await state(sb, printed)).toBe('Manifested');
		expect((await run({ States: ['ReadyToShip'] })).Message).toMatch(/^Query found 1 consignment/);
		expect(await state(sb, ready)).toBe('Manifested');
		expect((await run({ ShippingDate: '2030-03-06' })).Message).toMatch(
			/^Query found 1 consignment/,
		);
		expect(await state(sb, wed)).toBe('Manifested');
		const ranged = await run({ ShippingDateRanges: [{ From: '2030-03-10', To: '2030-03-20' }] });
		expect(ranged.Message).toMatch(/^Query found 1 consignment/);
		expect(await state(sb, later)).toBe('Manifested');
		const fail = await run({ ShippingLocationReferences: ['BHM_Returns'] });
		expect(fail).toEqual({
			Message:
				'Query found 1 consignment(s). 0 successfully queued to manifest. 1 failed to be added to the queue',
			FailedConsignments: [failing],
		});
		expect(await state(sb, failing)).toBe('ManifestFailed');
		// No filters (POST is accepted too): everything manifestable left.
		const rest = await call(sb, 'POST', '/consignments/manifestFromQuery', {});
		expect(rest.json.Message).toBe(
			'Query found 2 consignment(s). 2 successfully queued to manifest. 0 failed to be added to the queue',
		);
		expect(await state(sb, unprinted)).toBe('Manifested');
		expect(await state(sb, failing)).toBe('Manifested');
		expect(await state(sb, unallocated)).toBe('Unallocated');
		expect((await run({})).Message).toMatch(/^Query found 0 consignment/);
	});

	test('bad filters are 400 with Details', async () => {
		const bad = async (q: unknown, target: string) => {
			const r = await call(sb, 'PUT', '/consignments/manifestFromQuery', q);
			expect(r.status).toBe(400);
			expect(r.json.Details.map((d: any) => d.Target)).toContain(target);
		};
		await bad({ States: ['Unallocated'] }, 'States[0]');
		await bad({ States: ['Sleeping'] }, 'States[0]');
		await bad({ States: 'Allocated' }, 'States');
		await bad({ LabelsPrinted: 'yes' }, 'LabelsPrinted');
		await bad({ ShippingDate: 'soon' }, 'ShippingDate');
		await bad({ ShippingDateRanges: [{ From: '2030-03-10' }] }, 'ShippingDateRanges[0].To');
		await bad(
			{ ShippingDateRanges: [{ From: '2030-03-10', To: '2030-03-01' }] },
			'ShippingDateRanges[0]',
		);
		await bad({ Carriers: [1] }, 'Carriers');
	});
});
