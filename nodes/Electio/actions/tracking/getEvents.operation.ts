import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { unexpectedAnswer } from '../../helpers/errorItems';
import { perItemExecute } from '../../helpers/runItems';
import { isPlainObject, textOrNull } from '../../helpers/validation';
import { apiPath } from '../../transport';
import { consignmentReferenceField } from '../common.descriptions';

export const option = {
	name: 'Get Events',
	description:
		"Get a consignment's carrier tracking events, newest first, with whether it is delivered and who signed",
	action: 'Get the tracking events of a consignment',
};

export const description: INodeProperties[] = [
	consignmentReferenceField,
	{
		displayName: 'Events Form',
		name: 'eventsForm',
		type: 'options',
		options: [
			{
				name: 'Per Package and Leg',
				value: 'perLeg',
				description: 'GET /tracking/{reference}: each event says its package, leg and service',
			},
			{
				name: 'Per Package (Flattened)',
				value: 'flattened',
				description:
					'GET /tracking/flattened/{reference}: legs merged, the carrier service on each event',
			},
		],
		default: 'perLeg',
	},
];

/** States in which the parcels reached the recipient. */
const DELIVERED_STATES = ['Delivered', 'DeliveredDamaged'];

/** A carrier event as the node outputs it: Electio's fields plus where it belongs. */
interface TrackingEvent extends IDataObject {
	TimeStamp: string | null;
	Code: string | null;
	Description: string | null;
	SignedBy: string | null;
	Location: string | null;
	CarrierServiceName: string | null;
	PackageReference: string | null;
	Leg: number | null;
}

export const execute = perItemExecute({
	async run(reference, itemIndex, client) {
		const form = this.getNodeParameter('eventsForm', itemIndex, 'perLeg') as string;
		// The state comes from Electio, never from event codes: their mapping is not published.
		const [tracking, status] = await Promise.all([
			client.request<IDataObject>({
				method: 'GET',
				path:
					form === 'flattened'
						? apiPath`/tracking/flattened/${reference}`
						: apiPath`/tracking/${reference}`,
				itemIndex,
			}),
			client.request<IDataObject>({
				method: 'GET',
				path: apiPath`/consignments/${reference}/status`,
				itemIndex,
			}),
		]);
		if (!isPlainObject(tracking)) {
			throw unexpectedAnswer(
				this.getNode(),
				itemIndex,
				`Electio answered the tracking call for ${reference} without tracking data`,
			);
		}
		const events = newestFirst(eventsOf(tracking));
		const state = typeof status?.Status === 'string' ? status.Status : null;
		return {
			json: {
				consignmentReference:
					(tracking.ConsignmentReferenceForAllLegsAssignedByMpd as string) || reference,
				state,
				delivered: state !== null && DELIVERED_STATES.includes(state),
				signedBy: events.find((event) => event.SignedBy)?.SignedBy ?? null,
				latestEvent: events[0] ?? null,
				eventCount: events.length,
				events,
				expectedDeliveryDate: status?.ExpectedDeliveryDate ?? null,
			},
		};
	},
});

/** Every event of every package, in either form, each saying its package (and leg). */
function eventsOf(tracking: IDataObject): TrackingEvent[] {
	const packages = Array.isArray(tracking.TrackedPackages) ? tracking.TrackedPackages : [];
	const events: TrackingEvent[] = [];
	for (const trackedPackage of packages.filter(isPlainObject)) {
		const packageReference = textOrNull(trackedPackage.PackageReferenceForAllLegsAssignedByMpd);
		const legs = Array.isArray(trackedPackage.Legs)
			? trackedPackage.Legs.filter(isPlainObject)
			: [{ Events: trackedPackage.Events }];
		legs.forEach((leg, legIndex) => {
			const legEvents = Array.isArray(leg.Events) ? leg.Events.filter(isPlainObject) : [];
			for (const event of legEvents) {
				events.push({
					...event,
					TimeStamp: textOrNull(event.TimeStamp),
					Code: textOrNull(event.Code),
					Description: textOrNull(event.Description),
					SignedBy: textOrNull(event.SignedBy),
					Location: textOrNull(event.Location),
					CarrierServiceName: textOrNull(event.CarrierServiceName ?? leg.CarrierServiceName),
					PackageReference: packageReference,
					Leg: Array.isArray(trackedPackage.Legs) ? legIndex + 1 : null,
				});
			}
		});
	}
	return events;
}

/** Newest first by TimeStamp; events at the same moment (or without one) keep Electio's order reversed. */
function newestFirst(events: TrackingEvent[]): TrackingEvent[] {
	const timeOf = (event: TrackingEvent) => {
		const time = event.TimeStamp ? Date.parse(event.TimeStamp) : NaN;
		return Number.isNaN(time) ? -Infinity : time;
	};
	return events
		.map((event, index) => ({ event, index, time: timeOf(event) }))
		.sort((a, b) => b.time - a.time || b.index - a.index)
		.map(({ event }) => event);
}
