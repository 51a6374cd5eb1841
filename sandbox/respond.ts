// Writing answers: JSON / binary / empty bodies (with optional padding for bodyBytes hooks) and
// the documented error body {Code, Message, CorrelationId, Details?}.
import type { ServerResponse } from 'http';
import type { Result } from './http';
import { ApiError, isPlainObject } from './util';

export type ErrorResult = (e: ApiError) => Result;

/** Error answers with a fresh CorrelationId each (from `correlationId(n)`, n = 1, 2, ...). */
export function errorResults(correlationId: (n: number) => string): ErrorResult {
	let seq = 0;
	return (e) => {
		const body: Record<string, unknown> = {
			Code: e.code,
			Message: e.message,
			CorrelationId: correlationId(++seq),
		};
		if (e.details && e.details.length) body.Details = e.details;
		return { status: e.status, body, headers: e.headers };
	};
}

/** Any thrown value as an error answer: ApiErrors as they are, anything else a 500. */
export function asApiError(e: unknown, prefix = ''): ApiError {
	return e instanceof ApiError
		? e
		: new ApiError(500, 'InternalError', `${prefix}${(e as Error)?.message ?? String(e)}`);
}

/** Writes the answer; returns its status. `pad` grows the body to at least that many bytes. */
export function send(res: ServerResponse, r: Result, pad?: number): number {
	let payload: Buffer;
	const headers: Record<string, string> = { ...(r.headers ?? {}) };
	if (r.body === undefined) payload = Buffer.alloc(0);
	else if (Buffer.isBuffer(r.body)) payload = r.body;
	else if (typeof r.body === 'string') payload = Buffer.from(r.body, 'utf8');
	else {
		let body = r.body;
		// bodyBytes on a document: grow the file itself (PDF comment / trailing bytes) so the
		// decoded label is that large; otherwise pad JSON with whitespace (still valid JSON).
		if (pad && isPlainObject(body) && typeof body.File === 'string') {
			const file = Buffer.from(body.File, 'base64');
			const need = Math.ceil((pad * 3) / 4) - file.length;
			if (need > 0) {
				const filler =
					body.ContentType === 'application/pdf'
						? Buffer.from('\n%' + ' '.repeat(need))
						: Buffer.alloc(need, 0);
				body = { ...body, File: Buffer.concat([file, filler]).toString('base64') };
			}
		}
		payload = Buffer.from(JSON.stringify(body), 'utf8');
		headers['Content-Type'] ??= 'application/json; charset=utf-8';
	}
	if (pad && payload.length < pad)
		payload = Buffer.concat([payload, Buffer.alloc(pad - payload.length, 0x20)]);
	headers['Content-Length'] = String(payload.length);
	if (!res.headersSent) res.writeHead(r.status, headers);
	res.end(payload);
	return r.status;
}
