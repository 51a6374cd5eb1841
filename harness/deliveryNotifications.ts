// examples/delivery-notifications.json (the Electio Trigger) in a real n8n, for the demo and the e2e
// run: the workflow activated under `n8n start`, and what the sandbox's own records say of it: its
// polls of the state events, and how often it fired for each consignment (the workflow's first step
// after the trigger reads the consignment's tracking, once per firing).
import { readExample } from './package';
import { stateOf } from './parcelJourneys';
import { freePort, until } from './process';
import type { N8nServer, N8nUserFolder } from './real-n8n';
import type { Sandbox } from '../sandbox';

export const DELIVERY_NOTIFICATIONS = {
	file: 'delivery-notifications.json',
	trigger: 'Electio Trigger: delivered or collection failed',
	/** The Electio step the workflow runs once per delivered consignment. */
	tracking: 'Tracking events',
};
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
