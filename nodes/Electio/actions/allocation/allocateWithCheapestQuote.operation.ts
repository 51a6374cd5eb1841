import type { INodeProperties } from 'n8n-workflow';

import type { AllocationSummary } from '../../helpers/allocation';
import { allocationOutput, existingAllocationAfter, firstSummary } from '../../helpers/allocation';
import { noQuotesError } from '../../helpers/chosenQuote';
import { perItemExecute } from '../../helpers/runItems';
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

export const execute = perItemExecute({
	async run(reference, itemIndex, client) {
		const returnExisting = this.getNodeParameter(
			'returnExistingAllocation',
			itemIndex,
			true,
		) as boolean;
		try {
			const response = await client.request<AllocationSummary[] | AllocationSummary>({
				method: 'PUT',
				path: apiPath`/allocation/${reference}/allocatewithcheapestquote`,
				itemIndex,
			});
			return { json: allocationOutput(reference, firstSummary(response)) };
		} catch (error) {
			if (error instanceof ElectioApiError && saysNoServiceQualifies(error)) {
				// Electio's Details list each service's exclusion reason: say it for a person.
				const unqualified = error.details.map((detail) => ({ ExclusionReason: detail.message }));
				throw await noQuotesError(client, reference, unqualified, itemIndex, error.message, error);
			}
			return {
				json: await existingAllocationAfter(error, client, reference, itemIndex, returnExisting),
			};
		}
	},
});

function saysNoServiceQualifies(error: ElectioApiError): boolean {
	return (
		error.status === 400 &&
		/no (carrier )?(service|quote)s? (qualif|available)/i.test(error.apiMessage ?? '')
	);
}
