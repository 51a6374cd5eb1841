import { useElectio } from '../../../harness/electio';

const h = useElectio({ seed: 11 });
const { electio } = h;
const createConsignments = h.created;

describe('consignment: cancel', () => {
	test('get returns the consignment with its state; cancel makes it Cancelled, and cancelling again is an error', async () => {
		const [reference] = await createConsignments(1);
		const got = await electio({ resource: 'consignment', operation: 'get' }, [
			{ consignmentReference: reference },
		]);
		expect(got.items[0].json).toMatchObject({
			consignmentReference: reference,
			state: 'Unallocated',
			Reference: reference,
		});

		const cancelled = await electio({ resource: 'consignment', operation: 'cancel' }, [
			{ consignmentReference: reference },
		]);
		expect(cancelled.items[0].json).toEqual({
			consignmentReference: reference,
			state: 'Cancelled',
			cancelled: true,
		});
		expect(h.sandbox.getConsignment(reference)!.ConsignmentState).toBe('Cancelled');

		const again = await electio(
			{ resource: 'consignment', operation: 'cancel' },
			[{ consignmentReference: reference }],
			true,
		);
		expect(again.items).toHaveLength(1);
		expect(again.items[0].json.consignmentReference).toBe(reference);
		expect(again.items[0].json.error).toMatch(
			/^Electio PUT \/consignments\/EC-[\w-]+\/cancel failed with 4\d\d: .*Cancelled/,
		);
	});
});
