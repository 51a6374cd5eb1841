import type { INodeProperties } from 'n8n-workflow';

import { unexpectedAnswer } from '../../helpers/errorItems';
import { perItemExecute } from '../../helpers/runItems';
import { describeValue, inputError, requireConsignmentReference } from '../../helpers/validation';
import { apiPath } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

/** File extension, MIME type and magic bytes of each label format. */
const LABEL_FORMATS: Record<string, { extension: string; mimeType: string; magic?: Buffer }> = {
	PDF: { extension: 'pdf', mimeType: 'application/pdf', magic: Buffer.from('%PDF-') },
	PNG: { extension: 'png', mimeType: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
	ZPL: { extension: 'zpl', mimeType: 'application/zpl' },
	ZPLII: { extension: 'zpl', mimeType: 'application/zpl' },
};

const properties: INodeProperties[] = [
	consignmentReferenceField,
	{
		displayName: 'Label Format',
		name: 'labelFormat',
		type: 'options',
		options: [
			{
				name: 'PDF',
				value: 'PDF',
				description: 'One page per package, for office printers and email',
			},
			{ name: 'PNG', value: 'PNG', description: 'An image of the label' },
			{ name: 'ZPL', value: 'ZPL', description: 'Zebra thermal printer language' },
			{ name: 'ZPL II', value: 'ZPLII', description: 'Zebra thermal printer language, version II' },
		],
		default: 'PDF',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the label file in',
	},
];

export const option = {
	name: 'Get',
	description: 'Get the labels of an allocated consignment as a file (PDF, PNG or ZPL)',
	action: 'Get labels of a consignment',
};

export const description: INodeProperties[] = properties;

export const execute = perItemExecute({
	prepare(itemIndex) {
		const reference = requireConsignmentReference(this, itemIndex);
		const raw = this.getNodeParameter('labelFormat', itemIndex) as unknown;
		const format = String(raw ?? '')
			.trim()
			.toUpperCase();
		if (!LABEL_FORMATS[format]) {
			throw inputError(
				this,
				itemIndex,
				'"Label Format"',
				`must be one of PDF, PNG, ZPL, ZPLII, got ${describeValue(raw)}`,
			);
		}
		const binaryPropertyName = String(
			this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '',
		).trim();
		if (!binaryPropertyName)
			throw inputError(this, itemIndex, '"Put Output File in Field"', 'is empty');
		return { reference, format, binaryPropertyName };
	},
	async run({ reference, format, binaryPropertyName }, itemIndex, client) {
		const response = await client.request<{ File?: string; ContentType?: string }>({
			method: 'GET',
			path: apiPath`/labels/${reference}/${format}`,
			itemIndex,
		});
		const { extension, mimeType, magic } = LABEL_FORMATS[format];
		const file =
			typeof response?.File === 'string' ? Buffer.from(response.File, 'base64') : Buffer.alloc(0);
		if (file.length === 0) {
			throw unexpectedAnswer(
				this.getNode(),
				itemIndex,
				`Electio returned no label file for ${reference}`,
			);
		}
		if (magic && !file.subarray(0, magic.length).equals(magic)) {
			throw unexpectedAnswer(
				this.getNode(),
				itemIndex,
				`the label Electio returned for ${reference} is not a ${format} file`,
				`Electio said its content type is ${describeValue(response?.ContentType)}.`,
			);
		}
		const fileName = `${reference}.${extension}`;
		const binary = await this.helpers.prepareBinaryData(file, fileName, mimeType);
		const input = this.getInputData()[itemIndex];
		return {
			// The item keeps what earlier steps put in it (tracking number, carrier, other files).
			json: {
				...input.json,
				consignmentReference: reference,
				label: {
					format,
					fileName,
					mimeType,
					fileSize: file.length,
					binaryProperty: binaryPropertyName,
				},
			},
			binary: { ...(input.binary ?? {}), [binaryPropertyName]: binary },
		};
	},
});
