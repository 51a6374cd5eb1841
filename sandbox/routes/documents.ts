// Documents: labels (all packages or one, in a format) and customs documents.
import type { ApiRouter, RouteDeps } from './index';
import { REF } from './consignments';

export function documentRoutes(router: ApiRouter, { store }: RouteDeps): void {
	router.add('GET', '/consignments/docs/:ref', REF, async ({ params }) => ({
		status: 200,
		body: await store.customsDocuments(params.ref),
	}));
	router.add(
		'GET',
		'/labels/package/:ref/:pkg/:format',
		{ ref: 'consignment', pkg: 'package', format: 'format' },
		async ({ params }) => ({
			status: 200,
			body: await store.labels(params.ref, params.format, params.pkg),
		}),
	);
	router.add(
		'GET',
		'/labels/:ref/:format',
		{ ref: 'consignment', format: 'format' },
		async ({ params }) => ({ status: 200, body: await store.labels(params.ref, params.format) }),
	);
	router.add('GET', '/labels/:ref', REF, async ({ params }) => ({
		status: 200,
		body: await store.labels(params.ref, 'PDF'),
	}));
}
