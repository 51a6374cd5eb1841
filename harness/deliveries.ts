// Deliveries in the sandbox and the Electio Trigger in a real n8n, for the demo and the e2e run:
// consignments seeded straight through the sandbox API and manifested so its tracking clock moves
// them on, the delivery-notifications workflow activated under `n8n start`, and what the sandbox's
// own records say about each consignment: its state, and how often the workflow fired for it (the
// workflow's first step after the trigger reads the consignment's tracking, once per firing).
import { consignmentBody } from './fixtures/consignments';
import { readExample } from './package';
import { freePort, sleep } from './process';
import type { N8nServer, N8nUserFolder } from './real-n8n';
import type { Sandbox } from '../sandbox';

export const DELIVERY_NOTIFICATIONS = {
	file: 'delivery-notifications.json',
	trigger: 'Electio Trigger: delivered or collection failed',
	/** The Electio step the workflow runs once per delivered consignment. */
	tracking: 'Tracking events',
};

/** The sandbox API, as a client would call it. */
export async function sandboxApi(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: unknown,
): Promise<any> {
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: {
			'ocp-apim-subscription-key': sandbox.apiKey,
			'electio-api-version': '1.1',
			accept: 'application/json',
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(30_000),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
	return text ? JSON.parse(text) : undefined;
}

/** A consignment created straight through the sandbox API; its reference (from the answer's Href). */
export async function createConsignment(sandbox: Sandbox, body: unknown): Promise<string> {
	const [link] = await sandboxApi(sandbox, 'POST', '/consignments', body);
	return decodeURIComponent(String(link.Href).split('/').pop()!);
}

/** Consignments created, allocated (cheapest) and manifested in one call; their references. */
export async function seedManifested(
	sandbox: Sandbox,
	customerReferences: string[],
): Promise<string[]> {
	const references: string[] = [];
	for (const customerReference of customerReferences) {
		const reference = await createConsignment(sandbox, consignmentBody(customerReference));
		await sandboxApi(
			sandbox,
			'PUT',
			`/allocation/${encodeURIComponent(reference)}/allocatewithcheapestquote`,
		);
		references.push(reference);
	}
	if (references.length) {
		await sandboxApi(sandbox, 'PUT', '/consignments/manifest', {
			ConsignmentReferences: references,
		});
	}
	return references;
}

/** Consignment references whose journeys were set to end delivered, or failed. */
export interface Journeys {
	delivered: string[];
	failed: string[];
}

/**
 * Consignments manifested with a known end: those of `delivered` (customer references) reach
 * Delivered, those of `failed` fail at collection or delivery. The sandbox plans a journey when the
 * consignment is manifested, by its failure rate then, which is restored afterwards.
 */
export async function seedJourneys(
	sandbox: Sandbox,
	customerReferences: { delivered?: string[]; failed?: string[] },
): Promise<Journeys> {
	const { failureRate } = sandbox.trackingSettings();
	try {
		sandbox.setTracking({ failureRate: 0 });
		const delivered = await seedManifested(sandbox, customerReferences.delivered ?? []);
		sandbox.setTracking({ failureRate: 1 });
		const failed = await seedManifested(sandbox, customerReferences.failed ?? []);
		return { delivered, failed };
	} finally {
		sandbox.setTracking({ failureRate });
	}
}

/** States in which a carrier journey has ended. */
const JOURNEY_ENDS = ['Delivered', 'CollectionFailed', 'DeliveryFailed'];

export function stateOf(sandbox: Sandbox, reference: string): string | undefined {
	return sandbox.getConsignment(reference)?.ConsignmentState;
}

/** Waits until every consignment's journey has ended (Delivered, or a failure). */
export async function journeysEnded(
	sandbox: Sandbox,
	references: string[],
	timeoutMs: number,
): Promise<void> {
	await until(
		() => references.every((reference) => JOURNEY_ENDS.includes(stateOf(sandbox, reference) ?? '')),
		timeoutMs,
		() =>
			`journeys ended: ${references.map((reference) => `${reference} ${stateOf(sandbox, reference)}`).join(', ')}`,
	);
}

/** When the sandbox answered each poll of the state events (ms since the epoch), oldest first. */
export function statePollTimes(sandbox: Sandbox): number[] {
	return sandbox
		.requests()
		.filter(
			(entry) =>
				entry.method === 'POST' &&
				entry.path === '/events/consignments/stateevents' &&
				entry.status === 200,
		)
		.map((entry) => entry.startedAt)
		.sort((a, b) => a - b);
}

/** How many polls of the state events the sandbox has answered. */
export function statePolls(sandbox: Sandbox): number {
	return statePollTimes(sandbox).length;
}

/** How often the workflow fired for a consignment: its tracking step read the consignment's events. */
export function firings(sandbox: Sandbox, reference: string): number {
	const path = `/tracking/${encodeURIComponent(reference)}`;
	return sandbox.requests().filter((entry) => entry.method === 'GET' && entry.path === path).length;
}

/** Waits for `more` polls after the ones already seen (n8n polls once a minute at a random second). */
export async function morePolls(
	sandbox: Sandbox,
	more: number,
	timeoutMs = (more + 1) * 75_000,
): Promise<void> {
	const target = statePolls(sandbox) + more;
	await until(
		() => statePolls(sandbox) >= target,
		timeoutMs,
		() => `${more} more poll(s) (seen ${statePolls(sandbox)}, want ${target})`,
	);
}

/** Waits until the workflow has fired for every delivered consignment. */
export async function firedForDelivered(
	sandbox: Sandbox,
	references: string[],
	timeoutMs: number,
): Promise<void> {
	const delivered = references.filter((reference) => stateOf(sandbox, reference) === 'Delivered');
	await until(
		() => delivered.every((reference) => firings(sandbox, reference) > 0),
		timeoutMs,
		() =>
			`fired for ${delivered.filter((reference) => firings(sandbox, reference) > 0).length} of ${delivered.length} delivered`,
	);
}

/**
 * examples/delivery-notifications.json imported, published and running under `n8n start`, with
 * the trigger's options changed by `options` (e.g. `{ includeLastHours: 1 }`); resolves once n8n has
 * polled at activation.
 */
export async function startDeliveryNotifications(
	folder: N8nUserFolder,
	sandbox: Sandbox,
	options: Record<string, unknown> = {},
): Promise<{ server: N8nServer; workflowId: string }> {
	const workflow = readExample(DELIVERY_NOTIFICATIONS.file);
	const trigger = workflow.nodes.find((node: any) => node.name === DELIVERY_NOTIFICATIONS.trigger);
	trigger.parameters.options = { ...trigger.parameters.options, ...options };
	const workflowId = await folder.importWorkflow(workflow);
	await folder.publishWorkflow(workflowId);
	const polls = statePolls(sandbox);
	const server = await startServer(folder);
	await until(
		() => statePolls(sandbox) > polls,
		60_000,
		() => 'the poll n8n runs at activation',
	);
	return { server, workflowId };
}

/** `n8n start` on a free port (again, after a stop: the same user folder, static data and all). */
export async function startServer(folder: N8nUserFolder): Promise<N8nServer> {
	return await folder.start({ port: await freePort(), timeoutMs: 180_000 });
}

async function until(
	condition: () => boolean,
	timeoutMs: number,
	what: () => string,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what()}`);
		await sleep(500);
	}
}

/** One consignment after its journey, by the sandbox's records. */
export interface DeliveryRow {
	customerReference: string;
	consignmentReference: string;
	state: string;
	deliveredAt: string;
	signedBy: string;
	/** How often the delivery-notifications workflow fired for it. */
	fired: number;
}

export function deliveryRows(sandbox: Sandbox, references: string[]): DeliveryRow[] {
	return references.map((reference) => {
		const stored = sandbox.getConsignment(reference);
		const delivered = stored?.trackingEvents.find((event) => event.Code === 'DELIVERED');
		return {
			customerReference: String(stored?.ConsignmentReferenceProvidedByCustomer ?? ''),
			consignmentReference: reference,
			state: String(stored?.ConsignmentState ?? 'unknown'),
			deliveredAt: delivered?.TimeStamp ?? '',
			signedBy: delivered?.SignedBy ?? '',
			fired: firings(sandbox, reference),
		};
	});
}

/** The rows as a plain-text table. */
export function deliveryTable(rows: DeliveryRow[]): string {
	const head = ['Customer ref', 'Reference', 'State', 'Delivered at', 'Signed by', 'Trigger fired'];
	const body = rows.map((row) => [
		row.customerReference,
		row.consignmentReference,
		row.state,
		row.deliveredAt,
		row.signedBy,
		`${row.fired}x`,
	]);
	const widths = head.map((title, column) =>
		Math.max(title.length, ...body.map((cells) => cells[column].length)),
	);
	return [head, widths.map((width) => '-'.repeat(width)), ...body]
		.map((cells) =>
			cells
				.map((cell, column) => (cell || '-').padEnd(widths[column]))
				.join('  ')
				.trimEnd(),
		)
		.join('\n');
}
