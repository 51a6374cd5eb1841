import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../../harness/electio';
import { consignmentBody } from '../../../harness/fixtures/consignments';
import { example, refs, sandboxShorthands } from '../support';

const h = useElectio({ seed: 32 });
const { state, loseAnswerOf } = sandboxShorthands(h);
const cheapest = { resource: 'allocation', operation: 'allocateWithCheapestQuote' };

describe('allocation: allocate with cheapest quote', () => {
	test('one call allocates to the cheapest service, with carrier and tracking numbers as Allocate With Quote gives them', async () => {
		const [reference, twin] = await h.created(2);
		const { items, error } = await h.electio(cheapest, refs([reference]));
		expect(error).toBeUndefined();
		expect(h.requests().filter((entry) => entry.method === 'PUT')).toHaveLength(1);
		const stored = h.sandbox.getConsignment(reference)!;
		expect(items[0].json).toEqual({
			consignmentReference: reference,
			state: 'Allocated',
			carrier: stored.CarrierName,
			carrierReference: stored.CarrierReference,
			service: stored.CarrierServiceName,
			serviceReference: stored.CarrierServiceReference,
			trackingNumber: stored.TrackingReferences[0],
			trackingReferences: stored.TrackingReferences,
			description: expect.stringContaining('successfully allocated'),
		});
		const viaQuotes = await h.electio(
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
			refs([twin]),
		);
		expect(viaQuotes.items[0].json.serviceReference).toBe(items[0].json.serviceReference);
	});

	test('an answer as a single object (not a list) is read the same', async () => {
		const [reference] = await h.created(1);
		const [summary] = example('allocation-summary.response.json') as IDataObject[];
		h.sandbox.failNext({
			method: 'PUT',
			path: `/allocation/${reference}/allocatewithcheapestquote`,
			status: 200,
			body: summary,
		});
		const { items } = await h.electio(cheapest, refs([reference]));
		expect(items[0].json).toMatchObject({
			consignmentReference: reference,
			carrier: 'Carrier X',
			service: 'Next Day Super',
			trackingNumber: 'TRK00009823',
		});
	});

	test('already allocated: its allocation by default, else the error; unknown and failing ones pair with Continue On Fail', async () => {
		const [allocated] = await h.allocated(1);
		const existing = await h.electio(cheapest, refs([allocated]));
		expect(existing.items[0].json).toMatchObject({
			consignmentReference: allocated,
			alreadyAllocated: true,
			labelsPrinted: false,
		});
		const refused = await h.electio(
			{ ...cheapest, returnExistingAllocation: false },
			refs([allocated]),
		);
		expect(refused.error?.message).toMatch(/allocatewithcheapestquote failed with 400/);

		const { items: failing } = await h.electio(
			{ resource: 'consignment', operation: 'create', inputMode: 'json' },
			[consignmentBody('SANDBOX-FAIL-ALLOCATION-1')],
		);
		const { items } = await h.electio(
			cheapest,
			[
				{ consignmentReference: 'EC-000-000-404' },
				...refs([failing[0].json.consignmentReference as string]),
			],
			true,
		);
		expect(items.map((item) => [item.json.httpCode, item.pairedItem])).toEqual([
			[404, { item: 0 }],
			[400, { item: 1 }],
		]);
		expect(state(failing[0].json.consignmentReference as string)).toBe('AllocationFailed');
	});

	test('an answer lost after Electio allocated: the consignment is read back, not allocated twice', async () => {
		const [reference] = await h.created(1);
		loseAnswerOf(`/allocation/${reference}/allocatewithcheapestquote`);
		const { items, error } = await h.electio(cheapest, refs([reference]));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			consignmentReference: reference,
			state: 'Allocated',
			recoveredAfterLostResponse: true,
			trackingNumber: h.sandbox.getConsignment(reference)!.TrackingReferences[0],
		});
		expect(
			h.sandbox.getConsignment(reference)!.history.filter((change) => change.state === 'Allocated'),
		).toHaveLength(1);
	});
});
