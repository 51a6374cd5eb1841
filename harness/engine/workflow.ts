import type { IConnections } from 'n8n-workflow';

/** Connects the nodes one after the other, main output 0 to main input 0. */
export function chain(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let index = 0; index < names.length - 1; index++) {
		connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}
