import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isPlainObject } from '../helpers/validation';
import { hostOf } from './urls';

/** How one attempt failed, as the retry loop and the error builders see it. */
export type AttemptFailure =
	| { kind: 'throttled'; status: number; retryAfterMs?: number; body: unknown }
	| {
			kind: 'http';
			status: number;
			body: unknown;
			outcomeUnknown: boolean;
			retryable: boolean;
			retryAfterMs?: number;
	  }
	| { kind: 'network'; code: string; outcomeUnknown: boolean; retryable: boolean };

/**
 * Sentences the node adds to errors, in its users' words (field and operation names live in the
 * node, not here). Set per client, and per request where one call needs another hint.
 */
export interface ClientHints {
	/** 404: the reference in the path is unknown. */
	notFound?: string;
	/** Electio refused because of the consignment's state. */
	stateConflict?: string;
	/** Electio says the quote expired. */
	expired?: string;
	/** 429s went on past the time the node was allowed to wait. */
	throttled?: string;
	/** No answer within the timeout. */
	timeout?: string;
	/** Sent when the call may have taken effect and was therefore not repeated. */
	unknownOutcome?: string;
}

/** One problem Electio found with a field of the request, or our own validation found. */
export interface FieldProblem {
	field: string;
	message: string;
}

/** Error raised for a failed Electio call; knows whether an earlier attempt may have succeeded. */
export class ElectioApiError extends NodeApiError {
	/** An earlier attempt's outcome is unknown: the server may have acted on it. */
	afterUnknownOutcome = false;

	/** The Electio `Code` from the error body, when there was one. */
	apiCode?: string;

	/** Electio's own `Message`, without our prefix. */
	apiMessage?: string;

	correlationId?: string;

	status?: number;

	/** Electio's `Details`, one entry per field it refused. */
	details: FieldProblem[] = [];

	/** Trying the same item again later can succeed (throttling, gateway and connection errors). */
	retryable = false;
}

export interface FailedRequest {
	method: string;
	path: string;
	itemIndex?: number;
	/** Whether the request may be repeated when its outcome is unknown. */
	repeatable: boolean;
}

export function httpError(
	node: INode,
	request: FailedRequest,
	failure: Extract<AttemptFailure, { kind: 'http' | 'throttled' }>,
	attempt: number,
	unknownOutcomeSeen: boolean,
	hints: ClientHints,
	waitedMs = 0,
): ElectioApiError {
	const { message, description, body, apiMessage, correlationId, details } = describeHttpFailure(
		request,
		failure,
		attempt,
		unknownOutcomeSeen,
		hints,
		waitedMs,
	);
	const error = new ElectioApiError(node, sanitizedBody(failure.status, body), {
		message,
		description,
		httpCode: String(failure.status),
		itemIndex: request.itemIndex,
	});
	error.status = failure.status;
	error.apiCode = typeof body?.Code === 'string' ? body.Code : undefined;
	error.correlationId = correlationId;
	error.apiMessage = apiMessage;
	error.details = details;
	error.afterUnknownOutcome =
		unknownOutcomeSeen || (failure.kind === 'http' && failure.outcomeUnknown);
	error.retryable = failure.kind === 'throttled' || failure.retryable;
	return error;
}

/** What a person is told about an answered call that failed, and what Electio's answer said. */
export function describeHttpFailure(
	request: FailedRequest,
	failure: Extract<AttemptFailure, { kind: 'http' | 'throttled' }>,
	attempt: number,
	unknownOutcomeSeen: boolean,
	hints: ClientHints,
	waitedMs = 0,
) {
	const body = isPlainObject(failure.body) ? failure.body : undefined;
	const apiMessage = typeof body?.Message === 'string' ? body.Message : undefined;
	const correlationId = typeof body?.CorrelationId === 'string' ? body.CorrelationId : undefined;
	const details = fieldProblems(body?.Details);
	const summary = apiMessage ?? describeNonJsonBody(failure.status, failure.body);

	const lines = details.map(({ field, message }) => `- ${field ? `${field}: ` : ''}${message}`);
	const hint = hintFor(failure.status, apiMessage ?? '', hints);
	if (hint) lines.push(hint);
	if (failure.kind === 'throttled' && waitedMs > 0) {
		lines.push(`Waited ${Math.round(waitedMs / 1000)} s in all while Electio kept rate-limiting.`);
	}
	if (attempt > 0) lines.push(`Tried ${attempt + 1} times.`);
	if (failure.kind === 'http' && failure.outcomeUnknown && !request.repeatable) {
		lines.push(
			hints.unknownOutcome ?? 'The request was not repeated because it may have taken effect.',
		);
	}
	if (correlationId) lines.push(`Correlation ID (quote it to Electio support): ${correlationId}`);
	return {
		message: `Electio ${request.method} ${templateOf(request.path)} failed with ${failure.status}: ${summary}`,
		description: lines.join('\n'),
		body,
		apiMessage,
		correlationId,
		details,
	};
}

export function networkError(
	node: INode,
	request: FailedRequest,
	failure: Extract<AttemptFailure, { kind: 'network' }>,
	attempt: number,
	unknownOutcomeSeen: boolean,
	hints: ClientHints,
	target: { baseUrl: string; timeoutMs: number },
): ElectioApiError {
	const code = failure.code;
	const what = connectionFailure(code, target.baseUrl, target.timeoutMs);
	// The raw code goes in the description: n8n would replace a message that contains it.
	const lines: string[] = [`Connection error: ${code.toLowerCase()}.`];
	if (attempt > 0) lines.push(`Tried ${attempt + 1} times.`);
	if (failure.outcomeUnknown && !request.repeatable) {
		lines.push(
			hints.unknownOutcome ?? 'The request was not repeated because it may have taken effect.',
		);
	} else if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		if (hints.timeout) lines.push(hints.timeout);
	} else if (code === 'ECONNREFUSED') {
		lines.push(
			"Check the credential's environment and Base URL, and that the server there is running.",
		);
	} else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		lines.push("Check the credential's Base URL for a typo in the host name.");
	}
	const error = new ElectioApiError(node, { connectionError: code } as JsonObject, {
		message: `Electio ${request.method} ${templateOf(request.path)}: ${what}`,
		description: lines.join('\n'),
		itemIndex: request.itemIndex,
	});
	error.afterUnknownOutcome = unknownOutcomeSeen || failure.outcomeUnknown;
	error.retryable = failure.retryable;
	return error;
}

/** What a failed connection means, as a phrase: `nothing is listening at http://… (connection refused)`. */
export function connectionFailure(code: string, baseUrl: string, timeoutMs: number): string {
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		return `no answer within ${timeoutMs} ms (timeout)`;
	}
	if (code === 'ECONNREFUSED') return `nothing is listening at ${baseUrl} (connection refused)`;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return `the host "${hostOf(baseUrl)}" could not be found`;
	}
	if (code === 'ERR_CANCELED') return 'the execution was cancelled';
	return 'the connection was dropped before an answer came back';
}

function fieldProblems(raw: unknown): FieldProblem[] {
	if (!Array.isArray(raw)) return [];
	return raw.filter(isPlainObject).map((detail) => ({
		field: detail.Target ? String(detail.Target) : '',
		message: String(detail.Message ?? detail.Code ?? ''),
	}));
}

function hintFor(status: number, message: string, hints: ClientHints): string | undefined {
	if (status === 401) {
		return 'Check the API key in the Electio API credential and that it belongs to the chosen environment (sandbox and production keys differ).';
	}
	if (status === 403) {
		return 'The API key is valid but not allowed to do this; ask your Electio administrator.';
	}
	if (status === 404) return hints.notFound;
	if (status === 429) return hints.throttled;
	if (/expired/i.test(message)) return hints.expired;
	if (/state/i.test(message)) return hints.stateConflict;
	return undefined;
}

/** The path with its references, for messages: long bodies and keys never reach an error. */
function templateOf(path: string): string {
	return path.length > 160 ? `${path.slice(0, 160)}…` : path;
}

function describeNonJsonBody(status: number, body: unknown): string {
	if (body === undefined || body === null || body === '') return 'the response had no body';
	if (typeof body === 'string') {
		const looksLikeHtml = /<html|<!doctype/i.test(body);
		const text = body
			.replace(/<[^>]*>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim()
			.slice(0, 120);
		return looksLikeHtml
			? `the server answered with an HTML page instead of JSON${text ? ` ("${text}")` : ''}`
			: `unexpected response "${text}"`;
	}
	return `HTTP ${status}`;
}

function sanitizedBody(status: number, body: IDataObject | undefined): JsonObject {
	const safe: JsonObject = { httpStatus: status };
	if (body) {
		for (const key of ['Code', 'Message', 'CorrelationId', 'Details']) {
			if (body[key] !== undefined) safe[key] = body[key] as JsonObject[keyof JsonObject];
		}
	}
	return safe;
}
