import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as allocation from './actions/allocation';
import { requestOptionsField } from './actions/common.descriptions';
import * as consignment from './actions/consignment';
import * as customsDocument from './actions/customsDocument';
import * as label from './actions/label';
import * as manifest from './actions/manifest';
import * as quote from './actions/quote';
import { router } from './actions/router';
import { loadOptions } from './methods';

export class Electio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Electio',
		name: 'electio',
		icon: { light: 'file:electio.svg', dark: 'file:electio.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Ship with Electio (SortedPRO): create consignments, get carrier quotes, allocate, get labels and customs documents, manifest',
		defaults: { name: 'Electio' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'electioApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Allocation', value: 'allocation' },
					{ name: 'Consignment', value: 'consignment' },
					{ name: 'Customs Document', value: 'customsDocument' },
					{ name: 'Label', value: 'label' },
					{ name: 'Manifest', value: 'manifest' },
					{ name: 'Quote', value: 'quote' },
				],
				default: 'consignment',
			},
			...consignment.description,
			...quote.description,
			...allocation.description,
			...label.description,
			...customsDocument.description,
			...manifest.description,
			requestOptionsField,
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
