// What a burst of webhook sends did, by what the ERP was answered and the sandbox's own records:
// per order answered, lost or created twice; the API calls each order made and where its time went.
import type { RequestLogEntry, Sandbox } from '../sandbox';
import type { WebhookSend } from './webhookSends';

/** A 200 that tells the ERP its order shipped: a consignment reference and tracking numbers. */
function shipped(send: WebhookSend): boolean {
	const tracking = send.json?.trackingNumbers;
	return (
		send.status === 200 &&
		typeof send.json?.consignmentReference === 'string' &&
		Array.isArray(tracking) &&
		tracking.length > 0
	);
}

export interface BurstOutcome {
	orders: number;
	/** first sends answered 200 with tracking numbers that match the sandbox's consignment */
	answered: number;
	/** first sends answered otherwise (status: count; 0 = no answer) */
	failed: Record<string, number>;
	/** the orders of those */
	failedOrders: string[];
	/** orders without a shipped (allocated, labels printed) consignment in the sandbox at the end */
	lost: string[];
	/** orders the sandbox holds more than one consignment for */
	duplicates: string[];
	/** redeliveries answered 200 with the first send's consignment and tracking numbers */
	sameAnswer: number;
	/** redeliveries answered otherwise */
	redeliveryDifferent: string[];
	/** the sandbox's answers to every API call in the run, by status */
	apiCalls: Record<string, number>;
}

/** Per order: the ERP's answers (first send and redelivery) against the sandbox's records. */
export function burstOutcome(
	sandbox: Sandbox,
	orderNumbers: string[],
	first: WebhookSend[],
	redelivered: WebhookSend[] = [],
): BurstOutcome {
	const byOrder = new Map<string, any[]>();
	for (const c of sandbox.consignments()) {
		const key = String(c.ConsignmentReferenceProvidedByCustomer);
		byOrder.set(key, [...(byOrder.get(key) ?? []), c]);
	}
	// the answer names a shipped consignment of the order and carries its tracking numbers
	const matches = (send: WebhookSend | undefined, shippedRecords: any[]) => {
		if (!send || !shipped(send)) return false;
		const record = shippedRecords.find((r) => r.Reference === send.json.consignmentReference);
		return (
			!!record &&
			JSON.stringify(send.json.trackingNumbers) === JSON.stringify(record.TrackingReferences)
		);
	};
	const firstBy = new Map(first.map((d) => [d.orderNumber, d]));
	const againBy = new Map(redelivered.map((d) => [d.orderNumber, d]));
	const outcome: BurstOutcome = {
		orders: orderNumbers.length,
		answered: 0,
		failed: {},
		failedOrders: [],
		lost: [],
		duplicates: [],
		sameAnswer: 0,
		redeliveryDifferent: [],
		apiCalls: {},
	};
	for (const orderNumber of orderNumbers) {
		const records = byOrder.get(orderNumber) ?? [];
		const shippedRecords = records.filter(
			(r) =>
				r.LabelsPrinted && ['Allocated', 'ReadyToShip', 'Manifested'].includes(r.ConsignmentState),
		);
		if (records.length > 1) outcome.duplicates.push(orderNumber);
		if (shippedRecords.length === 0) outcome.lost.push(orderNumber);
		const firstWebhookSend = firstBy.get(orderNumber);
		if (matches(firstWebhookSend, shippedRecords)) outcome.answered++;
		else {
			const key = String(firstWebhookSend?.status ?? 'not sent');
			outcome.failed[key] = (outcome.failed[key] ?? 0) + 1;
			outcome.failedOrders.push(orderNumber);
		}
		const again = againBy.get(orderNumber);
		if (again) {
			const same =
				matches(again, shippedRecords) &&
				again.json.consignmentReference === firstWebhookSend?.json?.consignmentReference;
			if (same) outcome.sameAnswer++;
			else outcome.redeliveryDifferent.push(orderNumber);
		}
	}
	for (const entry of sandbox.requests()) {
		outcome.apiCalls[entry.status] = (outcome.apiCalls[entry.status] ?? 0) + 1;
	}
	return outcome;
}

const CONSIGNMENT_REF = /EC-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/gi;
const QUOTE_REF = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** An API call's route without its references: `PUT /allocation/{ref}/allocatewithquote/{quote}`. */
export function apiRoute(entry: RequestLogEntry): string {
	const [pathOnly] = entry.path.split('?');
	const route = pathOnly
		.replace(CONSIGNMENT_REF, '{ref}')
		.replace(QUOTE_REF, '{quote}')
		.replace(/^\/consignments\/\d+\/\d+$/, '/consignments/{take}/{skip}');
	return `${entry.method} ${route}`;
}

/**
 * The order (customer reference) each API call in the sandbox's log served: the log's own
 * customer reference, the lookup's `referenceProvidedByCustomer`, or the consignment reference in
 * the path. A create answered 429 names none (its body was never read): it stays unattributed.
 */
function callsByOrder(sandbox: Sandbox): Map<string, RequestLogEntry[]> {
	const orderOfConsignment = new Map(
		sandbox
			.consignments()
			.map((c) => [c.Reference, String(c.ConsignmentReferenceProvidedByCustomer)]),
	);
	const byOrder = new Map<string, RequestLogEntry[]>();
	for (const entry of sandbox.requests()) {
		const query = new URLSearchParams(entry.path.split('?')[1] ?? '');
		const ref = entry.path.match(CONSIGNMENT_REF)?.[0];
		const order =
			entry.customerReference ??
			query.get('referenceProvidedByCustomer') ??
			(ref ? orderOfConsignment.get(ref) : undefined);
		if (order === undefined) continue;
		byOrder.set(order, [...(byOrder.get(order) ?? []), entry]);
	}
	return byOrder;
}

/** Where one send's time went, by the sandbox's log of the API calls made for its order. */
export interface OrderTiming {
	orderNumber: string;
	status: number;
	/** sent → answered */
	totalMs: number;
	calls: number;
	calls429: number;
	/** sent → its first API call: n8n taking the request and starting the execution, the first wait to call */
	beforeFirstCallMs: number;
	/** inside its API calls (the sandbox's latency), 429s included */
	inCallsMs: number;
	/** from its first call to its last answer, outside its calls: rate-control and retry waits, n8n between nodes */
	betweenCallsMs: number;
	/** its last API answer → the webhook's answer */
	afterLastCallMs: number;
}

/**
 * Per send, where its time went. Meant for one send per order in the sandbox's log (clear
 * the log between phases); with two sends of an order at once, both are given all its calls.
 */
export function orderTimings(sandbox: Sandbox, sends: WebhookSend[]): OrderTiming[] {
	const byOrder = callsByOrder(sandbox);
	return sends.map((send) => {
		const answeredAt = send.sentAt + send.ms;
		const calls = (byOrder.get(send.orderNumber) ?? []).filter(
			(call) => call.startedAt >= send.sentAt - 5 && call.startedAt <= answeredAt,
		);
		const timing: OrderTiming = {
			orderNumber: send.orderNumber,
			status: send.status,
			totalMs: send.ms,
			calls: calls.length,
			calls429: calls.filter((call) => call.status === 429).length,
			beforeFirstCallMs: send.ms,
			inCallsMs: 0,
			betweenCallsMs: 0,
			afterLastCallMs: 0,
		};
		if (!calls.length) return timing;
		const first = Math.min(...calls.map((call) => call.startedAt));
		const last = Math.max(...calls.map((call) => call.startedAt + call.durationMs));
		timing.beforeFirstCallMs = first - send.sentAt;
		timing.inCallsMs = calls.reduce((sum, call) => sum + call.durationMs, 0);
		timing.betweenCallsMs = Math.max(0, last - first - timing.inCallsMs);
		timing.afterLastCallMs = Math.max(0, answeredAt - last);
		return timing;
	});
}

/** The p-th percentile (0..100) of the values, nearest rank. */
export function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
