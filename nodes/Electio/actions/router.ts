import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ElectioClient } from '../transport';
import * as allocation from './allocation';
import { readClientSettings } from './common.descriptions';
import * as consignment from './consignment';
import * as customsDocument from './customsDocument';
import * as label from './label';
import * as manifest from './manifest';
import type { OperationExecute } from './node.type';
import * as quote from './quote';

const operations: Record<string, Record<string, OperationExecute>> = {
	consignment: {
		create: consignment.create.execute,
		get: consignment.get.execute,
		cancel: consignment.cancel.execute,
	},
	quote: { getForConsignment: quote.getForConsignment.execute },
	allocation: { allocateWithQuote: allocation.allocateWithQuote.execute },
	label: { get: label.get.execute },
	customsDocument: { get: customsDocument.get.execute },
	manifest: { fromQuery: manifest.fromQuery.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}
	// One client per run: its gate spreads every item's calls under one adaptive limit.
	const client = await ElectioClient.create(this, readClientSettings(this));
	return [await execute.call(this, items, client)];
}
