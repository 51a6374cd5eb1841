import type { INodeProperties } from 'n8n-workflow';

import { listCallExecute } from '../../helpers/referenceList';
import { consignmentReferenceField } from '../common.descriptions';

export const option = {
	name: 'By References',
	description:
		"Manifest the input items' consignments to the carriers in one call, with each one's outcome",
	action: 'Manifest consignments by reference',
};

export const description: INodeProperties[] = [
	{
		...consignmentReferenceField,
		hint: 'Every manifest call transmits data to the carriers: all input items go in one call, and each item gets its own success and message',
	},
];

export const execute = listCallExecute({
	path: '/consignments/manifest',
	stateAfter: 'Manifested',
	body: (references) => ({ ConsignmentReferences: references }),
});
