// GET /tracking/{ref} (per package and leg) and GET /tracking/flattened/{ref} (per package).
import { ConsignmentRecord } from '../record';

type Obj = Record<string, unknown>;

/** The body both calls share: per package, what `events` makes of the carrier service's events. */
function perPackage(r: ConsignmentRecord, events: (service: string | null) => Obj): Obj {
	const service = r.allocation ? r.allocation.service.Name : null;
	return {
		ConsignmentReferenceForAllLegsAssignedByMpd: r.ref,
		TrackedPackages: (r.doc.Packages as Obj[]).map((p) => ({
			PackageReferenceForAllLegsAssignedByMpd: String(p.Reference),
			...events(service),
		})),
	};
}

/** GET /tracking/{ref}: per package, one leg with the carrier's events (none before allocation). */
export function trackingByLeg(r: ConsignmentRecord): Obj {
	return perPackage(r, (service) => ({
		Legs:
			service === null
				? []
				: [{ CarrierServiceName: service, Events: r.tracking.map((e) => ({ ...e })) }],
	}));
}

/** GET /tracking/flattened/{ref}: per package, the events with the service name on each. */
export function trackingFlattened(r: ConsignmentRecord): Obj {
	return perPackage(r, (service) => ({
		Events: service === null ? [] : r.tracking.map((e) => ({ ...e, CarrierServiceName: service })),
	}));
}
