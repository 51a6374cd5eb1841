/**
 * Manifest > From Query fails as every other operation does: the error the user sees keeps
 * Electio's field problems, the node's hint, the HTTP code and the correlation ID, whether the
 * node stops or Continue On Fail turns it into an item.
 */
import { useElectio } from '../../../harness/electio';

const h = useElectio({ seed: 41 });

const fromQuery = { resource: 'manifest', operation: 'fromQuery', states: ['Allocated'] };

/** Electio refuses the next manifest-from-query call for a state, naming the field. */
const refuseManifest = (times = 1) =>
	h.sandbox.failNext({
		method: 'PUT',
		path: '/consignments/manifestFromQuery',
		status: 400,
		times,
		body: {
			Code: 'InvalidState',
			Message: 'Consignments in state Unallocated cannot be manifested',
			CorrelationId: 'corr-manifest-41',
			Details: [{ Target: 'States', Message: 'Unallocated is not manifestable' }],
		},
	});

describe('manifest: from query, when Electio refuses', () => {
	test('once for all items: the error keeps the field problem, the hint, the code and the correlation ID', async () => {
		refuseManifest();
		const { items, error } = await h.electio(fromQuery, [{}, {}]);
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			'Electio PUT /consignments/manifestFromQuery failed with 400: Consignments in state Unallocated cannot be manifested',
		);
		expect(error?.httpCode).toBe('400');
		expect(error?.description).toContain('- States: Unallocated is not manifestable');
		expect(error?.description).toContain('use Consignment > Get to see its state');
		expect(error?.description).toContain('corr-manifest-41');
		expect(error?.context?.itemIndex).toBe(0);
	});

	test('once per item: the same facts, on the item that failed', async () => {
		refuseManifest();
		const { error } = await h.electio({ ...fromQuery, runMode: 'perItem' }, [{}]);
		expect(error?.httpCode).toBe('400');
		expect(error?.description).toContain('- States: Unallocated is not manifestable');
		expect(error?.description).toContain('use Consignment > Get to see its state');
	});

	test('with Continue On Fail: one error item for the batch, paired to every input, with the same facts', async () => {
		refuseManifest();
		const { items, error } = await h.electio(fromQuery, [{}, {}], true);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toMatchObject({
			httpCode: 400,
			correlationId: 'corr-manifest-41',
			details: [{ field: 'States', message: 'Unallocated is not manifestable' }],
		});
		expect(items[0].json.errorDescription).toContain('use Consignment > Get to see its state');
	});

	test('a bad field stops the run before any call, as the same input error in both modes', async () => {
		const badDate = { ...fromQuery, shippingDateFilter: 'date', shippingDate: 'not a date' };
		const once = await h.electio(badDate, [{}]);
		const perItem = await h.electio({ ...badDate, runMode: 'perItem' }, [{}]);
		expect(once.error?.message).toBe('Item 0: "Date" must be a date, got "not a date"');
		expect(once.error?.context?.itemIndex).toBe(0);
		// The user's input, not Electio's answer: not re-labelled as an API error in either mode.
		expect(once.error?.name).not.toBe('NodeApiError');
		expect(once.error?.name).toBe(perItem.error?.name);
		expect(once.error?.message).toBe(perItem.error?.message);
		expect(h.requests().filter((entry) => entry.path.includes('manifestFromQuery'))).toEqual([]);
	});
});
