import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ElectioClient } from '../transport';
import { clientHints, readClientSettings } from './common.descriptions';
import type { OperationModule } from './node.type';
import { resources } from './resources';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const operations: Record<string, OperationModule> | undefined =
		resources[resource as keyof typeof resources]?.operations;
	const selected =
		operations && Object.prototype.hasOwnProperty.call(operations, operation)
			? operations[operation]
			: undefined;
	if (!selected) {
		// Only reachable from a workflow edited by hand or made for another version of the node.
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}
	// One client per run; its calls share the account's gate with every other run in this process.
	const client = await ElectioClient.create(this, readClientSettings(this), clientHints);
	return [await selected.execute.call(this, items, client)];
}
