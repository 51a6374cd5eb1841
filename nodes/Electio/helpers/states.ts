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

/** Every consignment state Electio reports, as wire value and as Electio shows it; by name. */
export const CONSIGNMENT_STATE_OPTIONS: Array<{ name: string; value: string }> = [
	['ActionRequired', 'Action Required'],
	['Allocated', 'Allocated'],
	['Allocating', 'Allocating'],
	['AllocationFailed', 'Allocation Failed'],
	['AtCollectionPoint', 'At Collection Point'],
	['AtCustoms', 'At Customs'],
	['AtDropOffPoint', 'At Drop Off Point'],
	['Cancelled', 'Cancelled'],
	['Cancelling', 'Cancelling'],
	['CarrierUnableToCollect', 'Carrier Unable To Collect'],
	['CollectionFailed', 'Collection Failed'],
	['Collected', 'Collected'],
	['Damaged', 'Damaged'],
	['Delayed', 'Delayed'],
	['Delivered', 'Delivered'],
	['DeliveredDamaged', 'Delivered Damaged'],
	['DeliveryFailed', 'Delivery Failed'],
	['DeliveryFailedCardLeft', 'Delivery Failed Card Left'],
	['Dispatched', 'Dispatched'],
	['ExchangeFailed', 'Exchange Failed'],
	['HeldByCarrier', 'Held By Carrier'],
	['InTransit', 'In Transit'],
	['InTransitWaiting', 'In Transit - Waiting'],
	['Lost', 'Lost'],
	['Manifested', 'Manifested'],
	['ManifestFailed', 'Manifest Failed'],
	['Manifesting', 'Manifesting'],
	['Missing', 'Missing'],
	['OutForDelivery', 'Out For Delivery'],
	['PartiallyDelivered', 'Partially Delivered'],
	['ReadyToShip', 'Ready To Ship'],
	['ReturnToSender', 'Return To Sender'],
	['Unallocated', 'Unallocated'],
]
	.map(([value, name]) => ({ name, value }))
	.sort((a, b) => a.name.localeCompare(b.name));
