import type { IBinaryData, IDataObject, INodeProperties } from 'n8n-workflow';

import { perItemExecute } from '../../helpers/runItems';
import { apiPath } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

/** Response lists and the binary field each kind of document goes into. */
const DOCUMENT_KINDS: Array<{ list: string; kind: string; property: string }> = [
	{ list: 'CommercialInvoiceDocuments', kind: 'Commercial Invoice', property: 'commercialInvoice' },
	{ list: 'CN22Documents', kind: 'CN22', property: 'cn22' },
	{ list: 'CN23Documents', kind: 'CN23', property: 'cn23' },
];

export const option = {
	name: 'Get',
	description:
		'Get the customs documents (CN22 or CN23 and commercial invoice) of an international consignment as files',
	action: 'Get customs documents of a consignment',
};

export const description: INodeProperties[] = [consignmentReferenceField];

export const execute = perItemExecute({
	async run(reference, itemIndex, client) {
		const response = await client.request<Record<string, Array<{ Key?: string; Value?: string }>>>({
			method: 'GET',
			path: apiPath`/consignments/docs/${reference}`,
			itemIndex,
		});
		const binary: Record<string, IBinaryData> = {};
		const documents: IDataObject[] = [];
		for (const { list, kind, property } of DOCUMENT_KINDS) {
			const entries = Array.isArray(response?.[list]) ? response[list] : [];
			for (const [index, entry] of entries.entries()) {
				if (!entry?.Value) continue;
				const file = Buffer.from(entry.Value, 'base64');
				const isPdf = file.subarray(0, 5).toString('latin1') === '%PDF-';
				const fileName = fileNameFor(entry.Key, `${property}-${reference}`, isPdf);
				const binaryProperty = index === 0 ? property : `${property}_${index + 1}`;
				binary[binaryProperty] = await this.helpers.prepareBinaryData(
					file,
					fileName,
					isPdf ? 'application/pdf' : 'application/octet-stream',
				);
				documents.push({ kind, fileName, binaryProperty, fileSize: file.length });
			}
		}
		const input = this.getInputData()[itemIndex];
		const json: IDataObject = {
			...input.json,
			consignmentReference: reference,
			customsDocumentCount: documents.length,
			customsDocuments: documents,
		};
		if (!documents.length) {
			json.customsDocumentsMessage =
				'No customs documents for this consignment: Electio only issues them for international shipments.';
		}
		return { json, binary: { ...(input.binary ?? {}), ...binary } };
	},
});

/** Electio's Key is the document's name; keep it safe as a file name and give it an extension. */
function fileNameFor(key: string | undefined, fallback: string, isPdf: boolean): string {
	const base = (key ?? '').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim() || fallback;
	return isPdf && !/\.pdf$/i.test(base) ? `${base}.pdf` : base;
}
