import { useElectio } from '../../../harness/electio';
import { sandboxShorthands } from '../support';

const h = useElectio({ seed: 11 });
const { electio } = h;
const createConsignments = h.created;
const allocated = h.allocated;
const { oneConsignment } = sandboxShorthands(h);
const allocate = {
	resource: 'allocation',
	operation: 'allocateWithQuote',
	quoteSelection: 'cheapest',
};

describe('allocation: allocate with quote', () => {
	test('fastest picks the earliest latest-delivery date, and a chosen quote can be allocated by reference', async () => {
		const references = await createConsignments(2);
		const quotes = await electio(
			{ resource: 'quote', operation: 'getForConsignment', output: 'perQuote', sortBy: 'price' },
			references.map((consignmentReference) => ({ consignmentReference })),
		);
		const firstQuotes = quotes.items.filter(
			(item) => item.json.consignmentReference === references[0],
		);
		const earliest = Math.min(
			...firstQuotes.map((item) => Date.parse(item.json.latestDeliveryDate as string)),
		);

		const fastest = await electio(
			{
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'fastest',
				reuseInputQuotes: false,
			},
			[{ consignmentReference: references[0] }],
		);
		expect(fastest.error).toBeUndefined();
		const stored = h.sandbox.getConsignment(references[0])!;
		expect(stored.ConsignmentState).toBe('Allocated');
		const chosen = firstQuotes.find((item) => item.json.service === fastest.items[0].json.service)!;
		expect(Date.parse(chosen.json.latestDeliveryDate as string)).toBe(earliest);

		// The second-cheapest quote of the other consignment, picked by a person, allocated by reference.
		const pick = quotes.items.filter((item) => item.json.consignmentReference === references[1])[1];
		const byReference = await electio(
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'reference' },
			[pick.json],
		);
		expect(byReference.error).toBeUndefined();
		expect(byReference.items[0].json).toMatchObject({
			consignmentReference: references[1],
			quoteReference: pick.json.quoteReference,
			service: pick.json.service,
			price: { gross: pick.json.priceGross },
		});
		expect(h.sandbox.getConsignment(references[1])!.QuoteReference).toBe(pick.json.quoteReference);
	});

	test('filters: allowed carriers are respected, and when nothing qualifies the item says why', async () => {
		const references = await createConsignments(2);
		const { items, error } = await electio(
			{
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'cheapest',
				filters: { allowedCarriers: ['DPD'] },
			},
			[{ consignmentReference: references[0] }],
		);
		expect(error).toBeUndefined();
		expect(items[0].json.carrierReference).toBe('DPD');

		const none = await electio(
			{
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'cheapest',
				filters: { maxGrossPrice: 0.5 },
			},
			[{ consignmentReference: references[1] }],
		);
		expect(none.error?.message).toMatch(
			new RegExp(
				`^Item 0: no quote to allocate ${references[1]} with: none of the \\d+ quotes qualifies: \\d+ above the maximum gross price of 0.5`,
			),
		);
		expect(h.sandbox.getConsignment(references[1])!.ConsignmentState).toBe('Unallocated');
	});

	test('quotes carried from an earlier step that expired meanwhile are replaced by fresh ones, once', async () => {
		const [reference] = await createConsignments(1);
		const quoted = await electio({ resource: 'quote', operation: 'getForConsignment' }, [
			{ consignmentReference: reference },
		]);
		h.sandbox.advanceClock(2 * 60 * 60 * 1000);
		const { items, error } = await electio(
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
			[quoted.items[0].json],
		);
		expect(error).toBeUndefined();
		expect(items[0].json.state).toBe('Allocated');
		const staleReferences = (quoted.items[0].json.quotes as Array<{ QuoteReference: string }>).map(
			(quote) => quote.QuoteReference,
		);
		expect(staleReferences).not.toContain(items[0].json.quoteReference);
		const allocations = h.sandbox
			.requests()
			.filter((entry) => entry.path.startsWith('/allocation/'));
		expect(allocations.map((entry) => entry.status)).toEqual([400, 200]);
	});

	test('a state error is not mistaken for an expired quote: no second attempt', async () => {
		const [reference] = await allocated(1);
		h.sandbox.clearRequests();
		const quoted = await electio({ resource: 'quote', operation: 'getForConsignment' }, [
			{ consignmentReference: reference },
		]);
		const { error } = await electio(
			{
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'cheapest',
				returnExistingAllocation: false,
			},
			[quoted.items[0].json],
		);
		expect(error?.message).toMatch(
			/failed with 400: Cannot allocate consignment EC-[\w-]+: it is in state Allocated/,
		);
		expect(
			h.sandbox.requests().filter((entry) => entry.path.startsWith('/allocation/')),
		).toHaveLength(1);
	});
});

describe('allocation after a lost response', () => {
	test('believes the consignment: an allocation that did happen is reported as done, not failed', async () => {
		const reference = await oneConsignment();
		h.sandbox.failNext({ method: 'PUT', path: /^\/allocation\//, drop: true, afterHandling: true });
		const { items, error } = await electio(
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
			[{ consignmentReference: reference }],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			consignmentReference: reference,
			state: 'Allocated',
			recoveredAfterLostResponse: true,
		});
		expect((items[0].json.trackingReferences as string[]).length).toBeGreaterThan(0);
		expect(
			h.sandbox.getConsignment(reference)!.history.filter((change) => change.state === 'Allocated'),
		).toHaveLength(1);
	});
});

describe('allocating again', () => {
	test('with "Return Existing Allocation" off, allocating again is the API’s state error', async () => {
		const [reference] = await h.allocated(1);
		const { items } = await h.electio(
			{ ...allocate, returnExistingAllocation: false },
			[{ consignmentReference: reference }],
			true,
		);
		expect(items[0].json.error).toMatch(/failed with 4\d\d: .*Allocated/);
		expect(items[0].json.retryable).toBe(false);
	});
});
