// What one chaos scenario did to the orders, by the ERP's answers and the sandbox's records: the
// definite answers, consignments per order, orders lost, shipped twice or left half-done, answers
// that differ from the sandbox or between deliveries, what the ERP was answered instead, the calls.
import type { RequestLogEntry, Sandbox, StoredConsignment } from '../sandbox';
import type { OrderDeliveries } from '../harness/erpClient';
import { burstOutcome, percentile } from '../harness/webhookOutcomes';
import type { WebhookSend } from '../harness/webhookSends';

export interface ChaosOutcome {
	orders: number;
	/** orders the ERP got a definite answer for (200 or 422) */
	definite: number;
	/** of those, 200s naming the order's shipped consignment and its tracking numbers */
	definiteShipped: number;
	/** orders the ERP gave up on: no definite answer after its deliveries */
	unanswered: string[];
	/** deliveries of all orders, first ones included */
	deliveries: number;
	/** orders delivered more than once */
	redelivered: number;
	/** the most deliveries one order needed */
	mostDeliveries: number;
	/** orders with exactly one consignment that is not cancelled, and it shipped */
	exactlyOne: number;
	/** extra consignments Create cancelled while Unallocated (two deliveries at once on two workers) */
	cancelledExtras: number;
	/** orders without an allocated, labelled consignment at the end */
	lost: string[];
	/** orders with more than one consignment that is not cancelled */
	twice: string[];
	/** orders with a consignment created but not both allocated and labelled at the end */
	orphans: string[];
	/** orders whose consignment was allocated more than once (a second booking with the carrier) */
	reallocated: string[];
	/** orders whose answers disagree: a 200 that is not the sandbox's consignment, or two 200s apart */
	differing: string[];
	/** the first few of those: the answer the ERP kept and the check's */
	differingAnswers: Array<{ order: string; kept: string; check: string }>;
	/**
	 * The executions n8n lost (crashed or failed), by what the sandbox held for their orders when
	 * the fault struck: what an ERP that never redelivers would be left with. `unknown`: not one of
	 * the executions open when the fault struck, whose orders were read then.
	 */
	lostExecutions: {
		executions: number;
		notCreated: number;
		halfDone: number;
		labelled: number;
		unknown: number;
	};
	/** every answer that was not definite, by kind (status and body, or why none came) */
	notDefinite: Record<string, number>;
	/** from the first delivery to the definite answer, per order, s */
	latencyS: { p50: number; p95: number; max: number };
	/** the API calls of the burst (before the check delivery) */
	calls: number;
	calls429: number;
	/** calls answered other than 429, per order */
	callsPerOrder: number;
}

const LIVE = (c: StoredConsignment) => c.ConsignmentState !== 'Cancelled';
const SHIPPED = (c: StoredConsignment) =>
	c.LabelsPrinted && ['Allocated', 'ReadyToShip', 'Manifested'].includes(c.ConsignmentState);

/** What the ERP got instead of a definite answer, as a short kind: "500 {"message":...}", "no answer in 60 s". */
export function answerKind(send: WebhookSend, timeoutS: number): string {
	if (send.status === 0) {
		if (send.error === 'TimeoutError') return `no answer within the ERP's ${timeoutS} s timeout`;
		if (send.error === 'ECONNREFUSED') return 'connection refused (main not listening)';
		return `connection closed without an answer (${send.error})`;
	}
	if (!send.body.trim()) return `${send.status} with an empty body`;
	const json = send.json;
	// an HTML error page says what it says in its text
	let body = send.body.includes('<')
		? send.body.replace(/<title>[^<]*<\/title>|<[^>]*>/g, ' ')
		: send.body;
	body = body.replace(/\s+/g, ' ').trim().slice(0, 80);
	if (json && typeof json === 'object' && 'status' in json) {
		const error = typeof json.error === 'string' ? `, error: ${json.error.slice(0, 60)}` : '';
		body = `status: ${json.status}${error}`;
	}
	return `${send.status} ${body}`.trim();
}

/** An answer in short: a shipped one by its consignment and tracking numbers, else its kind. */
function answerText(send: WebhookSend, timeoutS: number): string {
	const json = send.json;
	if (send.status === 200 && json?.consignmentReference)
		return `200 ${json.consignmentReference} ${JSON.stringify(json.trackingNumbers)}`;
	return answerKind(send, timeoutS);
}

export function chaosOutcome(
	sandbox: Sandbox,
	records: OrderDeliveries[],
	/** the API calls of the burst */
	calls: RequestLogEntry[],
	/** every order delivered once more after the burst, all at once: its answer must be the same */
	checks: WebhookSend[],
	timeoutS: number,
	/** the orders of the executions n8n lost (undefined: not known), and when the fault struck */
	lost: { orders: Array<string | undefined>; at: number },
): ChaosOutcome {
	const orderNumbers = records.map((r) => r.orderNumber);
	const kept = records.map((r) => r.definite ?? r.deliveries[r.deliveries.length - 1]);
	const compared = burstOutcome(sandbox, orderNumbers, kept, checks);
	const byOrder = new Map<string, StoredConsignment[]>();
	for (const c of sandbox.consignments()) {
		const order = String(c.ConsignmentReferenceProvidedByCustomer);
		byOrder.set(order, [...(byOrder.get(order) ?? []), c]);
	}
	const outcome: ChaosOutcome = {
		orders: records.length,
		definite: records.filter((r) => r.definite).length,
		definiteShipped: compared.answered,
		unanswered: records.filter((r) => !r.definite).map((r) => r.orderNumber),
		deliveries: records.reduce((sum, r) => sum + r.deliveries.length, 0),
		redelivered: records.filter((r) => r.deliveries.length > 1).length,
		mostDeliveries: Math.max(0, ...records.map((r) => r.deliveries.length)),
		exactlyOne: 0,
		cancelledExtras: 0,
		lost: compared.lost,
		twice: [],
		orphans: [],
		reallocated: [],
		differing: [],
		differingAnswers: [],
		lostExecutions: {
			executions: lost.orders.length,
			notCreated: 0,
			halfDone: 0,
			labelled: 0,
			unknown: 0,
		},
		notDefinite: {},
		latencyS: { p50: NaN, p95: NaN, max: NaN },
		calls: calls.length,
		calls429: calls.filter((c) => c.status === 429).length,
		callsPerOrder: calls.filter((c) => c.status !== 429).length / Math.max(1, records.length),
	};
	for (const order of orderNumbers) {
		const consignments = byOrder.get(order) ?? [];
		const live = consignments.filter(LIVE);
		outcome.cancelledExtras += consignments.length - live.length;
		if (live.length > 1) outcome.twice.push(order);
		if (live.length === 1 && SHIPPED(live[0])) outcome.exactlyOne++;
		if (live.some((c) => !SHIPPED(c))) outcome.orphans.push(order);
		const allocations = (c: StoredConsignment) =>
			c.history.filter((h) => h.state === 'Allocated').length;
		if (consignments.some((c) => allocations(c) > 1)) outcome.reallocated.push(order);
	}
	// a definite 200 that is not the sandbox's shipped consignment, or a check answered otherwise
	const wrong = new Set([...compared.failedOrders, ...compared.redeliveryDifferent]);
	const checkBy = new Map(checks.map((send) => [send.orderNumber, send]));
	for (const record of records) {
		const answer = record.definite;
		if (!answer) continue;
		const differs =
			answer.status === 200
				? wrong.has(record.orderNumber)
				: checkBy.get(record.orderNumber)?.status !== answer.status;
		if (!differs) continue;
		outcome.differing.push(record.orderNumber);
		const check = checkBy.get(record.orderNumber);
		if (outcome.differingAnswers.length < 10)
			outcome.differingAnswers.push({
				order: record.orderNumber,
				kept: answerText(answer, timeoutS),
				check: check ? answerText(check, timeoutS) : 'not sent',
			});
	}
	for (const order of lost.orders) {
		if (order === undefined) outcome.lostExecutions.unknown++;
		else outcome.lostExecutions[progressAt(calls, order, byOrder.get(order) ?? [], lost.at)]++;
	}
	for (const record of records) {
		for (const send of record.deliveries) {
			if (send === record.definite) continue;
			const kind = answerKind(send, timeoutS);
			outcome.notDefinite[kind] = (outcome.notDefinite[kind] ?? 0) + 1;
		}
	}
	const latencies = records
		.filter((r) => r.definite)
		.map((r) => (r.definite!.sentAt + r.definite!.ms - r.deliveries[0].sentAt) / 1000);
	outcome.latencyS = {
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		max: Math.max(...latencies),
	};
	return outcome;
}

/**
 * How far an order had got by `at`, by the sandbox's log: not created, created but not labelled,
 * or labelled (labels print only once allocated).
 */
function progressAt(
	calls: RequestLogEntry[],
	order: string,
	consignments: StoredConsignment[],
	at: number,
): 'notCreated' | 'halfDone' | 'labelled' {
	const refs = new Set(consignments.map((c) => c.Reference));
	const done = calls.filter((call) => call.handled && call.startedAt + call.durationMs <= at);
	const created = done.some(
		(call) =>
			call.method === 'POST' &&
			/^\/consignments\/?(\?|$)/.test(call.path) &&
			call.customerReference === order,
	);
	if (!created) return 'notCreated';
	const labelled = done.some(
		(call) => call.path.startsWith('/labels/') && refs.has(String(call.consignmentReference)),
	);
	return labelled ? 'labelled' : 'halfDone';
}
