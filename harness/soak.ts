/**
 * The fault soak, reusable (`npm run soak` is bench/soak.ts; test/reliability/soak.test.ts runs a
 * shorter one): N consignments through Create (JSON) → Get Quotes → Allocate (cheapest) →
 * Get Labels → Manifest (once), every node with "Continue On Fail", in n8n's own engine
 * (n8n-core's WorkflowExecute, via the engine harness) against the local sandbox while it injects
 * 503s, 429s with Retry-After, dropped connections and extra latency.
 *
 * Afterwards, from the sandbox's own records and the execution's outputs: every input was
 * created at most once (duplicates must be 0), every input ends Manifested or is reported in the
 * output with its reason (lost must be 0), each node paired exactly one output item to each input
 * item, and no logical request was attempted more often than the configured retries allow.
 * runSoak() gives the report, formatReport() its text.
 */
import http from 'node:http';

import type { IDataObject, INodeExecutionData, IRun } from 'n8n-workflow';

import { startSandbox, type FaultConfig, type Sandbox } from '../sandbox';
import { electioNode, runWorkflow } from './electio';
import { chain, outputOf } from './engine';
import { consignmentBody } from './fixtures/consignments';

export const SOAK_FAULTS: FaultConfig = {
	rate503: 0.1,
	rate429: 0.05,
	retryAfterSeconds: 1,
	dropRate: 0.02,
	extraLatencyMs: [0, 30],
};

export interface SoakOptions {
	n: number;
	seed: number;
	maxRetries: number;
	maxConcurrency: number;
	faults: FaultConfig;
}

const DEFAULT_SOAK_OPTIONS: SoakOptions = {
	n: 300,
	seed: 42,
	maxRetries: 5,
	maxConcurrency: 5,
	faults: SOAK_FAULTS,
};

const STEPS = ['Create', 'Get Quotes', 'Allocate', 'Get Labels', 'Manifest'] as const;

export interface ItemOutcome {
	index: number;
	customerReference: string;
	consignmentReference?: string;
	/** Consignments the sandbox holds for this customer reference. */
	created: number;
	finalState?: string;
	/** The first error any node reported for this item: "<node>: <message>". */
	reason?: string;
	/** The errorDescription of that error item. */
	description?: string;
	/** A create for this order lost its answer (dropped connection): the node had to look it up. */
	createDropped: boolean;
	outcome: 'manifested' | 'reported' | 'lost';
}

export interface SoakReport {
	options: SoakOptions;
	durationMs: number;
	requests: number;
	faults: { '503': number; '429': number; drop: number; latencyOnly: number; other: number };
	logicalRequests: number;
	retries: number;
	maxAttempts: number;
	/** The logical request with the most attempts, and what each attempt got. */
	busiest: string;
	attemptLimit: number;
	/** Logical requests attempted more often than the limit allows. */
	overLimit: Array<{ node: string; method: string; path: string; attempts: number }>;
	inputs: number;
	createdOnce: number;
	notCreated: number;
	duplicates: number;
	manifested: number;
	reported: number;
	lost: number;
	/** Node inputs that did not get exactly one output item paired to them. */
	pairingErrors: string[];
	/** How often each reason was reported (normalised: references and numbers blanked). */
	reasons: Record<string, number>;
	outcomes: ItemOutcome[];
	ok: boolean;
}

interface Attempt {
	method: string;
	path: string;
	/** For creates, whose path is the same for all: the body's customer reference. */
	customerReference?: string;
	at: number;
	/** What came back: the status, or 0 when the connection was dropped. */
	status?: number;
}

/**
 * A pass-through between the node and the sandbox that notes every attempt with the customer
 * reference of its body. The sandbox cannot: it turns faulted calls away before reading bodies,
 * and every create has the same path, so attempts per create could not be counted otherwise.
 */
async function startRecorder(
	target: string,
): Promise<{ url: string; attempts: Attempt[]; close(): Promise<void> }> {
	const attempts: Attempt[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks);
			let customerReference: string | undefined;
			try {
				const parsed = body.length ? (JSON.parse(body.toString('utf8')) as IDataObject) : undefined;
				if (typeof parsed?.ConsignmentReferenceProvidedByCustomer === 'string')
					customerReference = parsed.ConsignmentReferenceProvidedByCustomer;
			} catch {
				// not JSON: nothing to note
			}
			const attempt: Attempt = {
				method: request.method ?? 'GET',
				path: request.url ?? '/',
				customerReference,
				at: Date.now(),
			};
			attempts.push(attempt);
			const upstream = http.request(
				`${target}${request.url ?? '/'}`,
				{ method: request.method, headers: request.headers },
				(answer) => {
					attempt.status = answer.statusCode;
					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
					answer.on('aborted', () => response.destroy());
					answer.on('error', () => response.destroy());
				},
			);
			// The sandbox dropped the connection: drop ours too, so the node sees what it would see.
			upstream.on('error', () => {
				attempt.status ??= 0;
				response.socket?.destroy();
			});
			upstream.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${address.port}`,
		attempts,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

function flowNodes(options: SoakOptions) {
	const requestOptions = { maxRetries: options.maxRetries, maxConcurrency: options.maxConcurrency };
	const nodes = [
		electioNode(
			'Create',
			{
				resource: 'consignment',
				operation: 'create',
				inputMode: 'json',
				consignmentJson: '={{ $json }}',
				requestOptions,
			},
			0,
		),
		electioNode(
			'Get Quotes',
			{ resource: 'quote', operation: 'getForConsignment', requestOptions },
			1,
		),
		electioNode(
			'Allocate',
			{
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'cheapest',
				requestOptions,
			},
			2,
		),
		electioNode(
			'Get Labels',
			{ resource: 'label', operation: 'get', labelFormat: 'PDF', requestOptions },
			3,
		),
		electioNode(
			'Manifest',
			{ resource: 'manifest', operation: 'fromQuery', runMode: 'once', requestOptions },
			4,
		),
	];
	return nodes.map((node) => ({ ...node, onError: 'continueRegularOutput' as const }));
}

function pairedIndexes(item: INodeExecutionData): number[] {
	const paired = item.pairedItem;
	if (paired === undefined) return [];
	const list = Array.isArray(paired) ? paired : [paired];
	return list.map((entry) => (typeof entry === 'number' ? entry : entry.item));
}

/** Which node was running when the sandbox received a request, from the run's own timings. */
function nodeWindows(run: IRun): Array<{ node: string; from: number; to: number }> {
	return STEPS.flatMap((node) =>
		(run.data.resultData.runData[node] ?? []).map((task) => ({
			node,
			from: task.startTime,
			to: task.startTime + task.executionTime,
		})),
	);
}

function normaliseReason(reason: string): string {
	return reason
		.replace(/EC-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/g, '<ref>')
		.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<quote>')
		.replace(/\d+/g, 'N');
}

export async function runSoak(
	partial: Partial<SoakOptions> = {},
	sandboxIn?: Sandbox,
): Promise<SoakReport> {
	const options: SoakOptions = { ...DEFAULT_SOAK_OPTIONS, ...partial };
	const sandbox = sandboxIn ?? (await startSandbox({ port: 0, seed: options.seed }));
	const recorder = await startRecorder(sandbox.url);
	try {
		sandbox.reset();
		sandbox.clearHooks();
		sandbox.setFaults(options.faults);
		const prefix = `SOAK-${options.seed}`;
		const inputs = Array.from({ length: options.n }, (_, index) =>
			consignmentBody(`${prefix}-${String(index).padStart(4, '0')}`, {
				packages: 1 + (index % 3),
				country: index % 10 === 0 ? 'FR' : 'GB',
			}),
		);
		const started = Date.now();
		const nodes = flowNodes(options);
		const run = await runWorkflow({
			nodes,
			connections: chain(...nodes.map((node) => node.name)),
			credentials: { apiKey: sandbox.apiKey, environment: 'custom', baseUrl: recorder.url },
			startNodeName: 'Create',
			startItems: inputs.map((json) => ({ json })),
		});
		const durationMs = Date.now() - started;
		sandbox.setFaults(null);
		return analyse(options, sandbox, recorder.attempts, run, inputs, durationMs);
	} finally {
		await recorder.close();
		if (!sandboxIn) await sandbox.close();
	}
}

function analyse(
	options: SoakOptions,
	sandbox: Sandbox,
	attempts: Attempt[],
	run: IRun,
	inputs: IDataObject[],
	durationMs: number,
): SoakReport {
	const pairingErrors: string[] = [];
	if (run.data.resultData.error)
		pairingErrors.push(`the execution failed: ${run.data.resultData.error.message}`);

	// For every step, the output items paired to each of its input items.
	let previousCount = inputs.length;
	const byStep = new Map<string, INodeExecutionData[][]>();
	for (const step of STEPS) {
		const output = outputOf(run, step);
		const perInput: INodeExecutionData[][] = Array.from({ length: previousCount }, () => []);
		for (const item of output) {
			const indexes = pairedIndexes(item);
			if (!indexes.length) pairingErrors.push(`${step}: an output item is paired to no input`);
			for (const index of indexes) {
				if (index < 0 || index >= previousCount)
					pairingErrors.push(`${step}: paired to input ${index} of ${previousCount}`);
				else perInput[index].push(item);
			}
		}
		perInput.forEach((items, index) => {
			if (items.length !== 1)
				pairingErrors.push(
					`${step}: input item ${index} has ${items.length} output items paired to it`,
				);
		});
		byStep.set(step, perInput);
		previousCount = output.length;
	}

	// Follow each original input through the chain (one item per step, so indexes carry over).
	const consignments = sandbox.consignments();
	const byCustomer = new Map<string, typeof consignments>();
	for (const consignment of consignments) {
		const key = consignment.ConsignmentReferenceProvidedByCustomer;
		byCustomer.set(key, [...(byCustomer.get(key) ?? []), consignment]);
	}
	const outcomes: ItemOutcome[] = inputs.map((input, index) => {
		const customerReference = input.ConsignmentReferenceProvidedByCustomer as string;
		const held = byCustomer.get(customerReference) ?? [];
		let reason: string | undefined;
		let consignmentReference: string | undefined;
		let description: string | undefined;
		for (const step of STEPS) {
			// Every per-item step keeps one output per input in order (checked above), and the
			// manifest's single item is paired to all of them: the same index follows the item.
			const item = byStep.get(step)?.[index]?.[0];
			if (!item) break;
			if (typeof item.json.error === 'string' && !reason) {
				reason = `${step}: ${item.json.error}`;
				description =
					typeof item.json.errorDescription === 'string' ? item.json.errorDescription : undefined;
			}
			if (step === 'Create' && typeof item.json.consignmentReference === 'string')
				consignmentReference = item.json.consignmentReference;
			if (step === 'Manifest' && !reason && consignmentReference) {
				const failed = (item.json.failedConsignments as string[] | undefined) ?? [];
				if (failed.includes(consignmentReference))
					reason = `Manifest: ${consignmentReference} failed to manifest`;
			}
		}
		const finalState =
			held.length === 1
				? held[0].ConsignmentState
				: held.length
					? held.map((c) => c.ConsignmentState).join('+')
					: undefined;
		const outcome: ItemOutcome['outcome'] =
			held.length === 1 && finalState === 'Manifested'
				? 'manifested'
				: reason
					? 'reported'
					: 'lost';
		return {
			index,
			customerReference,
			consignmentReference,
			createDropped: attempts.some(
				(attempt) =>
					attempt.method === 'POST' &&
					attempt.customerReference === customerReference &&
					attempt.status === 0,
			),
			created: held.length,
			finalState,
			reason,
			description,
			outcome,
		};
	});

	// Attempts per logical request: same node, method, path and (for creates) customer reference.
	const log = sandbox.requests();
	const windows = nodeWindows(run);
	const groups = new Map<string, number>();
	const statuses = new Map<string, string[]>();
	for (const attempt of attempts) {
		// 429s are bounded by the time the node may wait (Max Wait When Throttled), not by Max Retries.
		if (attempt.status === 429) continue;
		const node =
			windows.find((window) => attempt.at >= window.from - 5 && attempt.at <= window.to + 5)
				?.node ?? '?';
		const key =
			`${node} ${attempt.method} ${attempt.path} ${attempt.customerReference ?? ''}`.trim();
		groups.set(key, (groups.get(key) ?? 0) + 1);
		statuses.set(key, [
			...(statuses.get(key) ?? []),
			attempt.status === 0 ? 'drop' : String(attempt.status ?? '?'),
		]);
	}
	if (attempts.length !== log.length) {
		pairingErrors.push(
			`the node made ${attempts.length} requests but the sandbox logged ${log.length}`,
		);
	}
	const attemptLimit = options.maxRetries + 1;
	let maxAttempts = 0;
	let busiest = '';
	const overLimit: SoakReport['overLimit'] = [];
	for (const [key, count] of groups) {
		if (count > maxAttempts) busiest = `${key}: ${statuses.get(key)!.join(', ')}`;
		maxAttempts = Math.max(maxAttempts, count);
		if (count > limitFor(key, attemptLimit)) {
			const [node, method, ...rest] = key.split(' ');
			overLimit.push({ node, method, path: rest.join(' '), attempts: count });
		}
	}
	// The node's own account must agree: no error may say it tried more often than allowed.
	for (const outcome of outcomes) {
		const tried = /Tried (\d+) times/.exec(outcome.reason ?? '');
		if (tried && Number(tried[1]) > attemptLimit)
			overLimit.push({
				node: 'error',
				method: '',
				path: outcome.customerReference,
				attempts: Number(tried[1]),
			});
	}

	const counts = sandbox.faultCounts();
	const reasons: Record<string, number> = {};
	for (const outcome of outcomes) {
		if (outcome.outcome !== 'reported') continue;
		const key = normaliseReason(outcome.reason!);
		reasons[key] = (reasons[key] ?? 0) + 1;
	}
	const duplicates = outcomes.reduce((sum, outcome) => sum + Math.max(0, outcome.created - 1), 0);
	const lost = outcomes.filter((outcome) => outcome.outcome === 'lost').length;
	const report: SoakReport = {
		options,
		durationMs,
		requests: log.length,
		faults: {
			'503': counts['503'],
			'429': counts['429'],
			drop: counts.drop,
			latencyOnly: log.filter((entry) => entry.fault === 'latency').length,
			other: counts['502'] + counts.rateLimited + counts.hook,
		},
		logicalRequests: groups.size,
		retries: attempts.length - groups.size,
		maxAttempts,
		busiest,
		attemptLimit,
		overLimit,
		inputs: inputs.length,
		createdOnce: outcomes.filter((outcome) => outcome.created === 1).length,
		notCreated: outcomes.filter((outcome) => outcome.created === 0).length,
		duplicates,
		manifested: outcomes.filter((outcome) => outcome.outcome === 'manifested').length,
		reported: outcomes.filter((outcome) => outcome.outcome === 'reported').length,
		lost,
		pairingErrors,
		reasons,
		outcomes,
		ok: false,
	};
	report.ok =
		duplicates === 0 &&
		lost === 0 &&
		report.notCreated === 0 &&
		overLimit.length === 0 &&
		pairingErrors.length === 0;
	return report;
}

/**
 * How many attempts one logical request may take. The log cannot tell the calls of one item apart
 * when they repeat by design: a create looks its customer reference up before and after, and twice
 * more after a lost answer (4 lookups), and after a lost answer that finds nothing it creates again
 * (up to Max Retries + 1 creates, each with its own retries).
 */
function limitFor(key: string, attemptLimit: number): number {
	if (/ GET \/consignments\/\d+\/\d+\?/.test(key)) return 4 * attemptLimit;
	if (/ POST \/consignments\b/.test(key)) return attemptLimit * attemptLimit;
	return attemptLimit;
}

export function formatReport(report: SoakReport): string {
	const { options } = report;
	const rows: Array<[string, string | number, string?]> = [
		['consignments in', report.inputs],
		['requests', report.requests, `${report.logicalRequests} logical`],
		['faults: 503', report.faults['503']],
		[
			'faults: 429 + Retry-After',
			report.faults['429'],
			`Retry-After ${options.faults.retryAfterSeconds ?? 1} s`,
		],
		['faults: dropped connections', report.faults.drop],
		[
			'faults: extra latency only',
			report.faults.latencyOnly,
			`${(options.faults.extraLatencyMs ?? [0, 0]).join('-')} ms`,
		],
		['retries', report.retries],
		[
			'max attempts per request',
			report.maxAttempts,
			`limit ${report.attemptLimit} (Max Retries ${options.maxRetries})`,
		],
		['over the retry limit', report.overLimit.length, 'must be 0'],
		['created exactly once', report.createdOnce],
		['never created', report.notCreated, 'must be 0'],
		['duplicates', report.duplicates, 'must be 0'],
		['manifested', report.manifested],
		['reported with a reason', report.reported],
		['lost items', report.lost, 'must be 0'],
		['pairing errors', report.pairingErrors.length, 'must be 0'],
	];
	const width = Math.max(...rows.map(([name]) => name.length));
	const valueWidth = Math.max(...rows.map(([, value]) => String(value).length));
	const lines = [
		`Electio fault soak: ${report.inputs} consignments, seed ${options.seed}, ${(report.durationMs / 1000).toFixed(1)} s, ` +
			`faults ${Math.round((options.faults.rate503 ?? 0) * 100)}% 503 / ${Math.round((options.faults.rate429 ?? 0) * 100)}% 429 / ${Math.round((options.faults.dropRate ?? 0) * 100)}% drop`,
		`${'-'.repeat(width)}  ${'-'.repeat(valueWidth)}`,
		...rows.map(
			([name, value, note]) =>
				`${name.padEnd(width)}  ${String(value).padStart(valueWidth)}${note ? `  (${note})` : ''}`,
		),
		`${'-'.repeat(width)}  ${'-'.repeat(valueWidth)}`,
	];
	if (Object.keys(report.reasons).length) {
		lines.push('Reported reasons:');
		for (const [reason, count] of Object.entries(report.reasons).sort((a, b) => b[1] - a[1]))
			lines.push(`  ${String(count).padStart(4)} × ${reason}`);
	}
	for (const problem of report.pairingErrors.slice(0, 10)) lines.push(`PAIRING: ${problem}`);
	for (const over of report.overLimit.slice(0, 10))
		lines.push(`OVER LIMIT: ${over.node} ${over.method} ${over.path}: ${over.attempts} attempts`);
	for (const outcome of report.outcomes.filter((o) => o.outcome === 'lost').slice(0, 10)) {
		lines.push(
			`LOST: input ${outcome.index} (${outcome.customerReference}) ${outcome.consignmentReference ?? ''} state ${outcome.finalState ?? 'not created'}`,
		);
	}
	for (const outcome of report.outcomes.filter((o) => o.created > 1).slice(0, 10)) {
		lines.push(
			`DUPLICATE: input ${outcome.index} (${outcome.customerReference}) created ${outcome.created} times`,
		);
	}
	lines.push(`Most attempts: ${report.busiest}`);
	lines.push(report.ok ? 'RESULT: PASS' : 'RESULT: FAIL');
	return lines.join('\n');
}
