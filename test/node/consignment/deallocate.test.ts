import { useElectio } from '../../../harness/electio';
import { refs, sandboxShorthands } from '../support';

const h = useElectio({ seed: 32 });
const { state, callsTo, loseAnswerOf } = sandboxShorthands(h);
const deallocate = { resource: 'consignment', operation: 'deallocate' };
const manifest = { resource: 'manifest', operation: 'byReferences' };
const cheapest = { resource: 'allocation', operation: 'allocateWithCheapestQuote' };

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
