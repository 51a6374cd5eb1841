import type { INodeProperties } from 'n8n-workflow';

import * as getForConsignment from './getForConsignment.operation';

export { getForConsignment };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['quote'] } },
		options: [
			{
				name: 'Get for Consignment',
				value: 'getForConsignment',
				description: 'Get carrier quotes (price, delivery window) for a consignment',
				action: 'Get quotes for a consignment',
			},
		],
		default: 'getForConsignment',
	},
	...getForConsignment.description,
];
