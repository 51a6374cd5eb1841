import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationModule, ResourceDefinition } from './node.type';

/**
 * Declares a resource from its operation modules. Everything else (the Operation dropdown, when
 * each parameter shows, the router's table, the canvas subtitle) is derived from this one list,
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
	// The rule looks for a literal default; this one is the resource's declared default operation.
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
	const operationField: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource.value] } },
		options: entries.map(([value, operation]) => ({ ...operation.option, value })),
		default: resource.defaultOperation,
	};
	const parameters = entries.flatMap(([value, operation]) =>
		updateDisplayOptions(
			{ show: { resource: [resource.value], operation: [value] } },
			operation.description,
		),
	);
	return [operationField, ...parameters];
}

/**
 * The canvas subtitle: the action's words ("Get quotes for a consignment") instead of internal
 * values. An expression, because n8n evaluates subtitles in the editor from the parameters.
 */
export function subtitleExpression(resources: readonly ResourceDefinition[]): string {
	const actions: Record<string, string> = {};
	for (const resource of resources) {
		for (const [value, operation] of Object.entries(resource.operations)) {
			actions[`${resource.value}:${value}`] = operation.option.action;
		}
	}
	return `={{ (${JSON.stringify(actions)})[$parameter["resource"] + ":" + $parameter["operation"]] ?? $parameter["operation"] }}`;
}
