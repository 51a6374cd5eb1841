// The whole quotes flow over real HTTP, with the documented shapes and real documents.
import { PDFDocument } from 'pdf-lib';
import { startSandbox, Sandbox } from '../../sandbox';
import {
	allocate,
	call,
	create,
	example,
	expectSameShape,
	international,
	minimal,
	refFromCreate,
	state,
} from './helpers';

const NOW = new Date('2030-03-05T10:00:00Z'); // a Tuesday
let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ seed: 42, now: () => NOW });
});
afterAll(() => sb.close());

async function pdfPages(base64: string): Promise<number> {
	const bytes = Buffer.from(base64, 'base64');
	expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	expect(bytes.subarray(-8).toString('latin1')).toContain('%%EOF');
	const doc = await PDFDocument.load(bytes);
	return doc.getPageCount();
}

describe('quotes flow', () => {
	test('create -> quotes -> allocate -> labels -> manifest from query -> Manifested', async () => {
		const body = example('create-consignment.request.json');
		body.Packages.push({ ...body.Packages[0], PackageReferenceProvidedByCustomer: 'MYPACK-2' });
		const created = await call(sb, 'POST', '/consignments', body);
		expect(created.status).toBe(201);
		expectSameShape(created.json, example('create-consignment.response.json'));
		expect(created.json[0].Rel).toBe('Link');
		expect(created.json[0].Href).toMatch(
			new RegExp(`^${sb.url}/consignments/EC-[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$`),
		);
		const ref = refFromCreate(created);

		const got = await call(sb, 'GET', `/consignments/${ref}`);
		expect(got.status).toBe(200);
		expectSameShape(got.json, example('get-consignment.response.json'));
		expect(got.json.ConsignmentState).toBe('Unallocated');
		expect(got.json.ConsignmentReferenceProvidedByCustomer).toBe('MYCONS-098998');
		expect(got.json.Packages).toHaveLength(2);
		expect(got.json.Packages[0].Reference).toMatch(/^EP-[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/);
		expect(got.json.Weight).toEqual({ Value: 1, Unit: 'Kg' });
		// The shipping location fills the origin address.
		expect(got.json.Addresses[0].ShippingLocationReference).toBe('EDC5_Electio');
		expect(got.json.Addresses[0].Postcode).toBe('M1 5WG');

		const quotes = await call(sb, 'GET', `/quotes/consignment/${ref}`);
		expect(quotes.status).toBe(200);
		expectSameShape(quotes.json, example('get-quotes-by-consignment.response.json'));
		expect(quotes.json.Quotes.length).toBeGreaterThanOrEqual(3);
		for (const q of quotes.json.Quotes) {
			expect(q.QuoteReference).toMatch(
				/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
			);
			expect(q.ConsignmentReference).toBe(ref);
			expect(q.Price.Net).toBeGreaterThan(0);
			expect(q.Price.Gross).toBeCloseTo(q.Price.Net + q.Price.VatAmount, 2);
			expect(q.Price.VatAmount).toBeCloseTo(q.Price.Net * 0.2, 1);
			expect(new Date(q.ExpiryDate).getTime() - new Date(q.CreationDate).getTime()).toBe(3600000);
			expect(q.Legs[0].CarrierService.CarrierReference).toBeTruthy();
			expect(new Date(q.EarliestDeliveryDate + 'Z').getTime()).toBeGreaterThan(
				new Date(q.CollectionDate + 'Z').getTime(),
			);
		}
		// Cheapest first.
		const gross = quotes.json.Quotes.map((q: any) => q.Price.Gross);
		expect([...gross].sort((a, b) => a - b)).toEqual(gross);

		const chosen = quotes.json.Quotes.find(
			(q: any) => q.MpdCarrierServiceReference === 'EDC5_UPSHSTDCS',
		);
		expect(chosen).toBeDefined();
		const alloc = await call(
			sb,
			'PUT',
			`/allocation/${ref}/allocatewithquote/${chosen.QuoteReference}`,
		);
		expect(alloc.status).toBe(200);
		expectSameShape(alloc.json, example('allocate-with-quote.response.json'));
		expect(alloc.json[0].CarrierReference).toBe('UPS');
		expect(alloc.json[0].CarrierServiceReference).toBe('EDC5_UPSHSTDCS');
		expect(alloc.json[0].Description).toMatch(
			new RegExp(`^Consignment ${ref} has been successfully allocated with UPS STANDARD`),
		);
		const tracking: string[] = alloc.json[0].ConsignmentLegs[0].TrackingReferences;
		expect(tracking).toHaveLength(2);
		tracking.forEach((t) => expect(t).toMatch(/^1Z[0-9A-Z]{16}$/));
		expect(await state(sb, ref)).toBe('Allocated');

		const labels = await call(sb, 'GET', `/labels/${ref}/pdf`);
		expect(labels.status).toBe(200);
		expectSameShape(labels.json, example('get-labels-in-format.response.json'));
		expect(labels.json.ContentType).toBe('application/pdf');
		expect(await pdfPages(labels.json.File)).toBe(2);
		const pdfText = Buffer.from(labels.json.File, 'base64').toString('latin1');
		expect(pdfText).toContain('/Helvetica');

		const after = await call(sb, 'GET', `/consignments/${ref}`);
		expect(after.json.LabelsPrinted).toBe(true);
		expect(after.json.LabelCount).toBe(2);
		expect(after.json.ConsignmentLegs[0].TrackingReferences).toEqual(tracking);
		expect(after.json.Packages[1].ConsignmentLegs[0].TrackingReferences).toEqual([tracking[1]]);

		const mf = await call(sb, 'PUT', '/consignments/manifestFromQuery', {
			ShippingLocationReferences: ['EDC5_Electio'],
			States: ['Allocated'],
			Carriers: ['UPS'],
			LabelsPrinted: true,
		});
		expect(mf.status).toBe(200);
		expect(mf.json).toEqual({
			Message:
				'Query found 1 consignment(s). 1 successfully queued to manifest. 0 failed to be added to the queue',
			FailedConsignments: [],
		});
		expectSameShape(mf.json.Message, example('manifest-from-query.response.json').Message);
		expect(await state(sb, ref)).toBe('Manifested');

		const stored = sb.getConsignment(ref)!;
		expect(stored.history.map((h) => h.state)).toEqual(['Unallocated', 'Allocated', 'Manifested']);
		expect(stored.CarrierReference).toBe('UPS');
		expect(stored.TrackingReferences).toEqual(tracking);
		expect(stored.LabelsPrinted).toBe(true);
		// Labels can still be printed after manifesting.
		expect((await call(sb, 'GET', `/labels/${ref}/PDF`)).status).toBe(200);
	});

	test('quotes are deterministic for the same consignment and clock, and priced by weight and destination', async () => {
		const a = await create(sb);
		const b = await create(sb);
		const qa = (await call(sb, 'GET', `/quotes/consignment/${a}`)).json;
		const qb = (await call(sb, 'GET', `/quotes/consignment/${b}`)).json;
		const prices = (q: any) =>
			q.Quotes.map((x: any) => [x.MpdCarrierServiceReference, x.Price.Net]);
		expect(prices(qa)).toEqual(prices(qb));
		const heavy = minimal();
		heavy.Packages = [{ ...heavy.Packages[0], Weight: { Value: 8, Unit: 'Kg' } }];
		const h = await create(sb, heavy);
		const qh = (await call(sb, 'GET', `/quotes/consignment/${h}`)).json;
		const netOf = (q: any, s: string) =>
			q.Quotes.find((x: any) => x.MpdCarrierServiceReference === s).Price.Net;
		expect(netOf(qh, 'MPD_DPDNEXTDAY')).toBeGreaterThan(netOf(qa, 'MPD_DPDNEXTDAY'));
		const fr = await create(sb, international('FR', 50));
		const qf = (await call(sb, 'GET', `/quotes/consignment/${fr}`)).json;
		const upsFr = qf.Quotes.find((x: any) => x.MpdCarrierServiceReference === 'EDC5_UPSHEXDCS');
		expect(upsFr.Price.VatAmount).toBe(0);
		expect(upsFr.Price.Net).toBeGreaterThan(netOf(qa, 'EDC5_UPSHEXDCS'));
		// International: domestic-only services are unqualified by address.
		expect(qf.UnqualifiedServices.map((u: any) => u.MpdCarrierServiceReference)).toContain(
			'MPD_DPDNEXTDAY',
		);
	});

	test('labels in PNG and ZPL, per package, and the default format', async () => {
		const body = minimal();
		body.Packages.push({ ...body.Packages[0] });
		const ref = await create(sb, body);
		await allocate(sb, ref);
		const png = await call(sb, 'GET', `/labels/${ref}/Png`);
		expect(png.status).toBe(200);
		expect(png.json.ContentType).toBe('image/png');
		const pngBytes = Buffer.from(png.json.File, 'base64');
		expect(pngBytes.subarray(0, 8)).toEqual(
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		);
		const { PNG } = await import('pngjs');
		const img = PNG.sync.read(pngBytes);
		expect(img.width).toBeGreaterThan(100);
		for (const fmt of ['zpl', 'ZPLII']) {
			const z = await call(sb, 'GET', `/labels/${ref}/${fmt}`);
			expect(z.status).toBe(200);
			expect(z.json.ContentType).toBe('x-application/zpl');
			const zpl = Buffer.from(z.json.File, 'base64').toString('utf8');
			expect(zpl.match(/\^XA/g)).toHaveLength(2);
			expect(zpl.match(/\^XZ/g)).toHaveLength(2);
			expect(zpl).toContain('^BC');
		}
		const def = await call(sb, 'GET', `/labels/${ref}`);
		expect(def.json.ContentType).toBe('application/pdf');
		expect(await pdfPages(def.json.File)).toBe(2);
		const pkgRef = sb.getConsignment(ref)!.Packages as any[];
		const one = await call(sb, 'GET', `/labels/package/${ref}/${pkgRef[1].Reference}/PDF`);
		expect(one.status).toBe(200);
		expect(await pdfPages(one.json.File)).toBe(1);
		const bad = await call(sb, 'GET', `/labels/${ref}/GIF`);
		expect(bad.status).toBe(400);
		expect(bad.json.Message).toMatch(/GIF/);
	});

	test('customs documents: CN22 up to 270 GBP, CN23 above, commercial invoice, none for domestic', async () => {
		const cases: [number, string, string][] = [
			[270, 'CN22Documents', 'CN23Documents'],
			[270.01, 'CN23Documents', 'CN22Documents'],
		];
		for (const [value, present, absent] of cases) {
			const ref = await create(sb, international('FR', value));
			const before = await call(sb, 'GET', `/consignments/docs/${ref}`);
			expect(before.status).toBe(400);
			expect(before.json.Message).toMatch(/Unallocated/);
			await allocate(sb, ref);
			const docs = await call(sb, 'GET', `/consignments/docs/${ref}`);
			expect(docs.status).toBe(200);
			expect(Object.keys(docs.json).sort()).toEqual(['CommercialInvoiceDocuments', present].sort());
			expect(docs.json[absent]).toBeUndefined();
			const prefix = present.slice(0, 4);
			expect(docs.json[present][0].Key).toBe(`${prefix}_${ref}.pdf`);
			expect(await pdfPages(docs.json[present][0].Value)).toBe(1);
			expect(docs.json.CommercialInvoiceDocuments[0].Key).toBe(`INV_${ref}.pdf`);
			expect(await pdfPages(docs.json.CommercialInvoiceDocuments[0].Value)).toBe(1);
			if (value === 270) expectSameShape(docs.json, example('get-customs-documents.response.json'));
		}
		// Item lines count as declared value when the package has none.
		const items = international('US', 0);
		delete items.Packages[0].Value;
		items.Packages[0].Items = [
			{
				Description: 'Watch',
				Quantity: 2,
				Value: { Amount: 150, Currency: { IsoCode: 'GBP' } },
				CountryOfOrigin: { IsoCode: { TwoLetterCode: 'CH' } },
			},
		];
		const itemsRef = await create(sb, items);
		await allocate(sb, itemsRef);
		const itemsDocs = await call(sb, 'GET', `/consignments/docs/${itemsRef}`);
		expect(itemsDocs.json.CN23Documents).toHaveLength(1);

		const dom = await create(sb);
		await allocate(sb, dom);
		const domDocs = await call(sb, 'GET', `/consignments/docs/${dom}`);
		expect(domDocs.status).toBe(200);
		expect(domDocs.json).toEqual({ CommercialInvoiceDocuments: [], CN22Documents: [] });
	});

	test('lookup lists', async () => {
		const locs = await call(sb, 'GET', '/shippinglocations');
		expect(locs.status).toBe(200);
		const refs = locs.json.map((l: any) => l.Reference);
		expect(refs).toEqual(expect.arrayContaining(['Sorted1', 'EDC5_Electio']));
		for (const l of locs.json) {
			expect(l.Name).toBeTruthy();
			expect(l.AddressLine1).toBeTruthy();
			expect(l.Postcode).toBeTruthy();
			expect(l.Country.IsoCode.TwoLetterCode).toBe('GB');
		}
		const carriers = await call(sb, 'GET', '/carriers');
		expect(carriers.json.length).toBeGreaterThanOrEqual(5);
		expect(carriers.json.map((c: any) => c.Reference)).toEqual(
			expect.arrayContaining(['ROYAL_MAIL', 'DPD', 'UPS', 'DHL']),
		);
		const services = await call(sb, 'GET', '/carrierservices');
		expect(services.json.length).toBeGreaterThanOrEqual(10);
		const carrierRefs = new Set(carriers.json.map((c: any) => c.Reference));
		for (const s of services.json) {
			expect(s.Reference).toBeTruthy();
			expect(s.Name).toBeTruthy();
			expect(carrierRefs.has(s.CarrierReference)).toBe(true);
		}
		expect(services.json.some((s: any) => s.Pallet)).toBe(true);
		expect(services.json.some((s: any) => s.International)).toBe(true);
		const sizes = await call(sb, 'GET', '/packagesizes');
		expect(sizes.json.length).toBeGreaterThanOrEqual(3);
		for (const p of sizes.json) {
			expect(p.Dimensions.Width).toBeGreaterThan(0);
			expect(p.MaxWeight.Value).toBeGreaterThan(0);
		}
	});
});
