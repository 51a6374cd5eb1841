// Driving workflows through their production webhooks, as traffic reaches n8n in production (and
// the only way an execution reaches the workers in queue mode: `n8n execute` runs in its own
// process): the quotes flow behind a webhook, ERP orders for examples/erp-webhook-to-label.json,
// a burst of them (each order its own HTTP call) and, per order, what the ERP was answered and
// what the sandbox's own records hold.
import type { RequestLogEntry, Sandbox } from '../sandbox';
import { readExample } from './package';
import { sleep } from './process';
import { QUOTES_FLOW_NODES } from './real-n8n/report';

export const ERP_WEBHOOK_PATH = 'electio-erp-order';
export const ERP_WORKFLOW_ID = 'electioErpWebhook01';

/** examples/quotes-flow.json with its Manual Trigger replaced by a webhook that answers when the flow is done. */
export const QUOTES_WEBHOOK = {
	id: 'electioQuotesFlowHook',
	path: 'electio-quotes-flow',
	trigger: 'Quotes flow webhook',
};

export function quotesFlowOnWebhook(): Record<string, any> {
	const workflow = readExample('quotes-flow.json');
	const manual = workflow.nodes.find((n: any) => n.name === QUOTES_FLOW_NODES.trigger);
	if (!manual) throw new Error(`quotes-flow.json has no node "${QUOTES_FLOW_NODES.trigger}"`);
	workflow.nodes = workflow.nodes.filter((n: any) => n !== manual);
	workflow.nodes.push({
		id: 'b7f7c1de-5f0e-4c55-9a55-0c1d2a3b4c5d',
		name: QUOTES_WEBHOOK.trigger,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: manual.position,
		webhookId: 'c0a8e0f2-7d1b-4f2e-8a6b-2f4d6e8a0b1c',
		parameters: {
			httpMethod: 'POST',
			path: QUOTES_WEBHOOK.path,
			responseMode: 'lastNode',
			responseData: 'firstEntryJson',
			options: {},
		},
	});
	workflow.connections[QUOTES_WEBHOOK.trigger] = workflow.connections[QUOTES_FLOW_NODES.trigger];
	delete workflow.connections[QUOTES_FLOW_NODES.trigger];
	return { ...workflow, id: QUOTES_WEBHOOK.id, name: `${workflow.name} (webhook)`, active: false };
}

/** What an ERP posts to the ERP example's webhook (it maps the order to Electio's consignment). */
export function erpOrder(orderNumber: string): Record<string, any> {
	return {
		orderNumber,
		deliverBy: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
		shipFrom: 'Sorted1',
		customer: {
			firstName: 'Ada',
			lastName: 'Lovelace',
			email: 'ada@example.com',
			phone: '07700900123',
		},
		shippingAddress: {
			line1: '12 St James Square',
			town: 'London',
			postcode: 'SW1Y 4JH',
			countryCode: 'GB',
		},
		parcels: [
			{
				weightKg: 1.2,
				lengthCm: 30,
				widthCm: 20,
				heightCm: 10,
				description: 'Books',
				value: 42.5,
				currency: 'GBP',
			},
		],
	};
}

export interface Delivery {
	orderNumber: string;
	/** 0: no HTTP answer (connection error or timeout) */
	status: number;
	body: string;
	json?: any;
	/** when the order was sent (epoch ms) */
	sentAt: number;
	/** from sending the order to the end of the answer */
	ms: number;
	error?: string;
}

async function post(
	url: string,
	body: unknown,
	timeoutMs: number,
): Promise<{ status: number; text: string }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	return { status: response.status, text: await response.text() };
}

/** POSTs JSON to a webhook; a 404 while n8n is still registering its webhooks is retried. */
export async function postJson(
	url: string,
	body: unknown,
	timeoutMs = 180_000,
): Promise<{ status: number; text: string }> {
	for (let attempt = 0; ; attempt++) {
		const answer = await post(url, body, timeoutMs);
		if (answer.status !== 404 || attempt >= 20) return answer;
		await sleep(1000);
	}
}

/** Waits until n8n answers the webhook path (a GET on a POST webhook says it is registered). */
export async function waitForWebhook(url: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (true) {
		const response = await fetch(url, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
		const text = (await response?.text()) ?? '';
		if (response && (response.status !== 404 || /not registered for GET/i.test(text))) return;
		if (Date.now() > deadline) throw new Error(`the webhook ${url} was not registered in time`);
		await sleep(500);
	}
}

/** deliverAll, and the wall time from the first order sent to the last answer. */
export async function deliverTimed(
	url: string,
	orders: Array<Record<string, any>>,
	timeoutMs?: number,
): Promise<{ deliveries: Delivery[]; wallMs: number }> {
	const started = performance.now();
	const deliveries = await deliverAll(url, orders, timeoutMs);
	return { deliveries, wallMs: performance.now() - started };
}

/** Delivers every order as its own HTTP call, all at once (an ERP flushing its queue). */
export async function deliverAll(
	url: string,
	orders: Array<Record<string, any>>,
	timeoutMs = 300_000,
): Promise<Delivery[]> {
	return await Promise.all(
		orders.map(async (order) => {
			const sentAt = Date.now();
			const started = performance.now();
			try {
				const { status, text: body } = await post(url, order, timeoutMs);
				let json: any;
				try {
					json = JSON.parse(body);
				} catch {
					/* not JSON */
				}
				const ms = performance.now() - started;
				return { orderNumber: order.orderNumber, status, body, json, sentAt, ms };
			} catch (error) {
				const ms = performance.now() - started;
				const message = error instanceof Error ? error.message : String(error);
				return { orderNumber: order.orderNumber, status: 0, body: '', sentAt, ms, error: message };
			}
		}),
	);
}

/** A 200 that tells the ERP its order shipped: a consignment reference and tracking numbers. */
export function shipped(delivery: Delivery): boolean {
	const tracking = delivery.json?.trackingNumbers;
	return (
		delivery.status === 200 &&
		typeof delivery.json?.consignmentReference === 'string' &&
		Array.isArray(tracking) &&
		tracking.length > 0
	);
}

export interface BurstOutcome {
	orders: number;
	/** first deliveries answered 200 with tracking numbers that match the sandbox's consignment */
	answered: number;
	/** first deliveries answered otherwise (status: count; 0 = no answer) */
	failed: Record<string, number>;
	/** orders without a shipped (allocated, labels printed) consignment in the sandbox at the end */
	lost: string[];
	/** orders the sandbox holds more than one consignment for */
	duplicates: string[];
	/** redeliveries answered 200 with the first delivery's consignment and tracking numbers */
	sameAnswer: number;
	/** redeliveries answered otherwise */
	redeliveryDifferent: string[];
	/** the sandbox's answers to every API call in the run, by status */
	apiCalls: Record<string, number>;
}

/** Per order: the ERP's answers (first delivery and redelivery) against the sandbox's records. */
export function burstOutcome(
	sandbox: Sandbox,
	orderNumbers: string[],
	first: Delivery[],
	redelivered: Delivery[] = [],
): BurstOutcome {
	const byOrder = new Map<string, any[]>();
	for (const c of sandbox.consignments()) {
		const key = String(c.ConsignmentReferenceProvidedByCustomer);
		byOrder.set(key, [...(byOrder.get(key) ?? []), c]);
	}
	// the answer names a shipped consignment of the order and carries its tracking numbers
	const matches = (delivery: Delivery | undefined, shippedRecords: any[]) => {
		if (!delivery || !shipped(delivery)) return false;
		const record = shippedRecords.find((r) => r.Reference === delivery.json.consignmentReference);
		return (
			!!record &&
			JSON.stringify(delivery.json.trackingNumbers) === JSON.stringify(record.TrackingReferences)
		);
	};
	const firstBy = new Map(first.map((d) => [d.orderNumber, d]));
	const againBy = new Map(redelivered.map((d) => [d.orderNumber, d]));
	const outcome: BurstOutcome = {
		orders: orderNumbers.length,
		answered: 0,
		failed: {},
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
		const firstDelivery = firstBy.get(orderNumber);
		if (matches(firstDelivery, shippedRecords)) outcome.answered++;
		else {
			const key = String(firstDelivery?.status ?? 'not sent');
			outcome.failed[key] = (outcome.failed[key] ?? 0) + 1;
		}
		const again = againBy.get(orderNumber);
		if (again) {
			const same =
				matches(again, shippedRecords) &&
				again.json.consignmentReference === firstDelivery?.json?.consignmentReference;
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
export function callsByOrder(sandbox: Sandbox): Map<string, RequestLogEntry[]> {
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

/** Where one delivery's time went, by the sandbox's log of the API calls made for its order. */
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
 * Per delivery, where its time went. Meant for one delivery per order in the sandbox's log (clear
 * the log between phases); with two deliveries of an order at once, both are given all its calls.
 */
export function orderTimings(sandbox: Sandbox, deliveries: Delivery[]): OrderTiming[] {
	const byOrder = callsByOrder(sandbox);
	return deliveries.map((delivery) => {
		const answeredAt = delivery.sentAt + delivery.ms;
		const calls = (byOrder.get(delivery.orderNumber) ?? []).filter(
			(call) => call.startedAt >= delivery.sentAt - 5 && call.startedAt <= answeredAt,
		);
		const timing: OrderTiming = {
			orderNumber: delivery.orderNumber,
			status: delivery.status,
			totalMs: delivery.ms,
			calls: calls.length,
			calls429: calls.filter((call) => call.status === 429).length,
			beforeFirstCallMs: delivery.ms,
			inCallsMs: 0,
			betweenCallsMs: 0,
			afterLastCallMs: 0,
		};
		if (!calls.length) return timing;
		const first = Math.min(...calls.map((call) => call.startedAt));
		const last = Math.max(...calls.map((call) => call.startedAt + call.durationMs));
		timing.beforeFirstCallMs = first - delivery.sentAt;
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
