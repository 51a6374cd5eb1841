// An ERP that delivers orders to a webhook the way a real one does: it POSTs each order until it
// gets a definite answer, and delivers it again after no answer in its timeout, a 5xx, a 2xx
// without the workflow's answer, or a 404 while n8n registers its webhooks (main restarting),
// waiting an exponential backoff with seeded
// jitter (or the answer's Retry-After when longer), at most so many times and so long per order.
// Every delivery is kept, for what n8n answered while an execution was lost.
import { Rng, streamSeed } from '../sandbox/util';
import { sleep } from './process';
import { sendOrder, type WebhookSend } from './webhookSends';

export interface RedeliveryPolicy {
	/** no answer within this long: the ERP gives up on the call and delivers again */
	timeoutMs: number;
	/** deliveries per order, the first included */
	maxDeliveries: number;
	/** no delivery starts later than this after the order's first */
	maxTotalMs: number;
	/** the wait before the second delivery, doubled for each one after it, up to maxDelayMs */
	baseDelayMs: number;
	maxDelayMs: number;
	/** the jitter's seed: the same seed waits the same for the same order */
	seed: number;
}

/** 60 s timeout (a common ERP default), 2 s doubling to 60 s, 8 deliveries within 15 minutes. */
export const ERP_REDELIVERY: RedeliveryPolicy = {
	timeoutMs: 60_000,
	maxDeliveries: 8,
	maxTotalMs: 15 * 60_000,
	baseDelayMs: 2000,
	maxDelayMs: 60_000,
	seed: 1,
};

/** One order's deliveries; `definite` is the answer the ERP kept, if one came. */
export interface OrderDeliveries {
	orderNumber: string;
	deliveries: WebhookSend[];
	definite?: WebhookSend;
	/** why the ERP stopped without a definite answer */
	gaveUp?: 'deliveries' | 'time';
}

/**
 * An answer the ERP acts on: a 2xx with the workflow's JSON answer (it has a `status`), or a 4xx
 * that says the order itself is wrong. No answer, a 2xx without the answer (n8n in queue mode
 * answers 200 with an empty body when it lost the Respond step's message), 5xx, 404 (a webhook
 * not registered yet), 408 and 429 are delivered again.
 */
export function isDefinite(send: WebhookSend): boolean {
	if (send.status >= 200 && send.status < 300) return typeof send.json?.status === 'string';
	return send.status >= 400 && send.status < 500 && ![404, 408, 429].includes(send.status);
}

/** The wait before delivery `delivery + 1`: equal jitter on the doubling backoff, or Retry-After. */
export function redeliveryDelayMs(
	policy: RedeliveryPolicy,
	delivery: number,
	answer: WebhookSend,
	rng: Rng,
): number {
	const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (delivery - 1));
	const jittered = backoff / 2 + (backoff / 2) * rng.next();
	return Math.max(jittered, (answer.retryAfterS ?? 0) * 1000);
}

export class ErpClient {
	/** orders that got their definite answer so far */
	definiteAnswers = 0;

	constructor(
		readonly url: string,
		readonly policy: RedeliveryPolicy = ERP_REDELIVERY,
	) {}

	/** Delivers every order at once, each until it is answered definitely or the ERP gives up. */
	async deliverAll(orders: Array<Record<string, any>>): Promise<OrderDeliveries[]> {
		return await Promise.all(orders.map((order) => this.deliver(order)));
	}

	private async deliver(order: Record<string, any>): Promise<OrderDeliveries> {
		const orderNumber = String(order.orderNumber);
		const rng = new Rng(streamSeed(this.policy.seed, orderNumber));
		const record: OrderDeliveries = { orderNumber, deliveries: [] };
		const firstAt = Date.now();
		for (let delivery = 1; ; delivery++) {
			const answer = await sendOrder(this.url, order, this.policy.timeoutMs);
			record.deliveries.push(answer);
			if (isDefinite(answer)) {
				record.definite = answer;
				this.definiteAnswers++;
				return record;
			}
			if (delivery >= this.policy.maxDeliveries) {
				record.gaveUp = 'deliveries';
				return record;
			}
			const waitMs = redeliveryDelayMs(this.policy, delivery, answer, rng);
			if (Date.now() + waitMs - firstAt > this.policy.maxTotalMs) {
				record.gaveUp = 'time';
				return record;
			}
			await sleep(waitMs);
		}
	}
}
