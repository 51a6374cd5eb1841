/**
 * After the manifest (#11), changing: Consignment → Deallocate, Set Ready To Ship / Set Not Ready
 * To Ship, Manifest → By References (one call per run, each reference's outcome matched by Data)
 * and Allocation → Allocate With Cheapest Quote, against the sandbox, with bad input and Continue
 * On Fail pairing.
 */
import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../harness/electio';
import { consignmentBody } from '../../harness/fixtures/consignments';

const h = useElectio({ seed: 32 });

const refs = (references: string[]) =>
	references.map((consignmentReference) => ({ consignmentReference }));
const state = (reference: string) => h.sandbox.getConsignment(reference)?.ConsignmentState;
const deallocate = { resource: 'consignment', operation: 'deallocate' };
const ready = { resource: 'consignment', operation: 'setReadyToShip' };
const notReady = { resource: 'consignment', operation: 'setNotReadyToShip' };
const manifest = { resource: 'manifest', operation: 'byReferences' };
const cheapest = { resource: 'allocation', operation: 'allocateWithCheapestQuote' };
const example = (name: string) => require(`../fixtures/electio-api-examples/${name}`);

/** Electio acts on the next PUT to `path`, and its answer is lost on the way back. */
const loseAnswerOf = (path: string) =>
	h.sandbox.failNext({ method: 'PUT', path, drop: true, afterHandling: true });

/** The calls the sandbox saw to a path, with their bodies' references when they are lists. */
const callsTo = (path: string) => h.requests().filter((entry) => entry.path === path);

describe('consignment: deallocate', () => {
	test('an allocated or manifested consignment becomes Unallocated and can be allocated again', async () => {
		const [allocated, manifested] = await h.allocated(2);
		await h.electio(manifest, refs([manifested]));
		expect(state(manifested)).toBe('Manifested');
		const { items, error } = await h.electio(deallocate, refs([allocated, manifested]));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			{ consignmentReference: allocated, state: 'Unallocated', deallocated: true },
			{ consignmentReference: manifested, state: 'Unallocated', deallocated: true },
		]);
		expect([state(allocated), state(manifested)]).toEqual(['Unallocated', 'Unallocated']);
		const again = await h.electio(cheapest, refs([allocated]));
		expect(again.items[0].json.state).toBe('Allocated');
	});

	test('refused for its state: an error naming the state; with Continue On Fail only that item, paired', async () => {
		const [allocated] = await h.allocated(1);
		const [unallocated] = await h.created(1);
		const failed = await h.electio(deallocate, refs([unallocated]));
		expect(failed.error?.message).toMatch(/deallocate failed with 400: .*Unallocated/);

		const { items } = await h.electio(deallocate, [...refs([unallocated, allocated]), {}], true);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({ consignmentReference: unallocated, httpCode: 400 });
		expect(items[1].json).toMatchObject({ consignmentReference: allocated, deallocated: true });
		expect(items[2].json.error).toBe('Item 2: "Consignment Reference" is empty');
	});

	test('an answer lost after Electio deallocated: the repeat is refused, the node reads the state and succeeds', async () => {
		const [reference] = await h.allocated(1);
		loseAnswerOf(`/consignments/${reference}/deallocate`);
		const { items, error } = await h.electio(deallocate, refs([reference]));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			consignmentReference: reference,
			state: 'Unallocated',
			recoveredAfterLostResponse: true,
		});
		expect(callsTo(`/consignments/${reference}/deallocate`).map((entry) => entry.status)).toEqual([
			0, 400,
		]);
	});
});

describe('consignment: set ready to ship / not ready to ship', () => {
	test("one call for all items' references; each item gets its outcome, and back again", async () => {
		const references = await h.allocated(3);
		const items = [...refs(references), { consignmentReference: references[0] }];
		const { items: out, error } = await h.electio(ready, items);
		expect(error).toBeUndefined();
		expect(callsTo('/consignments/setreadytoship')).toHaveLength(1);
		expect(
			out.map((item) => [item.json.consignmentReference, item.json.success, item.json.state]),
		).toEqual([
			[references[0], true, 'ReadyToShip'],
			[references[1], true, 'ReadyToShip'],
			[references[2], true, 'ReadyToShip'],
			[references[0], true, 'ReadyToShip'],
		]);
		expect(out[0].json.message).toBe('Consignment marked as Ready To Ship completed successfully');
		expect(out.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(references.map(state)).toEqual(['ReadyToShip', 'ReadyToShip', 'ReadyToShip']);

		const back = await h.electio(notReady, refs(references.slice(0, 2)));
		expect(back.items.map((item) => item.json.state)).toEqual(['Allocated', 'Allocated']);
		expect(references.map(state)).toEqual(['Allocated', 'Allocated', 'ReadyToShip']);
		expect(callsTo('/consignments/setnotreadytoship')).toHaveLength(1);
	});

	test('Electio refuses the whole list when one cannot move: that one says why, the others that they did not change', async () => {
		const [first, second] = await h.allocated(2);
		const [unallocated] = await h.created(1);
		const { items, error } = await h.electio(ready, refs([first, unallocated, second]));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.success)).toEqual([false, false, false]);
		expect(items[1].json.message).toMatch(new RegExp(`${unallocated} is in state Unallocated`));
		expect(items[0].json.message).toMatch(
			/^Not changed: Electio refused the whole list because 1 other/,
		);
		expect(items.map((item) => item.json.state)).toEqual([null, null, null]);
		expect([first, second, unallocated].map(state)).toEqual([
			'Allocated',
			'Allocated',
			'Unallocated',
		]);
		expect(callsTo('/consignments/setreadytoship')).toHaveLength(1);
	});

	test('results are matched by Data, not by position; a reference the answer leaves out is not called a success', async () => {
		const [first, second, third] = await h.allocated(3);
		h.sandbox.failNext({
			method: 'PUT',
			path: '/consignments/setreadytoship',
			status: 200,
			body: [
				{ IsSuccess: false, Message: `${second} is locked`, Data: second, ApiLinks: null },
				{ IsSuccess: true, Message: 'ok', Data: first.toLowerCase(), ApiLinks: null },
				{ IsSuccess: true, Message: 'ok', Data: 'EC-999-999-999', ApiLinks: null },
			],
		});
		const { items } = await h.electio(ready, refs([first, second, third]));
		expect(items.map((item) => [item.json.success, item.json.message])).toEqual([
			[true, 'ok'],
			[false, `${second} is locked`],
			[false, expect.stringMatching(/does not mention this reference.*Get Status/)],
		]);
	});

	test('bad input stops the node before the call; with Continue On Fail that item fails alone and the rest go in one call', async () => {
		const [reference] = await h.allocated(1);
		h.sandbox.clearRequests();
		const stopped = await h.electio(ready, [...refs([reference]), { consignmentReference: ' ' }]);
		expect(stopped.error?.message).toBe('Item 1: "Consignment Reference" is empty');
		expect(h.requests()).toHaveLength(0);

		const { items } = await h.electio(
			ready,
			[{ consignmentReference: '..', customerReference: 'ORDER-9' }, ...refs([reference])],
			true,
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toMatchObject({
			error: 'Item 0: "Consignment Reference" ".." is not a valid reference',
			customerReference: 'ORDER-9',
		});
		expect(items[1].json).toMatchObject({ consignmentReference: reference, success: true });
		expect(h.requests()).toHaveLength(1);
	});

	test('a call that fails as a whole fails every item; with Continue On Fail each item is an error paired to it', async () => {
		const references = await h.allocated(2);
		const outage = {
			method: 'PUT',
			path: '/consignments/setnotreadytoship',
			status: 503,
			times: 10,
		};
		h.sandbox.failNext(outage);
		const thrown = await h.electio(
			{ ...notReady, requestOptions: { maxRetries: 0 } },
			refs(references),
		);
		expect(thrown.error?.message).toMatch(/setnotreadytoship failed with 503/);

		h.sandbox.clearHooks();
		h.sandbox.failNext(outage);
		const { items } = await h.electio(
			{ ...notReady, requestOptions: { maxRetries: 0 } },
			refs(references),
			true,
		);
		expect(
			items.map((item) => [
				item.json.consignmentReference,
				item.json.httpCode,
				item.json.retryable,
				item.pairedItem,
			]),
		).toEqual([
			[references[0], 503, true, { item: 0 }],
			[references[1], 503, true, { item: 1 }],
		]);
	});
});

describe('manifest: by references', () => {
	test("one PUT /consignments/manifest for the run; each item's consignment Manifested or its reason", async () => {
		const allocated = await h.allocated(2);
		const [unallocated] = await h.created(1);
		const { items, error } = await h.electio(
			manifest,
			refs([allocated[0], unallocated, allocated[1]]),
		);
		expect(error).toBeUndefined();
		expect(callsTo('/consignments/manifest')).toHaveLength(1);
		expect(items.map((item) => [item.json.success, item.json.state])).toEqual([
			[true, 'Manifested'],
			[false, null],
			[true, 'Manifested'],
		]);
		expect(items[0].json.message).toMatch(/has been manifested successfully/);
		expect(items[1].json.message).toMatch(/Unallocated/);
		expect([...allocated, unallocated].map(state)).toEqual([
			'Manifested',
			'Manifested',
			'Unallocated',
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
	});

	test('a manifest that fails at the carrier is a result (success false), not an error', async () => {
		const { items: created } = await h.electio(
			{ resource: 'consignment', operation: 'create', inputMode: 'json' },
			[consignmentBody('SANDBOX-FAIL-MANIFEST-1')],
		);
		const reference = created[0].json.consignmentReference as string;
		await h.electio(cheapest, refs([reference]));
		const { items, error } = await h.electio(manifest, refs([reference]));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			consignmentReference: reference,
			success: false,
			state: null,
		});
		expect(state(reference)).toBe('ManifestFailed');
	});

	test('the documented answer, which repeats one reference, is read by Data', async () => {
		const documented = example('manifest-consignments.response.json') as IDataObject[];
		h.sandbox.failNext({
			method: 'PUT',
			path: '/consignments/manifest',
			status: 200,
			body: documented,
		});
		const { items } = await h.electio(manifest, refs(['EC-000-002-5FG', 'EC-000-002-5FH']));
		expect(items.map((item) => item.json.success)).toEqual([true, false]);
		expect(items[0].json.message).toBe(
			'Consignment EC-000-002-5FG has been manifested successfully.',
		);
	});

	test('a failed call with Continue On Fail: every item an error paired to it, bad items their own', async () => {
		const [reference] = await h.allocated(1);
		h.sandbox.failNext({
			method: 'PUT',
			path: '/consignments/manifest',
			status: 500,
			body: { Message: 'Carrier link down' },
		});
		const { items } = await h.electio(manifest, [{}, ...refs([reference])], true);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.error).toBe('Item 0: "Consignment Reference" is empty');
		expect(items[1].json).toMatchObject({
			consignmentReference: reference,
			httpCode: 500,
			error: expect.stringMatching(/Carrier link down/),
		});
		expect(state(reference)).toBe('Allocated');
	});
});

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
