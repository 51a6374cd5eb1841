import type { INodeProperties } from 'n8n-workflow';

import * as fromQuery from './fromQuery.operation';

export { fromQuery };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['manifest'] } },
		options: [
			{
				name: 'From Query',
				value: 'fromQuery',
				description:
					'Manifest every consignment that matches a query (location, state, carrier, date) to the carriers',
				action: 'Manifest consignments from a query',
			},
		],
		default: 'fromQuery',
	},
	...fromQuery.description,
];
