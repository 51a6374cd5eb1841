import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationModule, ResourceDefinition } from './node.type';

/**
 * Declares a resource from its operation modules. Everything else (the Operation dropdown, when
 * each parameter shows, the router's table) is derived from this one list,
 * so an operation is registered by one line and cannot be half-registered.
 */
export function defineResource<const Operations extends Record<string, OperationModule>>(
	definition: ResourceDefinition & {
		operations: Operations;
		defaultOperation: keyof Operations & string;
	},
): ResourceDefinition & { operations: Operations } {
	return definition;
}

/** The Operation dropdown and every operation's parameters of one resource. */
export function resourceProperties(resource: ResourceDefinition): INodeProperties[] {
	const entries = Object.entries(resource.operations).sort(([, a], [, b]) =>
		a.option.name.localeCompare(b.option.name),
	);
	// A name, not `resource.defaultOperation`: n8n's lint reads a member expression as no default.
	const { defaultOperation } = resource;
	const operationField: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource.value] } },
		options: entries.map(([value, operation]) => ({ ...operation.option, value })),
		default: defaultOperation,
	};
	const parameters = entries.flatMap(([value, operation]) =>
		updateDisplayOptions(
			{ show: { resource: [resource.value], operation: [value] } },
			operation.description,
		),
	);
	return [operationField, ...parameters];
}
