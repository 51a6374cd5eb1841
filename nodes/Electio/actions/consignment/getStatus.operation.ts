import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { unexpectedAnswer } from '../../helpers/errorItems';
import { perItemExecute } from '../../helpers/runItems';
import { isPlainObject } from '../../helpers/validation';
import { apiPath } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

export const option = {
	name: 'Get Status',
	description: "Get a consignment's state and expected delivery date (the cheap way to read one)",
	action: 'Get the status of a consignment',
};

export const description: INodeProperties[] = [consignmentReferenceField];

export const execute = perItemExecute({
	async run(reference, itemIndex, client) {
		const status = await client.request<IDataObject>({
			method: 'GET',
			path: apiPath`/consignments/${reference}/status`,
			itemIndex,
		});
		if (!isPlainObject(status) || typeof status.Status !== 'string') {
			throw unexpectedAnswer(
				this.getNode(),
				itemIndex,
				`Electio answered GET /consignments/${reference}/status without a status`,
			);
		}
		return {
			json: {
				consignmentReference:
					(status.ConsignmentReferenceForAllLegsAssignedByMpd as string) || reference,
				state: status.Status,
				expectedDeliveryDate: status.ExpectedDeliveryDate ?? null,
				...status,
			},
		};
	},
});
