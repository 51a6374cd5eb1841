import { defineResource } from '../registry';
import * as byReferences from './byReferences.operation';
import * as fromQuery from './fromQuery.operation';

export const manifest = defineResource({
	name: 'Manifest',
	value: 'manifest',
	defaultOperation: 'fromQuery',
	operations: { byReferences, fromQuery },
});
