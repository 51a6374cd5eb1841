// The ERP's side of examples/erp-webhook-to-label.json in a real n8n (`n8n start`, the workflow
// published, each order its own HTTP call): a definite answer per order (200, 422 naming the
// fields, 503 with Retry-After), redelivery that never ships twice, and a burst against a
// rate-limited Electio. Every check reads the sandbox's own records. Test names contain "erp".
import { freePort } from '../../harness/process';
import type { N8nServer, N8nUserFolder } from '../../harness/real-n8n';
import { readExample } from '../../harness/package';
import { ERP_WEBHOOK_PATH, erpOrder } from '../../harness/fixtures/webhookFlows';
import { burstOutcome } from '../../harness/webhookOutcomes';
import { postJson, sendAll, waitForWebhook, type WebhookSend } from '../../harness/webhookSends';
import { assert, assertEqual, NEEDS_ERROR_OUTPUT, type Sandbox } from './support';
import type { RegisterTest } from '../../harness/testRunner';

export interface ErpContext {
	folder: N8nUserFolder;
	sandbox: Sandbox;
}

let server: N8nServer | undefined;

/** One `n8n start` with the ERP example published, shared by the group. */
async function webhookUrl(context: ErpContext): Promise<string> {
	if (!server) {
		const id = await context.folder.importWorkflow(readExample('erp-webhook-to-label.json'));
		await context.folder.publishWorkflow(id);
		server = await context.folder.start({ port: await freePort(), timeoutMs: 180_000 });
	}
	const url = `${server.url}/webhook/${ERP_WEBHOOK_PATH}`;
	await waitForWebhook(url);
	return url;
}

export async function stopErpServer(): Promise<void> {
	await server?.stop();
	server = undefined;
}

async function send(url: string, order: Record<string, any>): Promise<WebhookSend> {
	const [sent] = await sendAll(url, [order]);
	return sent;
}

/** The answer's fields that say what this delivery did. */
function whatThisDeliveryDid(answer: WebhookSend) {
	const { createdNow, allocatedNow, labelPrintedNow, alreadyShipped } = answer.json;
	return { createdNow, allocatedNow, labelPrintedNow, alreadyShipped };
}

function consignmentsOf(sandbox: Sandbox, orderNumber: string): string[] {
	return sandbox.consignmentsByCustomerReference()[orderNumber] ?? [];
}

export function erpTests(test: RegisterTest, context: () => ErpContext): void {
	test('erp webhook: an order delivered again, after its answer and at the same moment, ships once with the same answer', async () => {
		const { sandbox } = context();
		sandbox.reset();
		const url = await webhookUrl(context());
		const order = erpOrder('SO-E2E-ONCE-1');
		const first = await send(url, order);
		assertEqual(first.status, 200, `first send (${first.body.slice(0, 300)})`);
		assertEqual(
			JSON.stringify(whatThisDeliveryDid(first)),
			JSON.stringify({
				createdNow: true,
				allocatedNow: true,
				labelPrintedNow: true,
				alreadyShipped: false,
			}),
			'the first delivery created, allocated and labelled it',
		);
		const [again, twinA, twinB] = [await send(url, order), ...(await sendAll(url, [order, order]))];
		for (const resent of [again, twinA, twinB]) {
			assertEqual(resent.status, 200, `redelivery (${resent.body.slice(0, 300)})`);
			assertEqual(
				resent.json.consignmentReference,
				first.json.consignmentReference,
				'same consignment',
			);
			assertEqual(
				JSON.stringify(resent.json.trackingNumbers),
				JSON.stringify(first.json.trackingNumbers),
				'same tracking numbers',
			);
			assertEqual(
				JSON.stringify(whatThisDeliveryDid(resent)),
				JSON.stringify({
					createdNow: false,
					allocatedNow: false,
					labelPrintedNow: false,
					alreadyShipped: true,
				}),
				'a redelivery did nothing: the order had shipped',
			);
		}
		assertEqual(consignmentsOf(sandbox, order.orderNumber).length, 1, 'consignments for the order');
	});

	test(
		'erp webhook: orders without parcels, with a negative weight or from an unknown location get 422 naming the order and the field',
		async () => {
			const { sandbox } = context();
			sandbox.reset();
			const url = await webhookUrl(context());
			const noParcels = { ...erpOrder('SO-E2E-422-PARCELS'), parcels: [] };
			const negative = erpOrder('SO-E2E-422-WEIGHT');
			negative.parcels[0].weightKg = -2;
			const unknownLocation = { ...erpOrder('SO-E2E-422-FROM'), shipFrom: 'NOWHERE-9' };
			const expected: Array<[Record<string, any>, RegExp]> = [
				[noParcels, /^Packages$/],
				[negative, /^Packages\[0\]\.Weight\.Value$/],
				[unknownLocation, /ShippingLocationReference$/],
			];
			for (const [order, field] of expected) {
				const answer = await send(url, order);
				assertEqual(
					answer.status,
					422,
					`${order.orderNumber} status (${answer.body.slice(0, 300)})`,
				);
				assertEqual(answer.json.orderNumber, order.orderNumber, 'the answer names the order');
				assertEqual(answer.json.retry, false, `${order.orderNumber}: retrying does not help`);
				const fields = (answer.json.fields ?? []) as Array<{ field: string; message: string }>;
				assert(
					fields.some((entry) => field.test(entry.field) && entry.message),
					`${order.orderNumber}: a field matching ${field} with its message in ${answer.body}`,
				);
				assertEqual(consignmentsOf(sandbox, order.orderNumber).length, 0, 'nothing created');
			}
			const refused = await send(url, unknownLocation);
			assert(
				/^[0-9a-f-]{36}$/.test(String(refused.json.correlationId)),
				`Electio's correlation ID is passed on: ${refused.body}`,
			);
		},
		NEEDS_ERROR_OUTPUT,
	);

	test(
		'erp webhook: while Electio answers 503 the ERP gets 503 with Retry-After; its retry after the outage gets 200 and one consignment',
		async () => {
			const { sandbox } = context();
			sandbox.reset();
			const url = await webhookUrl(context());
			const order = erpOrder('SO-E2E-OUTAGE-1');
			sandbox.setFaults({ rate503: 1 });
			let during: { status: number; text: string; headers?: Headers };
			try {
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(order),
					signal: AbortSignal.timeout(120_000),
				});
				during = {
					status: response.status,
					text: await response.text(),
					headers: response.headers,
				};
			} finally {
				sandbox.setFaults(null);
			}
			assertEqual(during.status, 503, `during the outage (${during.text.slice(0, 300)})`);
			assert(Number(during.headers?.get('retry-after')) > 0, 'a Retry-After header');
			assertEqual(JSON.parse(during.text).retry, true, 'the body says retrying is safe');
			assertEqual(consignmentsOf(sandbox, order.orderNumber).length, 0, 'nothing created yet');

			const after = await postJson(url, order);
			assertEqual(after.status, 200, `after the outage (${after.text.slice(0, 300)})`);
			assertEqual(consignmentsOf(sandbox, order.orderNumber).length, 1, 'exactly one consignment');
		},
		NEEDS_ERROR_OUTPUT,
	);

	test('erp webhook burst: 40 orders at once against 10 requests/s all answered with tracking numbers, none twice, none lost', async () => {
		const { sandbox } = context();
		sandbox.reset();
		const url = await webhookUrl(context());
		const orders = Array.from({ length: 40 }, (_, index) => erpOrder(`SO-E2E-BURST-${index + 1}`));
		sandbox.setRateLimit(10);
		try {
			const first = await sendAll(url, orders);
			const outcome = burstOutcome(
				sandbox,
				orders.map((order) => order.orderNumber),
				first,
			);
			assertEqual(outcome.answered, 40, `answered (${JSON.stringify(outcome)})`);
			assertEqual(outcome.duplicates.length, 0, 'orders shipped twice');
			assertEqual(outcome.lost.length, 0, 'orders lost');
		} finally {
			sandbox.setRateLimit(null);
		}
	});
}
