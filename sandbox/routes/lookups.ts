// Lookups for dropdowns: shipping locations, carriers, carrier services, package sizes.
import {
	lookupCarriers,
	lookupCarrierServices,
	lookupPackageSizes,
	lookupShippingLocations,
} from '../catalogue';
import type { ApiRouter } from './index';

const LOOKUPS: Record<string, () => unknown[]> = {
	'/shippinglocations': lookupShippingLocations,
	'/carriers': lookupCarriers,
	'/carrierservices': lookupCarrierServices,
	'/packagesizes': lookupPackageSizes,
};

export function lookupRoutes(router: ApiRouter): void {
	for (const [path, lookup] of Object.entries(LOOKUPS))
		router.add('GET', path, {}, () => ({ status: 200, body: lookup() }));
}
