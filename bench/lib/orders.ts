import { consignmentBody } from '../../harness/fixtures/consignments';

// The consignments every contender creates: the same body as the "Orders" Code node of
// bench/electio-flow.json and bench/http-request-flow.json (one 1.2 kg parcel, UK to UK).
export function orderBody(index: number): Record<string, unknown> {
	return consignmentBody(`BENCH-${String(index).padStart(6, '0')}`);
}
