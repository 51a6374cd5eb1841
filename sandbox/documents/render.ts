// Real documents: label PDFs/PNGs/ZPL and customs PDFs (CN22, CN23, commercial invoice).
// PDFs use the built-in Helvetica only (no font embedding) and draw Code128 bars as vector
// rectangles from bwip-js's bar pattern, so a label stays a few KB and fast to build. Labels use
// pdf-lib (fast to build per document), customs documents pdfkit (its text flow lays out tables).
import PDFDocument from 'pdfkit';
import { PDFDocument as PdfLibDocument, PDFFont, PDFPage, rgb, StandardFonts } from 'pdf-lib';
import * as bwipjs from 'bwip-js';
import { PNG } from 'pngjs';

export interface LabelPackage {
	reference: string;
	tracking: string;
	weightKg: number;
	description: string | null;
}

export interface LabelInput {
	consignmentReference: string;
	customerReference: string;
	carrierName: string;
	carrierReference: string;
	serviceName: string;
	origin: Record<string, unknown>;
	destination: Record<string, unknown>;
	packages: LabelPackage[];
	shippingDate: string;
}

// Bar patterns are pure functions of the text; cache them (bounded) for repeated label fetches.
const barCache = new Map<string, number[]>();
function code128Pattern(text: string): number[] {
	let sbs = barCache.get(text);
	if (!sbs) {
		const raw = bwipjs.raw('code128', text) as Array<{ sbs: number[] }>;
		sbs = raw[0].sbs;
		if (barCache.size > 20000) barCache.clear();
		barCache.set(text, sbs);
	}
	return sbs;
}

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

function addressLines(a: Record<string, unknown>): string[] {
	const c = a.Contact as Record<string, unknown> | null;
	const name = c ? [c.FirstName, c.LastName].filter(Boolean).join(' ') : '';
	const country = (a.Country as { Name: string; IsoCode: { TwoLetterCode: string } }) ?? {
		Name: '',
		IsoCode: { TwoLetterCode: '' },
	};
	return [
		name,
		a.CompanyName,
		a.AddressLine1,
		a.AddressLine2,
		a.AddressLine3,
		a.Town,
		a.Region,
		a.Postcode,
		`${country.Name} (${country.IsoCode.TwoLetterCode})`,
	]
		.filter((x) => typeof x === 'string' && x.trim() !== '')
		.map(String);
}

function drawBarcode(
	doc: PDFKit.PDFDocument,
	text: string,
	x: number,
	y: number,
	width: number,
	height: number,
): void {
	const sbs = code128Pattern(text);
	const modules = sbs.reduce((s, n) => s + n, 0);
	const m = width / modules;
	let cx = x;
	for (let i = 0; i < sbs.length; i++) {
		if (i % 2 === 0) doc.rect(cx, y, sbs[i] * m, height);
		cx += sbs[i] * m;
	}
	doc.fill('black');
}

/** Text a standard (WinAnsi) PDF font can show; anything else becomes "?". */
function winAnsi(text: string): string {
	return text.replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');
}

/**
 * One 4x6 inch page per package: carrier, service, tracking, both addresses, Code128.
 * Labels are the sandbox's hottest document (one per consignment in a batch), so they are drawn
 * with pdf-lib, which builds one in about a third of the time pdfkit takes to load its fonts.
 */
export async function labelPdf(input: LabelInput): Promise<Buffer> {
	const pdf = await PdfLibDocument.create();
	pdf.setProducer('Electio sandbox');
	pdf.setCreator('Electio sandbox');
	const regular = await pdf.embedFont(StandardFonts.Helvetica);
	const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
	const height = 432;
	const fit = (text: string, font: PDFFont, size: number, width: number) => {
		let fitted = size;
		while (fitted > 5 && font.widthOfTextAtSize(text, fitted) > width) fitted -= 0.5;
		return fitted;
	};
	const write = (
		text: string,
		x: number,
		top: number,
		font: PDFFont,
		size: number,
		page: PDFPage,
	) => {
		const safe = winAnsi(text);
		page.drawText(safe, {
			x,
			y: height - top - size,
			size: fit(safe, font, size, 288 - x - 14),
			font,
		});
	};
	input.packages.forEach((pkg, index) => {
		const page = pdf.addPage([288, height]);
		write(input.carrierName, 14, 14, bold, 16, page);
		write(input.serviceName, 14, 34, regular, 9, page);
		page.drawLine({
			start: { x: 14, y: height - 50 },
			end: { x: 274, y: height - 50 },
			thickness: 1,
		});
		write('FROM', 14, 56, bold, 8, page);
		addressLines(input.origin).forEach((line, n) =>
			write(line, 14, 66 + n * 9.5, regular, 8, page),
		);
		write('DELIVER TO', 14, 150, bold, 8, page);
		addressLines(input.destination).forEach((line, n) =>
			write(line, 14, 162 + n * 13, bold, 11, page),
		);
		const bars = code128Pattern(pkg.tracking);
		const moduleWidth = 240 / bars.reduce((sum, n) => sum + n, 0);
		let x = 24;
		bars.forEach((bar, n) => {
			if (n % 2 === 0)
				page.drawRectangle({
					x,
					y: height - 360,
					width: bar * moduleWidth,
					height: 60,
					color: rgb(0, 0, 0),
				});
			x += bar * moduleWidth;
		});
		const tracking = winAnsi(pkg.tracking);
		page.drawText(tracking, {
			x: 144 - bold.widthOfTextAtSize(tracking, 11) / 2,
			y: height - 364 - 11,
			size: 11,
			font: bold,
		});
		write(
			`Package ${index + 1} of ${input.packages.length}  ${pkg.reference}  ${pkg.weightKg.toFixed(2)} kg`,
			14,
			384,
			regular,
			7,
			page,
		);
		write(
			`Consignment ${input.consignmentReference}${input.customerReference ? `  (${input.customerReference})` : ''}  Ship ${input.shippingDate}`,
			14,
			393,
			regular,
			7,
			page,
		);
	});
	return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

export async function labelPng(input: LabelInput): Promise<Buffer> {
	const images = await Promise.all(
		input.packages.map((p) =>
			bwipjs.toBuffer({
				bcid: 'code128',
				text: p.tracking,
				scale: 2,
				height: 14,
				includetext: true,
				textxalign: 'center',
				paddingwidth: 10,
				paddingheight: 10,
				backgroundcolor: 'FFFFFF',
			}),
		),
	);
	if (images.length === 1) return images[0];
	const decoded = images.map((b) => PNG.sync.read(b));
	const width = Math.max(...decoded.map((d) => d.width));
	const height = decoded.reduce((s, d) => s + d.height, 0);
	const out = new PNG({ width, height });
	out.data.fill(255);
	let y = 0;
	for (const d of decoded) {
		PNG.bitblt(d, out, 0, 0, d.width, d.height, 0, y);
		y += d.height;
	}
	return PNG.sync.write(out);
}

function zplSafe(s: unknown): string {
	return String(s ?? '')
		.replace(/[\^~\r\n]/g, ' ')
		.slice(0, 60);
}

/** ZPL II: one ^XA..^XZ block per package, 4x6 at 203 dpi. */
export function labelZpl(input: LabelInput): Buffer {
	const blocks = input.packages.map((p, i) => {
		const from = addressLines(input.origin).map(zplSafe);
		const to = addressLines(input.destination).map(zplSafe);
		const lines = [
			'^XA',
			'^CI28',
			`^FO30,30^A0N,40,40^FD${zplSafe(input.carrierName)}^FS`,
			`^FO30,80^A0N,24,24^FD${zplSafe(input.serviceName)}^FS`,
			'^FO30,115^GB750,2,2^FS',
			'^FO30,130^A0N,20,20^FDFROM^FS',
			...from.map((l, j) => `^FO30,${155 + j * 22}^A0N,20,20^FD${l}^FS`),
			'^FO30,380^A0N,24,24^FDDELIVER TO^FS',
			...to.map((l, j) => `^FO30,${410 + j * 30}^A0N,28,28^FD${l}^FS`),
			`^FO60,800^BY3^BCN,180,Y,N,N^FD${zplSafe(p.tracking)}^FS`,
			`^FO30,1040^A0N,20,20^FDPackage ${i + 1} of ${input.packages.length} ${p.reference} ${input.consignmentReference}^FS`,
			'^XZ',
		];
		return lines.join('\n');
	});
	return Buffer.from(blocks.join('\n') + '\n', 'utf8');
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
