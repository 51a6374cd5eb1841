// Events (CONTRACT.md "Events (polling for changes)"): consignment events of given types and state
// changes into given states within a window. No documented example exists: the field lists
// below are the contract's [SDK] ones.
import { startSandbox, Sandbox } from '../../sandbox';
import { allocate, call, create, minimal } from './helpers';

const NOW = new Date('2030-03-05T10:00:00Z');
const MIN = 60000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const EVENT_PAYLOAD = [
	'AdditionalInformation',
	'ConsignmentReference',
	'ConsignmentReferenceProvidedByCustomer',
	'ConsignmentState',
	'EventDetails',
	'EventId',
	'Links',
];
const CONSIGNMENT_PAYLOAD = [
	'CarrierServiceName',
	'CarrierServiceReference',
	'ConsignmentLegs',
	'ConsignmentReference',
	'ConsignmentReferenceProvidedByCustomer',
	'ConsignmentState',
	'ConsignmentTrackingReference',
	'DateDelivered',
	'EarliestDeliveryDate',
	'LatestDeliveryDate',
	'Packages',
	'PickupCode',
];

let sb: Sandbox;
let a: string, b: string;
beforeAll(async () => {
	// a: created at +0, allocated at +1 min, labels at +2 min, manifested at +3 min, then
	// stepped to Delivered (+4..+7 min); b: created at +10 min, stays Unallocated.
	sb = await startSandbox({ seed: 8, now: () => NOW, tracking: { stepMs: MIN, failureRate: 0 } });
	a = await create(sb, minimal({ ConsignmentReferenceProvidedByCustomer: 'EV-A' }));
	sb.advanceClock(MIN);
	await allocate(sb, a);
	sb.advanceClock(MIN);
	await call(sb, 'GET', `/labels/${a}/PDF`);
	sb.advanceClock(MIN);
	await call(sb, 'PUT', '/consignments/manifest', { ConsignmentReferences: [a] });
	sb.advanceTracking(4);
	sb.advanceClock(3 * MIN);
	b = await create(sb, minimal({ ConsignmentReferenceProvidedByCustomer: 'EV-B' }));
});
afterAll(() => sb.close());

const span = (from: number, to: number) => ({ Start: at(from), End: at(to) });

describe('POST /events/consignments', () => {
	test('created and labels-printed events with an EventId, in the [SDK] shape, oldest first', async () => {
		const r = await call(sb, 'POST', '/events/consignments', {
			EventTypes: ['ConsignmentCreated', 'LabelsPrinted'],
			...span(0, 60 * MIN),
		});
		expect(r.status).toBe(200);
		expect(Object.keys(r.json)).toEqual(['Events']);
		const ev = r.json.Events;
		expect(ev.map((e: any) => [e.ConsignmentReference, e.EventDetails.EventType])).toEqual([
			[a, 'ConsignmentCreated'],
			[a, 'LabelsPrinted'],
			[b, 'ConsignmentCreated'],
		]);
		for (const e of ev) {
			expect(Object.keys(e).sort()).toEqual(EVENT_PAYLOAD);
			expect(e.EventId).toMatch(GUID);
			expect(Object.keys(e.EventDetails).sort()).toEqual([
				'EventDate',
				'EventDetails',
				'EventType',
				'Message',
				'User',
			]);
			expect(e.Links).toEqual([
				{ Rel: 'detail', Href: `${sb.url}/consignments/${e.ConsignmentReference}` },
			]);
		}
		expect(new Set(ev.map((e: any) => e.EventId)).size).toBe(3);
		expect(ev[1]).toMatchObject({
			ConsignmentReferenceProvidedByCustomer: 'EV-A',
			ConsignmentState: 'Allocated',
			EventDetails: { EventDate: at(2 * MIN).replace('Z', '+00:00') },
			AdditionalInformation: [{ Key: 'LabelFormat', Value: 'PDF', PropertyType: 'String' }],
		});
		expect(ev[1].EventDetails.EventDetails).toEqual([{ Detail: 'Format: PDF' }]);
		// The same question gives the same ids: a poller can de-duplicate on them.
		const again = await call(sb, 'POST', '/events/consignments', {
			EventTypes: ['ConsignmentCreated', 'LabelsPrinted'],
			...span(0, 60 * MIN),
		});
		expect(again.json).toEqual(r.json);
	});

	test('the window is inclusive at both ends and filters by type', async () => {
		const only = async (types: string[], from: number, to: number) =>
			(
				await call(sb, 'POST', '/events/consignments', { EventTypes: types, ...span(from, to) })
			).json.Events.map((e: any) => e.ConsignmentReference);
		expect(await only(['ConsignmentCreated'], 10 * MIN, 10 * MIN)).toEqual([b]);
		expect(await only(['ConsignmentCreated'], 1, 10 * MIN - 1)).toEqual([]);
		expect(await only(['labelsprinted'], 0, 60 * MIN)).toEqual([a]);
		expect(await only(['Rescheduled'], 0, 60 * MIN)).toEqual([]);
	});

	test('missing or wrong fields are 400 with every Target', async () => {
		const r = await call(sb, 'POST', '/events/consignments', {
			EventTypes: ['Created'],
			Start: 'soon',
		});
		expect(r.status).toBe(400);
		expect(r.json.Details.map((d: any) => d.Target)).toEqual(['EventTypes[0]', 'Start', 'End']);
		const reversed = await call(sb, 'POST', '/events/consignments', {
			EventTypes: ['LabelsPrinted'],
			...span(MIN, 0),
		});
		expect(reversed.status).toBe(400);
		expect(reversed.json.Message).toMatch(/Start must not be after End/);
		expect((await call(sb, 'POST', '/events/consignments')).status).toBe(400);
		expect(
			(await call(sb, 'POST', '/events/consignments', { EventTypes: [], ...span(0, 1) })).status,
		).toBe(400);
	});
});

describe('POST /events/consignments/stateevents', () => {
	test('a ConsignmentPayload per change into a wanted state within the window, in order', async () => {
		const r = await call(sb, 'POST', '/events/consignments/stateevents', {
			ConsignmentStates: ['Allocated', 'Manifested', 'Delivered', 'Unallocated'],
			...span(MIN, 60 * MIN),
		});
		expect(r.status).toBe(200);
		expect(r.json.map((p: any) => [p.ConsignmentReference, p.ConsignmentState])).toEqual([
			[a, 'Allocated'],
			[a, 'Manifested'],
			[a, 'Delivered'],
			[b, 'Unallocated'],
		]);
		for (const p of r.json) expect(Object.keys(p).sort()).toEqual(CONSIGNMENT_PAYLOAD);
		const doc = (await call(sb, 'GET', `/consignments/${a}`)).json;
		const tracking = doc.ConsignmentLegs[0].TrackingReferences;
		expect(r.json[2]).toMatchObject({
			ConsignmentReferenceProvidedByCustomer: 'EV-A',
			ConsignmentTrackingReference: tracking[0],
			Packages: [
				{
					Reference: doc.Packages[0].Reference,
					TrackingDetails: [{ Leg: 1, TrackingReference: tracking[0] }],
				},
			],
			ConsignmentLegs: [
				{
					Leg: 1,
					TrackingReferences: tracking,
					CarrierReference: doc.Allocation.CarrierReference,
					CarrierServiceReference: doc.Allocation.CarrierServiceReference,
					CarrierName: doc.Allocation.CarrierName,
				},
			],
			CarrierServiceName: doc.Allocation.CarrierServiceName,
			DateDelivered: doc.DateDelivered,
			LatestDeliveryDate: doc.LatestDeliveryDate,
		});
		expect(r.json[3]).toMatchObject({ ConsignmentTrackingReference: null, ConsignmentLegs: [] });
	});

	test('state changes are timed: the window picks them, the same answer on both paths', async () => {
		const ask = async (path: string, states: string[], from: number, to: number) =>
			(await call(sb, 'POST', path, { ConsignmentStates: states, ...span(from, to) })).json.map(
				(p: any) => `${p.ConsignmentReference}:${p.ConsignmentState}`,
			);
		const tracked = ['Collected', 'InTransit', 'OutForDelivery', 'Delivered'];
		// Collected at +4 min ... Delivered at +7 min
		expect(await ask('/events/consignments/stateevents', tracked, 5 * MIN, 6 * MIN)).toEqual([
			`${a}:InTransit`,
			`${a}:OutForDelivery`,
		]);
		expect(await ask('/events/consignmentstateevents', tracked, 5 * MIN, 6 * MIN)).toEqual([
			`${a}:InTransit`,
			`${a}:OutForDelivery`,
		]);
		expect(
			await ask('/events/consignments/stateevents', ['Lost', 'Cancelled'], 0, 60 * MIN),
		).toEqual([]);
		const bad = await call(sb, 'POST', '/events/consignments/stateevents', {
			ConsignmentStates: ['Teleported'],
			...span(0, 1),
		});
		expect(bad.status).toBe(400);
		expect(bad.json.Details[0].Target).toBe('ConsignmentStates[0]');
	});
});
