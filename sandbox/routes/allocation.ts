// Quotes and allocation: quotes for a consignment, allocate with a quote or the cheapest one.
import type { ApiRouter, RouteDeps } from './index';
import { REF } from './consignments';

export function allocationRoutes(router: ApiRouter, { store }: RouteDeps): void {
	router.add('GET', '/quotes/consignment/:ref', REF, ({ params }) => ({
		status: 200,
		body: store.quotes(params.ref),
	}));
	router.add(
		'PUT',
		'/allocation/:ref/allocatewithquote/:quote',
		{ ref: 'consignment', quote: 'quote' },
		({ params }) => ({
			status: 200,
			body: store.allocateWithQuote(params.ref, params.quote),
		}),
	);
	router.add('PUT', '/allocation/:ref/allocatewithcheapestquote', REF, ({ params }) => ({
		status: 200,
		body: store.allocateCheapest(params.ref),
	}));
}
