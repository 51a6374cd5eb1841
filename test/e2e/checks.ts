// Checks shared by the e2e tests: a file is a real PDF, the quotes flow's outcome (by the
// sandbox's records and the files n8n stored), whether it ran under `n8n execute` or on a worker,
// and the delivery-notifications trigger's firings, in one process or in queue mode.
import { PDFDocument } from 'pdf-lib';

import { firings } from '../../harness/deliveryNotifications';
import { stateOf, type Journeys } from '../../harness/parcelJourneys';

import {
	collectFiles,
	nodeItems,
	QUOTES_FLOW_NODES,
	trackingOf,
	type BinarySource,
} from '../../harness/real-n8n';
import {
	assert,
	assertEqual,
	consignmentsByCustomerRef,
	createdCount,
	type Sandbox,
} from './support';

/** The page count of a PDF; fails unless the bytes are one. */
export async function isPdf(bytes: Buffer): Promise<number> {
	assert(bytes.subarray(0, 5).toString('latin1') === '%PDF-', 'file does not start with %PDF-');
	const document = await PDFDocument.load(bytes, { updateMetadata: false });
	return document.getPageCount();
}

/**
 * examples/quotes-flow.json's outcome: every sample consignment created once, allocated with a
 * tracking number, labelled (a PDF each), Manifested; customs documents (PDFs) for the
 * international ones; the manifest sent once. `files`: where the execution's files are stored.
 */
export async function assertQuotesFlowOutcome(
	sandbox: Sandbox,
	execution: any,
	files: BinarySource,
): Promise<void> {
	const samples = nodeItems(execution, QUOTES_FLOW_NODES.samples);
	assert(samples.length >= 4, `the workflow has sample consignments (${samples.length})`);
	const customerRefs = samples.map((s) =>
		String(
			s.json.ConsignmentReferenceProvidedByCustomer ??
				s.json.consignment?.ConsignmentReferenceProvidedByCustomer,
		),
	);
	const records = consignmentsByCustomerRef(sandbox);
	assertEqual(records.size, samples.length, 'consignments in the sandbox');
	for (const ref of customerRefs) {
		const record = records.get(ref);
		assert(record, `consignment ${ref} exists in the sandbox`);
		assertEqual(createdCount(sandbox, ref), 1, `POST /consignments for ${ref}`);
		assertEqual(record.ConsignmentState, 'Manifested', `state of ${ref}`);
		assertEqual(record.LabelsPrinted, true, `LabelsPrinted of ${ref}`);
	}

	const allocations = nodeItems(execution, QUOTES_FLOW_NODES.allocate);
	assertEqual(allocations.length, samples.length, 'allocations');
	for (const allocation of allocations) {
		assert(
			trackingOf(allocation.json).length > 0,
			`tracking number for ${allocation.json.consignmentReference}`,
		);
	}

	const labels = collectFiles(files, nodeItems(execution, QUOTES_FLOW_NODES.labels), 'label');
	assertEqual(labels.length, samples.length, 'labels');
	for (const label of labels) {
		const pages = await isPdf(label.bytes);
		assert(pages >= 1, `label of ${label.consignmentReference} has pages`);
	}

	const international = samples.filter((s) => {
		const body = s.json.consignment ?? s.json;
		const destination = (body.Addresses ?? []).find((a: any) => a.AddressType === 'Destination');
		return (
			destination?.Country?.IsoCode?.TwoLetterCode &&
			destination.Country.IsoCode.TwoLetterCode !== 'GB'
		);
	});
	assert(international.length >= 1, 'the samples include an international consignment');
	const customs = collectFiles(files, nodeItems(execution, QUOTES_FLOW_NODES.customs), 'customs');
	const customsRefs = new Set(customs.map((c) => c.consignmentReference));
	assertEqual(customsRefs.size, international.length, 'consignments with customs documents');
	for (const document of customs) await isPdf(document.bytes);

	const manifest = nodeItems(execution, QUOTES_FLOW_NODES.manifest);
	assertEqual(manifest.length, 1, 'Manifest From Query ran once');
	const manifestCalls = sandbox
		.requests()
		.filter((r) => /manifestFromQuery/i.test(r.path) && r.handled);
	assertEqual(manifestCalls.length, 1, 'manifest calls in the sandbox');
}

/**
 * The delivery-notifications workflow fired exactly once for each consignment whose journey was
 * set to end delivered, and never for one set to fail; first checks that the journeys did end so
 * (and that there were both kinds), so neither half of the check can hold for want of cases.
 */
export function assertFiredOncePerDelivered(sandbox: Sandbox, journeys: Journeys): void {
	assert(
		journeys.delivered.length > 0 && journeys.failed.length > 0,
		`journeys of both kinds (${journeys.delivered.length} delivered, ${journeys.failed.length} failed)`,
	);
	for (const reference of journeys.delivered) {
		assertEqual(stateOf(sandbox, reference), 'Delivered', `state of ${reference}`);
		assertEqual(firings(sandbox, reference), 1, `firings for ${reference} (Delivered)`);
	}
	for (const reference of journeys.failed) {
		const state = stateOf(sandbox, reference) ?? '';
		assert(
			['CollectionFailed', 'DeliveryFailed'].includes(state),
			`${reference} ended failed (state ${state})`,
		);
		assertEqual(firings(sandbox, reference), 0, `firings for ${reference} (${state})`);
	}
}
