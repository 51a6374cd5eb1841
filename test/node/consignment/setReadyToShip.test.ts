import { useElectio } from '../../../harness/electio';
import { refs, sandboxShorthands } from '../support';

const h = useElectio({ seed: 32 });
const { state, callsTo } = sandboxShorthands(h);
const ready = { resource: 'consignment', operation: 'setReadyToShip' };
const notReady = { resource: 'consignment', operation: 'setNotReadyToShip' };

describe('consignment: set ready to ship (and back)', () => {
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
});
