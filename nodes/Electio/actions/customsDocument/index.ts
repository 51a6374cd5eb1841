import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

export { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customsDocument'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description:
					'Get the customs documents (CN22 or CN23 and commercial invoice) of an international consignment as files',
				action: 'Get customs documents of a consignment',
			},
		],
		default: 'get',
	},
	...get.description,
];
