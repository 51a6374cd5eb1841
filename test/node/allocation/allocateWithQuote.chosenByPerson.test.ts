/**
 * Allocation → Allocate With Quote, "Chosen by a Person" (#18): the answer a Form page (or a
 * send-and-wait form) returns allocates exactly that quote; people take their time (expired
 * quotes), click twice, or choose for an order that is already booked elsewhere.
 */
import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../../harness/electio';
import { QUOTE_TTL_MS } from '../../../sandbox';

// A Tuesday in March (no Friday or peak surcharge): prices follow the catalogue exactly.
const NOW = new Date('2030-03-05T10:00:00Z');
const h = useElectio({ seed: 19, now: () => NOW });

/** Moves the sandbox's clock on; each test starts back at NOW. */
let travelled = 0;
const travel = (ms: number) => {
	travelled += ms;
	h.sandbox.advanceClock(ms);
};
afterEach(() => {
	h.sandbox.advanceClock(-travelled);
	travelled = 0;
});

const getQuotes = { resource: 'quote', operation: 'getForConsignment' };
const byAnswer = {
	resource: 'allocation',
	operation: 'allocateWithQuote',
	quoteSelection: 'answer',
};
const TRACKED_48 = 'Royal Mail · Tracked 48 Signed For · £5.26 · by Thu 7 Mar';

/** Get Quotes for a new consignment: its reference and the item a Form page is built from. */
async function quoted(): Promise<{ reference: string; quotes: IDataObject }> {
	const [reference] = await h.created(1);
	const { items, error } = await h.electio(getQuotes, [{ consignmentReference: reference }]);
	if (error) throw error;
	return { reference, quotes: items[0].json };
}

/**
 * What n8n's Form page (v2.4+) outputs when the person picks `answer` on the page defined by
 * `formFields`: each field under its fieldName, hidden ones with the value they were given; the
 * input item itself is gone.
 */
function submitted(quotes: IDataObject, answer: string | string[]): IDataObject {
	const answers: IDataObject = { submittedAt: NOW.toISOString(), formMode: 'production' };
	for (const field of quotes.formFields as IDataObject[]) {
		const name = field.fieldName as string;
		answers[name] = field.fieldType === 'hiddenField' ? field.fieldValue : answer;
	}
	return answers;
}

const stored = (reference: string) => h.sandbox.getConsignment(reference)!;
const allocations = (reference: string) =>
	stored(reference).history.filter((change) => change.action === 'allocate');
const labelsOf = (quotes: IDataObject) =>
	(quotes.quoteChoices as IDataObject[]).map((choice) => choice.label as string);

describe('the answer allocates exactly that quote', () => {
	test('the label as the form returns it, with the form page output as the only input', async () => {
		const { reference, quotes } = await quoted();
		const chosen = (quotes.quoteChoices as IDataObject[]).find(
			(choice) => choice.label === TRACKED_48,
		)!;
		expect(chosen).toBeDefined();
		const { items, error } = await h.electio(byAnswer, [submitted(quotes, TRACKED_48)]);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			consignmentReference: reference,
			state: 'Allocated',
			carrier: 'Royal Mail',
			serviceReference: 'MPD_RMDTPS48HNAST',
			quoteReference: chosen.quoteReference,
			choice: TRACKED_48,
			price: { gross: 5.26, currency: 'GBP' },
		});
		expect(stored(reference).QuoteReference).toBe(chosen.quoteReference);
		// The choices came back with the form: no second quote request.
		expect(h.requests().filter((entry) => entry.path.startsWith('/quotes/'))).toHaveLength(1);
	});

	test('a quote reference, a service name alone, or a label without the choices shown', async () => {
		const first = await quoted();
		const second = await quoted();
		const third = await quoted();
		const [cheapest] = first.quotes.quoteChoices as IDataObject[];
		const answers = [
			submitted(first.quotes, cheapest.quoteReference as string),
			submitted(second.quotes, 'Tracked 24'),
			{ consignmentReference: third.reference, quoteChoice: TRACKED_48 },
		];
		const { items, error } = await h.electio(byAnswer, answers);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.serviceReference)).toEqual([
			cheapest.serviceReference,
			'MPD_RMDTPS24',
			'MPD_RMDTPS48HNAST',
		]);
		expect(stored(first.reference).QuoteReference).toBe(cheapest.quoteReference);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('a checkbox list with one answer is that answer; an empty answer fails before any call', async () => {
		const { quotes } = await quoted();
		const one = await h.electio(byAnswer, [submitted(quotes, [TRACKED_48])]);
		expect(one.items[0].json.choice).toBe(TRACKED_48);

		const { reference, quotes: other } = await quoted();
		h.sandbox.clearRequests();
		const { items } = await h.electio(
			byAnswer,
			[submitted(other, ''), submitted(other, [TRACKED_48, labelsOf(other)[0]])],
			true,
		);
		expect(items.map((item) => item.json.error)).toEqual([
			'Item 0: "Answer" is empty',
			'Item 1: "Answer" holds 2 choices; choose one',
		]);
		expect(items[0].json.userMessage).toBe('The answer is missing.');
		expect(h.requests()).toHaveLength(0);
		expect(stored(reference).ConsignmentState).toBe('Unallocated');
	});
});

describe('an answer that is not one choice', () => {
	test('matching none fails naming the answer and the choices, with the page to show again', async () => {
		const { reference, quotes } = await quoted();
		const { items } = await h.electio(byAnswer, [submitted(quotes, 'Pigeon · £1.00')], true);
		const failed = items[0].json;
		const labels = labelsOf(quotes);
		expect(failed.error).toBe(
			`Item 0: the answer "Pigeon · £1.00" is not one of the quotes of ${reference}: ${labels.map((label) => `"${label}"`).join(', ')}`,
		);
		expect(failed).toMatchObject({
			reason: 'answerNotAChoice',
			consignmentReference: reference,
			retryable: false,
			userMessage: expect.stringMatching(
				/^"Pigeon · £1\.00" is not one of the delivery options: choose one of "/,
			),
		});
		expect((failed.quoteChoices as IDataObject[]).map((choice) => choice.label)).toEqual(labels);
		expect((failed.formFields as IDataObject[])[0]).toMatchObject({
			fieldType: 'radio',
			fieldOptions: { values: labels.map((option) => ({ option })) },
		});
		expect(stored(reference).ConsignmentState).toBe('Unallocated');
	});

	test('fitting several fails naming them; nothing is allocated', async () => {
		const { reference, quotes } = await quoted();
		const { items } = await h.electio(byAnswer, [submitted(quotes, 'Royal Mail')], true);
		const royalMail = labelsOf(quotes).filter((label) => label.startsWith('Royal Mail · '));
		expect(royalMail.length).toBeGreaterThan(1);
		expect(items[0].json).toMatchObject({
			reason: 'answerAmbiguous',
			error: `Item 0: the answer "Royal Mail" fits ${royalMail.length} quotes of ${reference}: ${royalMail.map((label) => `"${label}"`).join(', ')}`,
			userMessage: `"Royal Mail" fits more than one delivery option: choose one of ${royalMail.map((label) => `"${label}"`).join(', ')}.`,
		});
		expect(stored(reference).ConsignmentState).toBe('Unallocated');
	});
});

describe('human time', () => {
	test('expired meanwhile, same service at the same price: allocated with the fresh quote', async () => {
		const { reference, quotes } = await quoted();
		travel(QUOTE_TTL_MS + 60_000);
		const old = (quotes.quoteChoices as IDataObject[]).find((c) => c.label === TRACKED_48)!;
		const { items, error } = await h.electio(byAnswer, [submitted(quotes, TRACKED_48)]);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			state: 'Allocated',
			serviceReference: 'MPD_RMDTPS48HNAST',
			price: { gross: 5.26 },
			requoted: true,
			expiredQuoteReference: old.quoteReference,
		});
		expect(items[0].json.quoteReference).not.toBe(old.quoteReference);
		expect(stored(reference).QuoteReference).toBe(items[0].json.quoteReference);
		expect(allocations(reference)).toHaveLength(1);
	});

	test('expired and the price changed: a sentence with both prices, and the fresh choices', async () => {
		const { reference, quotes } = await quoted();
		// Friday: collections cost 5 % more, so Tracked 48 is now £5.52.
		travel(3 * 24 * 60 * 60 * 1000);
		const { items } = await h.electio(byAnswer, [submitted(quotes, TRACKED_48)], true);
		const failed = items[0].json;
		expect(failed).toMatchObject({
			reason: 'quoteExpired',
			consignmentReference: reference,
			userMessage:
				'The price of Royal Mail · Tracked 48 Signed For has changed from £5.26 to £5.52: please choose again.',
		});
		const fresh = failed.quoteChoices as IDataObject[];
		expect(fresh.map((choice) => choice.label)).toContain(
			'Royal Mail · Tracked 48 Signed For · £5.52 · by Tue 12 Mar',
		);
		// the fresh page, ready for the Form node again: the next answer allocates
		const again = await h.electio(byAnswer, [
			submitted(
				failed as IDataObject,
				'Royal Mail · Tracked 48 Signed For · £5.52 · by Tue 12 Mar',
			),
		]);
		expect(again.items[0].json).toMatchObject({ state: 'Allocated', price: { gross: 5.52 } });
	});

	test('with the option off, an expired choice is never replaced: the person chooses again', async () => {
		const { reference, quotes } = await quoted();
		travel(QUOTE_TTL_MS + 60_000);
		const { items } = await h.electio(
			{ ...byAnswer, requoteSamePrice: false },
			[submitted(quotes, TRACKED_48)],
			true,
		);
		expect(items[0].json).toMatchObject({
			reason: 'quoteExpired',
			userMessage: 'The delivery options shown have expired: please choose again.',
		});
		expect((items[0].json.quoteChoices as IDataObject[]).length).toBe(labelsOf(quotes).length);
		expect(stored(reference).ConsignmentState).toBe('Unallocated');
	});

	test('the same answer submitted twice allocates once; the second gets that allocation', async () => {
		const { reference, quotes } = await quoted();
		const answer = submitted(quotes, TRACKED_48);
		const [first, second] = await Promise.all([
			h.electio(byAnswer, [answer]),
			h.electio(byAnswer, [answer]),
		]);
		for (const run of [first, second]) expect(run.error).toBeUndefined();
		const outputs = [first.items[0].json, second.items[0].json];
		expect(outputs.map((json) => json.serviceReference)).toEqual([
			'MPD_RMDTPS48HNAST',
			'MPD_RMDTPS48HNAST',
		]);
		expect(outputs[0].trackingNumber).toBe(outputs[1].trackingNumber);
		expect(outputs.filter((json) => json.alreadyAllocated === true)).toHaveLength(1);
		expect(allocations(reference)).toHaveLength(1);
	});

	test('already booked with another service: said plainly, with the current carrier service', async () => {
		const { reference, quotes } = await quoted();
		await h.electio(byAnswer, [submitted(quotes, 'Tracked 24')]);
		const booked = stored(reference);
		const { items } = await h.electio(byAnswer, [submitted(quotes, TRACKED_48)], true);
		expect(items[0].json).toMatchObject({
			reason: 'allocatedElsewhere',
			currentCarrier: 'Royal Mail',
			currentService: 'Tracked 24',
			currentServiceReference: 'MPD_RMDTPS24',
			trackingNumber: booked.TrackingReferences[0],
			userMessage: `Consignment ${reference} is already booked with Royal Mail · Tracked 24, so your choice (Royal Mail · Tracked 48 Signed For) was not applied. To change it, release the booking (deallocate) first.`,
		});
		expect(items[0].json.error).toBe(
			`Item 0: ${reference} is already allocated to Royal Mail · Tracked 24, not to the chosen Royal Mail · Tracked 48 Signed For`,
		);
		expect(stored(reference).CarrierServiceReference).toBe('MPD_RMDTPS24');
		expect(allocations(reference)).toHaveLength(1);
	});
});

describe('the other selections still work the same', () => {
	test('a chosen quote reference whose quote came with the item is re-quoted at the same price too', async () => {
		const [reference] = await h.created(1);
		const perQuote = await h.electio({ ...getQuotes, output: 'perQuote' }, [
			{ consignmentReference: reference },
		]);
		const pick = perQuote.items.find((item) => item.json.serviceReference === 'MPD_DPDNEXTDAY')!;
		travel(QUOTE_TTL_MS + 60_000);
		const { items, error } = await h.electio(
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'reference' },
			[pick.json],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			serviceReference: 'MPD_DPDNEXTDAY',
			requoted: true,
			expiredQuoteReference: pick.json.quoteReference,
		});
		expect(items[0].json).not.toHaveProperty('choice');
	});
});
