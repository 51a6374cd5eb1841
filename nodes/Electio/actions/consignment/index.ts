import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';

export { cancel, create, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['consignment'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel a consignment (final: it cannot be used again)',
				action: 'Cancel a consignment',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a consignment from fields or from JSON',
				action: 'Create a consignment',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a consignment with its state, addresses and packages',
				action: 'Get a consignment',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...cancel.description,
];
