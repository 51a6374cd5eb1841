/**
 * Quote → Get for Consignment, for a person who picks the quote (#18): flat choices with carrier
 * names from Electio's carrier list, and a form definition n8n's own parser accepts, whose answer
 * and hidden fields carry what Allocate needs.
 */
import type { IDataObject } from 'n8n-workflow';
import { tryToParseJsonToFormFields } from 'n8n-workflow';

import { useElectio } from '../../../harness/electio';
import { CARRIERS } from '../../../sandbox/catalogue';

// A Tuesday in March: no Friday or peak-season surcharge, so prices follow the catalogue exactly.
const NOW = new Date('2030-03-05T10:00:00Z');
const h = useElectio({ seed: 18, now: () => NOW });

const getQuotes = { resource: 'quote', operation: 'getForConsignment' };
const refs = (references: string[]) =>
	references.map((consignmentReference) => ({ consignmentReference }));
const carrierCalls = () => h.requests().filter((entry) => entry.path === '/carriers');

describe('choices a person can read', () => {
	test('one per quote, cheapest first, named by carrier and service, with price and delivery day', async () => {
		const [reference] = await h.created(1);
		const { items, error } = await h.electio(getQuotes, refs([reference]));
		expect(error).toBeUndefined();
		const json = items[0].json;
		const quotes = json.quotes as IDataObject[];
		const choices = json.quoteChoices as IDataObject[];
		expect(choices).toHaveLength(quotes.length);
		expect(choices.map((choice) => choice.quoteReference)).toEqual(
			quotes.map((quote) => quote.QuoteReference),
		);
		// 1.2 kg: 3.90 + 0.40/kg = 4.38 net, 5.26 with VAT; collected Tuesday, two working days.
		const tracked48 = choices.find((choice) => choice.serviceReference === 'MPD_RMDTPS48HNAST');
		expect(tracked48).toMatchObject({
			label: 'Royal Mail · Tracked 48 Signed For · £5.26 · by Thu 7 Mar',
			carrier: 'Royal Mail',
			carrierReference: 'ROYAL_MAIL',
			service: 'Tracked\u00a048\u00a0Signed\u00a0For',
			priceGross: 5.26,
			currency: 'GBP',
			collectionDate: '2030-03-05T00:00:00',
			latestDeliveryDate: '2030-03-07T23:59:00',
		});
		// Every carrier is named as people know it, never by its code.
		const names = new Set(CARRIERS.map((carrier) => carrier.Name));
		for (const choice of choices) expect(names).toContain(choice.carrier);
		expect(new Set(choices.map((choice) => choice.label)).size).toBe(choices.length);
		const prices = choices.map((choice) => choice.priceGross as number);
		expect(prices).toEqual([...prices].sort((a, b) => a - b));
		expect(json.cheapest).toMatchObject({ carrier: choices[0].carrier });
		expect(json.noQuotesMessage).toBeNull();
	});

	test("Electio's carrier list is read once per account, not per item or per run", async () => {
		const references = await h.created(3);
		await h.electio(getQuotes, refs(references));
		await h.electio({ ...getQuotes, output: 'perQuote' }, refs(references.slice(0, 1)));
		expect(carrierCalls()).toHaveLength(1);
	});

	test('when the carrier list cannot be read, the carrier codes stand in and the quotes still come', async () => {
		const [reference] = await h.created(1);
		h.sandbox.failNext({ path: '/carriers', status: 403 });
		const { items, error } = await h.electio(getQuotes, refs([reference]));
		expect(error).toBeUndefined();
		const choices = items[0].json.quoteChoices as IDataObject[];
		expect(choices.length).toBeGreaterThan(0);
		expect(choices.map((choice) => choice.carrier)).toContain('ROYAL_MAIL');
		// not remembered: the next run asks again and gets the names
		const again = await h.electio(getQuotes, refs([reference]));
		expect((again.items[0].json.quoteChoices as IDataObject[])[0].carrier).not.toMatch(/_/);
	});

	test('one item per quote carries the same label and carrier name', async () => {
		const [reference] = await h.created(1);
		const perConsignment = await h.electio(getQuotes, refs([reference]));
		const perQuote = await h.electio({ ...getQuotes, output: 'perQuote' }, refs([reference]));
		const labels = (perConsignment.items[0].json.quoteChoices as IDataObject[]).map(
			(choice) => choice.label,
		);
		const perQuoteLabels = perQuote.items.map((item) => item.json.label);
		// new quote references each call, same offers
		expect(perQuoteLabels).toEqual(labels);
		expect(perQuote.items[0].json).toMatchObject({ rank: 1, carrier: expect.any(String) });
		expect(perQuote.items[0].json.carrier).not.toMatch(/_/);
	});
});

describe('the form definition', () => {
	test("n8n's own parser accepts it: a required radio choice of the labels, the consignment and choices hidden", async () => {
		const [reference] = await h.created(1);
		const { items } = await h.electio(getQuotes, refs([reference]));
		const json = items[0].json;
		const labels = (json.quoteChoices as IDataObject[]).map((choice) => choice.label);
		// What the Form node does with "Define Form: Using JSON" and {{ $json.formFields }}.
		const fields = tryToParseJsonToFormFields(JSON.stringify(json.formFields));
		expect(fields).toEqual([
			{
				fieldLabel: 'Delivery option',
				fieldName: 'quoteChoice',
				fieldType: 'radio',
				requiredField: true,
				fieldOptions: { values: labels.map((option) => ({ option })) },
			},
			{ fieldType: 'hiddenField', fieldName: 'consignmentReference', fieldValue: reference },
			{ fieldType: 'hiddenField', fieldName: 'quoteChoices', fieldValue: expect.any(String) },
		]);
		// the parser escapes < and >: a label must come back exactly as it went out
		expect(JSON.stringify(fields)).not.toMatch(/&lt;|&gt;/);
		const carried = JSON.parse(fields[2].fieldValue as string) as IDataObject[];
		expect(carried.map((choice) => choice.label)).toEqual(labels);
		expect(carried[0]).toEqual({
			label: labels[0],
			quoteReference: (json.quotes as IDataObject[])[0].QuoteReference,
			carrier: expect.any(String),
			service: expect.any(String),
			serviceReference: expect.any(String),
			priceGross: expect.any(Number),
			currency: 'GBP',
		});
	});

	test('the question and a dropdown instead of radio buttons are options', async () => {
		const [reference] = await h.created(1);
		const { items } = await h.electio(
			{ ...getQuotes, formOptions: { question: 'How should it travel?', fieldType: 'dropdown' } },
			refs([reference]),
		);
		const [choice] = tryToParseJsonToFormFields(JSON.stringify(items[0].json.formFields));
		expect(choice).toMatchObject({
			fieldLabel: 'How should it travel?',
			fieldName: 'quoteChoice',
			fieldType: 'dropdown',
			requiredField: true,
		});
	});

	test('no quote: no dead-end choice, but the reason from the exclusions, in words', async () => {
		const [reference] = await h.created(1, { country: 'US', weightKg: 250 });
		const { items, error } = await h.electio(getQuotes, refs([reference]));
		expect(error).toBeUndefined();
		const json = items[0].json;
		expect(json.quoteCount).toBe(0);
		expect(json.quoteChoices).toEqual([]);
		expect(json.noQuotesMessage).toBe('No carrier can take 250 kg to the United States.');
		const fields = tryToParseJsonToFormFields(JSON.stringify(json.formFields));
		expect(fields.map((field) => field.fieldType)).toEqual(['html', 'hiddenField', 'hiddenField']);
		expect(fields[0].html).toBe('<p>No carrier can take 250 kg to the United States.</p>');
		expect(fields.some((field) => field.requiredField)).toBe(false);
	});
});
