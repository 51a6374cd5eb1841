import { defineResource } from '../registry';
import * as fromQuery from './fromQuery.operation';

export const manifest = defineResource({
	name: 'Manifest',
	value: 'manifest',
	defaultOperation: 'fromQuery',
	operations: { fromQuery },
});
