import { defineResource } from '../registry';
import * as getEvents from './getEvents.operation';

export const tracking = defineResource({
	name: 'Tracking',
	value: 'tracking',
	defaultOperation: 'getEvents',
	operations: { getEvents },
});
