import { defineResource } from '../registry';
import * as get from './get.operation';

export const label = defineResource({
	name: 'Label',
	value: 'label',
	defaultOperation: 'get',
	operations: { get },
});
