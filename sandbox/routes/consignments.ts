// Consignments: create, read, cancel, deallocate (one or a list), ready / not ready to ship.
import type { ParamKind } from '../http';
import { isPlainObject } from '../util';
import { validateCreate } from '../validation/create';
import { validateRefList } from '../validation/selection';
import type { ApiRouter, RouteDeps } from './index';

export const REF: Record<string, ParamKind> = { ref: 'consignment' };

export function consignmentRoutes(router: ApiRouter, { store, baseUrl }: RouteDeps): void {
	router.add('POST', '/consignments', {}, ({ body, entry }) => {
		if (isPlainObject(body) && typeof body.ConsignmentReferenceProvidedByCustomer === 'string')
			entry.customerReference = body.ConsignmentReferenceProvidedByCustomer;
		const r = store.create(validateCreate(body));
		entry.consignmentReference = r.ref;
		return { status: 201, body: [{ Rel: 'Link', Href: `${baseUrl()}/consignments/${r.ref}` }] };
	});
	router.add('PUT', '/consignments/setreadytoship', {}, ({ body }) => ({
		status: 200,
		body: store.setReadyToShip(validateRefList(body), true),
	}));
	router.add('PUT', '/consignments/setnotreadytoship', {}, ({ body }) => ({
		status: 200,
		body: store.setReadyToShip(validateRefList(body), false),
	}));
	// One WithMessage per reference; the reference gives 201 for cancel list, 200 for deallocate.
	router.add('PUT', '/consignments/cancellist', {}, ({ body }) => ({
		status: 201,
		body: store.undoList(validateRefList(body), 'cancel'),
	}));
	router.add('PUT', '/consignments/deallocatelist', {}, ({ body }) => ({
		status: 200,
		body: store.undoList(validateRefList(body), 'deallocate'),
	}));
	router.add('GET', '/consignments/:ref', REF, ({ params }) => ({
		status: 200,
		body: store.getDoc(params.ref),
	}));
	router.add(
		'PUT',
		'/consignments/:ref/cancel',
		REF,
		({ params }) => (store.cancel(params.ref), { status: 200 }),
	);
	router.add(
		'PUT',
		'/consignments/:ref/deallocate',
		REF,
		({ params }) => (store.deallocate(params.ref), { status: 200 }),
	);
}
