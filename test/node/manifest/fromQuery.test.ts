import { useElectio } from '../../../harness/electio';

const h = useElectio({ seed: 11 });
const { electio } = h;
const allocated = h.allocated;

describe('manifest: from query', () => {
	test('once per execution, with the query from the fields; only the matching consignments move', async () => {
		const references = await allocated(3);
		// Only the first two get labels, and the query asks for labelled ones.
		await electio(
			{ resource: 'label', operation: 'get', labelFormat: 'PDF' },
			references.slice(0, 2).map((consignmentReference) => ({ consignmentReference })),
		);
		const { items } = await electio(
			{
				resource: 'manifest',
				operation: 'fromQuery',
				states: ['Allocated'],
				labelsPrinted: 'true',
				shippingLocationReferences: ['Sorted1'],
			},
			references.map((consignmentReference) => ({ consignmentReference })),
		);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ found: 2, queued: 2, failed: 0, failedConsignments: [] });
		expect(items[0].json.query).toEqual({
			ShippingLocationReferences: ['Sorted1'],
			States: ['Allocated'],
			LabelsPrinted: true,
		});
		expect(items[0].json.consignmentReferences).toEqual(references);
		expect(
			references.map((reference) => h.sandbox.getConsignment(reference)!.ConsignmentState),
		).toEqual(['Manifested', 'Manifested', 'Allocated']);
		const calls = h.sandbox
			.requests()
			.filter((entry) => entry.path === '/consignments/manifestFromQuery');
		expect(calls).toHaveLength(1);
	});

	test('no matching consignment is a result, not an error', async () => {
		const { items, error } = await electio({
			resource: 'manifest',
			operation: 'fromQuery',
			carriers: ['NO_SUCH_CARRIER'],
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ found: 0, queued: 0, failed: 0 });
	});
});
