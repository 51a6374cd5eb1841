import { defineResource } from '../registry';
import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';

export const consignment = defineResource({
	name: 'Consignment',
	value: 'consignment',
	defaultOperation: 'create',
	operations: { cancel, create, get },
});
