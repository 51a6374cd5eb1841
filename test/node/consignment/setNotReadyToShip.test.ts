// Set Not Ready To Ship shares Set Ready To Ship's list call: the round trip is in setReadyToShip.test.ts.
import { useElectio } from '../../../harness/electio';
import { refs } from '../support';

const h = useElectio({ seed: 32 });
const notReady = { resource: 'consignment', operation: 'setNotReadyToShip' };

describe('consignment: set not ready to ship', () => {
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
