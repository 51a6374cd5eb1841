import type { INodeProperties } from 'n8n-workflow';

import type { AllocationSummary } from '../../helpers/allocation';
import {
	allocationOutput,
	firstSummary,
	isStateConflict,
	readAllocation,
} from '../../helpers/allocation';
import { asNodeError } from '../../helpers/errorItems';
import { perConsignmentExecute } from '../../helpers/runItems';
import { apiPath, ElectioApiError } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';
import { description as withQuoteFields } from './allocateWithQuote.operation';

export const option = {
	name: 'Allocate With Cheapest Quote',
	description:
		'Let Electio allocate a consignment to its cheapest carrier service in one call (no quote filters)',
	action: 'Allocate a consignment with its cheapest quote',
};

export const description: INodeProperties[] = [
	consignmentReferenceField,
	// the same switch as Allocate With Quote's
	...withQuoteFields.filter((field) => field.name === 'returnExistingAllocation'),
];

export const execute = perConsignmentExecute(async function (client, reference, itemIndex) {
	try {
		const response = await client.request<AllocationSummary[] | AllocationSummary>({
			method: 'PUT',
			path: apiPath`/allocation/${reference}/allocatewithcheapestquote`,
			itemIndex,
		});
		return { json: allocationOutput(reference, firstSummary(response)) };
	} catch (error) {
		if (!(error instanceof ElectioApiError)) throw asNodeError(this.getNode(), error);
		const returnExisting = this.getNodeParameter(
			'returnExistingAllocation',
			itemIndex,
			true,
		) as boolean;
		// After a lost answer the repeat is refused for its state: believe the consignment.
		const lost = error.afterUnknownOutcome;
		if (!lost && !(returnExisting && isStateConflict(error))) {
			throw asNodeError(this.getNode(), error);
		}
		const existing = await readAllocation(client, reference, itemIndex);
		if (!existing) throw asNodeError(this.getNode(), error);
		return {
			json: lost
				? { ...existing, recoveredAfterLostResponse: true }
				: { ...existing, alreadyAllocated: true },
		};
	}
});
