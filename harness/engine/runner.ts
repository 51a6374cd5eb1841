/**
 * Runs n8n nodes inside n8n's own execution engine (`WorkflowExecute` from n8n-core), in-process,
 * without a database, a server or the n8n CLI.
 *
 * What is real: the Workflow model (parameter defaults, expressions), WorkflowExecute (execution
 * stack, pairedItem, continueOnFail / onError handling, error recording), the node execution
 * context (`getNodeParameter`, `getCredentials`, `helpers.httpRequestWithAuthentication`,
 * `helpers.prepareBinaryData`, ...) and n8n's outbound HTTP client.
 * What is replaced: the services the n8n server would normally provide (credential storage and
 * decryption, instance settings, logger, error reporter, binary-data storage), registered once in
 * the `@n8n/di` Container with in-memory test doubles (./services.ts, ./credentials.ts).
 *
 * Generic: `createEngine()` is given the node and credential types to load (./registry.ts); it
 * knows nothing of any particular package.
 */
import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	PollTriggerExecutor,
	WorkflowExecute,
} from 'n8n-core';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	IExecuteResponsePromiseData,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodePropertyOptions,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { credentialData, TestCredentialsHelper } from './credentials';
import {
	defaultVersion,
	describe,
	ExecutionNodeTypes,
	firstCredentialName,
	TypeCatalogue,
	type CredentialTypeSource,
	type NodeTypeInstance,
	type NodeTypeSource,
} from './registry';
import { capturingLogs, ensureEngine } from './services';

export { forgetProcessedItems, strayLogs } from './services';
export type {
	CredentialTypeSource,
	NodeTypeInstance,
	NodeTypeSource,
	TypeModule,
} from './registry';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** What an engine needs to know: the package's node and credential types. */
export interface EngineOptions<C extends object = ICredentialDataDecryptedObject> {
	/** The npm package n8n prefixes the node type names with: `<package>.<node name>`. */
	packageName: string;
	/** The node types a workflow may name (besides those passed to a run). Modules load on first use. */
	nodeTypes: NodeTypeSource[];
	/** The credential types the engine can attach and authenticate with. */
	credentialTypes?: CredentialTypeSource[];
	/** Short name of the node type runNode and runLoadOptions run when given none. */
	defaultNodeType?: string;
	/**
	 * Turns a run's `credentials` into the decrypted data of each credential type (before the type's
	 * defaults are filled in). Default: used as they are.
	 */
	credentialData?: (given: C) => ICredentialDataDecryptedObject;
}

export interface RunNodeOptions<C extends object = ICredentialDataDecryptedObject> {
	/** The node's parameters (resource, operation, ...). Unset parameters get their defaults, as in n8n. */
	parameters: INodeParameters;
	/** Input items (default: one empty item). */
	items?: INodeExecutionData[];
	/** `null` or omitted = the node has no credential attached. */
	credentials?: C | null;
	/** Sets the node's `onError` to `continueRegularOutput` (what "Continue" means in the n8n UI). */
	continueOnFail?: boolean;
	/** The node type, or the name of one the engine knows. Default: the engine's `defaultNodeType`. */
	nodeType?: NodeTypeInstance | string;
	/** Node type version (default: the node's latest/default version). */
	typeVersion?: number;
	/** Node name (default: the type's `defaults.name`). */
	nodeName?: string;
	/**
	 * The workflow's static data (what `getWorkflowStaticData` returns parts of), changed in place by
	 * the run: pass the same object to the next run to keep a polling node's state between polls.
	 */
	staticData?: IDataObject;
}

export type RunError = Error & {
	description?: string | null;
	httpCode?: string | null;
	node?: unknown;
	context?: IDataObject;
};

export interface RunResult {
	/** The node's main output 0 (empty if it errored). */
	items: INodeExecutionData[];
	/**
	 * The node's error as n8n recorded it in the run data. NOTE: WorkflowExecute stores a plain-object
	 * copy (`{ ...error, message, stack }`), not the Error instance: test `error.name === 'NodeApiError'`,
	 * not `instanceof`. `httpCode`, `description`, `messages`, `context`, `node` are kept.
	 */
	error?: RunError;
	/** The whole execution result. */
	run: IRun;
	/** Everything logged by n8n (Logger, LoggerProxy, ErrorReporter) during this run, one line each. */
	logs: string[];
}

export interface RunWorkflowOptions<C extends object = ICredentialDataDecryptedObject> {
	nodes: INode[];
	connections: IConnections;
	/** Attached to every node whose type declares one of the engine's credential types and has none set. */
	credentials?: C;
	startNodeName: string;
	/** Input of the start node (default: one empty item). */
	startItems?: INodeExecutionData[];
	/** Node types besides the engine's own. */
	nodeTypes?: NodeTypeInstance[];
	/**
	 * Node types of other packages, by n8n's full type name (`n8n-nodes-base.set`): what an example
	 * workflow uses besides the engine's package (the real ones: real-n8n's installedNodeTypes).
	 */
	otherNodeTypes?: Record<string, NodeTypeInstance>;
	/** The workflow's static data, changed in place by the run (see RunNodeOptions.staticData). */
	staticData?: IDataObject;
	/** Gets what a Respond to Webhook node answers (n8n would send it to the webhook's caller). */
	onResponse?: (response: IExecuteResponsePromiseData) => void;
	/**
	 * `manual` (default): as run from the editor, a polling start node polls. `trigger`: as n8n runs
	 * an activated workflow after its poll emitted: the start node passes `startItems` on.
	 */
	mode?: WorkflowExecuteMode;
}

export interface RunPollOptions<C extends object = ICredentialDataDecryptedObject> {
	/** The polling node's parameters (with `pollTimes`, as the editor stores them). */
	parameters: INodeParameters;
	credentials?: C | null;
	/** The node type, or the name of one the engine knows. Default: the engine's `defaultNodeType`. */
	nodeType?: NodeTypeInstance | string;
	nodeName?: string;
	/**
	 * The workflow's static data, changed in place by the poll: pass the same object to the next
	 * poll, or a copy of what n8n saved to model a restart.
	 */
	staticData?: IDataObject;
	/**
	 * Set for the poll n8n runs at once when it activates the workflow (at `activate`, or `init` when
	 * n8n starts): its error is thrown (activation fails). Unset: a scheduled poll, whose error n8n
	 * records as a failed execution.
	 */
	activation?: WorkflowActivateMode;
}

export interface PollResult {
	/** What the poll emitted (n8n starts one execution with it); null when it returned null. */
	emitted: INodeExecutionData[][] | null;
	/** The poll's error: thrown at activation, or reported through `__emitError` when scheduled. */
	error?: RunError;
	/** How n8n met the error: thrown (at activation, failing it) or reported (a scheduled poll). */
	errorHandling?: 'thrown' | 'reported';
	logs: string[];
}

export interface LoadOptionsRunOptions<C extends object = ICredentialDataDecryptedObject> {
	/** Name of the method under `methods.loadOptions`. */
	method: string;
	/** The node's current parameters (what the editor would send). */
	parameters?: INodeParameters;
	credentials?: C | null;
	/** The node type, or the name of one the engine knows. Default: the engine's `defaultNodeType`. */
	nodeType?: NodeTypeInstance | string;
	/** Path of the parameter being loaded (default `parameters.<method>`); rarely matters. */
	path?: string;
}

export interface Engine<C extends object = ICredentialDataDecryptedObject> {
	readonly packageName: string;
	/** n8n's name for a node type of the package: `<package>.<name>`. */
	typeName(name: string): string;
	/** A new instance of a node type the engine knows (short or qualified name). */
	nodeType(name: string): NodeTypeInstance;
	/** Runs one node over the given items, in a one-node workflow. */
	runNode(opts: RunNodeOptions<C>): Promise<RunResult>;
	/** Runs a workflow from its start node. */
	runWorkflow(opts: RunWorkflowOptions<C>): Promise<IRun>;
	/**
	 * One poll of a polling node the way n8n polls an activated workflow (mode `trigger`): n8n-core's
	 * PollContext and PollTriggerExecutor, with what it emits captured instead of starting an
	 * execution. `runNode` runs a polling node as the editor's test fetch (mode `manual`) instead.
	 */
	runPoll(opts: RunPollOptions<C>): Promise<PollResult>;
	/**
	 * Calls a `methods.loadOptions` method the way the n8n editor does, with n8n's real
	 * LoadOptionsContext (getCurrentNodeParameter, getCredentials, helpers.httpRequestWithAuthentication).
	 * Errors are thrown (as n8n would return them to the editor). Resolves to the options and the logs.
	 */
	runLoadOptions(
		opts: LoadOptionsRunOptions<C>,
	): Promise<{ options: INodePropertyOptions[]; logs: string[] }>;
}

/** The bytes of a binary property, whether n8n stored them inline (base64) or by id. */
export async function binaryBuffer(item: INodeExecutionData, property = 'data'): Promise<Buffer> {
	const binary = item.binary?.[property];
	if (!binary) {
		throw new Error(
			`Item has no binary property "${property}" (has: ${Object.keys(item.binary ?? {}).join(', ') || 'none'})`,
		);
	}
	ensureEngine();
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

/** Main output 0 of a node's last run in an execution ([] if it did not run or errored). */
export function outputOf(run: IRun, nodeName: string): INodeExecutionData[] {
	const tasks = run.data.resultData.runData[nodeName];
	if (!tasks?.length) return [];
	return tasks[tasks.length - 1].data?.main?.[0] ?? [];
}

let executionCounter = 0;

export function createEngine<C extends object = ICredentialDataDecryptedObject>(
	options: EngineOptions<C>,
): Engine<C> {
	const catalogue = new TypeCatalogue(
		options.packageName,
		options.nodeTypes,
		options.credentialTypes ?? [],
	);
	const toData =
		options.credentialData ?? ((given: C) => ({ ...given }) as ICredentialDataDecryptedObject);

	const nodeType = (name: string): NodeTypeInstance => {
		const type = catalogue.nodeType(name);
		if (!type) throw new Error(`${options.packageName} has no node type "${name}"`);
		return type;
	};

	const resolveType = (given: NodeTypeInstance | string | undefined): NodeTypeInstance => {
		if (typeof given === 'object') return given;
		const name = given ?? options.defaultNodeType;
		if (!name) throw new Error('No node type given and the engine has no defaultNodeType');
		return nodeType(name);
	};

	/** The node under test of runNode / runLoadOptions. */
	const singleNode = (
		type: NodeTypeInstance,
		parameters: INodeParameters,
		withCredentials: boolean,
		name?: string,
		typeVersion?: number,
	): INode => {
		const description = describe(type);
		const credentialName = firstCredentialName(description);
		const node: INode = {
			id: 'node-under-test',
			name: name ?? description.defaults?.name ?? description.displayName,
			type: catalogue.qualifiedName(description.name),
			typeVersion: typeVersion ?? defaultVersion(type),
			position: [0, 0],
			parameters: structuredClone(parameters),
		};
		if (withCredentials && credentialName) {
			node.credentials = { [credentialName]: { id: 'cred-1', name: 'Test credential' } };
		}
		return node;
	};

	interface PrepareOptions {
		nodes: INode[];
		connections: IConnections;
		credentials?: C;
		extraTypes: NodeTypeInstance[];
		otherTypes?: Record<string, NodeTypeInstance>;
		staticData?: IDataObject;
		mode?: WorkflowExecuteMode;
		onResponse?: (response: IExecuteResponsePromiseData) => void;
	}

	/** A fresh Workflow + additionalData (own node types, credentials helper, hooks) for one execution. */
	const prepare = (opts: PrepareOptions) => {
		const nodeTypes = new ExecutionNodeTypes(catalogue, opts.extraTypes, opts.otherTypes);
		const credentialTypes = catalogue.credentialTypes();
		const nodes = structuredClone(opts.nodes).map(
			(n) => ({ ...n, id: n.id ?? n.name, position: n.position ?? [0, 0] }) as INode,
		);

		const credentials: Record<string, ICredentialDataDecryptedObject> = {};
		if (opts.credentials) {
			const given = toData(opts.credentials);
			for (const [name, type] of Object.entries(credentialTypes))
				credentials[name] = credentialData(type, given);
			for (const node of nodes) {
				if (node.credentials) continue;
				const declared = describe(nodeTypes.getByName(node.type)).credentials ?? [];
				const name = declared.find((c) => credentialTypes[c.name])?.name;
				if (name) node.credentials = { [name]: { id: 'cred-1', name: 'Test credential' } };
			}
		}

		const executionId = `test-${++executionCounter}`;
		const mode: WorkflowExecuteMode = opts.mode ?? 'manual';
		const workflowData: IWorkflowBase = {
			id: 'harness-test-workflow',
			name: 'Harness test workflow',
			active: false,
			isArchived: false,
			nodes,
			connections: opts.connections,
			createdAt: new Date(),
			updatedAt: new Date(),
			settings: { executionOrder: 'v1' },
		} as IWorkflowBase;

		// The Workflow constructor fills in parameter defaults, like the editor does.
		const workflow = new Workflow({
			id: workflowData.id,
			name: workflowData.name,
			nodes,
			connections: opts.connections,
			active: false,
			nodeTypes,
			staticData: opts.staticData,
			settings: { executionOrder: 'v1' },
		});

		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		const { onResponse } = opts;
		if (onResponse) hooks.addHandler('sendResponse', (response) => onResponse(response));
		const additionalData = {
			executionId,
			userId: 'test-user',
			credentialsHelper: new TestCredentialsHelper(credentialTypes, credentials),
			hooks,
			restApiUrl: 'http://localhost:5678/rest',
			instanceBaseUrl: 'http://localhost:5678/',
			formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
			webhookBaseUrl: 'http://localhost:5678/webhook',
			webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
			currentNodeParameters: undefined,
			executionTimeoutTimestamp: undefined,
			variables: {},
			executeWorkflow: async () => {
				throw new Error('executeWorkflow is not available in the test harness');
			},
			getRunExecutionData: async () => undefined,
			setExecutionStatus: () => {},
			sendDataToUI: () => {},
			logAiEvent: () => {},
			startRunnerTask: async () => {
				throw new Error('Task runners are not available in the test harness');
			},
		} as unknown as IWorkflowExecuteAdditionalData;

		return { workflow, additionalData, mode };
	};

	const execute = async (
		opts: PrepareOptions & { startNodeName: string; startItems?: INodeExecutionData[] },
	): Promise<{ run: IRun; logs: string[] }> => {
		ensureEngine();
		const logs: string[] = [];
		const run = await capturingLogs(logs, async () => {
			const { workflow, additionalData, mode } = prepare(opts);
			const startNode = workflow.getNode(opts.startNodeName);
			if (!startNode) throw new Error(`Start node "${opts.startNodeName}" is not in the workflow`);

			const runExecutionData: IRunExecutionData = createRunExecutionData({
				executionData: {
					nodeExecutionStack: [
						{
							node: startNode,
							data: { main: [structuredClone(opts.startItems ?? [{ json: {} }])] },
							source: null,
						},
					],
				},
			});

			const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
			return await workflowExecute.processRunExecutionData(workflow);
		});
		return { run, logs };
	};

	const runNode = async (opts: RunNodeOptions<C>): Promise<RunResult> => {
		const type = resolveType(opts.nodeType);
		const node = singleNode(
			type,
			opts.parameters,
			!!opts.credentials,
			opts.nodeName,
			opts.typeVersion,
		);
		if (opts.continueOnFail) node.onError = 'continueRegularOutput';

		const { run, logs } = await execute({
			nodes: [node],
			connections: {},
			startNodeName: node.name,
			startItems: opts.items,
			credentials: opts.credentials ?? undefined,
			extraTypes: [type],
			staticData: opts.staticData,
		});

		const task = run.data.resultData.runData[node.name]?.[0];
		const error = (task?.error ?? run.data.resultData.error) as RunError | undefined;
		return {
			items: error && !task?.data ? [] : (task?.data?.main?.[0] ?? []),
			error,
			run,
			logs,
		};
	};

	const runWorkflow = async (opts: RunWorkflowOptions<C>): Promise<IRun> => {
		const { run } = await execute({
			...opts,
			extraTypes: opts.nodeTypes ?? [],
			otherTypes: opts.otherNodeTypes,
		});
		return run;
	};

	const runPoll: Engine<C>['runPoll'] = async (opts) => {
		ensureEngine();
		const type = resolveType(opts.nodeType);
		const node = singleNode(type, opts.parameters, !!opts.credentials, opts.nodeName);
		const logs: string[] = [];
		const result = await capturingLogs(logs, async () => {
			const { workflow, additionalData } = prepare({
				nodes: [node],
				connections: {},
				credentials: opts.credentials ?? undefined,
				extraTypes: [type],
				staticData: opts.staticData,
				mode: 'trigger',
			});
			const pollNode = workflow.getNode(node.name)!;
			const outcome: Omit<PollResult, 'logs'> = { emitted: null };
			const context = new PollContext(
				workflow,
				pollNode,
				additionalData,
				'trigger',
				opts.activation ?? 'init',
				(data) => (outcome.emitted = data),
				(error) => {
					outcome.error = error as RunError;
					outcome.errorHandling = 'reported';
				},
			);
			const poll = Container.get(PollTriggerExecutor).create(
				workflow,
				pollNode,
				context,
				() => true,
			);
			try {
				await poll(opts.activation !== undefined);
			} catch (error) {
				outcome.error = error as RunError;
				outcome.errorHandling = 'thrown';
			}
			return outcome;
		});
		return { ...result, logs };
	};

	const runLoadOptions: Engine<C>['runLoadOptions'] = async (opts) => {
		ensureEngine();
		const type = resolveType(opts.nodeType);
		const versioned = NodeHelpers.getVersionedNodeType(type);
		const fn = versioned.methods?.loadOptions?.[opts.method];
		if (!fn)
			throw new Error(
				`Node type "${versioned.description.name}" has no loadOptions method "${opts.method}"`,
			);
		const node = singleNode(type, opts.parameters ?? {}, !!opts.credentials);
		const logs: string[] = [];
		const options = await capturingLogs(logs, async () => {
			const { workflow, additionalData } = prepare({
				nodes: [node],
				connections: {},
				credentials: opts.credentials ?? undefined,
				extraTypes: [type],
			});
			const wfNode = workflow.getNode(node.name)!;
			additionalData.currentNodeParameters = wfNode.parameters;
			const context = new LoadOptionsContext(
				workflow,
				wfNode,
				additionalData,
				opts.path ?? `parameters.${opts.method}`,
			);
			return await fn.call(context);
		});
		return { options, logs };
	};

	return {
		packageName: options.packageName,
		typeName: (name) => catalogue.qualifiedName(name),
		nodeType,
		runNode,
		runWorkflow,
		runPoll,
		runLoadOptions,
	};
}
