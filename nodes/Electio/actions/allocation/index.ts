import type { INodeProperties } from 'n8n-workflow';

import * as allocateWithQuote from './allocateWithQuote.operation';

export { allocateWithQuote };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['allocation'] } },
		options: [
			{
				name: 'Allocate With Quote',
				value: 'allocateWithQuote',
				description:
					'Allocate a consignment to a carrier service: the cheapest, the fastest, or a chosen quote',
				action: 'Allocate a consignment with a quote',
			},
		],
		default: 'allocateWithQuote',
	},
	...allocateWithQuote.description,
];
