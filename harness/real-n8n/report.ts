// Reading the quotes flow's outcome out of an n8n execution: labels, customs documents and a
// per-consignment summary. Shared by `npm run demo` and the e2e tests.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { binaryBytes, nodeItems, type BinarySource, type N8nItem } from './execution';

/** Node names in examples/quotes-flow.json. */
export const QUOTES_FLOW_NODES = {
	trigger: 'Run the demo',
	samples: 'Sample consignments',
	create: 'Create consignment',
	quotes: 'Get quotes',
	allocate: 'Allocate cheapest',
	labels: 'Get label (PDF)',
	customs: 'Get customs documents',
	manifest: 'Manifest from query',
};

export interface SummaryRow {
	customerReference: string;
	consignmentReference: string;
	carrier: string;
	service: string;
	price: string;
	trackingNumber: string;
	state: string;
	label?: string;
	customsDocuments: string[];
}

export interface WrittenFile {
	consignmentReference: string;
	kind: 'label' | 'customs';
	file: string;
	bytes: Buffer;
}

function first<T>(...values: T[]): T | undefined {
	return values.find((v) => v !== undefined && v !== null && (v as unknown) !== '');
}

/** "12.34 GBP" from whatever shape the allocation output carries the price in. */
function formatPrice(json: Record<string, any>): string {
	const price = first(json.price, json.Price, json.quote?.Price, json.quote?.price);
	if (price === undefined) return '';
	if (typeof price === 'number' || typeof price === 'string') {
		const currency = first(json.currency, json.priceCurrency, json.Currency) ?? '';
		return `${typeof price === 'number' ? price.toFixed(2) : price}${currency ? ` ${currency}` : ''}`.trim();
	}
	const amount = first(price.gross, price.Gross, price.net, price.Net, price.amount, price.Amount);
	const currency = first(
		price.currency?.IsoCode,
		price.Currency?.IsoCode,
		typeof price.currency === 'string' ? price.currency : undefined,
		typeof price.Currency === 'string' ? price.Currency : undefined,
	);
	if (amount === undefined) return JSON.stringify(price);
	return `${Number(amount).toFixed(2)}${currency ? ` ${currency}` : ''}`;
}

export function trackingOf(json: Record<string, any>): string[] {
	const refs = first(json.trackingReferences, json.trackingNumbers, json.TrackingReferences);
	if (Array.isArray(refs)) return refs.map(String);
	if (typeof refs === 'string') return [refs];
	const legs = json.ConsignmentLegs ?? json.consignmentLegs;
	if (Array.isArray(legs))
		return legs.flatMap((leg: any) => leg.TrackingReferences ?? leg.trackingReferences ?? []);
	return [];
}

function safeName(name: string): string {
	return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Every binary property of the items, with the consignment it belongs to. */
export function collectFiles(
	folder: BinarySource,
	items: N8nItem[],
	kind: 'label' | 'customs',
): WrittenFile[] {
	const files: WrittenFile[] = [];
	for (const item of items) {
		const ref = String(item.json.consignmentReference ?? 'unknown');
		// items carry earlier steps' files too (the customs step keeps the label): take only this step's
		const own =
			kind === 'label'
				? [String(item.json.label?.binaryProperty ?? 'data')]
				: Array.isArray(item.json.customsDocuments)
					? item.json.customsDocuments.map((d: any) => String(d.binaryProperty))
					: undefined;
		for (const [property, binary] of Object.entries(item.binary ?? {})) {
			if (own && !own.includes(property)) continue;
			const extension =
				binary.fileExtension ?? (binary.mimeType === 'application/pdf' ? 'pdf' : 'bin');
			const name = binary.fileName ?? `${ref}-${property}.${extension}`;
			files.push({
				consignmentReference: ref,
				kind,
				file: safeName(name),
				bytes: binaryBytes(folder, binary),
			});
		}
	}
	return files;
}

/** Writes labels as `<ref>.pdf` and customs documents by their names (prefixed by the reference when names clash). */
export function writeFiles(outDir: string, files: WrittenFile[]): Map<string, string[]> {
	const byRef = new Map<string, string[]>();
	const used = new Set<string>();
	for (const file of files) {
		let name = file.kind === 'label' ? `${safeName(file.consignmentReference)}.pdf` : file.file;
		if (file.kind === 'label' && !file.bytes.subarray(0, 5).toString('latin1').startsWith('%PDF')) {
			name = file.file;
		}
		if (used.has(name)) name = `${safeName(file.consignmentReference)}-${name}`;
		used.add(name);
		fs.writeFileSync(path.join(outDir, name), file.bytes);
		byRef.set(file.consignmentReference, [...(byRef.get(file.consignmentReference) ?? []), name]);
	}
	return byRef;
}

/** The summary rows, in the order the consignments were created. */
export function summarise(
	execution: any,
	states: Map<string, string>,
	labelsByRef: Map<string, string[]>,
	customsByRef: Map<string, string[]>,
): SummaryRow[] {
	const created = nodeItems(execution, QUOTES_FLOW_NODES.create);
	const allocated = new Map(
		nodeItems(execution, QUOTES_FLOW_NODES.allocate).map((item) => [
			String(item.json.consignmentReference),
			item.json,
		]),
	);
	const samples = nodeItems(execution, QUOTES_FLOW_NODES.samples);
	return created.map((item, index) => {
		const ref = String(item.json.consignmentReference ?? '');
		const allocation = allocated.get(ref) ?? {};
		const sample = samples[index]?.json ?? {};
		return {
			customerReference: String(
				first(
					item.json.consignmentReferenceProvidedByCustomer,
					item.json.customerReference,
					sample.ConsignmentReferenceProvidedByCustomer,
					sample.consignment?.ConsignmentReferenceProvidedByCustomer,
				) ?? '',
			),
			consignmentReference: ref,
			carrier: String(
				first(allocation.carrierName, allocation.carrier, allocation.CarrierName) ?? '',
			),
			service: String(
				first(
					allocation.carrierServiceName,
					allocation.service,
					allocation.serviceName,
					allocation.CarrierServiceName,
				) ?? '',
			),
			price: formatPrice(allocation),
			trackingNumber: trackingOf(allocation).join(', '),
			state: states.get(ref) ?? 'unknown',
			label: labelsByRef.get(ref)?.[0],
			customsDocuments: customsByRef.get(ref) ?? [],
		};
	});
}

export function table(rows: SummaryRow[]): string {
	const columns: Array<[string, (row: SummaryRow) => string]> = [
		['Customer ref', (r) => r.customerReference],
		['Reference', (r) => r.consignmentReference],
		['Carrier', (r) => r.carrier],
		['Service', (r) => r.service],
		['Price', (r) => r.price],
		['Tracking number', (r) => r.trackingNumber],
		['State', (r) => r.state],
	];
	const cells = rows.map((row) => columns.map(([, get]) => get(row) || '-'));
	const widths = columns.map(([title], i) =>
		Math.max(title.length, ...cells.map((c) => c[i].length)),
	);
	const line = (values: string[]) =>
		values
			.map((v, i) => v.padEnd(widths[i]))
			.join('  ')
			.trimEnd();
	return [
		line(columns.map(([t]) => t)),
		line(widths.map((w) => '-'.repeat(w))),
		...cells.map(line),
	].join('\n');
}
