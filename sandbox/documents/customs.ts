// Customs documents as PDFs (CN22, CN23, commercial invoice), laid out with pdfkit (its text flow
// lays out the item tables) in the built-in Helvetica.
import PDFDocument from 'pdfkit';

import { addressLines } from './address';

function renderPdf(
	size: [number, number],
	build: (doc: PDFKit.PDFDocument) => void,
): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const doc = new PDFDocument({
			size,
			margin: 14,
			autoFirstPage: false,
			compress: true,
			info: { Producer: 'Electio sandbox', Creator: 'Electio sandbox' },
		});
		const chunks: Buffer[] = [];
		doc.on('data', (c: Buffer) => chunks.push(c));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
		try {
			build(doc);
			doc.end();
		} catch (e) {
			reject(e);
		}
	});
}

export interface CustomsInput {
	consignmentReference: string;
	customerReference: string;
	origin: Record<string, unknown>;
	destination: Record<string, unknown>;
	packages: Record<string, unknown>[];
	declaredValueGbp: number;
	customs: Record<string, unknown> | null;
	carrierName: string;
	tracking: string[];
	date: string;
}

interface Line {
	description: string;
	quantity: number;
	weightKg: number;
	valueGbp: number;
	hs: string;
	origin: string;
}

function customsLines(input: CustomsInput): Line[] {
	const lines: Line[] = [];
	for (const p of input.packages) {
		const items = Array.isArray(p.Items) ? (p.Items as Record<string, unknown>[]) : [];
		if (items.length) {
			for (const it of items) {
				const q = typeof it.Quantity === 'number' ? it.Quantity : 1;
				const v = (it.Value as { Amount?: number } | undefined)?.Amount ?? 0;
				const w = (it.Weight as { Value?: number } | undefined)?.Value ?? 0;
				lines.push({
					description: String(it.Description ?? it.Sku ?? 'Goods'),
					quantity: q,
					weightKg: w * q,
					valueGbp: v * q,
					hs: String(it.HarmonisationCode ?? ''),
					origin: String(
						(it.CountryOfOrigin as { IsoCode?: { TwoLetterCode?: string } } | undefined)?.IsoCode
							?.TwoLetterCode ?? 'GB',
					),
				});
			}
		} else {
			lines.push({
				description: String(p.Description ?? 'Goods'),
				quantity: 1,
				weightKg: (p.Weight as { Value?: number } | null)?.Value ?? 0,
				valueGbp: (p.Value as { Amount?: number } | null)?.Amount ?? 0,
				hs: '',
				origin: 'GB',
			});
		}
	}
	return lines;
}

function table(
	doc: PDFKit.PDFDocument,
	lines: Line[],
	x: number,
	y: number,
	width: number,
	fontSize: number,
): number {
	const cols = [0.42, 0.08, 0.12, 0.14, 0.14, 0.1].map((f) => f * width);
	const heads = ['Description', 'Qty', 'Weight kg', 'Value GBP', 'HS code', 'Origin'];
	const row = (cells: string[], bold: boolean) => {
		doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(fontSize);
		let cx = x;
		cells.forEach((c, i) => {
			doc.text(c, cx, y, { width: cols[i] - 2, lineBreak: false, ellipsis: true });
			cx += cols[i];
		});
		y += fontSize + 4;
	};
	row(heads, true);
	for (const l of lines)
		row(
			[
				l.description,
				String(l.quantity),
				l.weightKg.toFixed(3),
				l.valueGbp.toFixed(2),
				l.hs,
				l.origin,
			],
			false,
		);
	return y;
}

/** CN22 (declared value up to 270 GBP): small customs declaration. */
export function cn22Pdf(input: CustomsInput): Promise<Buffer> {
	return renderPdf([298, 420], (doc) => {
		doc.addPage();
		doc.font('Helvetica-Bold').fontSize(14).text('CUSTOMS DECLARATION  CN 22', 14, 14);
		doc.font('Helvetica').fontSize(7).text('May be opened officially', 14, 32);
		const cat = String(input.customs?.CategoryType ?? 'Sale of goods');
		doc.fontSize(8).text(`Category: ${cat}`, 14, 46);
		const y = table(doc, customsLines(input), 14, 62, 270, 7);
		doc
			.font('Helvetica-Bold')
			.fontSize(9)
			.text(`Total declared value: ${input.declaredValueGbp.toFixed(2)} GBP`, 14, y + 8);
		doc
			.font('Helvetica')
			.fontSize(7)
			.text(
				`Consignment ${input.consignmentReference}  Tracking ${input.tracking.join(', ')}`,
				14,
				y + 24,
				{ width: 270 },
			);
		doc.text(`To: ${addressLines(input.destination).join(', ')}`, 14, y + 46, { width: 270 });
		doc.text(
			`I certify that the particulars given in this declaration are correct. Date ${input.date}`,
			14,
			y + 90,
			{ width: 270 },
		);
	});
}

/** CN23 (declared value above 270 GBP): full customs declaration on A4. */
export function cn23Pdf(input: CustomsInput): Promise<Buffer> {
	return renderPdf([595.28, 841.89], (doc) => {
		doc.addPage();
		doc.font('Helvetica-Bold').fontSize(18).text('CUSTOMS DECLARATION  CN 23', 40, 40);
		doc.font('Helvetica').fontSize(9);
		doc.text(`From:\n${addressLines(input.origin).join('\n')}`, 40, 80, { width: 250 });
		doc.text(`To:\n${addressLines(input.destination).join('\n')}`, 310, 80, { width: 250 });
		const c = input.customs ?? {};
		doc.text(
			[
				`Category: ${String(c.CategoryType ?? 'Sale of goods')}`,
				`Reason for export: ${String(c.ReasonForExport ?? 'Sale')}`,
				`Importer's VAT number: ${String(c.ImportersVatNumber ?? '')}`,
				`Shipper's customs reference: ${String(c.ShipperCustomsReference ?? '')}`,
				`Comments: ${String(c.CN23Comments ?? '')}`,
			].join('\n'),
			40,
			230,
			{ width: 515 },
		);
		const y = table(doc, customsLines(input), 40, 320, 515, 9);
		doc
			.font('Helvetica-Bold')
			.fontSize(11)
			.text(`Total declared value: ${input.declaredValueGbp.toFixed(2)} GBP`, 40, y + 12);
		doc
			.font('Helvetica')
			.fontSize(9)
			.text(
				`Consignment ${input.consignmentReference}  Carrier ${input.carrierName}  Tracking ${input.tracking.join(', ')}`,
				40,
				y + 34,
				{ width: 515 },
			);
		doc.text(
			`Signed ${String(c.DesignatedPersonResponsible ?? '')}  Office of posting ${String(c.OfficeOfPosting ?? '')}  Date ${input.date}`,
			40,
			y + 60,
			{ width: 515 },
		);
	});
}

/** Commercial invoice on A4. */
export function commercialInvoicePdf(input: CustomsInput): Promise<Buffer> {
	return renderPdf([595.28, 841.89], (doc) => {
		doc.addPage();
		doc.font('Helvetica-Bold').fontSize(18).text('COMMERCIAL INVOICE', 40, 40);
		const c = input.customs ?? {};
		doc
			.font('Helvetica')
			.fontSize(9)
			.text(
				`Invoice ${String((c.ReferencesOfAttachedInvoices as string[] | undefined)?.[0] ?? input.consignmentReference)}  Date ${input.date}  Terms ${String(c.ShippingTerms ?? 'DAP')}`,
				40,
				66,
			);
		doc.text(
			`Seller / shipper:\n${addressLines(input.origin).join('\n')}\nVAT ${String(c.ShippersVatNumber ?? '')}`,
			40,
			90,
			{ width: 250 },
		);
		doc.text(
			`Buyer / receiver:\n${addressLines(input.destination).join('\n')}\nVAT ${String(c.ReceiversVatNumber ?? '')}`,
			310,
			90,
			{ width: 250 },
		);
		const y = table(doc, customsLines(input), 40, 260, 515, 9);
		doc
			.font('Helvetica-Bold')
			.fontSize(11)
			.text(`Invoice total: ${input.declaredValueGbp.toFixed(2)} GBP`, 40, y + 12);
		doc
			.font('Helvetica')
			.fontSize(9)
			.text(
				`Consignment ${input.consignmentReference}${input.customerReference ? ` (${input.customerReference})` : ''}  Reason for export ${String(c.ReasonForExport ?? 'Sale')}`,
				40,
				y + 34,
				{ width: 515 },
			);
	});
}
