import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsField } from './actions/common.descriptions';
import { resourceProperties } from './actions/registry';
import { resources } from './actions/resources';
import { router } from './actions/router';
import { electioApiTest, loadOptions } from './methods';

const resourceList = Object.values(resources);

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
		credentials: [{ name: 'electioApi', required: true, testedBy: 'electioApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: resourceList
					.map(({ name, value }) => ({ name, value }))
					.sort((a, b) => a.name.localeCompare(b.name)),
				default: 'consignment',
			},
			...resourceList.flatMap(resourceProperties),
			requestOptionsField,
		],
	};

	methods = { loadOptions, credentialTest: { electioApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
