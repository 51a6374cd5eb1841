import type { IDataObject } from 'n8n-workflow';

import { apiPath, ElectioApiError, type ElectioClient } from '../transport';
import type { ChosenQuote } from './chosenQuote';
import { asNodeError } from './errorItems';
import { hasAllocation } from './states';
import { isStateConflict } from './userMessage';
import { isPlainObject } from './validation';

// Where Deallocate reads it from; it is defined once, beside the sentences for refusals.
export { isStateConflict };

/** Electio's allocation summary, as every allocate call answers it (one or a list). */
export interface AllocationSummary {
	StatusCode?: number;
	Description?: string;
	ConsignmentLegs?: Array<{ TrackingReferences?: string[] }>;
	CarrierReference?: string;
	CarrierName?: string;
	CarrierServiceReference?: string;
	CarrierServiceName?: string;
}

/** The quote being allocated, for what an answer lost after Electio acted is reported with. */
export interface AllocationAttempt {
	quoteReference?: string;
	price?: IDataObject | null;
	chosen?: ChosenQuote;
}

/** What an allocated item says, whether from the allocation answer or read back from the consignment. */
export function allocationOutput(
	reference: string,
	summary: AllocationSummary,
	state = 'Allocated',
): IDataObject {
	const trackingReferences = (summary.ConsignmentLegs ?? []).flatMap((leg) =>
		Array.isArray(leg?.TrackingReferences) ? leg.TrackingReferences : [],
	);
	return {
		consignmentReference: reference,
		state,
		carrier: summary.CarrierName ?? null,
		carrierReference: summary.CarrierReference ?? null,
		service: summary.CarrierServiceName ?? null,
		serviceReference: summary.CarrierServiceReference ?? null,
		trackingNumber: trackingReferences[0] ?? null,
		trackingReferences,
		description: summary.Description ?? null,
	};
}

/** The first summary of an allocate answer, which may be a list or a single object. */
export function firstSummary(response: AllocationSummary[] | AllocationSummary | null) {
	return (Array.isArray(response) ? response[0] : response) ?? {};
}

/**
 * The consignment's current allocation read back from Electio, or undefined when it has none:
 * after a lost answer, and for an order delivered again after it was allocated. It says whether
 * the labels were printed already, so a redelivery can tell the ERP whether it printed them.
 */
export async function readAllocation(
	client: ElectioClient,
	reference: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const consignment = await client.request<IDataObject>({
		method: 'GET',
		path: apiPath`/consignments/${reference}`,
		itemIndex,
	});
	const state = consignment?.ConsignmentState;
	if (!hasAllocation(state)) return undefined;
	const allocation = (
		isPlainObject(consignment.Allocation) ? consignment.Allocation : {}
	) as AllocationSummary;
	const legs = Array.isArray(consignment.ConsignmentLegs)
		? (consignment.ConsignmentLegs as AllocationSummary['ConsignmentLegs'])
		: [];
	return {
		...allocationOutput(reference, { ...allocation, ConsignmentLegs: legs }, state as string),
		labelsPrinted: consignment.LabelsPrinted === true,
	};
}

/**
 * What a failed allocate call becomes when the consignment has a carrier service after all: after
 * a lost answer, the allocation that call made (`recoveredAfterLostResponse`); with Return
 * Existing Allocation, after a refusal for its state, the one an earlier delivery of the same
 * order made (`alreadyAllocated`). Any other failure stands, as the node's error.
 */
export async function existingAllocationAfter(
	error: unknown,
	client: ElectioClient,
	reference: string,
	itemIndex: number,
	returnExisting: boolean,
): Promise<IDataObject> {
	if (!(error instanceof ElectioApiError)) throw asNodeError(client.node, error);
	// After a lost answer the repeat is refused for its state: believe the consignment.
	const lost = error.afterUnknownOutcome;
	if (!lost && !(returnExisting && isStateConflict(error))) throw asNodeError(client.node, error);
	const existing = await readAllocation(client, reference, itemIndex);
	if (!existing) throw asNodeError(client.node, error);
	return lost
		? { ...existing, recoveredAfterLostResponse: true }
		: { ...existing, alreadyAllocated: true };
}
