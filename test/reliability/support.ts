import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import { consignmentBody } from '../helpers/consignments';
import { runNode, type RunResult, type TestCredentials } from '../helpers/n8n';

/** A key nobody would type by accident: any occurrence of it in run data or logs is a leak. */
export const SECRET_KEY = 'SECRET-electio-key-Zq81vN4pW7xR0yTt';

export interface Harness {
	sandbox: Sandbox;
	credentials: TestCredentials;
	electio(parameters: IDataObject, items?: IDataObject[], continueOnFail?: boolean): Promise<RunResult>;
	/** Creates consignments (Unallocated) and returns their references. */
	created(count: number): Promise<string[]>;
	/** Creates and allocates (cheapest) consignments. */
	allocated(count: number): Promise<string[]>;
	/** API requests the sandbox saw since the last reset. */
	requests(): ReturnType<Sandbox['requests']>;
}

let setupSeq = 0;

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
	const sandbox = await startSandbox({ port: 0, seed: 21, apiKeys: [SECRET_KEY], ...options });
	const credentials: TestCredentials = { apiKey: SECRET_KEY, environment: 'custom', baseUrl: sandbox.url };
	const electio = async (parameters: IDataObject, items: IDataObject[] = [{}], continueOnFail = false) =>
		await runNode({
			parameters: parameters as never,
			items: items.map((json) => ({ json }) as INodeExecutionData),
			credentials,
			continueOnFail,
		});
	const created = async (count: number) => {
		const bodies = Array.from({ length: count }, () => consignmentBody(`SETUP-${++setupSeq}`));
		const { items, error } = await electio({ resource: 'consignment', operation: 'create', inputMode: 'json' }, bodies);
		if (error) throw new Error(`setup create failed: ${error.message}`);
		return items.map((item) => item.json.consignmentReference as string);
	};
	const allocated = async (count: number) => {
		const references = await created(count);
		const { error } = await electio(
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
			references.map((consignmentReference) => ({ consignmentReference })),
		);
		if (error) throw new Error(`setup allocate failed: ${error.message}`);
		return references;
	};
	return { sandbox, credentials, electio, created, allocated, requests: () => sandbox.requests() };
}

/** Everything n8n kept of an execution, plus its logs, as one searchable string. */
export function everything(result: RunResult): string {
	return `${JSON.stringify(result.run)}\n${result.logs.join('\n')}`;
}
