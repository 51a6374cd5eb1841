import { useElectio } from '../../../harness/electio';

const h = useElectio({ seed: 11 });
const { electio } = h;
const createConsignments = h.created;

describe('consignment: get', () => {
	test('references come from the default expression, any other expression, or a fixed value alike', async () => {
		const [first, second] = await createConsignments(2);
		const byDefault = await electio({ resource: 'consignment', operation: 'get' }, [
			{ consignmentReference: first },
		]);
		const nested = await electio(
			{
				resource: 'consignment',
				operation: 'get',
				consignmentReference: '={{ $json.order.shipment.toUpperCase() }}',
			},
			[{ order: { shipment: second.toLowerCase() } }],
		);
		const fixed = await electio(
			{ resource: 'consignment', operation: 'get', consignmentReference: first },
			[{}],
		);
		expect([byDefault, nested, fixed].map((run) => run.items[0]?.json.Reference)).toEqual([
			first,
			second,
			first,
		]);
	});
});
