// Parcel deliveries in the sandbox: consignments seeded straight through the sandbox API and
// manifested so its tracking clock moves them along a carrier journey, which ends Delivered or
// failed; waiting for the journeys to end.
import { consignmentBody } from './fixtures/consignments';
import { until } from './process';
import { createConsignment, sandboxApi } from './sandboxApi';
import type { Sandbox } from '../sandbox';

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
