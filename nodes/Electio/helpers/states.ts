/** Electio's consignment states (wire names), grouped by what the node needs to know of them. */

/** States in which no carrier service is booked (or no longer can be). */
const NOT_ALLOCATED = new Set([
	'Unallocated',
	'Allocating',
	'AllocationFailed',
	'Cancelling',
	'Cancelled',
]);

/** Whether a consignment in this state has a carrier service booked: labels exist for it. */
export function hasAllocation(state: unknown): boolean {
	return typeof state === 'string' && state !== '' && !NOT_ALLOCATED.has(state);
}
