// Sending orders to a workflow's production webhook, as traffic reaches n8n in production (and the
// only way an execution reaches the workers in queue mode: `n8n execute` runs in its own process).
// A send is one order POSTed and what came back; an order sent again is a redelivery.
import { sleep } from './process';

/** One order POSTed to a webhook, and the answer. */
export interface WebhookSend {
	orderNumber: string;
	/** 0: no HTTP answer (connection error or timeout) */
	status: number;
	body: string;
	json?: any;
	/** when the order was sent (epoch ms) */
	sentAt: number;
	/** from sending the order to the end of the answer */
	ms: number;
	/** the answer's Retry-After header, in seconds */
	retryAfterS?: number;
	error?: string;
}

async function post(
	url: string,
	body: unknown,
	timeoutMs: number,
): Promise<{ status: number; text: string; retryAfter: string | null }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const retryAfter = response.headers.get('retry-after');
	return { status: response.status, text: await response.text(), retryAfter };
}

/** POSTs JSON to a webhook; a 404 while n8n is still registering its webhooks is retried. */
export async function postJson(
	url: string,
	body: unknown,
	timeoutMs = 180_000,
): Promise<{ status: number; text: string; retryAfter: string | null }> {
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

/** sendAll, and the wall time from the first order sent to the last answer. */
export async function sendAllTimed(
	url: string,
	orders: Array<Record<string, any>>,
	timeoutMs?: number,
): Promise<{ sends: WebhookSend[]; wallMs: number }> {
	const started = performance.now();
	const sends = await sendAll(url, orders, timeoutMs);
	return { sends, wallMs: performance.now() - started };
}

/** Sends every order as its own HTTP call, all at once (an ERP flushing its queue). */
export async function sendAll(
	url: string,
	orders: Array<Record<string, any>>,
	timeoutMs = 300_000,
): Promise<WebhookSend[]> {
	return await Promise.all(orders.map((order) => sendOrder(url, order, timeoutMs)));
}

/** POSTs one order and records the answer: status 0 and `error` when none came in `timeoutMs`. */
export async function sendOrder(
	url: string,
	order: Record<string, any>,
	timeoutMs: number,
): Promise<WebhookSend> {
	const sentAt = Date.now();
	const started = performance.now();
	try {
		const { status, text: body, retryAfter } = await post(url, order, timeoutMs);
		let json: any;
		try {
			json = JSON.parse(body);
		} catch {
			/* not JSON */
		}
		const ms = performance.now() - started;
		const send: WebhookSend = { orderNumber: order.orderNumber, status, body, json, sentAt, ms };
		if (retryAfter !== null && Number.isFinite(Number(retryAfter)))
			send.retryAfterS = Number(retryAfter);
		return send;
	} catch (error) {
		const ms = performance.now() - started;
		return {
			orderNumber: order.orderNumber,
			status: 0,
			body: '',
			sentAt,
			ms,
			error: errorText(error),
		};
	}
}

/** fetch's error with its cause (ECONNREFUSED, a reset socket, the timeout's name). */
function errorText(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const cause = (error as { cause?: { code?: string; message?: string } }).cause;
	if (error.name === 'TimeoutError') return 'TimeoutError';
	return cause?.code ?? cause?.message ?? error.message;
}
