/**
 * Consignment → Search by customer reference keeps exact matches only (#18): Electio may match the
 * filter partially, and a search for ORDER-4711 that also output ORDER-47110 would let the
 * contact-centre example move another customer's order. Create's lookup uses the same pager.
 */
import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../../harness/electio';
import { consignmentBody } from '../../../harness/fixtures/consignments';

const h = useElectio({ seed: 18 });

const search = { resource: 'consignment', operation: 'search' };
const create = {
	resource: 'consignment',
	operation: 'create',
	inputMode: 'json',
	consignmentJson: '={{ $json }}',
};

/** Electio answering every search page as a partial matcher would: the order and its neighbours. */
function answerPartially(summaries: IDataObject[]) {
	h.sandbox.failNext({
		method: 'GET',
		path: /^\/consignments\/\d+\/\d+\?referenceProvidedByCustomer=/,
		status: 200,
		body: { Count: summaries.length, ConsignmentSummaries: summaries },
		times: 1,
	});
}

const summary = (Reference: string, customerReference: string): IDataObject => ({
	Reference,
	ConsignmentReferenceProvidedByCustomer: customerReference,
	State: 'Allocated',
	DateCreated: '2026-12-01T10:00:00Z',
});

test('a search for ORDER-4711 outputs only ORDER-4711, never ORDER-47110 or XORDER-4711', async () => {
	answerPartially([
		summary('EC-000-000-001', 'ORDER-47110'),
		summary('EC-000-000-002', 'ORDER-4711'),
		summary('EC-000-000-003', 'XORDER-4711'),
		summary('EC-000-000-004', 'order-4711'),
	]);
	const { items, error } = await h.electio({
		...search,
		filters: { referenceProvidedByCustomer: ' ORDER-4711 ' },
	});
	expect(error).toBeUndefined();
	expect(
		items.map((item) => [item.json.consignmentReference, item.json.customerReference]),
	).toEqual([['EC-000-000-002', 'ORDER-4711']]);
	// the filter is sent trimmed, as typed otherwise
	expect(h.requests().at(-1)!.path).toBe(
		'/consignments/50/0?referenceProvidedByCustomer=ORDER-4711',
	);
});

test('partial matches do not count toward the limit: paging goes on until the exact ones fill it', async () => {
	const neighbours = Array.from({ length: 2 }, (_, index) =>
		summary(`EC-000-000-10${index}`, `ORDER-4711${index}`),
	);
	answerPartially([...neighbours, summary('EC-000-000-200', 'ORDER-4711')]);
	answerPartially([summary('EC-000-000-201', 'ORDER-4711')]);
	const { items } = await h.electio({
		...search,
		limit: 2,
		filters: { referenceProvidedByCustomer: 'ORDER-4711' },
	});
	expect(items.map((item) => item.json.consignmentReference)).toEqual([
		'EC-000-000-200',
		'EC-000-000-201',
	]);
	expect(h.requests().map((entry) => entry.path)).toEqual([
		'/consignments/2/0?referenceProvidedByCustomer=ORDER-4711',
		'/consignments/1/3?referenceProvidedByCustomer=ORDER-4711',
	]);
});

test("no exact match is no result, and Create's lookup does not take another order's consignment", async () => {
	answerPartially([summary('EC-000-000-001', 'ORDER-47110')]);
	const searched = await h.electio({
		...search,
		filters: { referenceProvidedByCustomer: 'ORDER-4711' },
	});
	expect(searched.error).toBeUndefined();
	expect(searched.items).toHaveLength(0);

	answerPartially([summary('EC-000-000-001', 'ORDER-47110')]);
	const created = await h.electio(create, [consignmentBody('ORDER-4711')]);
	expect(created.error).toBeUndefined();
	const ours = h.sandbox.consignmentsByCustomerReference()['ORDER-4711'];
	expect(ours).toHaveLength(1);
	expect(created.items[0].json).toMatchObject({
		consignmentReference: ours[0],
		customerReference: 'ORDER-4711',
	});
});
