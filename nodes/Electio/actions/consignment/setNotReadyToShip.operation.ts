import type { INodeProperties } from 'n8n-workflow';

import { listCallExecute } from '../../helpers/referenceList';
import { description as readyToShipFields } from './setReadyToShip.operation';

export const option = {
	name: 'Set Not Ready To Ship',
	description:
		"Put Ready To Ship consignments back to Allocated (one call for all items' references)",
	action: 'Set consignments not ready to ship',
};

export const description: INodeProperties[] = readyToShipFields;

export const execute = listCallExecute({
	path: '/consignments/setnotreadytoship',
	stateAfter: 'Allocated',
});
