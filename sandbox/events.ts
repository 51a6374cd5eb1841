// Answers of the Events calls, from what the store recorded: consignment events with their
// EventId, and each consignment's state history with timestamps. Windows are inclusive.
import type { Store } from './store';
import type { ConsignmentState } from './types';
import type { EventWindow } from './validation/events';
import { ConsignmentEventType } from './record';
import { consignmentEventPayload, consignmentPayload } from './views/events';

const within = (t: number, w: EventWindow) => t >= w.start && t <= w.end;

/** POST /events/consignments: { Events: [ConsignmentEventPayload] }, oldest first. */
export function consignmentEvents(
	store: Store,
	q: EventWindow & { types: ConsignmentEventType[] },
	baseUrl: string,
): { Events: unknown[] } {
	return {
		Events: store
			.consignmentEvents()
			.filter((e) => q.types.includes(e.type) && within(e.at.getTime(), q))
			.map((e) => consignmentEventPayload(e, store.find(e.ref), baseUrl)),
	};
}

/**
 * POST /events/consignments/stateevents: [ConsignmentPayload], one per consignment and state it
 * changed into within the window (a repeat of the same pair is left out), in the order of the
 * changes.
 */
export function stateEvents(store: Store, q: EventWindow & { states: string[] }): unknown[] {
	const changes: { at: number; order: number; ref: string; state: ConsignmentState }[] = [];
	let order = 0;
	for (const r of store.records()) {
		const seen = new Set<string>();
		for (const h of r.history) {
			const at = Date.parse(h.at);
			if (!q.states.includes(h.state) || !within(at, q) || seen.has(h.state)) continue;
			seen.add(h.state);
			changes.push({ at, order: order++, ref: r.ref, state: h.state });
		}
	}
	changes.sort((a, b) => a.at - b.at || a.order - b.order);
	return changes.map((c) => consignmentPayload(store.find(c.ref)!, c.state));
}
