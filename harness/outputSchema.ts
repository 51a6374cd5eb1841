// Output schemas in the form n8n's editor loads: one JSON Schema per operation, in
// `<node dir>/__schema__/v<version>/<resource>/<operation>.json` (n8n-core's output-schema resolver;
// the server answers `/schemas/<node type>/<version>/<resource>/<operation>.json` from it). They
// let a user map a step's fields before running it. This module infers a schema from the items an
// operation really output, and reads and writes the committed files.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT } from './package';

export interface JsonSchema {
	type?: string | string[];
	properties?: Record<string, JsonSchema>;
	items?: JsonSchema;
	[key: string]: unknown;
}

/** Where the node's schemas live in the sources; the build copies `__schema__` into dist/. */
export const SCHEMA_ROOT = path.join(REPO_ROOT, 'nodes', 'Electio', '__schema__');

/** `1` → `v1.0.0`, as n8n pads the node version. */
export function versionDir(version: number): string {
	return `v${String(version).split('.').concat(['0', '0']).slice(0, 3).join('.')}`;
}

export function schemaFile(version: number, resource: string, operation: string): string {
	return path.join(SCHEMA_ROOT, versionDir(version), resource, `${operation}.json`);
}

export function readSchema(
	version: number,
	resource: string,
	operation: string,
): JsonSchema | undefined {
	const file = schemaFile(version, resource, operation);
	return fs.existsSync(file)
		? (JSON.parse(fs.readFileSync(file, 'utf8')) as JsonSchema)
		: undefined;
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value === 'number' ? 'number' : typeof value;
}

/**
 * The schema of every value given: `object` with the union of their properties (each inferred from
 * the values that have it), `array` with the schema of all their elements, scalar types by name;
 * several types (a field that is sometimes null) become a list. Keys are sorted: the files diff well.
 */
export function inferSchema(values: unknown[]): JsonSchema {
	const types = [...new Set(values.map(typeOf))].sort();
	const schema: JsonSchema = { type: types.length === 1 ? types[0] : types };
	if (types.includes('object')) {
		const objects = values.filter((v) => typeOf(v) === 'object') as Array<Record<string, unknown>>;
		const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))].sort();
		schema.properties = Object.fromEntries(
			keys.map((key) => [key, inferSchema(objects.filter((o) => key in o).map((o) => o[key]))]),
		);
	}
	if (types.includes('array')) {
		const elements = (values.filter(Array.isArray) as unknown[][]).flat();
		if (elements.length) schema.items = inferSchema(elements);
	}
	return schema;
}

/**
 * The schema as a validator should apply it: no property it does not declare (an operation that
 * starts to output a new field must say so in its schema).
 */
export function closedSchema(schema: JsonSchema): JsonSchema {
	const closed: JsonSchema = { ...schema };
	if (schema.properties) {
		closed.properties = Object.fromEntries(
			Object.entries(schema.properties).map(([key, value]) => [key, closedSchema(value)]),
		);
		closed.additionalProperties = false;
	}
	if (schema.items) closed.items = closedSchema(schema.items);
	return closed;
}
