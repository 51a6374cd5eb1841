// Events (polling for changes): consignment events of given types, and state changes into given
// states, within a window. The state-events call answers on both documented paths.
import { consignmentEvents, stateEvents } from '../events';
import { validateEventsQuery, validateStateEventsQuery } from '../validation/events';
import type { ApiRouter, RouteDeps } from './index';

export function eventRoutes(router: ApiRouter, { store, baseUrl }: RouteDeps): void {
	router.add('POST', '/events/consignments', {}, ({ body }) => ({
		status: 200,
		body: consignmentEvents(store, validateEventsQuery(body), baseUrl()),
	}));
	for (const path of ['/events/consignments/stateevents', '/events/consignmentstateevents'])
		router.add('POST', path, {}, ({ body }) => ({
			status: 200,
			body: stateEvents(store, validateStateEventsQuery(body)),
		}));
}
