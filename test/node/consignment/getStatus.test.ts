import { useElectio } from '../../../harness/electio';
import { refs } from '../support';

const h = useElectio({ seed: 31, tracking: { failureRate: 0 } });
const status = { resource: 'consignment', operation: 'getStatus' };

describe('consignment: get status', () => {
	test("the consignment's state and expected delivery date; an unknown one fails alone with Continue On Fail", async () => {
		const [allocated] = await h.allocated(1);
		const [created] = await h.created(1);
		const { items, error } = await h.electio(
			status,
			[...refs([allocated, created]), { consignmentReference: 'EC-000-000-404' }],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({
			consignmentReference: allocated,
			state: 'Allocated',
			Status: 'Allocated',
			expectedDeliveryDate: expect.any(String),
		});
		expect(items[1].json).toMatchObject({ state: 'Unallocated', expectedDeliveryDate: null });
		expect(items[2].json).toMatchObject({ consignmentReference: 'EC-000-000-404', httpCode: 404 });
		expect(h.requests().at(-1)!.path).toBe('/consignments/EC-000-000-404/status');

		const failed = await h.electio(status, [{ consignmentReference: 'EC-000-000-404' }]);
		expect(failed.error?.message).toMatch(
			/GET \/consignments\/EC-000-000-404\/status failed with 404/,
		);
	});

	test('follows a consignment along its journey as the sandbox delivers it', async () => {
		const [reference] = await h.manifested(1);
		const states: unknown[] = [];
		for (let step = 0; step <= 4; step++) {
			if (step) h.sandbox.advanceTracking(1);
			states.push((await h.electio(status, refs([reference]))).items[0].json.state);
		}
		expect(states).toEqual(['Manifested', 'Collected', 'InTransit', 'OutForDelivery', 'Delivered']);
	});
});
