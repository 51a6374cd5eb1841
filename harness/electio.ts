// The Electio layer over the generic engine harness: the engine that runs this package's node and
// credential types (as package.json declares them to n8n; ./package.ts), an Electio node for a test
// workflow, and useElectio() (a sandbox and the Electio node wired to it, for one jest file).
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import { forgetAccountGates } from '../nodes/Electio/transport';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';
import { createEngine, type NodeTypeInstance, type RunResult } from './engine';
import { consignmentBody } from './fixtures/consignments';
import { BUILT_FILES, PACKAGE_NAME, sourceFiles } from './package';

export type { RunResult } from './engine';
export { ELECTIO_NODE_TYPE, PACKAGE_NAME } from './package';

/** The Electio credential a run is given (environment `custom` when a base URL is given without one). */
export interface TestCredentials {
	apiKey: string;
	/** When omitted and `baseUrl` is given, `custom` is used; otherwise the credential default. */
	environment?: 'production' | 'sandbox' | 'custom';
	baseUrl?: string;
}

/**
 * The engine harness with this package's nodes and credentials. runNode runs the Electio node
 * unless given another (`nodeType: 'electioTrigger'`: a polling node runs through `poll()`, and
 * `staticData` carries its state from one poll to the next).
 */
export const electioEngine = createEngine<TestCredentials>({
	packageName: PACKAGE_NAME,
	// Every node and credential package.json declares: a new node needs no change here.
	nodeTypes: sourceFiles(BUILT_FILES.nodes).map((file) => ({ file })),
	credentialTypes: sourceFiles(BUILT_FILES.credentials).map((file) => ({ file })),
	defaultNodeType: 'electio',
	// Keys left undefined are dropped and the credential's defaults filled in by the engine.
	credentialData: (given) =>
		({
			...given,
			environment: given.environment ?? (given.baseUrl !== undefined ? 'custom' : undefined),
		}) as ICredentialDataDecryptedObject,
});

export const { runNode, runWorkflow, runPoll, runLoadOptions } = electioEngine;

/** A new instance of the Electio node type. */
export function loadElectioNode(): NodeTypeInstance {
	return electioEngine.nodeType('electio');
}

/**
 * An Electio node for a chained test workflow; `type` names another node of the package by its short
 * name (`electioTrigger`).
 */
export function electioNode(
	name: string,
	parameters: INodeParameters,
	index = 0,
	type = 'electio',
): INode {
	return {
		id: name,
		name,
		type: electioEngine.typeName(type),
		typeVersion: 1,
		position: [index * 220, 0],
		parameters,
	};
}

/** A sandbox and the Electio node wired to it, for one test file. */
export interface ElectioHarness {
	readonly sandbox: Sandbox;
	readonly credentials: TestCredentials;
	/** Runs one Electio operation over the given input items. */
	electio(
		parameters: IDataObject,
		items?: IDataObject[],
		continueOnFail?: boolean,
	): Promise<RunResult>;
	/** Creates consignments (Unallocated) and returns their references. */
	created(count: number, options?: Parameters<typeof consignmentBody>[1]): Promise<string[]>;
	/** Creates and allocates (cheapest) consignments. */
	allocated(count: number, options?: Parameters<typeof consignmentBody>[1]): Promise<string[]>;
	/**
	 * Creates, allocates (cheapest) and manifests consignments in one Manifest By References call,
	 * so their carrier journeys start together (their steps share timestamps).
	 */
	manifested(count: number, options?: Parameters<typeof consignmentBody>[1]): Promise<string[]>;
	/** API requests the sandbox saw since the last reset. */
	requests(): ReturnType<Sandbox['requests']>;
}

let setupSequence = 0;

/**
 * Starts a sandbox before the file's tests, closes it after, and gives every test a clean one
 * (no consignments, no request log, no hooks, faults or latency).
 */
export function useElectio(options: SandboxOptions & { apiKey?: string } = {}): ElectioHarness {
	const { apiKey, ...sandboxOptions } = options;
	let sandbox: Sandbox | undefined;
	const started = () => {
		if (!sandbox) throw new Error('useElectio(): the sandbox starts in beforeAll');
		return sandbox;
	};
	const credentials = (): TestCredentials => ({
		apiKey: started().apiKey,
		environment: 'custom',
		baseUrl: started().url,
	});

	beforeAll(async () => {
		sandbox = await startSandbox({
			port: 0,
			seed: 21,
			...sandboxOptions,
			...(apiKey ? { apiKeys: [apiKey] } : {}),
		});
	});
	afterAll(async () => await sandbox?.close());
	beforeEach(() => {
		started().reset();
		started().clearHooks();
		started().setFaults(null);
		started().setLatency(sandboxOptions.latencyMs ?? 0);
		started().setRateLimit(sandboxOptions.rateLimit?.perSecond ?? null);
		// What one test taught the account's shared rate control must not slow the next test.
		forgetAccountGates();
	});

	const electio: ElectioHarness['electio'] = async (
		parameters,
		items = [{}],
		continueOnFail = false,
	) =>
		await runNode({
			parameters: parameters as never,
			items: items.map((json) => ({ json }) as INodeExecutionData),
			credentials: credentials(),
			continueOnFail,
		});
	const created: ElectioHarness['created'] = async (count, bodyOptions) => {
		const bodies = Array.from({ length: count }, () =>
			consignmentBody(`SETUP-${++setupSequence}`, bodyOptions),
		);
		const { items, error } = await electio(
			{ resource: 'consignment', operation: 'create', inputMode: 'json' },
			bodies,
		);
		if (error) throw new Error(`setup create failed: ${error.message}`);
		return items.map((item) => item.json.consignmentReference as string);
	};
	const allocated: ElectioHarness['allocated'] = async (count, bodyOptions) => {
		const references = await created(count, bodyOptions);
		const { error } = await electio(
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
			references.map((consignmentReference) => ({ consignmentReference })),
		);
		if (error) throw new Error(`setup allocate failed: ${error.message}`);
		return references;
	};
	const manifested: ElectioHarness['manifested'] = async (count, bodyOptions) => {
		const references = await allocated(count, bodyOptions);
		const { items, error } = await electio(
			{ resource: 'manifest', operation: 'byReferences' },
			references.map((consignmentReference) => ({ consignmentReference })),
		);
		if (error) throw new Error(`setup manifest failed: ${error.message}`);
		const refused = items.filter((item) => item.json.success !== true);
		if (refused.length) throw new Error(`setup manifest refused: ${JSON.stringify(refused)}`);
		return references;
	};
	return {
		get sandbox() {
			return started();
		},
		get credentials() {
			return credentials();
		},
		electio,
		created,
		allocated,
		manifested,
		requests: () => started().requests(),
	};
}
