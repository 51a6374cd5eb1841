import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { ElectioClient } from '../transport';

/** Runs one operation over all input items of a node run; returns one output item per input item. */
export type OperationExecute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: ElectioClient,
) => Promise<INodeExecutionData[]>;

/** What every `<resource>/<operation>.operation.ts` exports. */
export interface OperationModule {
	/** Its entry in the Operation dropdown; the value is the key it is registered under. */
	option: Required<Pick<INodePropertyOptions, 'name' | 'description' | 'action'>>;
	/** Its parameters; the registry shows them only for this resource and operation. */
	description: INodeProperties[];
	execute: OperationExecute;
}

/** One resource: its dropdown entry and its operations, keyed by the operation's value. */
export interface ResourceDefinition {
	name: string;
	value: string;
	defaultOperation: string;
	operations: Record<string, OperationModule>;
}
