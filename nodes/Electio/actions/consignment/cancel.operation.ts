import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPerConsignment } from '../../helpers/runItems';
import { apiPath, type ElectioClient } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

const properties: INodeProperties[] = [consignmentReferenceField];

export const option = {
	name: 'Cancel',
	description: 'Cancel a consignment (final: it cannot be used again)',
	action: 'Cancel a consignment',
};

export const description: INodeProperties[] = properties;

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: ElectioClient,
): Promise<INodeExecutionData[]> {
	return await runPerConsignment(this, items, client.settings.maxConcurrency, {
		run: async (reference, itemIndex) => {
			await client.request({
				method: 'PUT',
				path: apiPath`/consignments/${reference}/cancel`,
				itemIndex,
			});
			return { json: { consignmentReference: reference, state: 'Cancelled', cancelled: true } };
		},
	});
}
