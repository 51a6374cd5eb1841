import type { INodeProperties } from 'n8n-workflow';

import { listCallExecute } from '../../helpers/referenceList';
import { consignmentReferenceField } from '../common.descriptions';

export const option = {
	name: 'Set Ready To Ship',
	description:
		"Flag allocated consignments for a later manifest (one call for all items' references)",
	action: 'Set consignments ready to ship',
};

export const description: INodeProperties[] = [
	{
		...consignmentReferenceField,
		hint: 'All input items go to Electio in one call; each item gets its own success and message',
	},
];

export const execute = listCallExecute({
	path: '/consignments/setreadytoship',
	stateAfter: 'ReadyToShip',
});
