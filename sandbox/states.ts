// The state machine's table (CONTRACT.md "Consignment states: the full list"): which states
// exist and which actions may start from which. The store enforces it; validation reads it.
import { ConsignmentState } from './types';

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

/** Magic customer references that make the first attempt fail, to reach the *Failed states. */
export const FAIL_ALLOCATION_MARK = 'SANDBOX-FAIL-ALLOCATION';
export const FAIL_MANIFEST_MARK = 'SANDBOX-FAIL-MANIFEST';
