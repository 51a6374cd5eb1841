import { PDFDocument } from 'pdf-lib';

import { useElectio } from '../../../harness/electio';
import { binaryBuffer } from '../../../harness/engine';

const h = useElectio({ seed: 11 });
const { electio } = h;
const allocated = h.allocated;

describe('label: get', () => {
	test('labels in PNG and ZPL are files named after the consignment with the right MIME type', async () => {
		const [reference] = await allocated(1, { packages: 2 });
		const png = await electio(
			{ resource: 'label', operation: 'get', labelFormat: 'PNG', binaryPropertyName: 'label' },
			[{ consignmentReference: reference }],
		);
		expect(png.items[0].binary?.label).toMatchObject({
			fileName: `${reference}.png`,
			mimeType: 'image/png',
			fileExtension: 'png',
		});
		expect((await binaryBuffer(png.items[0], 'label')).subarray(1, 4).toString()).toBe('PNG');

		const zpl = await electio({ resource: 'label', operation: 'get', labelFormat: 'ZPLII' }, [
			{ consignmentReference: reference },
		]);
		expect(zpl.items[0].binary?.data).toMatchObject({
			fileName: `${reference}.zpl`,
			mimeType: 'application/zpl',
		});
		expect((await binaryBuffer(zpl.items[0])).toString()).toMatch(/^\^XA/);
		expect(h.sandbox.getConsignment(reference)!.LabelsPrinted).toBe(true);

		const pdf = await electio({ resource: 'label', operation: 'get', labelFormat: 'PDF' }, [
			{ consignmentReference: reference },
		]);
		expect((await PDFDocument.load(await binaryBuffer(pdf.items[0]))).getPageCount()).toBe(2);
	});
});
