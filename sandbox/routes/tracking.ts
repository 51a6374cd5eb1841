// Tracking: the carrier events of a consignment, per package and leg, or flattened per package.
import { trackingByLeg, trackingFlattened } from '../views/tracking';
import type { ApiRouter, RouteDeps } from './index';
import { REF } from './consignments';

export function trackingRoutes(router: ApiRouter, { store }: RouteDeps): void {
	router.add('GET', '/tracking/flattened/:ref', REF, ({ params }) => ({
		status: 200,
		body: trackingFlattened(store.rec(params.ref)),
	}));
	router.add('GET', '/tracking/:ref', REF, ({ params }) => ({
		status: 200,
		body: trackingByLeg(store.rec(params.ref)),
	}));
}
