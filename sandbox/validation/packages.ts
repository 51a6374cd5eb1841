// A Create Consignment body's packages: weights and dimensions in any unit the API accepts (or a
// package size), values in a currency, item lines; each violation collected with its Target.
import { isIsoCountry, PACKAGE_SIZE_BY_REF } from '../catalogue';
import { ErrorDetail, isPlainObject } from '../util';

const WEIGHT_UNITS: Record<string, number> = {
	kg: 1,
	kgs: 1,
	kilogram: 1,
	kilograms: 1,
	g: 0.001,
	grams: 0.001,
	lb: 0.453592,
	lbs: 0.453592,
	oz: 0.0283495,
};
const LENGTH_UNITS: Record<string, number> = {
	cm: 1,
	mm: 0.1,
	m: 100,
	in: 2.54,
	inch: 2.54,
	inches: 2.54,
};
const CURRENCY: Record<string, { name: string; toGbp: number }> = {
	GBP: { name: 'Pound Sterling', toGbp: 1 },
	EUR: { name: 'Euro', toGbp: 0.85 },
	USD: { name: 'US Dollar', toGbp: 0.79 },
};

function currencyInfo(code: string): { name: string; toGbp: number } {
	return CURRENCY[code] ?? { name: code, toGbp: 1 };
}

/** What the quote engine and documents need, in canonical units. */
export interface PackageMetrics {
	weightKg: number;
	lengthCm: number;
	widthCm: number;
	heightCm: number;
	valueGbp: number;
}

function isPositive(v: unknown): v is number {
	return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

function str(v: unknown): string | null {
	return typeof v === 'string' ? v : null;
}

/** Normalises a money object to {Amount, Currency{Name, IsoCode}} and checks it. */
function money(v: unknown, target: string, errs: ErrorDetail[]): { doc: unknown; gbp: number } {
	if (v === undefined || v === null) return { doc: null, gbp: 0 };
	if (!isPlainObject(v)) {
		errs.push({
			Code: 'Invalid',
			Message: 'Value must be an object {Amount, Currency}',
			Target: target,
		});
		return { doc: null, gbp: 0 };
	}
	const amount = v.Amount;
	if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
		errs.push({
			Code: 'OutOfRange',
			Message: 'Amount must be a number >= 0',
			Target: `${target}.Amount`,
		});
	}
	const cur = isPlainObject(v.Currency) ? (str(v.Currency.IsoCode) ?? 'GBP') : 'GBP';
	if (!/^[A-Z]{3}$/.test(cur)) {
		errs.push({
			Code: 'Invalid',
			Message: `'${cur}' is not an ISO 4217 currency code`,
			Target: `${target}.Currency.IsoCode`,
		});
	}
	const info = currencyInfo(cur);
	const a = typeof amount === 'number' && Number.isFinite(amount) ? amount : 0;
	return { doc: { Amount: a, Currency: { Name: info.name, IsoCode: cur } }, gbp: a * info.toGbp };
}

/** One package as the API stores it, and its metrics in kg, cm and GBP. */
export function normalisePackage(
	p: unknown,
	i: number,
	errs: ErrorDetail[],
): { doc: Record<string, unknown>; metrics: PackageMetrics } {
	const t = `Packages[${i}]`;
	const metrics: PackageMetrics = {
		weightKg: 0,
		lengthCm: 0,
		widthCm: 0,
		heightCm: 0,
		valueGbp: 0,
	};
	if (!isPlainObject(p)) {
		errs.push({ Code: 'Invalid', Message: 'A package must be an object', Target: t });
		return { doc: {}, metrics };
	}
	let size = undefined;
	if (
		p.PackageSizeReference !== undefined &&
		p.PackageSizeReference !== null &&
		p.PackageSizeReference !== ''
	) {
		size =
			typeof p.PackageSizeReference === 'string'
				? PACKAGE_SIZE_BY_REF.get(p.PackageSizeReference)
				: undefined;
		if (!size)
			errs.push({
				Code: 'UnknownPackageSize',
				Message: `Package size '${String(p.PackageSizeReference)}' does not exist (see GET /packagesizes)`,
				Target: `${t}.PackageSizeReference`,
			});
	}
	// Weight: always required (a package size gives dimensions, not the actual weight).
	let weightDoc: unknown = null;
	if (!isPlainObject(p.Weight)) {
		errs.push({
			Code: 'Required',
			Message: 'Weight {Value, Unit} is required',
			Target: `${t}.Weight`,
		});
	} else {
		const unit = str(p.Weight.Unit) ?? 'Kg';
		const factor = WEIGHT_UNITS[unit.toLowerCase()];
		if (!factor)
			errs.push({
				Code: 'Invalid',
				Message: `Unknown weight unit '${unit}' (Kg, g, Lb, Oz)`,
				Target: `${t}.Weight.Unit`,
			});
		if (!isPositive(p.Weight.Value)) {
			errs.push({
				Code: 'OutOfRange',
				Message: 'Weight.Value must be a positive number',
				Target: `${t}.Weight.Value`,
			});
		} else if (factor) {
			metrics.weightKg = p.Weight.Value * factor;
			if (size && metrics.weightKg > size.MaxWeight.Value) {
				errs.push({
					Code: 'OutOfRange',
					Message: `Weight exceeds ${size.MaxWeight.Value} Kg, the maximum of package size ${size.Reference}`,
					Target: `${t}.Weight.Value`,
				});
			}
		}
		weightDoc = { Value: p.Weight.Value, Unit: unit };
	}
	let dimsDoc: unknown = null;
	if (isPlainObject(p.Dimensions)) {
		const d = p.Dimensions;
		const unit = str(d.Unit) ?? 'Cm';
		const factor = LENGTH_UNITS[unit.toLowerCase()];
		if (!factor)
			errs.push({
				Code: 'Invalid',
				Message: `Unknown dimension unit '${unit}' (Cm, Mm, M, In)`,
				Target: `${t}.Dimensions.Unit`,
			});
		for (const k of ['Width', 'Length', 'Height'] as const) {
			if (!isPositive(d[k]))
				errs.push({
					Code: 'OutOfRange',
					Message: `Dimensions.${k} must be a positive number`,
					Target: `${t}.Dimensions.${k}`,
				});
		}
		if (factor && isPositive(d.Width) && isPositive(d.Length) && isPositive(d.Height)) {
			metrics.widthCm = d.Width * factor;
			metrics.lengthCm = d.Length * factor;
			metrics.heightCm = d.Height * factor;
		}
		dimsDoc = { Unit: unit, Width: d.Width, Length: d.Length, Height: d.Height };
	} else if (size) {
		dimsDoc = { ...size.Dimensions };
		metrics.widthCm = size.Dimensions.Width;
		metrics.lengthCm = size.Dimensions.Length;
		metrics.heightCm = size.Dimensions.Height;
	} else if (p.Dimensions !== undefined && p.Dimensions !== null) {
		errs.push({
			Code: 'Invalid',
			Message: 'Dimensions must be an object {Unit, Width, Length, Height}',
			Target: `${t}.Dimensions`,
		});
	} else {
		errs.push({
			Code: 'Required',
			Message: 'Dimensions {Unit, Width, Length, Height} or a PackageSizeReference is required',
			Target: `${t}.Dimensions`,
		});
	}
	const value = money(p.Value, `${t}.Value`, errs);
	metrics.valueGbp = value.gbp;
	let itemsValue = 0;
	if (p.Items !== undefined && p.Items !== null) {
		if (!Array.isArray(p.Items)) {
			errs.push({ Code: 'Invalid', Message: 'Items must be an array', Target: `${t}.Items` });
		} else {
			p.Items.forEach((it, j) => {
				const ti = `${t}.Items[${j}]`;
				if (!isPlainObject(it)) {
					errs.push({ Code: 'Invalid', Message: 'An item must be an object', Target: ti });
					return;
				}
				const q = it.Quantity ?? 1;
				if (typeof q !== 'number' || !Number.isInteger(q) || q <= 0) {
					errs.push({
						Code: 'OutOfRange',
						Message: 'Quantity must be a positive integer',
						Target: `${ti}.Quantity`,
					});
				}
				const v = money(it.Value, `${ti}.Value`, errs);
				itemsValue += v.gbp * (typeof q === 'number' && q > 0 ? q : 1);
				if (
					isPlainObject(it.Weight) &&
					it.Weight.Value !== undefined &&
					!isPositive(it.Weight.Value)
				) {
					errs.push({
						Code: 'OutOfRange',
						Message: 'Weight.Value must be a positive number',
						Target: `${ti}.Weight.Value`,
					});
				}
				const coo =
					isPlainObject(it.CountryOfOrigin) && isPlainObject(it.CountryOfOrigin.IsoCode)
						? it.CountryOfOrigin.IsoCode.TwoLetterCode
						: undefined;
				if (coo !== undefined && !isIsoCountry(coo)) {
					errs.push({
						Code: 'InvalidCountry',
						Message: `'${String(coo)}' is not an ISO 3166-1 alpha-2 country code`,
						Target: `${ti}.CountryOfOrigin.IsoCode.TwoLetterCode`,
					});
				}
			});
		}
	}
	// Declared value: the package value, or the item lines when the package has none.
	if (metrics.valueGbp === 0) metrics.valueGbp = itemsValue;
	const doc: Record<string, unknown> = {
		ConsignmentLegs: [],
		Items: Array.isArray(p.Items) ? p.Items : [],
		Charges: [],
		Reference: '',
		PackageReferenceProvidedByCustomer:
			typeof p.PackageReferenceProvidedByCustomer === 'string'
				? p.PackageReferenceProvidedByCustomer
				: '',
		Weight: weightDoc,
		Dimensions: dimsDoc,
		Description: p.Description ?? null,
		Value: value.doc,
		PackageSizeReference: size ? size.Reference : null,
		Barcode: isPlainObject(p.Barcode) ? p.Barcode : null,
		MetaData: Array.isArray(p.MetaData) ? p.MetaData : [],
	};
	return { doc, metrics };
}
