import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ElectioClient } from '../transport';

/** Every operation module exports its parameters and this function. */
export type OperationExecute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: ElectioClient,
) => Promise<INodeExecutionData[]>;

export type ElectioResource =
	'consignment' | 'quote' | 'allocation' | 'label' | 'customsDocument' | 'manifest';
