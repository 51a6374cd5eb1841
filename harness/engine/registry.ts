// The node and credential types an engine harness knows: given as the types themselves or as the
// modules to load them from (on first use, so a harness can name a node before its file exists),
// and n8n's INodeTypes over them for one execution.
import path from 'node:path';

import { NodeHelpers } from 'n8n-workflow';
import type {
	ICredentialType,
	IDataObject,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';

export type NodeTypeInstance = INodeType | IVersionedNodeType;

/**
 * A module that exports a node or credential type class. `file` is an absolute path; give a
 * TypeScript source with its `.ts` extension (outside jest, tsx would resolve `X.node` to the codex
 * file `X.node.json`). `exportName` defaults to the file name up to its first dot
 * (`Electio.node.ts` → `Electio`, `ElectioApi.credentials.ts` → `ElectioApi`).
 */
export interface TypeModule {
	file: string;
	exportName?: string;
}

export type NodeTypeSource = NodeTypeInstance | TypeModule;
export type CredentialTypeSource = ICredentialType | TypeModule;

function isModule(source: object): source is TypeModule {
	return typeof (source as TypeModule).file === 'string';
}

/** A new instance of the class a module exports. */
function instantiate<T>(source: TypeModule): T {
	const exportName = source.exportName ?? path.basename(source.file).split('.')[0];
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(source.file) as Record<string, unknown>;
	const TypeClass = mod[exportName] as (new () => T) | undefined;
	if (typeof TypeClass !== 'function') {
		throw new Error(`${source.file} exports no class "${exportName}"`);
	}
	return new TypeClass();
}

/** The full description of a node type (for a versioned type: its default version's). */
export function describe(type: NodeTypeInstance): INodeTypeDescription {
	return NodeHelpers.getVersionedNodeType(type).description;
}

export function defaultVersion(type: NodeTypeInstance): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const v = type.description.version;
	return Array.isArray(v) ? Math.max(...v) : v;
}

export function firstCredentialName(description: {
	credentials?: Array<{ name: string }>;
}): string | undefined {
	return description.credentials?.[0]?.name;
}

/** The node and credential types of one package, as an engine harness sees them. */
export class TypeCatalogue {
	/** Node type classes by short name, learned on first load (module sources: a new instance per call). */
	private readonly nodeFactories = new Map<string, () => NodeTypeInstance>();
	private pendingNodes: NodeTypeSource[];
	private credentials?: Record<string, ICredentialType>;

	constructor(
		/** The npm package n8n prefixes the node type names with: `<package>.<name>`. */
		readonly packageName: string,
		nodeTypes: NodeTypeSource[],
		private readonly credentialSources: CredentialTypeSource[],
	) {
		this.pendingNodes = [...nodeTypes];
	}

	/** How n8n names community node types: `<package name>.<node name>`. */
	qualifiedName(name: string): string {
		return name.includes('.') ? name : `${this.packageName}.${name}`;
	}

	/** The short name of a node type given either way (`electio` or `<package>.electio`). */
	shortName(name: string): string {
		const prefix = `${this.packageName}.`;
		return name.startsWith(prefix) ? name.slice(prefix.length) : name;
	}

	/**
	 * The node type `name` (short or qualified), or undefined if the package has none: a new instance
	 * for a module source, the given object otherwise. Loads modules not loaded yet to learn their names.
	 */
	nodeType(name: string): NodeTypeInstance | undefined {
		const short = this.shortName(name);
		if (!this.nodeFactories.has(short)) this.loadPending();
		return this.nodeFactories.get(short)?.();
	}

	private loadPending(): void {
		const pending = this.pendingNodes;
		this.pendingNodes = [];
		for (const source of pending) {
			const factory = isModule(source) ? () => instantiate<NodeTypeInstance>(source) : () => source;
			this.nodeFactories.set(describe(factory()).name, factory);
		}
	}

	/** The credential types by name (modules loaded on first call). */
	credentialTypes(): Record<string, ICredentialType> {
		if (!this.credentials) {
			this.credentials = {};
			for (const source of this.credentialSources) {
				const type = isModule(source) ? instantiate<ICredentialType>(source) : source;
				this.credentials[type.name] = type;
			}
		}
		return this.credentials;
	}
}

/**
 * n8n's INodeTypes for one execution: the types passed in, then any type of the catalogue the
 * workflow names (each loaded once per execution).
 */
export class ExecutionNodeTypes implements INodeTypes {
	private readonly types = new Map<string, NodeTypeInstance>();

	constructor(
		private readonly catalogue: TypeCatalogue,
		types: NodeTypeInstance[],
		/** Other packages' types, by their full name (`n8n-nodes-base.set`). */
		otherTypes: Record<string, NodeTypeInstance> = {},
	) {
		for (const type of types) this.add(type);
		for (const [name, type] of Object.entries(otherTypes)) this.types.set(name, type);
	}

	add(type: NodeTypeInstance): void {
		const { name } = describe(type);
		this.types.set(name, type);
		this.types.set(this.catalogue.qualifiedName(name), type);
	}

	private lookup(nodeType: string): NodeTypeInstance {
		let type = this.types.get(nodeType);
		if (!type) {
			type = this.catalogue.nodeType(nodeType);
			if (type) this.add(type);
		}
		if (!type)
			throw new Error(
				`Unknown node type "${nodeType}" (known: ${[...this.types.keys()].join(', ')})`,
			);
		return type;
	}

	getByName(nodeType: string): NodeTypeInstance {
		return this.lookup(nodeType);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.lookup(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}
