import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
	ITriggerFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from './environments';
import type { AttemptFailure, ClientHints } from './errors';
import { isPlainObject } from '../helpers/validation';
import { readCredential } from './credential';
import { httpError, networkError } from './errors';
import { ACCOUNT_CEILING, accountGateFor, RunGate } from './gate';
import { urlBelow } from './urls';

/** Every n8n context the client serves: node runs, dropdowns, polls and triggers. */
export type ElectioContext =
	IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | ITriggerFunctions;

export interface ClientSettings {
	/** Retries after the first attempt, for gateway and connection errors (not 429s). */
	maxRetries: number;
	/** How long one call may keep waiting while Electio answers 429, in milliseconds. */
	maxThrottleWaitMs: number;
	/** Per-attempt timeout in milliseconds. */
	timeoutMs: number;
	/** Upper bound of requests in flight; the gate adapts below it on 429s. */
	maxConcurrency: number;
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
	maxRetries: 5,
	maxThrottleWaitMs: 180_000,
	timeoutMs: 30_000,
	maxConcurrency: ACCOUNT_CEILING,
};

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Built with `apiPath`, so every reference in it is already encoded. */
	path: string;
	body?: IDataObject | IDataObject[] | string[];
	itemIndex?: number;
	/**
	 * Whether the call may be repeated when its outcome is unknown (timeout, dropped connection,
	 * 502/504). False for creating a consignment: a repeat could ship the parcel twice.
	 */
	repeatable?: boolean;
	/** Hints for this call's errors, over the client's own. */
	hints?: ClientHints;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * The one place that talks HTTP to Electio. Every call goes through the shared gate, carries
 * the credential via n8n's authentication, and is retried only when that is safe.
 */
export class ElectioClient {
	readonly gate: RunGate;

	private constructor(
		private readonly context: ElectioContext,
		readonly baseUrl: string,
		readonly settings: ClientSettings,
		private readonly credentials: ICredentialsDecrypted,
		private readonly hints: ClientHints,
	) {
		const apiKey = String(credentials.data?.apiKey ?? '');
		this.gate = new RunGate(accountGateFor(baseUrl, apiKey), settings.maxConcurrency);
	}

	static async create(
		context: ElectioContext,
		settings: Partial<ClientSettings> = {},
		hints: ClientHints = {},
	): Promise<ElectioClient> {
		const credentials = await context.getCredentials(CREDENTIAL_TYPE);
		const target = readCredential(credentials);
		if ('problem' in target) {
			throw new NodeOperationError(context.getNode(), target.problem, { description: target.fix });
		}
		const { id = '', name = '' } = context.getNode().credentials?.[CREDENTIAL_TYPE] ?? {};
		// Read and decrypted once per run and handed to every request, not fetched per request.
		const decrypted: ICredentialsDecrypted = {
			id: id ?? '',
			name,
			type: CREDENTIAL_TYPE,
			data: credentials,
		};
		return new ElectioClient(
			context,
			target.baseUrl,
			{ ...DEFAULT_CLIENT_SETTINGS, ...settings },
			decrypted,
			hints,
		);
	}

	/** The node this client works for, for errors raised around its calls. */
	get node(): INode {
		return this.context.getNode();
	}

	async request<T = unknown>(request: ApiRequest): Promise<T> {
		const url = urlBelow(this.baseUrl, request.path);
		if (!url) {
			throw new NodeOperationError(
				this.context.getNode(),
				`Refusing to call ${request.path}: it leaves the configured base URL`,
			);
		}
		const hints = { ...this.hints, ...request.hints };
		const failed = {
			method: request.method,
			path: request.path,
			itemIndex: request.itemIndex,
			repeatable: request.repeatable ?? true,
		};
		let unknownOutcomeSeen = false;
		let firstThrottledAt: number | undefined;
		// Attempts count gateway and connection failures; 429s are bounded by time instead.
		let attempt = 0;
		for (;;) {
			await this.gate.acquire();
			let failure: AttemptFailure;
			try {
				const response = await this.send(request, url);
				if (
					response.statusCode >= 200 &&
					response.statusCode < 300 &&
					!isUnparsedText(response.body)
				) {
					this.gate.releaseSuccess();
					return response.body as T;
				}
				// Electio answers in JSON; text (a proxy's or portal's HTML page) is never a success.
				failure = classifyStatus(response);
			} catch (error) {
				failure = classifyNetworkError(error);
				if (failure.code === 'ERR_CANCELED') {
					this.gate.releaseFailure();
					throw this.networkError(failed, failure, attempt, unknownOutcomeSeen, hints);
				}
			}

			if (failure.kind === 'throttled') {
				const now = Date.now();
				firstThrottledAt ??= now;
				const waited = now - firstThrottledAt;
				const wait = failure.retryAfterMs ?? throttleBackoffMs(waited);
				this.gate.releaseThrottled(wait);
				if (waited + wait > this.settings.maxThrottleWaitMs) {
					throw httpError(this.node, failed, failure, attempt, unknownOutcomeSeen, hints, waited);
				}
				// The account gate holds every caller until Retry-After has passed: no sleep here.
				this.gate.stats.retries++;
				continue;
			}
			// An answered 4xx (a lookup's 404, a refused order) says the API keeps up: let the bound grow.
			if (failure.kind === 'http' && failure.status >= 400 && failure.status < 500) {
				this.gate.releaseSuccess();
			} else {
				this.gate.releaseFailure();
			}

			const retryable = failure.retryable && (failed.repeatable || !failure.outcomeUnknown);
			if (!retryable || attempt >= this.settings.maxRetries) {
				if (failure.kind === 'network') {
					throw this.networkError(failed, failure, attempt, unknownOutcomeSeen, hints);
				}
				throw httpError(this.node, failed, failure, attempt, unknownOutcomeSeen, hints);
			}
			unknownOutcomeSeen ||= failure.outcomeUnknown;
			await sleep(
				failure.kind === 'http' && failure.retryAfterMs !== undefined
					? failure.retryAfterMs
					: backoffMs(attempt, 250),
			);
			attempt++;
			this.gate.stats.retries++;
		}
	}

	private networkError(
		request: Parameters<typeof networkError>[1],
		failure: Extract<AttemptFailure, { kind: 'network' }>,
		attempt: number,
		unknownOutcomeSeen: boolean,
		hints: ClientHints,
	) {
		return networkError(
			this.context.getNode(),
			request,
			failure,
			attempt,
			unknownOutcomeSeen,
			hints,
			{
				baseUrl: this.baseUrl,
				timeoutMs: this.settings.timeoutMs,
			},
		);
	}

	private async send(request: ApiRequest, url: string): Promise<FullResponse> {
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			// The key and electio-api-version are added by the credential type (signRequest).
			headers: { accept: 'application/json' },
			json: true,
			timeout: this.settings.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect would carry the API key header to wherever it points.
			disableFollowRedirect: true,
		};
		if (request.body !== undefined) {
			options.body = request.body;
			options.headers!['content-type'] = 'application/json';
		}
		return (await this.context.helpers.httpRequestWithAuthentication.call(
			this.context,
			CREDENTIAL_TYPE,
			options,
			{ credentialsDecrypted: this.credentials },
		)) as FullResponse;
	}
}

function classifyStatus(response: FullResponse): AttemptFailure {
	const status = response.statusCode;
	const retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'));
	if (status === 429) return { kind: 'throttled', status, retryAfterMs, body: response.body };
	// 503 means the gateway turned the call away; 502/504 may come after the backend acted.
	if (status === 503)
		return {
			kind: 'http',
			status,
			body: response.body,
			outcomeUnknown: false,
			retryable: true,
			retryAfterMs,
		};
	if (status === 502 || status === 504)
		return {
			kind: 'http',
			status,
			body: response.body,
			outcomeUnknown: true,
			retryable: true,
			retryAfterMs,
		};
	// A 2xx we cannot read: something answered, but whether Electio acted is unknown.
	if (status >= 200 && status < 300)
		return { kind: 'http', status, body: response.body, outcomeUnknown: true, retryable: false };
	return { kind: 'http', status, body: response.body, outcomeUnknown: false, retryable: false };
}

function classifyNetworkError(error: unknown): Extract<AttemptFailure, { kind: 'network' }> {
	const code = findErrorCode(error) ?? 'ECONNRESET';
	// A refused connection never reached the server; anything else may have.
	const certainlyNotSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
	return {
		kind: 'network',
		code,
		outcomeUnknown: !certainlyNotSent,
		retryable: code !== 'ERR_CANCELED' && code !== 'ENOTFOUND',
	};
}

/** The system error code (ECONNREFUSED, ENOTFOUND...) of a failed request, wherever n8n's client put it. */
export function findErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (isPlainObject(current) && !seen.has(current)) {
		seen.add(current);
		const code = (current as IDataObject).code;
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
		if (current instanceof Error && /socket hang up/i.test(current.message)) return 'ECONNRESET';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function headerValue(headers: FullResponse['headers'], name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Retry-After is delay-seconds or an HTTP date; capped so one answer cannot stall a run. */
function parseRetryAfter(value: string | undefined): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
	if (!Number.isFinite(ms)) return undefined;
	return Math.min(Math.max(ms, 0), 120_000);
}

/** Without a Retry-After: from 1 s, doubling with the time already spent throttled, up to 20 s. */
function throttleBackoffMs(waitedMs: number): number {
	return backoffMs(Math.min(Math.floor(Math.log2(1 + waitedMs / 1000)), 5), 1000);
}

function backoffMs(attempt: number, baseMs: number): number {
	const exponential = Math.min(baseMs * 2 ** attempt, 20_000);
	return exponential / 2 + Math.random() * (exponential / 2);
}

/** A body n8n could not parse as JSON (it returns such bodies as text). */
function isUnparsedText(body: unknown): boolean {
	return typeof body === 'string' && body.trim() !== '';
}
