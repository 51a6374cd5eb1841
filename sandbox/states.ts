// The state machine's table (CONTRACT.md "Consignment states: the full list"): which states
// exist and which actions may start from which. The store enforces it; validation reads it.
import { ConsignmentState } from './types';
import { ApiError, ErrorDetail } from './util';

export const MANIFESTABLE: ConsignmentState[] = ['Allocated', 'ManifestFailed', 'ReadyToShip'];

/** The states of the quotes flow (set by API calls). */
export const FLOW_STATES: ConsignmentState[] = [
	'Unallocated',
	'AllocationFailed',
	'Allocated',
	'ReadyToShip',
	'ManifestFailed',
	'Manifested',
	'Cancelled',
];

/** The tracking-driven states the sandbox's clock produces after a manifest. */
export const TRACKING_STATES: ConsignmentState[] = [
	'Collected',
	'InTransit',
	'OutForDelivery',
	'Delivered',
	'CollectionFailed',
	'DeliveryFailed',
];

export const ALL_STATES: ConsignmentState[] = [...FLOW_STATES, ...TRACKING_STATES];

/** Every wire state name the contract lists (filters accept them all; the sandbox reaches ALL_STATES). */
export const WIRE_STATES: string[] = [
	...ALL_STATES,
	'Allocating',
	'Manifesting',
	'Cancelling',
	'Dispatched',
	'CarrierUnableToCollect',
	'ExchangeFailed',
	'AtDropOffPoint',
	'InTransitWaiting',
	'AtCustoms',
	'ActionRequired',
	'Delayed',
	'HeldByCarrier',
	'Missing',
	'Lost',
	'Damaged',
	'DeliveredDamaged',
	'PartiallyDelivered',
	'AtCollectionPoint',
	'DeliveryFailedCardLeft',
	'ReturnToSender',
];

const WITH_LABELS: ConsignmentState[] = [
	'Allocated',
	'ReadyToShip',
	'ManifestFailed',
	'Manifested',
	...TRACKING_STATES,
];

/**
 * Which states each action may start from (contract table). Cancel follows the states page's
 * rows: allowed while the carrier has it (Collected, InTransit, OutForDelivery) and after a failed
 * collection, not once Delivered or DeliveryFailed (that row says labels only).
 */
export const ALLOWED_FROM: Record<string, ConsignmentState[]> = {
	allocate: ['Unallocated', 'AllocationFailed'],
	update: ['Unallocated', 'AllocationFailed'],
	labels: WITH_LABELS,
	customs: WITH_LABELS,
	manifest: MANIFESTABLE,
	deallocate: ['Allocated', 'ManifestFailed', 'Manifested'],
	cancel: [
		'Unallocated',
		'AllocationFailed',
		'Allocated',
		'ManifestFailed',
		'Manifested',
		'Collected',
		'InTransit',
		'OutForDelivery',
		'CollectionFailed',
	],
	setReadyToShip: ['Allocated'],
	setNotReadyToShip: ['ReadyToShip'],
	quote: FLOW_STATES.filter((s) => s !== 'Cancelled'),
};

/**
 * The 400 for an action refused in `state`, or null when the table allows it. From a quotes-flow
 * state the message names the quotes-flow states to come from (the tracking ones cannot be reached
 * by a call); Details always list them all.
 */
export function stateRefusal(
	ref: string,
	state: ConsignmentState,
	action: keyof typeof ALLOWED_FROM,
	verb: string,
): ApiError | null {
	const allowed = ALLOWED_FROM[action];
	if (allowed.includes(state)) return null;
	const named = FLOW_STATES.includes(state)
		? allowed.filter((s) => FLOW_STATES.includes(s))
		: allowed;
	return new ApiError(
		400,
		'InvalidConsignmentState',
		`Cannot ${verb} consignment ${ref}: it is in state ${state}; allowed only from ${named.join(', ')}`,
		[
			{
				Code: 'InvalidConsignmentState',
				Message: `Current state ${state}; allowed: ${allowed.join(', ')}`,
				Target: 'ConsignmentState',
			},
		],
	);
}

/**
 * Set (not) ready to ship moves a list all or nothing: a Detail per reference that is unknown
 * (`state` undefined) or cannot move, targeted at its index.
 */
export function listRefusals(
	refs: string[],
	stateOfRef: (ref: string) => ConsignmentState | undefined,
	action: 'setReadyToShip' | 'setNotReadyToShip',
): ErrorDetail[] {
	const errs: ErrorDetail[] = [];
	refs.forEach((ref, i) => {
		const state = stateOfRef(ref);
		if (state === undefined)
			errs.push({
				Code: 'ConsignmentNotFound',
				Message: `Consignment ${ref} was not found`,
				Target: `[${i}]`,
			});
		else if (!ALLOWED_FROM[action].includes(state)) {
			errs.push({
				Code: 'InvalidConsignmentState',
				Message: `Consignment ${ref} is in state ${String(state)}; allowed only from ${ALLOWED_FROM[action].join(', ')}`,
				Target: `[${i}]`,
			});
		}
	});
	return errs;
}

/** Magic customer references that make the first attempt fail, to reach the *Failed states. */
export const FAIL_ALLOCATION_MARK = 'SANDBOX-FAIL-ALLOCATION';
export const FAIL_MANIFEST_MARK = 'SANDBOX-FAIL-MANIFEST';
