// The API's endpoints, one module per resource. Literal paths are registered before the
// parameterised ones they could be mistaken for (the router takes the first match).
import { Handler, Router } from '../http';
import type { Store } from '../store';
import { allocationRoutes } from './allocation';
import { consignmentRoutes } from './consignments';
import { documentRoutes } from './documents';
import { eventRoutes } from './events';
import { lookupRoutes } from './lookups';
import { manifestRoutes } from './manifest';
import { searchRoutes } from './search';
import { trackingRoutes } from './tracking';
import { updateRoutes } from './update';

export type ApiRouter = Router<Handler>;

export interface RouteDeps {
	store: Store;
	/** the sandbox's base URL, for Href links (known once the server listens) */
	baseUrl: () => string;
	/** what a search matching nothing answers (SandboxOptions.emptySearch) */
	emptySearch: 'notFound' | 'empty';
}

export function buildRouter(d: RouteDeps): ApiRouter {
	const router: ApiRouter = new Router<Handler>();
	for (const add of [
		manifestRoutes,
		documentRoutes,
		searchRoutes,
		consignmentRoutes,
		allocationRoutes,
		trackingRoutes,
		eventRoutes,
		lookupRoutes,
		updateRoutes,
	])
		add(router, d);
	return router;
}
