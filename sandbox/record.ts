// What the store keeps per consignment. Shared by the store (which changes it) and the modules
// that only read it (documents, and later search and tracking).
import type { Carrier, CarrierService } from './catalogue';
import type { IssuedQuote } from './quotes';
import type { ConsignmentState, StateChange } from './types';
import type { NormalisedCreate } from './validation/create';

/** One booking with a carrier service; replaced on every allocation, dropped on deallocate. */
export interface Allocation {
	quote: IssuedQuote;
	service: CarrierService;
	carrier: Carrier;
	tracking: string[];
	at: Date;
}

export interface ConsignmentRecord extends Omit<NormalisedCreate, 'doc'> {
	ref: string;
	/** the GET /consignments/{ref} body, kept current */
	doc: Record<string, unknown>;
	history: StateChange[];
	quoteRefs: Set<string>;
	allocation: Allocation | null;
	shippingDate: Date | null;
	requiredDate: Date | null;
	failedAllocations: number;
	failedManifests: number;
}

export function stateOf(r: ConsignmentRecord): ConsignmentState {
	return r.doc.ConsignmentState as ConsignmentState;
}

export function customerRefOf(r: ConsignmentRecord): string {
	return String(r.doc.ConsignmentReferenceProvidedByCustomer ?? '');
}

export function addressesOf(r: ConsignmentRecord): {
	origin: Record<string, unknown>;
	destination: Record<string, unknown>;
} {
	const [origin, destination] = r.doc.Addresses as Record<string, unknown>[];
	return { origin, destination };
}

export interface ManifestResult {
	IsSuccess: boolean;
	Message: string;
	Data: string;
	ApiLinks: { Rel: string; Href: string }[];
}
