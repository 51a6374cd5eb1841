// n8n's own node types (Set, Split Out, Aggregate, Merge, Slack...) from the installed n8n, so the
// in-process engine can run an example workflow as it is, not a copy with its n8n nodes left out.
// The default install: its n8n-nodes-base is built against the same n8n-core and n8n-workflow
// versions as the repository's.
import * as path from 'node:path';

import type { NodeTypeInstance } from '../engine';
import { ensureN8n } from './install';

/**
 * The node types a workflow names outside `ownPackage`, by their full name
 * (`n8n-nodes-base.set`), for runWorkflow's `otherNodeTypes`: each loaded from the file its package
 * declares (`dist/nodes/Set/Set.node.js` for `set`).
 */
export async function installedNodeTypes(
	workflow: { nodes?: Array<{ type: string }> },
	ownPackage: string,
): Promise<Record<string, NodeTypeInstance>> {
	const runtime = await ensureN8n('default');
	// Node's own require, also under jest: jest's cannot load the ES modules some of n8n's nodes use
	// (the Email node's sanitize-html), which Node's require does.
	const { createRequire } = process.getBuiltinModule('node:module');
	const fromN8n = createRequire(path.join(runtime.home, 'node_modules', 'n8n', 'package.json'));
	const names = [...new Set((workflow.nodes ?? []).map((node) => node.type))].filter(
		(name) => !name.startsWith(`${ownPackage}.`),
	);
	const types: Record<string, NodeTypeInstance> = {};
	for (const name of names) {
		const [packageName, typeName] = name.split('.');
		const declared: string[] = fromN8n(`${packageName}/package.json`).n8n.nodes;
		const className = typeName[0].toUpperCase() + typeName.slice(1);
		const files = declared.filter((file) => path.basename(file) === `${className}.node.js`);
		if (files.length !== 1) {
			throw new Error(`${packageName} declares ${files.length} files for ${name}: ${files}`);
		}
		const NodeType = fromN8n(`${packageName}/${files[0]}`)[className];
		types[name] = new NodeType() as NodeTypeInstance;
	}
	return types;
}
