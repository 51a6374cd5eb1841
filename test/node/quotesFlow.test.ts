import { PDFDocument } from 'pdf-lib';

import { startSandbox, type Sandbox } from '../../sandbox';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { electioNode, runWorkflow, type TestCredentials } from '../../harness/electio';
import { binaryBuffer, chain, outputOf } from '../../harness/engine';

let sandbox: Sandbox;
let credentials: TestCredentials;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 7 });
	credentials = { apiKey: sandbox.apiKey, environment: 'custom', baseUrl: sandbox.url };
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const flowNodes = [
	electioNode('Create', { resource: 'consignment', operation: 'create', inputMode: 'json' }, 0),
	electioNode('Get Quotes', { resource: 'quote', operation: 'getForConsignment' }, 1),
	electioNode(
		'Allocate',
		{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
		2,
	),
	electioNode('Get Labels', { resource: 'label', operation: 'get', labelFormat: 'PDF' }, 3),
	electioNode('Customs', { resource: 'customsDocument', operation: 'get' }, 4),
	electioNode('Manifest', { resource: 'manifest', operation: 'fromQuery' }, 5),
];

test('the whole Quotes flow runs in n8n and every consignment ends Manifested exactly once', async () => {
	const orders = [
		consignmentBody('ORDER-1', { packages: 1 }),
		consignmentBody('ORDER-2', { packages: 3 }),
		consignmentBody('ORDER-3', { country: 'FR', valueGbp: 120 }),
		consignmentBody('ORDER-4', { country: 'US', valueGbp: 900, packages: 2 }),
	];
	const run = await runWorkflow({
		nodes: flowNodes,
		connections: chain(...flowNodes.map((node) => node.name)),
		credentials,
		startNodeName: 'Create',
		startItems: orders.map((json) => ({ json })),
	});
	expect(run.data.resultData.error).toBeUndefined();

	const created = outputOf(run, 'Create');
	expect(created).toHaveLength(4);
	expect(created.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	const references = created.map((item) => item.json.consignmentReference as string);
	for (const reference of references)
		expect(reference).toMatch(/^EC-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);

	const quotes = outputOf(run, 'Get Quotes');
	expect(quotes.map((item) => item.json.consignmentReference)).toEqual(references);
	for (const item of quotes) {
		const list = item.json.quotes as Array<{ Price: { Gross: number } }>;
		expect(list.length).toBeGreaterThan(0);
		const prices = list.map((quote) => quote.Price.Gross);
		expect(prices).toEqual([...prices].sort((a, b) => a - b));
		expect(typeof item.json.quoteRequestReference).toBe('string');
		expect(Array.isArray(item.json.unqualifiedServices)).toBe(true);
	}

	const allocated = outputOf(run, 'Allocate');
	allocated.forEach((item, index) => {
		expect(item.json.consignmentReference).toBe(references[index]);
		expect(item.json.carrier).toEqual(expect.any(String));
		expect(item.json.service).toEqual(expect.any(String));
		expect((item.json.trackingReferences as string[]).length).toBeGreaterThan(0);
		// Cheapest means the lowest gross price among the quotes of that consignment.
		const cheapest = Math.min(
			...(quotes[index].json.quotes as Array<{ Price: { Gross: number } }>).map(
				(q) => q.Price.Gross,
			),
		);
		expect((item.json.price as { gross: number }).gross).toBe(cheapest);
	});

	const labels = outputOf(run, 'Get Labels');
	const packageCounts = [1, 3, 1, 2];
	for (const [index, item] of labels.entries()) {
		expect(item.binary?.data?.fileName).toBe(`${references[index]}.pdf`);
		expect(item.binary?.data?.mimeType).toBe('application/pdf');
		const pdf = await PDFDocument.load(await binaryBuffer(item, 'data'));
		expect(pdf.getPageCount()).toBe(packageCounts[index]);
		// The label step keeps what allocation found, so a later email can quote the tracking number.
		expect(item.json.trackingNumber).toBe(allocated[index].json.trackingNumber);
	}

	const customs = outputOf(run, 'Customs');
	expect(customs[0].json.customsDocumentCount).toBe(0);
	expect(customs[0].json.customsDocumentsMessage).toMatch(/international/);
	expect(Object.keys(customs[2].binary ?? {}).sort()).toEqual([
		'cn22',
		'commercialInvoice',
		'data',
	]);
	expect(Object.keys(customs[3].binary ?? {}).sort()).toEqual([
		'cn23',
		'commercialInvoice',
		'data',
	]);
	for (const property of ['cn22', 'commercialInvoice']) {
		const pdf = await PDFDocument.load(await binaryBuffer(customs[2], property));
		expect(pdf.getPageCount()).toBeGreaterThan(0);
		expect(customs[2].binary?.[property]?.fileName).toMatch(/\.pdf$/);
	}

	const manifest = outputOf(run, 'Manifest');
	expect(manifest).toHaveLength(1);
	expect(manifest[0].json).toMatchObject({
		found: 4,
		queued: 4,
		failed: 0,
		failedConsignments: [],
	});
	expect(manifest[0].pairedItem).toEqual([0, 1, 2, 3].map((item) => ({ item })));

	// The sandbox's own records: created once each, all Manifested, one manifest call.
	const requests = sandbox.requests();
	const creates = requests.filter(
		(entry) => entry.method === 'POST' && entry.path === '/consignments',
	);
	expect(creates.map((entry) => entry.customerReference).sort()).toEqual([
		'ORDER-1',
		'ORDER-2',
		'ORDER-3',
		'ORDER-4',
	]);
	expect(
		requests.filter((entry) => entry.path.startsWith('/consignments/manifestFromQuery')),
	).toHaveLength(1);
	for (const reference of references) {
		expect(sandbox.getConsignment(reference)?.ConsignmentState).toBe('Manifested');
	}
	// Allocate reused the quotes from the step before instead of asking again.
	expect(requests.filter((entry) => entry.path.startsWith('/quotes/'))).toHaveLength(4);
});
