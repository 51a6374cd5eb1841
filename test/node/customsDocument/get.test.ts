import { useElectio } from '../../../harness/electio';

const h = useElectio({ seed: 11 });
const { electio } = h;
const allocated = h.allocated;

describe('customs document: get', () => {
	test('a domestic consignment has no customs documents, and says so', async () => {
		const [reference] = await allocated(1, { country: 'GB' });
		const { items } = await electio({ resource: 'customsDocument', operation: 'get' }, [
			{ consignmentReference: reference },
		]);
		expect(items[0].json).toMatchObject({
			consignmentReference: reference,
			customsDocumentCount: 0,
			customsDocuments: [],
		});
		expect(items[0].json.customsDocumentsMessage).toMatch(
			/only issues them for international shipments/,
		);
		expect(items[0].binary ?? {}).toEqual({});
	});
});
