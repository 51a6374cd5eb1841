import { defineResource } from '../registry';
import * as get from './get.operation';

export const customsDocument = defineResource({
	name: 'Customs Document',
	value: 'customsDocument',
	defaultOperation: 'get',
	operations: { get },
});
