// The state machine's table (CONTRACT.md "Consignment references and states"): which states
// exist and which actions may start from which. The store enforces it; validation reads it.
import { ConsignmentState } from './types';

export const MANIFESTABLE: ConsignmentState[] = ['Allocated', 'ManifestFailed', 'ReadyToShip'];
export const ALL_STATES: ConsignmentState[] = [
	'Unallocated',
	'AllocationFailed',
	'Allocated',
	'ReadyToShip',
	'ManifestFailed',
	'Manifested',
	'Cancelled',
];

/** Which states each action may start from (contract table). */
export const ALLOWED_FROM: Record<string, ConsignmentState[]> = {
	allocate: ['Unallocated', 'AllocationFailed'],
	labels: ['Allocated', 'ReadyToShip', 'ManifestFailed', 'Manifested'],
	customs: ['Allocated', 'ReadyToShip', 'ManifestFailed', 'Manifested'],
	manifest: MANIFESTABLE,
	deallocate: ['Allocated', 'ManifestFailed', 'Manifested'],
	cancel: ['Unallocated', 'AllocationFailed', 'Allocated', 'ManifestFailed', 'Manifested'],
	setReadyToShip: ['Allocated'],
	setNotReadyToShip: ['ReadyToShip'],
	quote: ALL_STATES.filter((s) => s !== 'Cancelled'),
};

/** Magic customer references that make the first attempt fail, to reach the *Failed states. */
export const FAIL_ALLOCATION_MARK = 'SANDBOX-FAIL-ALLOCATION';
export const FAIL_MANIFEST_MARK = 'SANDBOX-FAIL-MANIFEST';
