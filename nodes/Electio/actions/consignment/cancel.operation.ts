import type { INodeProperties } from 'n8n-workflow';

import { perItemExecute } from '../../helpers/runItems';
import { apiPath } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

export const option = {
	name: 'Cancel',
	description: 'Cancel a consignment (final: it cannot be used again)',
	action: 'Cancel a consignment',
};

export const description: INodeProperties[] = [consignmentReferenceField];

export const execute = perItemExecute({
	async run(reference, itemIndex, client) {
		await client.request({
			method: 'PUT',
			path: apiPath`/consignments/${reference}/cancel`,
			itemIndex,
		});
		return { json: { consignmentReference: reference, state: 'Cancelled', cancelled: true } };
	},
});
