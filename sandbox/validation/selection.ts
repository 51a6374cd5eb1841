// Validation of the bodies that name consignments to act on: the Manifest From Query filters
// and the reference lists of the batch calls. Every violation is collected, each with its Target.
import { ALL_STATES, MANIFESTABLE } from '../states';
import { ConsignmentState } from '../types';
import { ApiError, dateOnly, ErrorDetail, isPlainObject, parseDate } from '../util';
import { failIfAny } from './common';

/** A checked Manifest From Query body; absent filters are undefined (match everything). */
export interface ManifestQuery {
	locations?: string[];
	states: ConsignmentState[];
	/** upper-cased carrier references or names */
	carriers?: string[];
	labelsPrinted?: boolean;
	/** YYYY-MM-DD */
	shipDay?: string;
	/** inclusive YYYY-MM-DD ranges; empty = no range filter */
	ranges: { from: string; to: string }[];
}

export function validateManifestQuery(body: unknown): ManifestQuery {
	const q = body === undefined ? {} : body;
	const errs: ErrorDetail[] = [];
	if (!isPlainObject(q))
		throw new ApiError(400, 'ValidationFailed', 'The body must be a query object', [
			{ Code: 'Invalid', Message: 'Expected an object', Target: 'body' },
		]);
	const strArray = (k: string): string[] | undefined => {
		const v = q[k];
		if (v === undefined || v === null) return undefined;
		if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
			errs.push({ Code: 'Invalid', Message: `${k} must be an array of strings`, Target: k });
			return undefined;
		}
		return v as string[];
	};
	const locations = strArray('ShippingLocationReferences');
	const states = strArray('States');
	const carriers = strArray('Carriers');
	states?.forEach((s, i) => {
		if (!ALL_STATES.includes(s as ConsignmentState))
			errs.push({ Code: 'Invalid', Message: `Unknown state '${s}'`, Target: `States[${i}]` });
		else if (!MANIFESTABLE.includes(s as ConsignmentState)) {
			errs.push({
				Code: 'Invalid',
				Message: `State '${s}' cannot be manifested; use ${MANIFESTABLE.join(', ')}`,
				Target: `States[${i}]`,
			});
		}
	});
	if (
		q.LabelsPrinted !== undefined &&
		q.LabelsPrinted !== null &&
		typeof q.LabelsPrinted !== 'boolean'
	) {
		errs.push({
			Code: 'Invalid',
			Message: 'LabelsPrinted must be true or false',
			Target: 'LabelsPrinted',
		});
	}
	let shipDay: string | undefined;
	if (q.ShippingDate !== undefined && q.ShippingDate !== null) {
		const d = parseDate(q.ShippingDate);
		if (!d)
			errs.push({
				Code: 'Invalid',
				Message: 'ShippingDate must be an ISO 8601 date',
				Target: 'ShippingDate',
			});
		else shipDay = dateOnly(d);
	}
	const ranges: { from: string; to: string }[] = [];
	if (q.ShippingDateRanges !== undefined && q.ShippingDateRanges !== null) {
		if (!Array.isArray(q.ShippingDateRanges))
			errs.push({
				Code: 'Invalid',
				Message: 'ShippingDateRanges must be an array of {From, To}',
				Target: 'ShippingDateRanges',
			});
		else {
			q.ShippingDateRanges.forEach((rg, i) => {
				const from = isPlainObject(rg) ? parseDate(rg.From) : null;
				const to = isPlainObject(rg) ? parseDate(rg.To) : null;
				if (!from)
					errs.push({
						Code: 'Invalid',
						Message: 'From must be an ISO 8601 date',
						Target: `ShippingDateRanges[${i}].From`,
					});
				if (!to)
					errs.push({
						Code: 'Invalid',
						Message: 'To must be an ISO 8601 date',
						Target: `ShippingDateRanges[${i}].To`,
					});
				if (from && to) {
					if (from > to)
						errs.push({
							Code: 'Invalid',
							Message: 'From must not be after To',
							Target: `ShippingDateRanges[${i}]`,
						});
					ranges.push({ from: dateOnly(from), to: dateOnly(to) });
				}
			});
		}
	}
	failIfAny(errs, 'The manifest query');
	return {
		locations,
		states: (states as ConsignmentState[] | undefined) ?? MANIFESTABLE,
		carriers: carriers?.map((c) => c.toUpperCase()),
		labelsPrinted: typeof q.LabelsPrinted === 'boolean' ? q.LabelsPrinted : undefined,
		shipDay,
		ranges,
	};
}

/** The body of the batch calls that take a bare array of references (ready / not ready to ship, cancel and deallocate lists). */
export function validateRefList(body: unknown): string[] {
	if (!Array.isArray(body) || body.length === 0 || !body.every((x) => typeof x === 'string')) {
		throw new ApiError(
			400,
			'ValidationFailed',
			'The body must be a non-empty array of consignment references',
			[{ Code: 'Invalid', Message: 'Expected ["EC-…", …]', Target: 'body' }],
		);
	}
	return body as string[];
}

/** The body of Manifest Consignments: { ConsignmentReferences: [refs] }. */
export function validateManifestRefs(body: unknown): string[] {
	const refs = isPlainObject(body) ? body.ConsignmentReferences : undefined;
	if (!Array.isArray(refs) || refs.length === 0 || !refs.every((x) => typeof x === 'string')) {
		throw new ApiError(
			400,
			'ValidationFailed',
			'ConsignmentReferences must be a non-empty array of references',
			[
				{
					Code: 'Required',
					Message: 'ConsignmentReferences is required',
					Target: 'ConsignmentReferences',
				},
			],
		);
	}
	return refs as string[];
}
