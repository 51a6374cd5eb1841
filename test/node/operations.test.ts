import { PDFDocument } from 'pdf-lib';

import { runLoadOptions, useElectio } from '../../harness/electio';
import { binaryBuffer } from '../../harness/engine';

const h = useElectio({ seed: 11 });
const { electio } = h;
const createConsignments = h.created;
const allocated = h.allocated;

describe('consignment', () => {
	test('create in fields mode builds the documented body from what a person keys in', async () => {
		const { items, error } = await electio({
			resource: 'consignment',
			operation: 'create',
			inputMode: 'fields',
			shippingLocationReference: 'Sorted1',
			customerReference: 'CS-FORM-17',
			destinationAddressLine1: '1 Rue de Rivoli',
			destinationTown: 'Paris',
			destinationPostcode: '75001',
			destinationCountryCode: 'fr',
			destinationDetails: { firstName: 'Amélie', lastName: 'Poulain', email: 'amelie@example.com' },
			packages: {
				package: [
					{
						weight: 2.5,
						length: 30,
						width: 20,
						height: 10,
						value: 40,
						currency: 'GBP',
						description: 'Books',
					},
					{ weight: '0.4', length: 10, width: 10, height: 5 },
				],
			},
			additionalFields: {
				direction: 'Outbound',
				metadata: { entry: [{ key: 'Channel', value: 'Support form' }] },
			},
			additionalJson: '{"Tags": ["vip"]}',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ customerReference: 'CS-FORM-17', state: 'Unallocated' });
		const stored = h.sandbox.getConsignment(items[0].json.consignmentReference as string)!;
		expect(stored.ConsignmentReferenceProvidedByCustomer).toBe('CS-FORM-17');
		const packages = stored.Packages as Array<{ Weight: { Value: number } }>;
		expect(packages.map((pkg) => pkg.Weight.Value)).toEqual([2.5, 0.4]);
		const destination = (
			stored.Addresses as Array<{
				AddressType: string;
				Country: { IsoCode: { TwoLetterCode: string } };
			}>
		).find((address) => address.AddressType === 'Destination')!;
		expect(destination.Country.IsoCode.TwoLetterCode).toBe('FR');
	});

	test('get returns the consignment with its state; cancel makes it Cancelled, and cancelling again is an error', async () => {
		const [reference] = await createConsignments(1);
		const got = await electio({ resource: 'consignment', operation: 'get' }, [
			{ consignmentReference: reference },
		]);
		expect(got.items[0].json).toMatchObject({
			consignmentReference: reference,
			state: 'Unallocated',
			Reference: reference,
		});

		const cancelled = await electio({ resource: 'consignment', operation: 'cancel' }, [
			{ consignmentReference: reference },
		]);
		expect(cancelled.items[0].json).toEqual({
			consignmentReference: reference,
			state: 'Cancelled',
			cancelled: true,
		});
		expect(h.sandbox.getConsignment(reference)!.ConsignmentState).toBe('Cancelled');

		const again = await electio(
			{ resource: 'consignment', operation: 'cancel' },
			[{ consignmentReference: reference }],
			true,
		);
		expect(again.items).toHaveLength(1);
		expect(again.items[0].json.consignmentReference).toBe(reference);
		expect(again.items[0].json.error).toMatch(
			/^Electio PUT \/consignments\/EC-[\w-]+\/cancel failed with 4\d\d: .*Cancelled/,
		);
	});
	test('references come from the default expression, any other expression, or a fixed value alike', async () => {
		const [first, second] = await createConsignments(2);
		const byDefault = await electio({ resource: 'consignment', operation: 'get' }, [
			{ consignmentReference: first },
		]);
		const nested = await electio(
			{
				resource: 'consignment',
				operation: 'get',
				consignmentReference: '={{ $json.order.shipment.toUpperCase() }}',
			},
			[{ order: { shipment: second.toLowerCase() } }],
		);
		const fixed = await electio(
			{ resource: 'consignment', operation: 'get', consignmentReference: first },
			[{}],
		);
		expect([byDefault, nested, fixed].map((run) => run.items[0]?.json.Reference)).toEqual([
			first,
			second,
			first,
		]);
	});
});

describe('quote', () => {
	test('one item per quote, sorted by delivery date, all paired to their consignment', async () => {
		const references = await createConsignments(2);
		const { items } = await electio(
			{
				resource: 'quote',
				operation: 'getForConsignment',
				output: 'perQuote',
				sortBy: 'deliveryDate',
			},
			references.map((consignmentReference) => ({ consignmentReference })),
		);
		const first = items.filter((item) => item.json.consignmentReference === references[0]);
		expect(first.length).toBeGreaterThan(1);
		expect(first.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(
			items.filter((item) => (item.pairedItem as { item: number }).item === 1).length,
		).toBeGreaterThan(1);
		const dates = first.map((item) => Date.parse(item.json.latestDeliveryDate as string));
		expect(dates).toEqual([...dates].sort((a, b) => a - b));
		expect(first.map((item) => item.json.rank)).toEqual(first.map((_, index) => index + 1));
		expect(first[0].json).toMatchObject({
			quoteReference: expect.stringMatching(/^[0-9a-f-]{36}$/),
			priceGross: expect.any(Number),
		});
	});
});

describe('allocation', () => {
	test('fastest picks the earliest latest-delivery date, and a chosen quote can be allocated by reference', async () => {
		const references = await createConsignments(2);
		const quotes = await electio(
			{ resource: 'quote', operation: 'getForConsignment', output: 'perQuote', sortBy: 'price' },
			references.map((consignmentReference) => ({ consignmentReference })),
		);
		const firstQuotes = quotes.items.filter(
			(item) => item.json.consignmentReference === references[0],
		);
		const earliest = Math.min(
			...firstQuotes.map((item) => Date.parse(item.json.latestDeliveryDate as string)),
		);

		const fastest = await electio(
			{
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'fastest',
				reuseInputQuotes: false,
			},
			[{ consignmentReference: references[0] }],
		);
		expect(fastest.error).toBeUndefined();
		const stored = h.sandbox.getConsignment(references[0])!;
		expect(stored.ConsignmentState).toBe('Allocated');
		const chosen = firstQuotes.find((item) => item.json.service === fastest.items[0].json.service)!;
		expect(Date.parse(chosen.json.latestDeliveryDate as string)).toBe(earliest);

		// The second-cheapest quote of the other consignment, picked by a person, allocated by reference.
		const pick = quotes.items.filter((item) => item.json.consignmentReference === references[1])[1];
		const byReference = await electio(
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'reference' },
			[pick.json],
		);
		expect(byReference.error).toBeUndefined();
		expect(byReference.items[0].json).toMatchObject({
			consignmentReference: references[1],
			quoteReference: pick.json.quoteReference,
			service: pick.json.service,
			price: { gross: pick.json.priceGross },
		});
		expect(h.sandbox.getConsignment(references[1])!.QuoteReference).toBe(pick.json.quoteReference);
	});

	test('filters: allowed carriers are respected, and when nothing qualifies the item says why', async () => {
		const references = await createConsignments(2);
		const { items, error } = await electio(
			{
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'cheapest',
				filters: { allowedCarriers: ['DPD'] },
			},
			[{ consignmentReference: references[0] }],
		);
		expect(error).toBeUndefined();
		expect(items[0].json.carrierReference).toBe('DPD');

		const none = await electio(
			{
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'cheapest',
				filters: { maxGrossPrice: 0.5 },
			},
			[{ consignmentReference: references[1] }],
		);
		expect(none.error?.message).toMatch(
			new RegExp(
				`^Item 0: no quote to allocate ${references[1]} with: none of the \\d+ quotes qualifies: \\d+ above the maximum gross price of 0.5`,
			),
		);
		expect(h.sandbox.getConsignment(references[1])!.ConsignmentState).toBe('Unallocated');
	});
	test('quotes carried from an earlier step that expired meanwhile are replaced by fresh ones, once', async () => {
		const [reference] = await createConsignments(1);
		const quoted = await electio({ resource: 'quote', operation: 'getForConsignment' }, [
			{ consignmentReference: reference },
		]);
		h.sandbox.advanceClock(2 * 60 * 60 * 1000);
		const { items, error } = await electio(
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
			[quoted.items[0].json],
		);
		expect(error).toBeUndefined();
		expect(items[0].json.state).toBe('Allocated');
		const staleReferences = (quoted.items[0].json.quotes as Array<{ QuoteReference: string }>).map(
			(quote) => quote.QuoteReference,
		);
		expect(staleReferences).not.toContain(items[0].json.quoteReference);
		const allocations = h.sandbox
			.requests()
			.filter((entry) => entry.path.startsWith('/allocation/'));
		expect(allocations.map((entry) => entry.status)).toEqual([400, 200]);
	});

	test('a state error is not mistaken for an expired quote: no second attempt', async () => {
		const [reference] = await allocated(1);
		h.sandbox.clearRequests();
		const quoted = await electio({ resource: 'quote', operation: 'getForConsignment' }, [
			{ consignmentReference: reference },
		]);
		const { error } = await electio(
			{
				resource: 'allocation',
				operation: 'allocateWithQuote',
				quoteSelection: 'cheapest',
				returnExistingAllocation: false,
			},
			[quoted.items[0].json],
		);
		expect(error?.message).toMatch(
			/failed with 400: Cannot allocate consignment EC-[\w-]+: it is in state Allocated/,
		);
		expect(
			h.sandbox.requests().filter((entry) => entry.path.startsWith('/allocation/')),
		).toHaveLength(1);
	});
});

describe('documents', () => {
	test('labels in PNG and ZPL are files named after the consignment with the right MIME type', async () => {
		const [reference] = await allocated(1, { packages: 2 });
		const png = await electio(
			{ resource: 'label', operation: 'get', labelFormat: 'PNG', binaryPropertyName: 'label' },
			[{ consignmentReference: reference }],
		);
		expect(png.items[0].binary?.label).toMatchObject({
			fileName: `${reference}.png`,
			mimeType: 'image/png',
			fileExtension: 'png',
		});
		expect((await binaryBuffer(png.items[0], 'label')).subarray(1, 4).toString()).toBe('PNG');

		const zpl = await electio({ resource: 'label', operation: 'get', labelFormat: 'ZPLII' }, [
			{ consignmentReference: reference },
		]);
		expect(zpl.items[0].binary?.data).toMatchObject({
			fileName: `${reference}.zpl`,
			mimeType: 'application/zpl',
		});
		expect((await binaryBuffer(zpl.items[0])).toString()).toMatch(/^\^XA/);
		expect(h.sandbox.getConsignment(reference)!.LabelsPrinted).toBe(true);

		const pdf = await electio({ resource: 'label', operation: 'get', labelFormat: 'PDF' }, [
			{ consignmentReference: reference },
		]);
		expect((await PDFDocument.load(await binaryBuffer(pdf.items[0]))).getPageCount()).toBe(2);
	});

	test('a domestic consignment has no customs documents, and says so', async () => {
		const [reference] = await allocated(1, { country: 'GB' });
		const { items } = await electio({ resource: 'customsDocument', operation: 'get' }, [
			{ consignmentReference: reference },
		]);
		expect(items[0].json).toMatchObject({
			consignmentReference: reference,
			customsDocumentCount: 0,
			customsDocuments: [],
		});
		expect(items[0].json.customsDocumentsMessage).toMatch(
			/only issues them for international shipments/,
		);
		expect(items[0].binary ?? {}).toEqual({});
	});
});

describe('manifest', () => {
	test('once per execution, with the query from the fields; only the matching consignments move', async () => {
		const references = await allocated(3);
		// Only the first two get labels, and the query asks for labelled ones.
		await electio(
			{ resource: 'label', operation: 'get', labelFormat: 'PDF' },
			references.slice(0, 2).map((consignmentReference) => ({ consignmentReference })),
		);
		const { items } = await electio(
			{
				resource: 'manifest',
				operation: 'fromQuery',
				states: ['Allocated'],
				labelsPrinted: 'true',
				shippingLocationReferences: ['Sorted1'],
			},
			references.map((consignmentReference) => ({ consignmentReference })),
		);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ found: 2, queued: 2, failed: 0, failedConsignments: [] });
		expect(items[0].json.query).toEqual({
			ShippingLocationReferences: ['Sorted1'],
			States: ['Allocated'],
			LabelsPrinted: true,
		});
		expect(items[0].json.consignmentReferences).toEqual(references);
		expect(
			references.map((reference) => h.sandbox.getConsignment(reference)!.ConsignmentState),
		).toEqual(['Manifested', 'Manifested', 'Allocated']);
		const calls = h.sandbox
			.requests()
			.filter((entry) => entry.path === '/consignments/manifestFromQuery');
		expect(calls).toHaveLength(1);
	});

	test('no matching consignment is a result, not an error', async () => {
		const { items, error } = await electio({
			resource: 'manifest',
			operation: 'fromQuery',
			carriers: ['NO_SUCH_CARRIER'],
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ found: 0, queued: 0, failed: 0 });
	});
});

describe('dropdowns', () => {
	test('shipping locations and carriers load from the API', async () => {
		const locations = await runLoadOptions({
			method: 'getShippingLocations',
			credentials: h.credentials,
		});
		expect(locations.options.map((option) => option.value)).toEqual(
			expect.arrayContaining(['Sorted1', 'EDC5_Electio']),
		);
		const carriers = await runLoadOptions({ method: 'getCarriers', credentials: h.credentials });
		expect(carriers.options.length).toBeGreaterThanOrEqual(5);
		expect(carriers.options.find((option) => option.value === 'DPD')?.name).toMatch(/DPD/);
	});
});
