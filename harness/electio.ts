// The Electio layer over the generic engine harness: the package's node types, an Electio node for
// a test workflow, and useElectio() (a sandbox and the Electio node wired to it, for one jest file).
import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';
import { ELECTIO_NODE_TYPE, runNode, type RunResult, type TestCredentials } from './engine';
import { consignmentBody } from './fixtures/consignments';

export { ELECTIO_NODE_TYPE, loadElectioNode } from './engine/runner';
// Running the package's nodes: import these from here (the engine's own are being made generic).
export {
	runLoadOptions,
	runNode,
	runWorkflow,
	type RunResult,
	type TestCredentials,
} from './engine/runner';

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
		requests: () => started().requests(),
	};
}
