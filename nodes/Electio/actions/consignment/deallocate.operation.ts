import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { isStateConflict } from '../../helpers/allocation';
import { asNodeError } from '../../helpers/errorItems';
import { perItemExecute } from '../../helpers/runItems';
import { apiPath, ElectioApiError } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

export const option = {
	name: 'Deallocate',
	description:
		'Take a consignment off its carrier service (from Allocated, Manifested or Manifest Failed) so it can be allocated again',
	action: 'Deallocate a consignment',
};

export const description: INodeProperties[] = [consignmentReferenceField];

export const execute = perItemExecute({
	async run(reference, itemIndex, client) {
		const done = { consignmentReference: reference, state: 'Unallocated', deallocated: true };
		try {
			await client.request({
				method: 'PUT',
				path: apiPath`/consignments/${reference}/deallocate`,
				itemIndex,
			});
			return { json: done };
		} catch (error) {
			// A repeat after a lost answer is refused once the first attempt has deallocated it.
			const lost =
				error instanceof ElectioApiError && error.afterUnknownOutcome && isStateConflict(error);
			if (!lost) throw asNodeError(this.getNode(), error, itemIndex);
			const status = await client.request<IDataObject>({
				method: 'GET',
				path: apiPath`/consignments/${reference}/status`,
				itemIndex,
			});
			if (status?.Status !== 'Unallocated') throw asNodeError(this.getNode(), error, itemIndex);
			return { json: { ...done, recoveredAfterLostResponse: true } };
		}
	},
});
