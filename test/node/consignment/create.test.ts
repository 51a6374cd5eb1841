import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../../harness/electio';
import { consignmentBody } from '../../../harness/fixtures/consignments';
import { consignmentsFor } from '../support';

const h = useElectio({ seed: 5 });
const { electio } = h;

const create = { resource: 'consignment', operation: 'create', inputMode: 'json' };
const creates = () =>
	h.sandbox.requests().filter((entry) => entry.method === 'POST' && entry.path === '/consignments');

describe('consignment: create', () => {
	test('create in fields mode builds the documented body from what a person keys in', async () => {
		const { items, error } = await electio({
			resource: 'consignment',
			operation: 'create',
			inputMode: 'fields',
			shippingLocationReference: 'Sorted1',
			customerReference: 'CS-FORM-17',
			destinationAddressLine1: '1 Rue de Rivoli',
			destinationTown: 'Paris',
			destinationPostcode: '75001',
			destinationCountryCode: 'fr',
			destinationDetails: { firstName: 'Amélie', lastName: 'Poulain', email: 'amelie@example.com' },
			packages: {
				package: [
					{
						weight: 2.5,
						length: 30,
						width: 20,
						height: 10,
						value: 40,
						currency: 'GBP',
						description: 'Books',
					},
					{ weight: '0.4', length: 10, width: 10, height: 5 },
				],
			},
			additionalFields: {
				direction: 'Outbound',
				metadata: { entry: [{ key: 'Channel', value: 'Support form' }] },
			},
			additionalJson: '{"Tags": ["vip"]}',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ customerReference: 'CS-FORM-17', state: 'Unallocated' });
		const stored = h.sandbox.getConsignment(items[0].json.consignmentReference as string)!;
		expect(stored.ConsignmentReferenceProvidedByCustomer).toBe('CS-FORM-17');
		const packages = stored.Packages as Array<{ Weight: { Value: number } }>;
		expect(packages.map((pkg) => pkg.Weight.Value)).toEqual([2.5, 0.4]);
		const destination = (
			stored.Addresses as Array<{
				AddressType: string;
				Country: { IsoCode: { TwoLetterCode: string } };
			}>
		).find((address) => address.AddressType === 'Destination')!;
		expect(destination.Country.IsoCode.TwoLetterCode).toBe('FR');
	});
});

describe('never ship twice, by the customer reference', () => {
	test('an order delivered again yields the consignment made the first time', async () => {
		const order = consignmentBody('REDELIVERED-1');
		const first = await h.electio(create, [order]);
		const second = await h.electio(create, [order]);
		expect(first.items[0].json).toMatchObject({
			created: true,
			customerReference: 'REDELIVERED-1',
		});
		expect(second.items[0].json).toMatchObject({
			created: false,
			customerReference: 'REDELIVERED-1',
			consignmentReference: first.items[0].json.consignmentReference,
			state: 'Unallocated',
		});
		expect(consignmentsFor(h, 'REDELIVERED-1')).toHaveLength(1);
	});

	test('the same order in two executions at the same moment is created once', async () => {
		const order = consignmentBody('SIMULTANEOUS-1');
		const runs = await Promise.all([h.electio(create, [order]), h.electio(create, [order])]);
		const outputs = runs.map((run) => run.items[0].json);
		expect(consignmentsFor(h, 'SIMULTANEOUS-1')).toHaveLength(1);
		expect(outputs[0].consignmentReference).toBe(outputs[1].consignmentReference);
		expect(outputs.map((json) => json.created).sort()).toEqual([false, true]);
	});

	test('"Fail" names the consignment that has the reference; "Create Another" ships again', async () => {
		const order = consignmentBody('CHOSEN-1');
		const first = await h.electio(create, [order]);
		const failed = await h.electio({ ...create, ifCustomerReferenceExists: 'fail' }, [order], true);
		expect(failed.items[0].json.error).toBe(
			`Item 0: "Customer Reference" "CHOSEN-1" is already used by ${first.items[0].json.consignmentReference} (Unallocated)`,
		);
		expect(failed.items[0].json).toMatchObject({
			retryable: false,
			customerReference: 'CHOSEN-1',
			details: [{ field: 'Customer Reference' }],
		});
		const another = await h.electio({ ...create, ifCustomerReferenceExists: 'createAnother' }, [
			order,
		]);
		expect(another.items[0].json.created).toBe(true);
		expect(consignmentsFor(h, 'CHOSEN-1')).toHaveLength(2);
	});

	test('a cancelled consignment no longer stands for the order: a new one is created', async () => {
		const order = consignmentBody('CANCELLED-1');
		const first = await h.electio(create, [order]);
		await h.electio({ resource: 'consignment', operation: 'cancel' }, [first.items[0].json]);
		const again = await h.electio(create, [order]);
		expect(again.items[0].json.created).toBe(true);
		expect(again.items[0].json.consignmentReference).not.toBe(
			first.items[0].json.consignmentReference,
		);
	});
});

describe('a create whose answer was lost', () => {
	test('found by its customer reference: that is the item’s consignment, nothing sent twice', async () => {
		h.sandbox.failNext({ method: 'POST', path: '/consignments', drop: true, afterHandling: true });
		const { items, error } = await h.electio(create, [consignmentBody('LOST-AFTER-1')]);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			customerReference: 'LOST-AFTER-1',
			created: true,
			recoveredAfterLostResponse: true,
		});
		expect(consignmentsFor(h, 'LOST-AFTER-1')).toEqual([items[0].json.consignmentReference]);
		expect(h.requests().filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});

	test('not found after two looks: it was never created, so it is created now, once', async () => {
		h.sandbox.failNext({ method: 'POST', path: '/consignments', drop: true, afterHandling: false });
		const { items, error } = await h.electio(create, [consignmentBody('LOST-BEFORE-1')]);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ customerReference: 'LOST-BEFORE-1', created: true });
		expect(consignmentsFor(h, 'LOST-BEFORE-1')).toEqual([items[0].json.consignmentReference]);
		expect(h.requests().filter((entry) => entry.method === 'POST')).toHaveLength(2);
	});

	test('without a customer reference it is not repeated, and the item says why', async () => {
		const body = consignmentBody('x') as IDataObject;
		delete body.ConsignmentReferenceProvidedByCustomer;
		h.sandbox.failNext({ method: 'POST', path: '/consignments', drop: true, afterHandling: true });
		const { items } = await h.electio(create, [body], true);
		expect(items[0].json.error).toBe(
			'Electio POST /consignments: the connection was dropped before an answer came back',
		);
		expect(items[0].json.errorDescription).toContain('It was NOT sent again');
		expect(items[0].json.errorDescription).toContain('With a Customer Reference');
		expect(h.requests().filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});
});

describe('creating a consignment never ships twice', () => {
	test('503 and 429 mean it was not created: retried, created once', async () => {
		h.sandbox.failNext({ method: 'POST', path: '/consignments', status: 503 });
		h.sandbox.failNext({
			method: 'POST',
			path: '/consignments',
			status: 429,
			headers: { 'Retry-After': '0' },
		});
		const { items, error } = await electio(create, [consignmentBody('ONCE-1')]);
		expect(error).toBeUndefined();
		expect(items[0].json.customerReference).toBe('ONCE-1');
		expect(creates().map((entry) => entry.status)).toEqual([503, 429, 201]);
		expect(
			h.sandbox.consignments().filter((c) => c.ConsignmentReferenceProvidedByCustomer === 'ONCE-1'),
		).toHaveLength(1);
	});

	test('a dropped response after the server acted is not repeated: the lookup finds the consignment', async () => {
		h.sandbox.failNext({ method: 'POST', path: '/consignments', drop: true, afterHandling: true });
		const { items, error } = await electio(
			create,
			[consignmentBody('LOST-RESPONSE-1'), consignmentBody('FINE-2')],
			true,
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({
			customerReference: 'LOST-RESPONSE-1',
			created: true,
			recoveredAfterLostResponse: true,
		});
		expect(items[1].json.consignmentReference).toMatch(/^EC-/);
		// One attempt each, and the first one did exist on the server: exactly one consignment per order.
		expect(creates()).toHaveLength(2);
		expect(
			h.sandbox
				.consignments()
				.filter((c) => c.ConsignmentReferenceProvidedByCustomer === 'LOST-RESPONSE-1'),
		).toHaveLength(1);
	});

	test('a 502 after the request was sent is not repeated either: the lookup finds it', async () => {
		h.sandbox.failNext({ method: 'POST', path: '/consignments', status: 502, afterHandling: true });
		const { items, error } = await electio(create, [consignmentBody('GATEWAY-1')]);
		expect(error).toBeUndefined();
		expect(items[0].json.recoveredAfterLostResponse).toBe(true);
		expect(creates()).toHaveLength(1);
	});

	test('a 502 without a customer reference is not repeated, and says why', async () => {
		const body = consignmentBody('x');
		delete (body as { ConsignmentReferenceProvidedByCustomer?: string })
			.ConsignmentReferenceProvidedByCustomer;
		h.sandbox.failNext({ method: 'POST', path: '/consignments', status: 502, afterHandling: true });
		const { error } = await electio(create, [body]);
		expect(error?.message).toMatch(/^Electio POST \/consignments failed with 502/);
		expect(error?.description).toContain('NOT sent again');
		expect(creates()).toHaveLength(1);
	});

	test('a create that timed out is looked up, not blindly repeated, and the timeout option is honoured', async () => {
		h.sandbox.failNext({ method: 'POST', path: '/consignments', hang: true });
		const started = Date.now();
		const { items, error } = await electio({ ...create, requestOptions: { timeout: 1000 } }, [
			consignmentBody('SLOW-1'),
		]);
		// The hung request never reached the handler: two looks find nothing, then one more create.
		expect(error).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(8000);
		expect(items[0].json).toMatchObject({ customerReference: 'SLOW-1', created: true });
		expect(creates()).toHaveLength(2);
		expect(
			h.sandbox.consignments().filter((c) => c.ConsignmentReferenceProvidedByCustomer === 'SLOW-1'),
		).toHaveLength(1);
	});
});
