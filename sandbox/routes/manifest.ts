// Manifests: by references, and from a query (PUT as documented, POST as the help page shows).
import { validateManifestQuery, validateManifestRefs } from '../validation/selection';
import type { ApiRouter, RouteDeps } from './index';

export function manifestRoutes(router: ApiRouter, { store }: RouteDeps): void {
	router.add('PUT', '/consignments/manifest', {}, ({ body }) => ({
		status: 200,
		body: store.manifest(validateManifestRefs(body)),
	}));
	router.add(['PUT', 'POST'], '/consignments/manifestFromQuery', {}, ({ body }) => ({
		status: 200,
		body: store.manifestFromQuery(validateManifestQuery(body)),
	}));
}
