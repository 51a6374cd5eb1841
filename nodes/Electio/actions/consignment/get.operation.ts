import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerConsignment } from '../../helpers/runItems';
import { isPlainObject } from '../../helpers/validation';
import { apiPath, type ElectioClient } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

export const option = {
	name: 'Get',
	description: 'Get a consignment with its state, addresses and packages',
	action: 'Get a consignment',
};

export const description: INodeProperties[] = [consignmentReferenceField];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: ElectioClient,
): Promise<INodeExecutionData[]> {
	return await runPerConsignment(this, items, client.settings.maxConcurrency, {
		run: async (reference, itemIndex) => {
			const consignment = await client.request<IDataObject>({
				method: 'GET',
				path: apiPath`/consignments/${reference}`,
				itemIndex,
			});
			if (!isPlainObject(consignment)) {
				throw new NodeOperationError(
					this.getNode(),
					`Item ${itemIndex}: Electio answered GET /consignments/${reference} without a consignment`,
					{ itemIndex },
				);
			}
			return {
				json: {
					consignmentReference: (consignment?.Reference as string) ?? reference,
					state: consignment?.ConsignmentState ?? null,
					...consignment,
				},
			};
		},
	});
}
