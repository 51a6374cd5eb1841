import { defineResource } from '../registry';
import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as deallocate from './deallocate.operation';
import * as get from './get.operation';
import * as getStatus from './getStatus.operation';
import * as search from './search.operation';
import * as setNotReadyToShip from './setNotReadyToShip.operation';
import * as setReadyToShip from './setReadyToShip.operation';
import * as update from './update.operation';

export const consignment = defineResource({
	name: 'Consignment',
	value: 'consignment',
	defaultOperation: 'create',
	operations: {
		cancel,
		create,
		deallocate,
		get,
		getStatus,
		search,
		setNotReadyToShip,
		setReadyToShip,
		update,
	},
});
