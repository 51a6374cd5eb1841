/**
 * The never-twice create (helpers/createOnce.ts) through Consignment > Create: an order, known by
 * its customer reference, ends with exactly one live consignment whatever happens around the
 * create (a second process, two earlier consignments, a lost answer while the search lags).
 */
import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../../harness/electio';
import { consignmentBody } from '../../../harness/fixtures/consignments';

const h = useElectio({ seed: 52 });

const create = { resource: 'consignment', operation: 'create', inputMode: 'json' };
const createAnother = { ...create, ifCustomerReferenceExists: 'createAnother' };

const posts = () => h.requests().filter((entry) => entry.method === 'POST');
const stateOf = (reference: unknown) =>
	h.sandbox.getConsignment(reference as string)?.ConsignmentState;
const live = (customerReference: string) =>
	(h.sandbox.consignmentsByCustomerReference()[customerReference] ?? []).filter(
		(reference) => stateOf(reference) !== 'Cancelled',
	);

/** The next `times` look-ups of an order find nothing, as when Electio's search lags behind. */
const searchLags = (customerReference: string, times: number) =>
	h.sandbox.failNext({
		method: 'GET',
		path: new RegExp(
			`^/consignments/\\d+/\\d+\\?.*referenceProvidedByCustomer=${customerReference}`,
		),
		status: 200,
		body: { ConsignmentSummaries: [], Count: 0 },
		times,
	});

describe('create once: another process creates the same order at the same moment', () => {
	test('the older consignment stands and ours, the newer, is cancelled', async () => {
		// The other process's create, unseen by our look-up before we create.
		const theirs = await h.electio(createAnother, [consignmentBody('RACE-1')]);
		const older = theirs.items[0].json.consignmentReference;
		searchLags('RACE-1', 1);

		const { items, error } = await h.electio(create, [consignmentBody('RACE-1')]);
		expect(error).toBeUndefined();
		const ours = items[0].json.duplicateCancelled;
		expect(ours).toMatch(/^EC-/);
		expect(ours).not.toBe(older);
		expect(items[0].json).toMatchObject({
			consignmentReference: older,
			customerReference: 'RACE-1',
			created: false,
		});
		expect(stateOf(ours)).toBe('Cancelled');
		expect(live('RACE-1')).toEqual([older]);
	});
});

describe('create once: the order already has consignments', () => {
	test('two of them: none is picked, the item names both, and nothing is created', async () => {
		const first = await h.electio(createAnother, [consignmentBody('TWICE-1')]);
		const second = await h.electio(createAnother, [consignmentBody('TWICE-1')]);
		const references = [first, second].map((run) => run.items[0].json.consignmentReference);
		h.sandbox.clearRequests();

		const { items } = await h.electio(create, [consignmentBody('TWICE-1')], true);
		expect(items[0].json.error).toBe(
			`Item 0: "Customer Reference" "TWICE-1" belongs to 2 consignments (${references.join(', ')}), so none was picked`,
		);
		expect(items[0].json.errorDescription).toContain('Cancel the extra consignments');
		expect(items[0].json.customerReference).toBe('TWICE-1');
		expect(posts()).toHaveLength(0);
		expect(live('TWICE-1')).toHaveLength(2);
	});
});

describe('create once: the answer to the create is lost', () => {
	test('the search lags at first: found on the second look, a second later, and not created again', async () => {
		h.sandbox.failNext({ method: 'POST', path: '/consignments', drop: true, afterHandling: true });
		// The look-up before the create, and the first look after the lost answer.
		searchLags('LAGGING-1', 2);
		const started = Date.now();
		const { items, error } = await h.electio(create, [consignmentBody('LAGGING-1')]);
		expect(error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(items[0].json).toMatchObject({
			customerReference: 'LAGGING-1',
			created: true,
			recoveredAfterLostResponse: true,
		});
		expect(live('LAGGING-1')).toEqual([items[0].json.consignmentReference]);
		expect(posts()).toHaveLength(1);
	});

	test('with Max Retries 0 it is not tried again: the item fails, and running it again finds the consignment', async () => {
		h.sandbox.failNext({ method: 'POST', path: '/consignments', drop: true, afterHandling: true });
		const noRetries = { ...create, requestOptions: { maxRetries: 0 } };
		const failed = await h.electio(noRetries, [consignmentBody('NO-RETRY-1')], true);
		expect(failed.items[0].json.error).toBe(
			'Electio POST /consignments: the connection was dropped before an answer came back',
		);
		expect(failed.items[0].json.customerReference).toBe('NO-RETRY-1');
		expect(posts()).toHaveLength(1);

		const again = await h.electio(noRetries, [consignmentBody('NO-RETRY-1')]);
		expect(again.items[0].json).toMatchObject({ customerReference: 'NO-RETRY-1', created: false });
		expect(live('NO-RETRY-1')).toEqual([again.items[0].json.consignmentReference]);
		expect(posts()).toHaveLength(1);
	});
});

describe('create once: an item whose body is refused before anything is sent', () => {
	test('in fields mode its error item still names the order by the customer reference typed', async () => {
		const fields: IDataObject = {
			resource: 'consignment',
			operation: 'create',
			inputMode: 'fields',
			shippingLocationReference: 'Sorted1',
			customerReference: '={{ $json.order }}',
			// The order from the shop has no street.
			destinationAddressLine1: '={{ $json.street }}',
			destinationCountryCode: 'GB',
		};
		const { items } = await h.electio(fields, [{ order: 'FIELDS-NO-ADDRESS' }], true);
		expect(items[0].json).toMatchObject({
			error: 'Item 0: "Destination Address Line 1" is empty',
			customerReference: 'FIELDS-NO-ADDRESS',
		});
		expect(posts()).toHaveLength(0);
	});
});
