import { defineResource } from '../registry';
import * as getForConsignment from './getForConsignment.operation';

export const quote = defineResource({
	name: 'Quote',
	value: 'quote',
	defaultOperation: 'getForConsignment',
	operations: { getForConsignment },
});
