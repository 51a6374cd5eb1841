// Validation and normalisation of a Create Consignment body. Every violation is collected
// (not just the first) so a client can show them all, each with the field it concerns. Packages
// are checked in packages.ts, addresses in addresses.ts; here the body's own fields and the
// stored document.
import { ApiError, ErrorDetail, isPlainObject, parseDate } from '../util';
import { normaliseAddresses } from './addresses';
import { normalisePackage, PackageMetrics } from './packages';

export interface NormalisedCreate {
	doc: Record<string, unknown>;
	packages: PackageMetrics[];
	originCountry: string;
	destinationCountry: string;
	shippingLocationRefs: string[];
	declaredValueGbp: number;
}

const DIRECTIONS = ['Outbound', 'Inbound', 'Returns'];

/** Validates a create body; throws a 400 ApiError listing every violation. */
export function validateCreate(body: unknown): NormalisedCreate {
	const errs: ErrorDetail[] = [];
	if (!isPlainObject(body)) {
		throw new ApiError(400, 'ValidationFailed', 'The request body must be a consignment object', [
			{ Code: 'Invalid', Message: 'Expected a JSON object', Target: '' },
		]);
	}
	const pkgs: { doc: Record<string, unknown>; metrics: PackageMetrics }[] = [];
	if (!Array.isArray(body.Packages) || body.Packages.length === 0) {
		errs.push({
			Code: 'Required',
			Message: 'At least one package is required',
			Target: 'Packages',
		});
	} else if (body.Packages.length > 99) {
		errs.push({
			Code: 'OutOfRange',
			Message: 'At most 99 packages per consignment',
			Target: 'Packages',
		});
	} else {
		body.Packages.forEach((p, i) => pkgs.push(normalisePackage(p, i, errs)));
	}
	const addresses = normaliseAddresses(body.Addresses, errs);
	for (const k of ['ShippingDate', 'RequiredDeliveryDate'] as const) {
		if (body[k] !== undefined && body[k] !== null && !parseDate(body[k])) {
			errs.push({ Code: 'Invalid', Message: `${k} must be an ISO 8601 date`, Target: k });
		}
	}
	if (
		body.Direction !== undefined &&
		body.Direction !== null &&
		!DIRECTIONS.includes(String(body.Direction))
	) {
		errs.push({
			Code: 'Invalid',
			Message: `Direction must be one of ${DIRECTIONS.join(', ')}`,
			Target: 'Direction',
		});
	}
	const custRef = body.ConsignmentReferenceProvidedByCustomer;
	if (
		custRef !== undefined &&
		custRef !== null &&
		(typeof custRef !== 'string' || custRef.length > 100)
	) {
		errs.push({
			Code: 'Invalid',
			Message: 'ConsignmentReferenceProvidedByCustomer must be a string of at most 100 characters',
			Target: 'ConsignmentReferenceProvidedByCustomer',
		});
	}
	for (const k of ['MetaData', 'Tags'] as const) {
		if (body[k] !== undefined && body[k] !== null && !Array.isArray(body[k])) {
			errs.push({ Code: 'Invalid', Message: `${k} must be an array`, Target: k });
		}
	}
	if (
		body.CustomsDocumentation !== undefined &&
		body.CustomsDocumentation !== null &&
		!isPlainObject(body.CustomsDocumentation)
	) {
		errs.push({
			Code: 'Invalid',
			Message: 'CustomsDocumentation must be an object',
			Target: 'CustomsDocumentation',
		});
	}
	if (errs.length) {
		throw new ApiError(
			400,
			'ValidationFailed',
			`The consignment is not valid: ${errs.length} error(s). ${errs.map((e) => `${e.Target}: ${e.Message}`).join('; ')}`,
			errs,
		);
	}
	const totalKg = pkgs.reduce((s, p) => s + p.metrics.weightKg, 0);
	const totalGbp = pkgs.reduce((s, p) => s + p.metrics.valueGbp, 0);
	const shippingDate = parseDate(body.ShippingDate);
	const requiredDate = parseDate(body.RequiredDeliveryDate);
	const doc: Record<string, unknown> = {
		ConsignmentLegs: [],
		CollectionDate: null,
		DateDelivered: null,
		FirstAttemptedDeliveryDate: null,
		DateReturned: null,
		DateShipped: null,
		DateCollected: null,
		AttemptedDeliveryDate: null,
		MetaData: Array.isArray(body.MetaData) ? body.MetaData : [],
		Allocation: null,
		FailedAllocation: null,
		Source: typeof body.Source === 'string' ? body.Source : 'Api',
		LabelCount: 0,
		LabelsPrinted: false,
		DateLabelsWereFirstPrinted: null,
		IsLate: false,
		LateForCustomer: false,
		CustomerReference: '',
		Weight: { Value: Math.round(totalKg * 1000) / 1000, Unit: 'Kg' },
		Value: {
			Amount: Math.round(totalGbp * 100) / 100,
			Currency: { Name: 'Pound Sterling', IsoCode: 'GBP' },
		},
		CustomsDocumentation: isPlainObject(body.CustomsDocumentation)
			? body.CustomsDocumentation
			: null,
		Direction: typeof body.Direction === 'string' ? body.Direction : 'Outbound',
		Tags: Array.isArray(body.Tags) ? body.Tags : [],
		Reference: '',
		ConsignmentState: 'Unallocated',
		DateCreated: '',
		ShippingDate: shippingDate ? shippingDate.toISOString().replace('Z', '+00:00') : null,
		RequestedDeliveryDate: requiredDate ? requiredDate.toISOString().replace('Z', '+00:00') : null,
		EarliestDeliveryDate: null,
		LatestDeliveryDate: null,
		ConsignmentReferenceProvidedByCustomer: typeof custRef === 'string' ? custRef : '',
		Addresses: [addresses.Origin.doc, addresses.Destination.doc],
		Packages: pkgs.map((p) => p.doc),
	};
	return {
		doc,
		packages: pkgs.map((p) => p.metrics),
		originCountry: addresses.Origin.country,
		destinationCountry: addresses.Destination.country,
		shippingLocationRefs: [addresses.Origin.locationRef, addresses.Destination.locationRef].filter(
			(x): x is string => !!x,
		),
		declaredValueGbp: totalGbp,
	};
}
