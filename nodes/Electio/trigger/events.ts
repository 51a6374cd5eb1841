// The two kinds of Electio events the trigger polls (CONTRACT.md "Events"): what to send for a
// window, how to read either documented answer form, the key that tells one event from another,
// and the item a workflow gets.
import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, textOrNull } from '../helpers/validation';
import type { ElectioClient } from '../transport';

export type EventKindName = 'stateChanged' | 'consignmentEvent';

export interface EventKind {
	/** The documented path of the call. */
	path: string;
	/** The body asking for the events of the chosen states / types within Start..End. */
	body(filter: string[], start: Date, end: Date): IDataObject;
	/** What tells this event from every other one: emitted once per key. */
	key(payload: IDataObject): string;
	/** When it happened, when the payload says it (state events do not). */
	time(payload: IDataObject): number | undefined;
	/** The item the workflow gets. */
	item(payload: IDataObject): IDataObject;
}

/** The consignment event types Electio lets a client ask for. */
export const EVENT_TYPES = [
	'ConsignmentCreated',
	'ConsignmentUpdated',
	'LabelsPrinted',
	'PackageAdded',
	'PackageRemoved',
	'PackageUpdated',
	'Rescheduled',
];

export const EVENT_KINDS: Record<EventKindName, EventKind> = {
	// ConsignmentPayload: a snapshot of the consignment in the state it changed into; no id, no time.
	stateChanged: {
		path: '/events/consignments/stateevents',
		body: (states, start, end) => ({
			ConsignmentStates: states,
			Start: start.toISOString(),
			End: end.toISOString(),
		}),
		key: (payload) =>
			`state:${String(payload.ConsignmentReference ?? '')}:${String(payload.ConsignmentState ?? '')}`,
		time: () => undefined,
		item: (payload) => {
			const legs = Array.isArray(payload.ConsignmentLegs)
				? payload.ConsignmentLegs.filter(isPlainObject)
				: [];
			return {
				event: 'consignmentStateChanged',
				consignmentReference: textOrNull(payload.ConsignmentReference),
				customerReference: textOrNull(payload.ConsignmentReferenceProvidedByCustomer),
				state: textOrNull(payload.ConsignmentState),
				trackingNumber: textOrNull(payload.ConsignmentTrackingReference),
				carrier: textOrNull(legs[0]?.CarrierName),
				service: textOrNull(payload.CarrierServiceName),
				dateDelivered: textOrNull(payload.DateDelivered),
				...payload,
			};
		},
	},
	// ConsignmentEventPayload: one event with its EventId and EventDate.
	consignmentEvent: {
		path: '/events/consignments',
		body: (types, start, end) => ({
			EventTypes: types,
			Start: start.toISOString(),
			End: end.toISOString(),
		}),
		key: (payload) => {
			const id = textOrNull(payload.EventId);
			if (id) return `event:${id}`;
			const details = isPlainObject(payload.EventDetails) ? payload.EventDetails : {};
			return `event:${String(payload.ConsignmentReference)}:${String(details.EventType)}:${String(details.EventDate)}`;
		},
		time: (payload) => {
			const details = isPlainObject(payload.EventDetails) ? payload.EventDetails : {};
			const time = Date.parse(String(details.EventDate ?? ''));
			return Number.isNaN(time) ? undefined : time;
		},
		item: (payload) => {
			const details = isPlainObject(payload.EventDetails) ? payload.EventDetails : {};
			return {
				event: 'consignmentEvent',
				eventId: textOrNull(payload.EventId),
				eventType: textOrNull(details.EventType),
				eventDate: textOrNull(details.EventDate),
				message: textOrNull(details.Message),
				consignmentReference: textOrNull(payload.ConsignmentReference),
				customerReference: textOrNull(payload.ConsignmentReferenceProvidedByCustomer),
				state: textOrNull(payload.ConsignmentState),
				...payload,
			};
		},
	},
};

/**
 * The events of one window, oldest first where their time is known (else in Electio's order).
 * Both documented answer forms are read: a bare list, or `{ "Events": [...] }`.
 */
export async function fetchEvents(
	client: ElectioClient,
	kind: EventKind,
	filter: string[],
	start: Date,
	end: Date,
): Promise<IDataObject[]> {
	const answer = await client.request<unknown>({
		method: 'POST',
		path: kind.path,
		body: kind.body(filter, start, end),
	});
	const list = Array.isArray(answer)
		? answer
		: isPlainObject(answer) && Array.isArray(answer.Events)
			? answer.Events
			: [];
	const payloads = list.filter(isPlainObject);
	const times = payloads.map((payload) => kind.time(payload));
	if (times.some((time) => time === undefined)) return payloads;
	return payloads
		.map((payload, index) => ({ payload, index, time: times[index] as number }))
		.sort((a, b) => a.time - b.time || a.index - b.index)
		.map(({ payload }) => payload);
}
