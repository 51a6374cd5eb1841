import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

export { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['label'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the labels of an allocated consignment as a file (PDF, PNG or ZPL)',
				action: 'Get labels of a consignment',
			},
		],
		default: 'get',
	},
	...get.description,
];
