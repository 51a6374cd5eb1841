import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { unexpectedAnswer } from '../../helpers/errorItems';
import { perItemExecute } from '../../helpers/runItems';
import { isPlainObject } from '../../helpers/validation';
import { apiPath } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

export const option = {
	name: 'Get',
	description: 'Get a consignment with its state, addresses and packages',
	action: 'Get a consignment',
};

export const description: INodeProperties[] = [consignmentReferenceField];

export const execute = perItemExecute({
	async run(reference, itemIndex, client) {
		const consignment = await client.request<IDataObject>({
			method: 'GET',
			path: apiPath`/consignments/${reference}`,
			itemIndex,
		});
		if (!isPlainObject(consignment)) {
			throw unexpectedAnswer(
				this.getNode(),
				itemIndex,
				`Electio answered GET /consignments/${reference} without a consignment`,
			);
		}
		return {
			json: {
				consignmentReference: (consignment.Reference as string) ?? reference,
				state: consignment.ConsignmentState ?? null,
				...consignment,
			},
		};
	},
});
