// Helpers for the real-n8n e2e run: assertions, sandbox queries and seeding.
import type { startSandbox } from '../../sandbox';
import { createConsignment, sandboxApi as call } from '../../harness/sandboxApi';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { ERP_WEBHOOK_PATH, erpOrder } from '../../harness/fixtures/webhookFlows';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export class AssertionError extends Error {}

export function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new AssertionError(message);
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
	if (actual !== expected) {
		throw new AssertionError(
			`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
		);
	}
}

/** The sandbox's consignments keyed by the customer's reference. */
export function consignmentsByCustomerRef(sandbox: Sandbox): Map<string, any> {
	return new Map(
		(sandbox.consignments() as any[]).map((c) => [
			String(c.ConsignmentReferenceProvidedByCustomer),
			c,
		]),
	);
}

/** How many `POST /consignments` the sandbox acted on for a customer reference. */
export function createdCount(sandbox: Sandbox, customerReference: string): number {
	return (sandbox.requests() as any[]).filter(
		(r) =>
			r.method === 'POST' &&
			/^\/consignments\/?(\?|$)/.test(r.path) &&
			r.handled &&
			r.customerReference === customerReference,
	).length;
}

/** Node names and paths in the example workflows. */
export const DAILY_MANIFEST = { summary: 'Summary message' };
/**
 * For a test of an example that branches on the error output: the ERP's 422 / 503 answers, the
 * half-done orders' report for a person.
 */
export const NEEDS_ERROR_OUTPUT = {
	n8nMajor: 2,
	why: 'the example branches on the error output, which n8n 1.x gives only {error, message} items (README: n8n versions)',
};
export const ERP_WEBHOOK = { path: ERP_WEBHOOK_PATH };

/** What an ERP posts to the webhook (examples/erp-webhook-to-label.json maps it to Electio). */
export const ERP_ORDER = erpOrder('SO-E2E-10042');

/** A domestic consignment from Sorted1, shipping today (the daily manifest filters on the date). */
function minimalBody(customerReference: string): Record<string, any> {
	return { ...consignmentBody(customerReference), ShippingDate: new Date().toISOString() };
}

/** Creates a consignment straight through the sandbox API, optionally allocates it and prints its labels. */
export async function seedConsignment(
	sandbox: Sandbox,
	customerReference: string,
	options: { allocate: boolean; label: boolean },
): Promise<string> {
	const ref = await createConsignment(sandbox, minimalBody(customerReference));
	if (options.allocate) {
		const quotes = await call(sandbox, 'GET', `/quotes/consignment/${encodeURIComponent(ref)}`);
		const quote = quotes.Quotes[0];
		await call(
			sandbox,
			'PUT',
			`/allocation/${encodeURIComponent(ref)}/allocatewithquote/${encodeURIComponent(quote.QuoteReference)}`,
		);
	}
	if (options.label) await call(sandbox, 'GET', `/labels/${encodeURIComponent(ref)}/PDF`);
	return ref;
}
