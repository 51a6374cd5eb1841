import type { IConnections, INode, INodeParameters } from 'n8n-workflow';

import { ELECTIO_NODE_TYPE } from './n8n';

/** An Electio node for a chained test workflow. */
export function electioNode(name: string, parameters: INodeParameters, index = 0): INode {
	return {
		id: name,
		name,
		type: ELECTIO_NODE_TYPE,
		typeVersion: 1,
		position: [index * 220, 0],
		parameters,
	};
}

/** Connects the nodes one after the other, main output 0 to main input 0. */
export function chain(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let index = 0; index < names.length - 1; index++) {
		connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}
