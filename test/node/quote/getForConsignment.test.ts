import { useElectio } from '../../../harness/electio';

const h = useElectio({ seed: 11 });
const { electio } = h;
const createConsignments = h.created;

describe('quote: get for consignment', () => {
	test('one item per quote, sorted by delivery date, all paired to their consignment', async () => {
		const references = await createConsignments(2);
		const { items } = await electio(
			{
				resource: 'quote',
				operation: 'getForConsignment',
				output: 'perQuote',
				sortBy: 'deliveryDate',
			},
			references.map((consignmentReference) => ({ consignmentReference })),
		);
		const first = items.filter((item) => item.json.consignmentReference === references[0]);
		expect(first.length).toBeGreaterThan(1);
		expect(first.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(
			items.filter((item) => (item.pairedItem as { item: number }).item === 1).length,
		).toBeGreaterThan(1);
		const dates = first.map((item) => Date.parse(item.json.latestDeliveryDate as string));
		expect(dates).toEqual([...dates].sort((a, b) => a - b));
		expect(first.map((item) => item.json.rank)).toEqual(first.map((_, index) => index + 1));
		expect(first[0].json).toMatchObject({
			quoteReference: expect.stringMatching(/^[0-9a-f-]{36}$/),
			priceGross: expect.any(Number),
		});
	});
});
