// examples/erp-webhook-to-label.json run as it is in n8n's engine (its n8n nodes from the installed
// n8n), the ERP's order given to its webhook node and its answer taken from the Respond node: the
// answer says what this very delivery did (#21). A delivery interrupted half-way (a killed worker)
// leaves the consignment created, or allocated with no label; the order sent again finishes it and
// must not claim it had already shipped.
import type { IDataObject, IExecuteResponsePromiseData } from 'n8n-workflow';

import { useElectio } from '../../harness/electio';
import { erpOrder } from '../../harness/fixtures/webhookFlows';
import { consignmentsFor, useExample } from './support';

const h = useElectio({ seed: 21 });
const { workflow: example, run } = useExample(h, 'erp-webhook-to-label.json');

/** One delivery of the order to the webhook: the answer the ERP gets. */
async function deliver(order: IDataObject): Promise<{ statusCode?: number; body: IDataObject }> {
	const answers: IExecuteResponsePromiseData[] = [];
	const execution = await run({
		startNodeName: 'ERP order webhook',
		startItems: [{ json: { headers: {}, params: {}, query: {}, body: order } }],
		mode: 'webhook',
		onResponse: (response) => answers.push(response),
	});
	expect(execution.data.resultData.error).toBeUndefined();
	expect(answers).toHaveLength(1);
	const [answer] = answers as Array<{ statusCode?: number; body: IDataObject }>;
	return answer;
}

/** The example's own Create step alone: a delivery that stopped right after it. */
async function createOnly(order: IDataObject): Promise<string> {
	const create = example.nodes.find((node: IDataObject) => node.name === 'Create consignment');
	const { items, error } = await h.electio(create.parameters, [{ body: order }]);
	if (error) throw error;
	return items[0].json.consignmentReference as string;
}

const allocate = async (consignmentReference: string) => {
	const { error } = await h.electio(
		{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
		[{ consignmentReference }],
	);
	if (error) throw error;
};

const did = (body: IDataObject) => ({
	createdNow: body.createdNow,
	allocatedNow: body.allocatedNow,
	labelPrintedNow: body.labelPrintedNow,
	alreadyShipped: body.alreadyShipped,
});

const calls = (method: string, path: RegExp) =>
	h
		.requests()
		.filter((call) => call.method === method && path.test(call.path) && call.status < 300);

test('a new order: created, allocated and labelled now; sent again: the same answer, and it says nothing was done', async () => {
	const order = erpOrder('SO-ANSWER-1');
	const first = await deliver(order);
	expect(first.statusCode).toBe(200);
	expect(first.body).toMatchObject({ status: 'shipped', orderNumber: 'SO-ANSWER-1' });
	expect(did(first.body)).toEqual({
		createdNow: true,
		allocatedNow: true,
		labelPrintedNow: true,
		alreadyShipped: false,
	});

	const again = await deliver(order);
	expect(again.statusCode).toBe(200);
	for (const field of ['consignmentReference', 'carrier', 'service', 'trackingNumbers', 'label'])
		expect([field, again.body[field]]).toEqual([field, first.body[field]]);
	expect(did(again.body)).toEqual({
		createdNow: false,
		allocatedNow: false,
		labelPrintedNow: false,
		alreadyShipped: true,
	});
	expect(consignmentsFor(h, 'SO-ANSWER-1')).toHaveLength(1);
	expect(calls('PUT', /^\/allocation\//)).toHaveLength(1);
});

test('a delivery that stopped after Create: the order sent again allocates and labels it, and says so', async () => {
	const order = erpOrder('SO-ANSWER-2');
	const reference = await createOnly(order);
	const answer = await deliver(order);
	expect(answer.statusCode).toBe(200);
	expect(answer.body.consignmentReference).toBe(reference);
	expect(did(answer.body)).toEqual({
		createdNow: false,
		allocatedNow: true,
		labelPrintedNow: true,
		alreadyShipped: false,
	});
	expect(h.sandbox.getConsignment(reference)).toMatchObject({
		ConsignmentState: 'Allocated',
		LabelsPrinted: true,
	});
	expect(consignmentsFor(h, 'SO-ANSWER-2')).toEqual([reference]);
});

test('a delivery that stopped after Allocate: the order sent again prints the label, keeps the allocation, and says so', async () => {
	const order = erpOrder('SO-ANSWER-3');
	const reference = await createOnly(order);
	await allocate(reference);
	const tracking = h.sandbox.getConsignment(reference)!.TrackingReferences;
	const answer = await deliver(order);
	expect(answer.statusCode).toBe(200);
	expect(answer.body).toMatchObject({ consignmentReference: reference, trackingNumbers: tracking });
	expect(did(answer.body)).toEqual({
		createdNow: false,
		allocatedNow: false,
		labelPrintedNow: true,
		alreadyShipped: false,
	});
	expect(calls('PUT', /^\/allocation\//)).toHaveLength(1);
	expect(h.sandbox.getConsignment(reference)!.LabelsPrinted).toBe(true);
});
