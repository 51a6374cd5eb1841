// Finding consignments: Search Consignments (paged summaries), Get Consignments References,
// Get Consignment Status. Registered before GET /consignments/:ref so the literal path wins;
// /:take/:skip only matches digits, so /consignments/{ref}/... never lands here by mistake.
import { search } from '../search';
import { ApiError } from '../util';
import { validateSearch } from '../validation/search';
import { consignmentStatus, consignmentSummary } from '../views/summary';
import type { ApiRouter, RouteDeps } from './index';
import { REF } from './consignments';

export function searchRoutes(router: ApiRouter, { store, baseUrl, emptySearch }: RouteDeps): void {
	router.add('GET', '/consignments/getConsignmentReferences', {}, ({ query }) => ({
		status: 200,
		body: search(store.records(), validateSearch(query), emptySearch).map((r) => r.ref),
	}));
	router.add('GET', '/consignments/:ref/status', REF, ({ params }) => ({
		status: 200,
		body: consignmentStatus(store.rec(params.ref), baseUrl()),
	}));
	router.add(
		'GET',
		'/consignments/:take/:skip',
		{ take: 'count', skip: 'count' },
		({ params, query }) => {
			const take = Number(params.take);
			if (take < 1) throw new ApiError(400, 'InvalidPaging', 'take must be at least 1');
			const found = search(store.records(), validateSearch(query), emptySearch);
			const skip = Number(params.skip);
			const page = found.slice(skip, skip + take);
			return {
				status: 200,
				body: {
					Count: found.length,
					ConsignmentSummaries: page.map((r) => consignmentSummary(r, baseUrl())),
				},
			};
		},
	);
}
