import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../../harness/electio';
import { refs } from '../support';

const h = useElectio({ seed: 31, tracking: { failureRate: 0 } });
const tracking = { resource: 'tracking', operation: 'getEvents' };

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
			perLeg: require('../../fixtures/electio-api-examples/get-tracking.response.json'),
			flattened: require('../../fixtures/electio-api-examples/get-tracking-flattened.response.json'),
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
