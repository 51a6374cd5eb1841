// Which documents a consignment gets and their cache. Files are built once per allocation and
// format: the cache is keyed by the allocation object, so a new allocation or a deallocation
// leaves the old files behind without anyone clearing them.
import { addressesOf, Allocation, ConsignmentRecord, customerRefOf } from '../record';
import { dateOnly, isPlainObject } from '../util';
import { commercialInvoicePdf, cn22Pdf, cn23Pdf, CustomsInput } from './customs';
import { LabelInput, labelPdf, labelPng, labelZpl } from './labels';

export interface DocumentResult {
	File: string;
	ContentType: string;
}

export type CustomsDocuments = Record<string, { Key: string; Value: string }[]>;

/** CN22 up to this declared value (GBP), CN23 above. */
const CN22_LIMIT_GBP = 270;

export function labelContentType(format: string): string {
	return format === 'PDF'
		? 'application/pdf'
		: format === 'PNG'
			? 'image/png'
			: 'x-application/zpl';
}

export class Documents {
	private cache = new WeakMap<Allocation, Map<string, Promise<Buffer>>>();

	/** The cached file for (allocation, key), built by `make` once; a failed build is forgotten. */
	private cached(a: Allocation, key: string, make: () => Promise<Buffer>): Promise<Buffer> {
		let files = this.cache.get(a);
		if (!files) {
			files = new Map();
			this.cache.set(a, files);
		}
		let p = files.get(key);
		if (!p) {
			p = make();
			const f = files;
			f.set(key, p);
			p.catch(() => f.delete(key));
		}
		return p;
	}

	private labelInput(r: ConsignmentRecord, a: Allocation, onlyPackage?: string): LabelInput {
		const { origin, destination } = addressesOf(r);
		const pkgs = (r.doc.Packages as Record<string, unknown>[]).map((p, i) => ({
			reference: String(p.Reference),
			tracking: a.tracking[i],
			weightKg: r.packages[i].weightKg,
			description: (p.Description as string) ?? null,
		}));
		return {
			consignmentReference: r.ref,
			customerReference: customerRefOf(r),
			carrierName: a.carrier.Name,
			carrierReference: a.carrier.Reference,
			serviceName: a.service.Name.replace(/\u00a0/g, ' '),
			origin,
			destination,
			packages: onlyPackage ? pkgs.filter((p) => p.reference === onlyPackage) : pkgs,
			shippingDate: dateOnly(a.quote.collection),
		};
	}

	/** Labels of an allocated consignment (all packages, or one) in PDF, PNG or ZPL. */
	label(r: ConsignmentRecord, a: Allocation, format: string, packageRef?: string): Promise<Buffer> {
		return this.cached(a, `${format}:${packageRef ?? ''}`, () => {
			const input = this.labelInput(r, a, packageRef);
			return format === 'PDF'
				? labelPdf(input)
				: format === 'PNG'
					? labelPng(input)
					: Promise.resolve(labelZpl(input));
		});
	}

	/** Commercial invoice plus CN22 (value up to 270 GBP) or CN23; none for a domestic one. */
	async customs(r: ConsignmentRecord, a: Allocation, today: Date): Promise<CustomsDocuments> {
		if (r.destinationCountry === r.originCountry) {
			return { CommercialInvoiceDocuments: [], CN22Documents: [] };
		}
		const { origin, destination } = addressesOf(r);
		const input: CustomsInput = {
			consignmentReference: r.ref,
			customerReference: customerRefOf(r),
			origin,
			destination,
			packages: r.doc.Packages as Record<string, unknown>[],
			declaredValueGbp: r.declaredValueGbp,
			customs: isPlainObject(r.doc.CustomsDocumentation) ? r.doc.CustomsDocumentation : null,
			carrierName: a.carrier.Name,
			tracking: a.tracking,
			date: dateOnly(today),
		};
		const cn22 = r.declaredValueGbp <= CN22_LIMIT_GBP;
		const [inv, cn] = await Promise.all([
			this.cached(a, 'INV', () => commercialInvoicePdf(input)),
			this.cached(a, cn22 ? 'CN22' : 'CN23', () => (cn22 ? cn22Pdf(input) : cn23Pdf(input))),
		]);
		const kind = cn22 ? 'CN22' : 'CN23';
		return {
			CommercialInvoiceDocuments: [{ Key: `INV_${r.ref}.pdf`, Value: inv.toString('base64') }],
			[`${kind}Documents`]: [{ Key: `${kind}_${r.ref}.pdf`, Value: cn.toString('base64') }],
		};
	}
}
