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
 * the `@n8n/di` Container with in-memory test doubles.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import {
	BinaryDataService,
	Credentials,
	ErrorReporter,
	ExecutionLifecycleHooks,
	InstanceSettings,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import type { BinaryDataConfig } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	LoggerProxy,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IConnections,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodePropertyOptions,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { ElectioApi } from '../../credentials/ElectioApi.credentials';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface TestCredentials {
	apiKey: string;
	/** When omitted and `baseUrl` is given, `custom` is used; otherwise the credential default. */
	environment?: 'production' | 'sandbox' | 'custom';
	baseUrl?: string;
}

export interface RunNodeOptions {
	/** The node's parameters (resource, operation, ...). Unset parameters get their defaults, as in n8n. */
	parameters: INodeParameters;
	/** Input items (default: one empty item). */
	items?: INodeExecutionData[];
	/** `null` or omitted = the node has no credential attached. */
	credentials?: TestCredentials | null;
	/** Sets the node's `onError` to `continueRegularOutput` (what "Continue" means in the n8n UI). */
	continueOnFail?: boolean;
	/** Default: the Electio node. Lets the harness fixture (or any other node type) run. */
	nodeType?: INodeType | IVersionedNodeType;
	/** Node type version (default: the node's latest/default version). */
	typeVersion?: number;
	/** Node name (default: the type's `defaults.name`). */
	nodeName?: string;
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

export interface RunWorkflowOptions {
	nodes: INode[];
	connections: IConnections;
	/** Attached to every node whose type declares the `electioApi` credential and has none set. */
	credentials?: TestCredentials;
	startNodeName: string;
	/** Input of the start node (default: one empty item). */
	startItems?: INodeExecutionData[];
	/** Node types besides the built-in ones (Electio, the harness fixture). */
	nodeTypes?: Array<INodeType | IVersionedNodeType>;
}

/** Node type names the harness always knows (besides any passed in). */
export const ELECTIO_NODE_TYPE = 'n8n-nodes-electio.electio';
export const FIXTURE_NODE_TYPE = 'n8n-nodes-electio.harnessFixture';

export async function runNode(opts: RunNodeOptions): Promise<RunResult> {
	const nodeType = opts.nodeType ?? loadElectioNode();
	const description = describe(nodeType);
	const typeName = qualifiedTypeName(description.name);
	const credentialName = firstCredentialName(description);

	const node: INode = {
		id: 'node-under-test',
		name: opts.nodeName ?? description.defaults?.name ?? description.displayName,
		type: typeName,
		typeVersion: opts.typeVersion ?? defaultVersion(nodeType),
		position: [0, 0],
		parameters: structuredClone(opts.parameters),
	};
	if (opts.credentials && credentialName) {
		node.credentials = { [credentialName]: { id: 'cred-1', name: 'Test credential' } };
	}
	if (opts.continueOnFail) node.onError = 'continueRegularOutput';

	const { run, logs } = await execute({
		nodes: [node],
		connections: {},
		startNodeName: node.name,
		startItems: opts.items,
		credentials: opts.credentials ?? undefined,
		extraTypes: [nodeType],
	});

	const task = run.data.resultData.runData[node.name]?.[0];
	const error = (task?.error ?? run.data.resultData.error) as RunError | undefined;
	return {
		items: error && !task?.data ? [] : (task?.data?.main?.[0] ?? []),
		error,
		run,
		logs,
	};
}

export async function runWorkflow(opts: RunWorkflowOptions): Promise<IRun> {
	const { run } = await execute({ ...opts, extraTypes: opts.nodeTypes ?? [] });
	return run;
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

/** The error a node recorded in an execution, if any. */
export function errorOf(run: IRun, nodeName: string): RunError | undefined {
	const tasks = run.data.resultData.runData[nodeName];
	return (tasks?.[tasks.length - 1]?.error ?? undefined) as RunError | undefined;
}

/** The Electio node type, loaded lazily so the harness works before the node exists. */
export function loadElectioNode(): INodeType | IVersionedNodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	// The extension matters outside jest: without it tsx resolves the codex file Electio.node.json.
	const mod = require('../../nodes/Electio/Electio.node.ts') as { Electio: new () => INodeType };
	return new mod.Electio();
}

// ---------------------------------------------------------------------------------------------
// Engine services (registered once per jest module registry, i.e. once per test file)
// ---------------------------------------------------------------------------------------------

const logContext = new AsyncLocalStorage<string[]>();
/** Log lines emitted outside any run (e.g. at service set-up). */
export const strayLogs: string[] = [];

function record(level: string, message: unknown, meta?: unknown): void {
	let line = `${level}: ${typeof message === 'string' ? message : safeStringify(message)}`;
	if (meta !== undefined && !(meta && typeof meta === 'object' && Object.keys(meta).length === 0)) {
		line += ` ${safeStringify(meta)}`;
	}
	(logContext.getStore() ?? strayLogs).push(line);
}

function safeStringify(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return JSON.stringify(value, (_key, v: unknown) => {
			if (v instanceof Error) {
				return { name: v.name, message: v.message, ...(v as unknown as IDataObject) };
			}
			if (v && typeof v === 'object') {
				if (seen.has(v)) return '[circular]';
				seen.add(v);
			}
			return v;
		});
	} catch {
		return String(value);
	}
}

const captureLogger = {
	error: (m: string, meta?: unknown) => record('error', m, meta),
	warn: (m: string, meta?: unknown) => record('warn', m, meta),
	info: (m: string, meta?: unknown) => record('info', m, meta),
	debug: (m: string, meta?: unknown) => record('debug', m, meta),
	verbose: (m: string, meta?: unknown) => record('verbose', m, meta),
	scoped: () => captureLogger,
};

let engineReady = false;

function ensureEngine(): void {
	if (engineReady) return;
	const n8nFolder = mkdtempSync(path.join(tmpdir(), 'n8n-electio-harness-'));

	// The engine logs through both the DI Logger and n8n-workflow's LoggerProxy.
	Container.set(Logger, captureLogger as unknown as Logger);
	LoggerProxy.init(captureLogger);

	// The real InstanceSettings reads/writes ~/.n8n/config; every node execution context asks for it.
	Container.set(InstanceSettings, {
		n8nFolder,
		staticCacheDir: path.join(n8nFolder, 'cache'),
		customExtensionDir: path.join(n8nFolder, 'custom'),
		nodesDownloadDir: path.join(n8nFolder, 'nodes'),
		instanceId: 'electio-test-instance',
		hmacSignatureSecret: 'electio-test-hmac',
		encryptionKey: 'electio-test-encryption-key',
		instanceType: 'main',
		instanceRole: 'leader',
		isLeader: true,
		isFollower: false,
		isWorker: false,
		isMultiMain: false,
		isSingleMain: true,
	} as unknown as InstanceSettings);

	const errorReporter = {
		error: (e: unknown, opts?: unknown) => record('error-reporter', e, opts),
		warn: (e: unknown, opts?: unknown) => record('error-reporter', e, opts),
		info: (m: unknown, opts?: unknown) => record('error-reporter', m, opts),
	};
	Container.set(ErrorReporter, errorReporter as unknown as ErrorReporter);

	// "default" mode = no storage manager: prepareBinaryData keeps the bytes inline (base64) in the
	// item. init() is deliberately not called (it would create a filesystem store we do not need).
	const binaryConfig = {
		mode: 'default',
		availableModes: ['default'],
		localStoragePath: path.join(n8nFolder, 'binaryData'),
		signingSecret: 'electio-test-signing-secret',
		dbMaxFileSize: 512,
	} as unknown as BinaryDataConfig;
	Container.set(
		BinaryDataService,
		new BinaryDataService(
			binaryConfig,
			errorReporter as unknown as ErrorReporter,
			captureLogger as unknown as Logger,
		),
	);

	engineReady = true;
}

// ---------------------------------------------------------------------------------------------
// Node and credential types
// ---------------------------------------------------------------------------------------------

/** The full description of a node type (for a versioned type: its default version's). */
function describe(type: INodeType | IVersionedNodeType): INodeTypeDescription {
	return NodeHelpers.getVersionedNodeType(type).description;
}

function defaultVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const v = type.description.version;
	return Array.isArray(v) ? Math.max(...v) : v;
}

function firstCredentialName(description: {
	credentials?: Array<{ name: string }>;
}): string | undefined {
	return description.credentials?.[0]?.name;
}

/** How n8n names community node types: `<package name>.<node name>`. */
function qualifiedTypeName(name: string): string {
	return name.includes('.') ? name : `n8n-nodes-electio.${name}`;
}

class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	constructor(types: Array<INodeType | IVersionedNodeType>) {
		for (const type of types) this.add(type);
	}

	add(type: INodeType | IVersionedNodeType): void {
		const { name } = describe(type);
		this.types.set(name, type);
		this.types.set(qualifiedTypeName(name), type);
	}

	private lookup(nodeType: string): INodeType | IVersionedNodeType {
		let type = this.types.get(nodeType);
		if (!type && (nodeType === 'electio' || nodeType === ELECTIO_NODE_TYPE)) {
			type = loadElectioNode();
			this.add(type);
		}
		if (!type && (nodeType === 'harnessFixture' || nodeType === FIXTURE_NODE_TYPE)) {
			type = loadFixtureNode();
			this.add(type);
		}
		if (!type)
			throw new Error(
				`Unknown node type "${nodeType}" (known: ${[...this.types.keys()].join(', ')})`,
			);
		return type;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.lookup(nodeType);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.lookup(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function loadFixtureNode(): INodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require('../fixtures/HarnessFixture.node') as { HarnessFixture: new () => INodeType };
	return new mod.HarnessFixture();
}

const credentialTypes: Record<string, ICredentialType> = {
	electioApi: new ElectioApi(),
};

/**
 * Stands in for the n8n server's CredentialsHelper: hands out the test credential (already
 * decrypted, with the credential type's defaults filled in) and applies the credential type's
 * `authenticate` block the way n8n does, resolving `={{$credentials.x}}` with n8n's own
 * expression engine.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type "${type}"`);
		// A copy, so a node mutating its credentials cannot leak into the next call.
		return structuredClone(data);
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		return new Credentials(nodeCredentials, type);
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		_credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions;
		const credentialType = credentialTypes[typeName];
		const auth = credentialType?.authenticate;
		if (!auth) return requestOptions;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		if (auth.type !== 'generic') return requestOptions;
		if (!workflow || !node)
			throw new Error('authenticate() needs the workflow and node to resolve expressions');

		const resolve = (value: unknown): unknown =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(
						node,
						value,
						'internal',
						{ $credentials: credentials } as never,
						undefined,
						'',
					)
				: value;

		for (const [section, entries] of Object.entries(auth.properties) as Array<
			[string, IDataObject]
		>) {
			if (!entries) continue;
			const resolved: IDataObject = {};
			for (const [key, value] of Object.entries(entries)) resolved[key] = resolve(value) as never;
			if (section === 'auth') {
				requestOptions.auth = resolved as unknown as IHttpRequestOptions['auth'];
			} else {
				const target = section as 'headers' | 'qs' | 'body';
				const existing = (requestOptions[target] ?? {}) as IDataObject;
				(requestOptions as unknown as IDataObject)[target] = { ...existing, ...resolved };
			}
		}
		return requestOptions;
	}
}

function credentialData(type: string, creds: TestCredentials): ICredentialDataDecryptedObject {
	const data: ICredentialDataDecryptedObject = { ...creds };
	if (data.environment === undefined && creds.baseUrl !== undefined) data.environment = 'custom';
	if (data.environment === undefined) delete data.environment;
	if (data.baseUrl === undefined) delete data.baseUrl;
	// Fill in the credential type's defaults, as n8n does when it decrypts a credential.
	for (const prop of credentialTypes[type]?.properties ?? []) {
		if (data[prop.name] === undefined && prop.default !== undefined) {
			data[prop.name] = prop.default as never;
		}
	}
	return data;
}

// ---------------------------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------------------------

let executionCounter = 0;

async function execute(opts: {
	nodes: INode[];
	connections: IConnections;
	credentials?: TestCredentials;
	startNodeName: string;
	startItems?: INodeExecutionData[];
	extraTypes: Array<INodeType | IVersionedNodeType>;
}): Promise<{ run: IRun; logs: string[] }> {
	ensureEngine();
	const logs: string[] = [];
	const run = await logContext.run(logs, async () => await executeInContext(opts));
	return { run, logs };
}

interface PrepareOptions {
	nodes: INode[];
	connections: IConnections;
	credentials?: TestCredentials;
	extraTypes: Array<INodeType | IVersionedNodeType>;
}

/** A fresh Workflow + additionalData (own node types, credentials helper, hooks) for one execution. */
function prepare(opts: PrepareOptions) {
	const nodeTypes = new TestNodeTypes(opts.extraTypes);
	const nodes = structuredClone(opts.nodes).map(
		(n) => ({ ...n, id: n.id ?? n.name, position: n.position ?? [0, 0] }) as INode,
	);

	const credentials: Record<string, ICredentialDataDecryptedObject> = {};
	if (opts.credentials) {
		for (const type of Object.keys(credentialTypes))
			credentials[type] = credentialData(type, opts.credentials);
		for (const node of nodes) {
			if (node.credentials) continue;
			const declared = describe(nodeTypes.getByName(node.type)).credentials ?? [];
			const name = declared.find((c) => credentialTypes[c.name])?.name;
			if (name) node.credentials = { [name]: { id: 'cred-1', name: 'Test credential' } };
		}
	}

	const executionId = `test-${++executionCounter}`;
	const mode: WorkflowExecuteMode = 'manual';
	const workflowData: IWorkflowBase = {
		id: 'electio-test-workflow',
		name: 'Electio test workflow',
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
		settings: { executionOrder: 'v1' },
	});

	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData = {
		executionId,
		userId: 'test-user',
		credentialsHelper: new TestCredentialsHelper(credentials),
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
}

async function executeInContext(
	opts: PrepareOptions & { startNodeName: string; startItems?: INodeExecutionData[] },
): Promise<IRun> {
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
}

export interface LoadOptionsRunOptions {
	/** Name of the method under `methods.loadOptions`. */
	method: string;
	/** The node's current parameters (what the editor would send). */
	parameters?: INodeParameters;
	credentials?: TestCredentials | null;
	/** Default: the Electio node. */
	nodeType?: INodeType | IVersionedNodeType;
	/** Path of the parameter being loaded (default `parameters.<method>`); rarely matters. */
	path?: string;
}

/**
 * Calls a `methods.loadOptions` method the way the n8n editor does, with n8n's real
 * LoadOptionsContext (getCurrentNodeParameter, getCredentials, helpers.httpRequestWithAuthentication).
 * Errors are thrown (as n8n would return them to the editor). Resolves to the options and the logs.
 */
export async function runLoadOptions(
	opts: LoadOptionsRunOptions,
): Promise<{ options: INodePropertyOptions[]; logs: string[] }> {
	ensureEngine();
	const nodeType = opts.nodeType ?? loadElectioNode();
	const versioned = NodeHelpers.getVersionedNodeType(nodeType);
	const description = versioned.description;
	const fn = versioned.methods?.loadOptions?.[opts.method];
	if (!fn)
		throw new Error(`Node type "${description.name}" has no loadOptions method "${opts.method}"`);
	const credentialName = firstCredentialName(description);
	const node: INode = {
		id: 'node-under-test',
		name: description.defaults?.name ?? description.displayName,
		type: qualifiedTypeName(description.name),
		typeVersion: defaultVersion(nodeType),
		position: [0, 0],
		parameters: structuredClone(opts.parameters ?? {}),
	};
	if (opts.credentials && credentialName) {
		node.credentials = { [credentialName]: { id: 'cred-1', name: 'Test credential' } };
	}
	const logs: string[] = [];
	const options = await logContext.run(logs, async () => {
		const { workflow, additionalData } = prepare({
			nodes: [node],
			connections: {},
			credentials: opts.credentials ?? undefined,
			extraTypes: [nodeType],
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
}
