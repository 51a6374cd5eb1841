import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../../harness/electio';
import { consignmentBody } from '../../../harness/fixtures/consignments';
import { example, refs, sandboxShorthands } from '../support';

const h = useElectio({ seed: 32 });
const { state, callsTo } = sandboxShorthands(h);
const manifest = { resource: 'manifest', operation: 'byReferences' };
const cheapest = { resource: 'allocation', operation: 'allocateWithCheapestQuote' };

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
