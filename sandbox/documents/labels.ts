// Label files: a PDF (one 4x6 inch page per package), a PNG (the packages' Code128 barcodes) and
// ZPL II. The PDF uses the built-in Helvetica only (no font embedding) and draws Code128 bars as
// vector rectangles from bwip-js's bar pattern, with pdf-lib, so a label stays a few KB and fast
// to build.
import { PDFDocument as PdfLibDocument, PDFFont, PDFPage, rgb, StandardFonts } from 'pdf-lib';
import * as bwipjs from 'bwip-js';
import { PNG } from 'pngjs';

import { addressLines } from './address';

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
