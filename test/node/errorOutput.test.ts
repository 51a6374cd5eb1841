/**
 * Errors as data: with "Continue On Fail" and with n8n's error output, every failed item carries
 * what a workflow (or the ERP behind a webhook) needs to decide: retry later, fix a field, or
 * alert, with the references it was for, paired to its input item.
 */
import type { IDataObject, INode, INodeExecutionData, INodeParameters, IRun } from 'n8n-workflow';

import { electioNode, runWorkflow, useElectio } from '../../harness/electio';
import { consignmentBody } from '../../harness/fixtures/consignments';

const h = useElectio();

async function runWithErrorOutput(parameters: IDataObject, items: IDataObject[]) {
	const node: INode = {
		...electioNode('Electio', parameters as INodeParameters),
		onError: 'continueErrorOutput',
	};
	const run = await runWorkflow({
		nodes: [node],
		connections: {},
		credentials: h.credentials,
		startNodeName: 'Electio',
		startItems: items.map((json) => ({ json })),
	});
	return { success: outputIndex(run, 0), failed: outputIndex(run, 1), run };
}

function outputIndex(run: IRun, index: number): INodeExecutionData[] {
	return run.data.resultData.runData.Electio?.[0]?.data?.main?.[index] ?? [];
}

const create = { resource: 'consignment', operation: 'create', inputMode: 'json' };
const get = { resource: 'consignment', operation: 'get' };

describe('the error output', () => {
	test('bad input and an order Electio refuses go to the second output, paired, with the facts', async () => {
		const noPackages = { ...consignmentBody('ERR-NO-PARCELS'), Packages: [] };
		const unknownLocation = consignmentBody('ERR-LOCATION', { shippingLocation: 'NOWHERE-9' });
		const { success, failed, run } = await runWithErrorOutput(create, [
			consignmentBody('ERR-GOOD'),
			noPackages,
			unknownLocation,
		]);
		expect(run.data.resultData.error).toBeUndefined();
		expect(success.map((item) => item.json.customerReference)).toEqual(['ERR-GOOD']);
		expect(success[0].pairedItem).toEqual({ item: 0 });
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);

		const [validation, refused] = failed.map((item) => item.json);
		expect(validation.error).toMatch(/^Item 1: .*Packages/);
		expect(validation.details).toMatchObject({
			httpCode: null,
			retryable: false,
			customerReference: 'ERR-NO-PARCELS',
			fields: [{ field: 'Packages', message: 'must be a list with at least one package' }],
		});
		expect(refused.error).toMatch(/failed with 400/);
		expect(refused.details).toMatchObject({
			httpCode: 400,
			retryable: false,
			customerReference: 'ERR-LOCATION',
			fields: [
				{ field: expect.stringMatching(/ShippingLocationReference$/), message: expect.any(String) },
			],
		});
		expect((refused.details as IDataObject).correlationId).toMatch(/^[0-9a-f-]{36}$/);
		// Nothing was created for the two refused orders.
		expect(Object.keys(h.sandbox.consignmentsByCustomerReference())).toEqual(['ERR-GOOD']);
	});

	test('a 503 past the retries and a dropped connection are retryable; a state conflict is not', async () => {
		const [unavailable, dropped, cancelled] = await h.created(3);
		await h.electio({ resource: 'consignment', operation: 'cancel' }, [
			{ consignmentReference: cancelled },
		]);
		h.sandbox.failNext({ path: `/consignments/${unavailable}/cancel`, status: 503, times: 10 });
		h.sandbox.failNext({ path: `/consignments/${dropped}/cancel`, drop: true, times: 10 });
		const { failed } = await runWithErrorOutput(
			{ resource: 'consignment', operation: 'cancel', requestOptions: { maxRetries: 1 } },
			[unavailable, dropped, cancelled].map((consignmentReference) => ({ consignmentReference })),
		);
		// Cancel of the 503 and dropped ones never reached a handler; the third is a state conflict.
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const facts = failed.map((item) => item.json.details as IDataObject);
		expect(facts[0]).toMatchObject({
			httpCode: 503,
			retryable: true,
			consignmentReference: unavailable,
		});
		expect(facts[1]).toMatchObject({
			httpCode: null,
			retryable: true,
			consignmentReference: dropped,
		});
		expect(facts[2]).toMatchObject({
			httpCode: 400,
			retryable: false,
			consignmentReference: cancelled,
		});
	});
});

describe('Continue On Fail (regular output)', () => {
	test('the same facts stand beside error and errorDescription, one item per input', async () => {
		const [reference] = await h.created(1);
		h.sandbox.failNext({ path: `/consignments/${reference}`, status: 503, times: 10 });
		const { items } = await h.electio(
			{ ...get, requestOptions: { maxRetries: 0 } },
			[
				{ consignmentReference: reference, customerReference: 'ORDER-77' },
				{ consignmentReference: '' },
			],
			true,
		);
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({
			httpCode: 503,
			retryable: true,
			details: [],
			consignmentReference: reference,
			customerReference: 'ORDER-77',
		});
		expect(items[0].json.errorDescription).toEqual(expect.any(String));
		expect(items[1].json).toMatchObject({
			error: 'Item 1: "Consignment Reference" is empty',
			httpCode: null,
			retryable: false,
			details: [{ field: 'Consignment Reference', message: 'is empty' }],
		});
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
