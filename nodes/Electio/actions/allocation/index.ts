import { defineResource } from '../registry';
import * as allocateWithCheapestQuote from './allocateWithCheapestQuote.operation';
import * as allocateWithQuote from './allocateWithQuote.operation';

export const allocation = defineResource({
	name: 'Allocation',
	value: 'allocation',
	defaultOperation: 'allocateWithQuote',
	operations: { allocateWithCheapestQuote, allocateWithQuote },
});
