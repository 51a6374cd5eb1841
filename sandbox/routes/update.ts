// Update Consignment: PUT /consignments with the consignment (or a list), answered like create.
import { updateConsignments } from '../update';
import type { ApiRouter, RouteDeps } from './index';

export function updateRoutes(router: ApiRouter, { store, baseUrl }: RouteDeps): void {
	router.add('PUT', '/consignments', {}, ({ body, entry }) => {
		const updated = updateConsignments(store, body);
		entry.consignmentReference = updated[0].ref;
		entry.customerReference = String(updated[0].doc.ConsignmentReferenceProvidedByCustomer ?? '');
		return {
			status: 200,
			body: updated.map((record) => ({
				Rel: 'Link',
				Href: `${baseUrl()}/consignments/${record.ref}`,
			})),
		};
	});
}
