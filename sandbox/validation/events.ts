// The bodies of the two Events calls (CONTRACT.md "Events"): a non-empty list of event types or
// states, and a Start..End window; all three required, Start not after End.
import { ConsignmentEventType, EVENT_TYPES } from '../record';
import { WIRE_STATES } from '../states';
import { ErrorDetail, isPlainObject, parseDate } from '../util';
import { failIfAny } from './common';

export interface EventWindow {
	start: number;
	end: number;
}

/** Checks `body[key]` is a non-empty list of names from `known` (any case; returned as known). */
function names(
	body: Record<string, unknown>,
	key: string,
	known: readonly string[],
	errs: ErrorDetail[],
): string[] {
	const v = body[key];
	if (!Array.isArray(v) || v.length === 0) {
		errs.push({ Code: 'Required', Message: `${key} must be a non-empty array`, Target: key });
		return [];
	}
	const out: string[] = [];
	v.forEach((x, i) => {
		const hit =
			typeof x === 'string' ? known.find((k) => k.toLowerCase() === x.toLowerCase()) : undefined;
		if (hit) out.push(hit);
		else
			errs.push({
				Code: 'Invalid',
				Message: `'${String(x).slice(0, 64)}' is not one of ${known.join(', ')}`,
				Target: `${key}[${i}]`,
			});
	});
	return out;
}

function timeWindow(body: Record<string, unknown>, errs: ErrorDetail[]): EventWindow {
	const bound = (key: 'Start' | 'End') => {
		const d = parseDate(body[key]);
		if (!d)
			errs.push({
				Code: 'Required',
				Message: `${key} must be an ISO 8601 date-time`,
				Target: key,
			});
		return d?.getTime() ?? NaN;
	};
	const start = bound('Start');
	const end = bound('End');
	if (start > end)
		errs.push({ Code: 'Invalid', Message: 'Start must not be after End', Target: 'Start' });
	return { start, end };
}

function object(body: unknown, errs: ErrorDetail[]): Record<string, unknown> {
	if (isPlainObject(body)) return body;
	errs.push({ Code: 'Invalid', Message: 'The body must be an object', Target: 'body' });
	return {};
}

export function validateEventsQuery(
	body: unknown,
): EventWindow & { types: ConsignmentEventType[] } {
	const errs: ErrorDetail[] = [];
	const b = object(body, errs);
	const types = names(b, 'EventTypes', EVENT_TYPES, errs) as ConsignmentEventType[];
	const w = timeWindow(b, errs);
	failIfAny(errs, 'The events query');
	return { ...w, types };
}

export function validateStateEventsQuery(body: unknown): EventWindow & { states: string[] } {
	const errs: ErrorDetail[] = [];
	const b = object(body, errs);
	const states = names(b, 'ConsignmentStates', WIRE_STATES, errs);
	const w = timeWindow(b, errs);
	failIfAny(errs, 'The state events query');
	return { ...w, states };
}
