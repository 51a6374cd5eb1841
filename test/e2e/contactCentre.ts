// examples/contact-centre.json in a real n8n (#11), `n8n execute`: the order it asks about has two
// consignments, one the carrier has not collected yet and one already delivered. The first must be
// moved to the requested carrier (deallocated, allocated again), the second left alone with a reply
// saying why; the sandbox's records are the judge.
import { seedManifested, stateOf } from '../../harness/parcelJourneys';
import { createConsignment, sandboxApi } from '../../harness/sandboxApi';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { readExample } from '../../harness/package';
import { executionError, nodeItems, type N8nUserFolder } from '../../harness/real-n8n';
import { TRACKING_DEFAULTS } from '../../sandbox';
import { assert, assertEqual, type Sandbox } from './support';
import type { RegisterTest } from '../../harness/testRunner';

const ORDER = 'ORDER-4711';
const MOVE_TO = 'DPD';

export function contactCentreTests(
	test: RegisterTest,
	context: () => { folder: N8nUserFolder; sandbox: Sandbox },
): void {
	test('contact-centre.json: finds the order by its number, moves the consignment not yet collected to the requested carrier, explains the delivered one', async () => {
		const { folder, sandbox } = context();
		sandbox.reset();
		sandbox.setTracking({ auto: false, failureRate: 0 });
		try {
			const [delivered] = await seedManifested(sandbox, [ORDER]);
			sandbox.advanceTracking(4);
			assertEqual(stateOf(sandbox, delivered), 'Delivered', 'the first consignment of the order');
			const waiting = await manifestedWithAnotherCarrier(sandbox);
			const carrierBefore = sandbox.getConsignment(waiting)!.CarrierReference;

			const result = await folder.execute(
				await folder.importWorkflow(readExample('contact-centre.json')),
			);
			assert(result.ok, `execution failed: ${executionError(result)}`);

			const moved = sandbox.getConsignment(waiting)!;
			assertEqual(moved.ConsignmentState, 'Allocated', `${waiting} state`);
			assertEqual(moved.CarrierReference, MOVE_TO, `${waiting} carrier (was ${carrierBefore})`);
			const path = moved.history.map((change) => change.state).join(' → ');
			assert(/Manifested → Unallocated → Allocated$/.test(path), `${waiting} went ${path}`);
			assertEqual(stateOf(sandbox, delivered), 'Delivered', `${delivered} left alone`);

			const replies = [
				...nodeItems(result.execution, 'Reply: moved'),
				...nodeItems(result.execution, 'Reply: cannot move'),
			].map((item) => item.json);
			const movedReply = replies.find((reply) => reply.consignmentReference === waiting);
			const deliveredReply = replies.find((reply) => reply.consignmentReference === delivered);
			assert(
				movedReply && new RegExp(`moved from .* to ${MOVE_TO}`).test(movedReply.reply),
				`the reply for ${waiting}: ${JSON.stringify(movedReply)}`,
			);
			assertEqual(movedReply!.trackingNumber, moved.TrackingReferences[0], 'new tracking number');
			assert(
				deliveredReply && /is Delivered: .*cannot be moved/.test(deliveredReply.reply),
				`the reply for ${delivered}: ${JSON.stringify(deliveredReply)}`,
			);
		} finally {
			sandbox.setTracking(TRACKING_DEFAULTS);
		}
	});
}

/** A second consignment for the order, allocated to a carrier other than MOVE_TO and manifested. */
async function manifestedWithAnotherCarrier(sandbox: Sandbox): Promise<string> {
	const reference = await createConsignment(sandbox, consignmentBody(ORDER));
	const quotes = await sandboxApi(sandbox, 'GET', `/quotes/consignment/${reference}`);
	const carriers = (quotes.Quotes as any[]).map(
		(quote) => quote.Legs?.[0]?.CarrierService?.CarrierReference,
	);
	assert(
		carriers.includes(MOVE_TO),
		`the sandbox quotes ${MOVE_TO} for the order (${carriers.join(', ')})`,
	);
	const other = (quotes.Quotes as any[]).find(
		(quote) => quote.Legs?.[0]?.CarrierService?.CarrierReference !== MOVE_TO,
	);
	await sandboxApi(
		sandbox,
		'PUT',
		`/allocation/${reference}/allocatewithquote/${other.QuoteReference}`,
	);
	await sandboxApi(sandbox, 'PUT', '/consignments/manifest', {
		ConsignmentReferences: [reference],
	});
	return reference;
}
