/**
 * Every error item carries `userMessage` (#18): one plain sentence for a shop assistant or an agent,
 * without HTTP codes or JSON paths, beside the technical fields; with n8n's error output, under
 * `details` where n8n keeps it.
 */
import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { electioNode, runNode, runWorkflow, useElectio } from '../../harness/electio';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { QUOTE_TTL_MS } from '../../sandbox';

const h = useElectio({ seed: 21 });

const create = { resource: 'consignment', operation: 'create', inputMode: 'json' };
const get = { resource: 'consignment', operation: 'get' };
const cheapest = {
	resource: 'allocation',
	operation: 'allocateWithQuote',
	quoteSelection: 'cheapest',
};
const refs = (references: string[]) =>
	references.map((consignmentReference) => ({ consignmentReference }));

/** The one failed item of a Continue On Fail run. */
async function failed(parameters: IDataObject, items: IDataObject[]): Promise<IDataObject> {
	const { items: out, error } = await h.electio(parameters, items, true);
	expect(error).toBeUndefined();
	expect(out).toHaveLength(1);
	expect(out[0].json.error).toEqual(expect.any(String));
	return out[0].json;
}

/** A sentence for a person: no status codes, no JSON paths, ends like a sentence. */
function expectPlain(sentence: unknown): void {
	expect(sentence).toEqual(expect.any(String));
	// (a consignment reference may hold digits that look like a status)
	const withoutReferences = String(sentence).replace(/EC-\w{3}-\w{3}-\w{3}/g, 'EC-…');
	expect(withoutReferences).not.toMatch(/\b[1-5]\d\d\b|\w\[\d*\w*\]|\w\.\w+\.\w|https?:|\{|\}/);
	expect(sentence).toMatch(/[.]$/);
}

describe('each kind of failure has its sentence', () => {
	test('bad input, found before anything is sent', async () => {
		const fields = await failed(
			{
				resource: 'consignment',
				operation: 'create',
				inputMode: 'fields',
				shippingLocationReference: 'Sorted1',
				destinationAddressLine1: '1 High Street',
				destinationCountryCode: 'GBR',
			},
			[{}],
		);
		expect(fields.userMessage).toBe(
			"Country code 'GBR' is not valid: use a two-letter code such as GB or FR.",
		);
		const noParcels = await failed(create, [{ ...consignmentBody('NO-PARCELS'), Packages: [] }]);
		expect(noParcels.userMessage).toBe('Packages must be a list with at least one package.');
		const noReference = await failed(get, [{ consignmentReference: '  ' }]);
		expect(noReference.userMessage).toBe('The consignment reference is missing.');
		for (const json of [fields, noParcels, noReference]) {
			expectPlain(json.userMessage);
			expect(json.httpCode).toBeNull();
		}
	});

	test("Electio's field problems (4xx with Details), in the field's everyday name", async () => {
		const uk = consignmentBody('UK-1');
		((uk.Addresses as IDataObject[])[1].Country as IDataObject) = {
			IsoCode: { TwoLetterCode: 'UK' },
		};
		const country = await failed(create, [uk]);
		expect(country).toMatchObject({
			httpCode: 400,
			details: [
				expect.objectContaining({ field: 'Addresses[Destination].Country.IsoCode.TwoLetterCode' }),
			],
			userMessage: "Country code 'UK' is not valid: use 'GB'.",
		});
		const location = await failed(create, [
			consignmentBody('NOWHERE-1', { shippingLocation: 'NOWHERE-9' }),
		]);
		expect(location.userMessage).toBe(
			"Shipping location 'NOWHERE-9' is not known to Electio: choose one of your shipping locations.",
		);
		for (const json of [country, location]) expectPlain(json.userMessage);
	});

	test('not found, and refused for its state', async () => {
		const unknown = await failed(get, refs(['EC-000-000-404']));
		expect(unknown.userMessage).toBe(
			'Electio does not know consignment EC-000-000-404: check the reference.',
		);
		const [cancelled, unallocated] = await h.created(2);
		await h.electio({ resource: 'consignment', operation: 'cancel' }, refs([cancelled]));
		const again = await failed({ resource: 'consignment', operation: 'cancel' }, refs([cancelled]));
		expect(again.userMessage).toBe(
			`Consignment ${cancelled} cannot be cancelled while it is Cancelled.`,
		);
		const labels = await failed(
			{ resource: 'label', operation: 'get', labelFormat: 'PDF' },
			refs([unallocated]),
		);
		expect(labels.userMessage).toBe(
			`Consignment ${unallocated} cannot be given labels while it is Unallocated.`,
		);
		for (const json of [unknown, again, labels]) expectPlain(json.userMessage);
	});

	test('Electio busy, unavailable or unreachable: try again in a minute', async () => {
		const [busy, down, dropped] = await h.created(3);
		h.sandbox.failNext({
			path: `/consignments/${busy}`,
			status: 429,
			headers: { 'Retry-After': '1' },
			times: 20,
		});
		h.sandbox.failNext({ path: `/consignments/${down}`, status: 503, times: 20 });
		h.sandbox.failNext({ path: `/consignments/${dropped}`, drop: true, times: 20 });
		const { items } = await h.electio(
			{ ...get, requestOptions: { maxRetries: 0, maxThrottleWaitSeconds: 1 } },
			refs([busy, down, dropped]),
			true,
		);
		expect(
			items.map((item) => [item.json.httpCode, item.json.retryable, item.json.userMessage]),
		).toEqual([
			[429, true, 'Electio is busy right now: try again in a minute.'],
			[503, true, 'Electio is unavailable right now: try again in a minute.'],
			[null, true, 'Electio cannot be reached right now: try again in a minute.'],
		]);
	});

	test('an account key Electio does not accept', async () => {
		const { items } = await runNode({
			parameters: get as never,
			items: [{ json: { consignmentReference: 'EC-000-000-001' } }],
			credentials: { apiKey: 'not-the-key', environment: 'custom', baseUrl: h.sandbox.url },
			continueOnFail: true,
		});
		expect(items[0].json).toMatchObject({
			httpCode: 401,
			userMessage:
				"Electio did not accept this workflow's account key: ask whoever looks after the workflow to check the Electio credential.",
		});
		expect(JSON.stringify(items[0].json)).not.toContain('not-the-key');
	});

	test('an expired quote, and no quote at all', async () => {
		const [reference] = await h.created(1);
		const quotes = await h.electio(
			{ resource: 'quote', operation: 'getForConsignment' },
			refs([reference]),
		);
		const quoteReference = (quotes.items[0].json.quotes as IDataObject[])[0].QuoteReference;
		h.sandbox.advanceClock(QUOTE_TTL_MS + 60_000);
		const expired = await failed(
			{
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'reference',
				quoteReference,
			},
			refs([reference]),
		);
		expect(expired.userMessage).toBe(
			'The delivery option has expired: get the delivery options again and choose again.',
		);
		h.sandbox.advanceClock(-(QUOTE_TTL_MS + 60_000));

		const [heavy] = await h.created(1, { country: 'US', weightKg: 250 });
		const byRule = await failed(cheapest, refs([heavy]));
		const byElectio = await failed(
			{ resource: 'allocation', operation: 'allocateWithCheapestQuote' },
			refs([heavy]),
		);
		for (const json of [byRule, byElectio]) {
			expect(json).toMatchObject({
				reason: 'noQuotes',
				consignmentReference: heavy,
				userMessage: 'No carrier can take 250 kg to the United States.',
			});
		}
		expect(byElectio.error).toMatch(/no quote to allocate .* no carrier service qualifies/);
		// Electio's refusal still stands beside the sentence
		expect(byElectio.httpCode).toBe(400);
		expect(byElectio.correlationId).toMatch(/^[0-9a-f-]{36}$/);

		const [light] = await h.created(1);
		const noneFits = await failed({ ...cheapest, filters: { maxGrossPrice: 0.5 } }, refs([light]));
		expect(noneFits).toMatchObject({
			reason: 'noQuoteFits',
			userMessage: expect.stringMatching(
				/^None of the \d+ delivery options meets the rules set for this order \(carriers, maximum price or delivery date\)\.$/,
			),
		});
	});
});

describe("n8n's error output", () => {
	test("puts userMessage and the next step's facts under details, paired to the input", async () => {
		const [reference] = await h.created(1);
		const quotes = await h.electio(
			{ resource: 'quote', operation: 'getForConsignment' },
			refs([reference]),
		);
		const node: INode = {
			...electioNode('Allocate', {
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'answer',
			} as INodeParameters),
			onError: 'continueErrorOutput',
		};
		const answer = {
			consignmentReference: reference,
			quoteChoice: 'A carrier pigeon',
			quoteChoices: JSON.stringify(quotes.items[0].json.quoteChoices),
		};
		const run = await runWorkflow({
			nodes: [node],
			connections: {},
			credentials: h.credentials,
			startNodeName: 'Allocate',
			startItems: [{ json: answer }],
		});
		const outputs = run.data.resultData.runData.Allocate[0].data!.main as INodeExecutionData[][];
		expect(outputs[0]).toEqual([]);
		const [item] = outputs[1];
		expect(item.pairedItem).toEqual({ item: 0 });
		const details = item.json.details as IDataObject;
		expect(details).toMatchObject({
			reason: 'answerNotAChoice',
			userMessage: expect.stringMatching(/^"A carrier pigeon" is not one of the delivery options/),
			consignmentReference: reference,
			fields: [],
		});
		expect((details.formFields as IDataObject[])[0].fieldType).toBe('radio');
		expect(item.json.error).toMatch(/^Item 0: the answer "A carrier pigeon" is not one of/);
	});
});
