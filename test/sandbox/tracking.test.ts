// The tracking clock: after a manifest, consignments travel Collected → InTransit →
// OutForDelivery → Delivered (a seeded share fails), stepped by hand or moving by themselves;
// GET /tracking/{ref} and /tracking/flattened/{ref} show the carrier events.
import { startSandbox, Sandbox, SandboxOptions, TRACKING_DEFAULTS } from '../../sandbox';
import { allocate, call, create, example, expectSameShape, minimal, state } from './helpers';

const NOW = new Date('2030-03-05T10:00:00Z');
const STEP = 60000;
let sb: Sandbox;
afterEach(() => sb?.close());

async function start(options: SandboxOptions = {}): Promise<Sandbox> {
	sb = await startSandbox({ seed: 21, now: () => NOW, ...options });
	return sb;
}

/** n allocated consignments, manifested in one call; returns their references. */
async function manifested(n: number, body = minimal()): Promise<string[]> {
	const refs: string[] = [];
	for (let i = 0; i < n; i++) {
		const ref = await create(sb, { ...body, ConsignmentReferenceProvidedByCustomer: `T-${i}` });
		await allocate(sb, ref);
		refs.push(ref);
	}
	const m = await call(sb, 'PUT', '/consignments/manifest', { ConsignmentReferences: refs });
	expect(m.json.every((x: any) => x.IsSuccess)).toBe(true);
	return refs;
}

const advance = (body: unknown) => call(sb, 'POST', '/__sandbox/clock/advance', body);
const events = async (ref: string) =>
	(await call(sb, 'GET', `/tracking/${ref}`)).json.TrackedPackages[0].Legs[0].Events;

describe('stepped by hand (the library default)', () => {
	test('defaults: manual, 750 ms a step, 20% fail; nothing moves by itself', async () => {
		await start({ now: undefined });
		expect(sb.trackingSettings()).toEqual({ auto: false, stepMs: 750, failureRate: 0.2 });
		expect(TRACKING_DEFAULTS).toEqual(sb.trackingSettings());
		const [ref] = await manifested(1);
		await new Promise((r) => setTimeout(r, 900));
		expect(await state(sb, ref)).toBe('Manifested');
		expect(await events(ref)).toEqual([]);
	});

	test('a delivered journey: four events stepMs apart, state changes with timestamps', async () => {
		await start({ tracking: { stepMs: STEP, failureRate: 0 } });
		const [ref] = await manifested(1);
		const r1 = await advance({ steps: 1 });
		expect(r1.status).toBe(200);
		expect(r1.json.now).toBe(new Date(NOW.getTime() + STEP).toISOString());
		expect(await state(sb, ref)).toBe('Collected');
		await advance({ steps: 3 });
		expect(await state(sb, ref)).toBe('Delivered');
		const ev = await events(ref);
		expect(ev.map((e: any) => e.Code)).toEqual([
			'COLLECTED',
			'IN_TRANSIT',
			'OUT_FOR_DELIVERY',
			'DELIVERED',
		]);
		ev.forEach((e: any, i: number) =>
			expect(e.TimeStamp).toBe(
				new Date(NOW.getTime() + (i + 1) * STEP).toISOString().replace('Z', '+00:00'),
			),
		);
		expect(ev.slice(0, 3).every((e: any) => e.SignedBy === null)).toBe(true);
		expect(ev[3].SignedBy).toBe('P. McPetersson');
		expect(ev[0].Location).toBe('Manchester');
		expect(ev[3].Description).toBe('Delivered');
		const stored = sb.getConsignment(ref)!;
		expect(stored.history.slice(-5).map((h) => [h.state, h.action, h.at])).toEqual([
			['Manifested', 'manifest', '2030-03-05T10:00:00.000+00:00'],
			['Collected', 'tracking', '2030-03-05T10:01:00.000+00:00'],
			['InTransit', 'tracking', '2030-03-05T10:02:00.000+00:00'],
			['OutForDelivery', 'tracking', '2030-03-05T10:03:00.000+00:00'],
			['Delivered', 'tracking', '2030-03-05T10:04:00.000+00:00'],
		]);
		expect(stored.trackingEvents).toEqual(ev);
		const doc = (await call(sb, 'GET', `/consignments/${ref}`)).json;
		expect(doc.DateCollected).toBe('2030-03-05T10:01:00.000+00:00');
		expect(doc.DateShipped).toBe(doc.DateCollected);
		expect(doc.DateDelivered).toBe('2030-03-05T10:04:00.000+00:00');
		const status = (await call(sb, 'GET', `/consignments/${ref}/status`)).json;
		expect(status).toMatchObject({ Status: 'Delivered', ExpectedDeliveryDate: doc.DateDelivered });
		// Finished journeys take no more steps; labels stay available, cancel does not.
		await advance({ steps: 2 });
		expect(await events(ref)).toHaveLength(4);
		expect((await call(sb, 'GET', `/labels/${ref}/PDF`)).status).toBe(200);
		const cancel = await call(sb, 'PUT', `/consignments/${ref}/cancel`);
		expect(cancel.status).toBe(400);
		expect(cancel.json.Message).toMatch(/in state Delivered/);
	});

	test('tracking bodies in the documented shapes, one entry per package', async () => {
		await start({ tracking: { stepMs: STEP, failureRate: 0 } });
		const body = minimal();
		body.Packages.push({ ...body.Packages[0] });
		const [ref] = await manifested(1, body);
		await advance({ steps: 4 });
		const byLeg = await call(sb, 'GET', `/tracking/${ref}`);
		expect(byLeg.status).toBe(200);
		expectSameShape(byLeg.json, example('get-tracking.response.json'));
		const flat = await call(sb, 'GET', `/tracking/flattened/${ref}`);
		expect(flat.status).toBe(200);
		expectSameShape(flat.json, example('get-tracking-flattened.response.json'));
		const doc = (await call(sb, 'GET', `/consignments/${ref}`)).json;
		const pkgs = doc.Packages.map((p: any) => p.Reference);
		expect(byLeg.json.ConsignmentReferenceForAllLegsAssignedByMpd).toBe(ref);
		expect(
			byLeg.json.TrackedPackages.map((p: any) => p.PackageReferenceForAllLegsAssignedByMpd),
		).toEqual(pkgs);
		expect(
			flat.json.TrackedPackages.map((p: any) => p.PackageReferenceForAllLegsAssignedByMpd),
		).toEqual(pkgs);
		const service = doc.Allocation.CarrierServiceName;
		expect(byLeg.json.TrackedPackages[1].Legs[0].CarrierServiceName).toBe(service);
		expect(flat.json.TrackedPackages[1].Events).toEqual(
			byLeg.json.TrackedPackages[1].Legs[0].Events.map((e: any) => ({
				...e,
				CarrierServiceName: service,
			})),
		);
	});

	test('before any event: empty lists; never allocated: no legs; unknown: 404', async () => {
		await start();
		const [ref] = await manifested(1);
		expect(await events(ref)).toEqual([]);
		expect(
			(await call(sb, 'GET', `/tracking/flattened/${ref}`)).json.TrackedPackages[0].Events,
		).toEqual([]);
		const un = await create(sb);
		expect((await call(sb, 'GET', `/tracking/${un}`)).json.TrackedPackages[0].Legs).toEqual([]);
		for (const p of ['/tracking/EC-ZZZ-ZZZ-ZZZ', '/tracking/flattened/EC-ZZZ-ZZZ-ZZZ'])
			expect((await call(sb, 'GET', p)).status).toBe(404);
		expect((await call(sb, 'GET', '/tracking/not-a-ref')).status).toBe(400);
	});

	test('a seeded share fails, the same for the same seed; failures end early or at the door', async () => {
		const outcomes = async (seed: number) => {
			sb = await startSandbox({
				seed,
				now: () => NOW,
				tracking: { stepMs: STEP, failureRate: 0.5 },
			});
			const refs = await manifested(16);
			await advance({ steps: 4 });
			const out: Record<string, string[]> = {};
			for (const ref of refs) out[ref] = (await events(ref)).map((e: any) => e.Code);
			const states = await Promise.all(refs.map((r) => state(sb, r)));
			await sb.close();
			return { out, states };
		};
		const first = await outcomes(3);
		const again = await outcomes(3);
		const other = await outcomes(4);
		expect(again).toEqual(first);
		expect(other.states).not.toEqual(first.states);
		expect(new Set(first.states)).toEqual(
			new Set(['Delivered', 'CollectionFailed', 'DeliveryFailed']),
		);
		for (const codes of Object.values(first.out)) {
			expect([
				'COLLECTION_FAILED',
				'COLLECTED,IN_TRANSIT,OUT_FOR_DELIVERY,DELIVERY_FAILED',
				'COLLECTED,IN_TRANSIT,OUT_FOR_DELIVERY,DELIVERED',
			]).toContain(codes.join(','));
		}
		sb = await startSandbox();
	});

	test('cancel or deallocate on the way stops the carrier', async () => {
		await start({ tracking: { stepMs: STEP, failureRate: 0 } });
		const [moving, dealloc] = await manifested(2);
		await advance({ steps: 1 });
		expect((await call(sb, 'PUT', `/consignments/${moving}/cancel`)).status).toBe(200);
		const [fresh] = await manifested(1);
		expect((await call(sb, 'PUT', `/consignments/${dealloc}/deallocate`)).status).toBe(400); // Collected
		expect((await call(sb, 'PUT', `/consignments/${fresh}/deallocate`)).status).toBe(200);
		await advance({ steps: 4 });
		expect(await state(sb, moving)).toBe('Cancelled');
		expect(await events(moving)).toHaveLength(1);
		expect(await state(sb, fresh)).toBe('Unallocated');
		expect(await state(sb, dealloc)).toBe('Delivered');
	});
});

describe('moving by itself', () => {
	test('auto on a fixed clock: steps come due as the clock is advanced, stamped when due', async () => {
		await start({ tracking: { auto: true, stepMs: STEP, failureRate: 0 } });
		const [ref] = await manifested(1);
		sb.advanceClock(STEP - 1);
		expect(await state(sb, ref)).toBe('Manifested');
		expect((await advance({ ms: 1 })).json.onTheirWay).toEqual([
			{ reference: ref, customerReference: 'T-0', stepsLeft: 3 },
		]);
		expect(await state(sb, ref)).toBe('Collected');
		sb.advanceClock(10 * STEP);
		expect(await state(sb, ref)).toBe('Delivered');
		expect((await events(ref)).map((e: any) => e.TimeStamp)).toEqual(
			[1, 2, 3, 4].map((i) =>
				new Date(NOW.getTime() + i * STEP).toISOString().replace('Z', '+00:00'),
			),
		);
		// steps in auto mode move the clock by steps × stepMs
		const [next] = await manifested(1);
		await advance({ steps: 2 });
		expect(await state(sb, next)).toBe('InTransit');
	});

	test('in real time a demo sees Delivered within a few steps after the manifest', async () => {
		sb = await startSandbox({ tracking: { auto: true, stepMs: 40, failureRate: 0 } });
		const [ref] = await manifested(1);
		const seen = new Set<string>();
		const until = Date.now() + 5000;
		while (Date.now() < until && !seen.has('Delivered')) {
			seen.add((await call(sb, 'GET', `/consignments/${ref}/status`)).json.Status);
			await new Promise((r) => setTimeout(r, 15));
		}
		expect(seen.has('Delivered')).toBe(true);
		expect(
			sb
				.getConsignment(ref)!
				.history.map((h) => h.state)
				.slice(-5),
		).toEqual(['Manifested', 'Collected', 'InTransit', 'OutForDelivery', 'Delivered']);
	});

	test('PUT /__sandbox/tracking switches modes at run time; bad settings are 400', async () => {
		await start({ tracking: { stepMs: STEP, failureRate: 0 } });
		const [ref] = await manifested(1);
		sb.advanceClock(5 * STEP);
		expect(await state(sb, ref)).toBe('Manifested'); // manual: time alone moves nothing
		const on = await call(sb, 'PUT', '/__sandbox/tracking', { auto: true });
		expect(on.json).toEqual({ auto: true, stepMs: STEP, failureRate: 0 });
		expect(await state(sb, ref)).toBe('Manifested'); // continues from now, not from the manifest
		sb.advanceClock(STEP);
		expect(await state(sb, ref)).toBe('Collected');
		for (const bad of [{ auto: 'yes' }, { stepMs: 0 }, { failureRate: 2 }, [1]])
			expect((await call(sb, 'PUT', '/__sandbox/tracking', bad)).status).toBe(400);
		for (const bad of [{}, { steps: -1 }, { steps: 1, ms: 5 }, { ms: 'x' }])
			expect((await advance(bad)).status).toBe(400);
		expect(sb.trackingSettings()).toEqual({ auto: true, stepMs: STEP, failureRate: 0 });
		const clock = await call(sb, 'GET', '/__sandbox/clock');
		expect(clock.json.tracking).toEqual(sb.trackingSettings());
		expect(clock.json.now).toBe(sb.now().toISOString());
		sb.reset();
		expect((await call(sb, 'GET', '/__sandbox/clock')).json.onTheirWay).toEqual([]);
	});
});

test('tracking states are searchable', async () => {
	await start({ tracking: { stepMs: STEP, failureRate: 0 } });
	const [a, b] = await manifested(2);
	await advance({ steps: 4 });
	const [c] = await manifested(1);
	await advance({ steps: 1 });
	const refs = async (q: string) =>
		(await call(sb, 'GET', `/consignments/getConsignmentReferences?${q}`)).json;
	expect(await refs('state=delivered')).toEqual([b, a]);
	expect(await refs('state=Collected')).toEqual([c]);
	expect(await refs(`shippedDateFrom=${new Date(NOW.getTime() + 5 * STEP).toISOString()}`)).toEqual(
		[c],
	);
	const summary = (await call(sb, 'GET', `/consignments/10/0?reference=${a}`)).json
		.ConsignmentSummaries[0];
	expect(summary).toMatchObject({
		State: 'Delivered',
		ShippedDate: '2030-03-05T10:01:00.000+00:00',
		DeliveryDate: '2030-03-05T10:04:00.000+00:00',
	});
});
