import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { AdaptiveGate } from './gate';

export { AdaptiveGate };

export const CREDENTIAL_TYPE = 'electioApi';
export const API_VERSION = '1.1';

const ENVIRONMENT_URLS: Record<string, string> = {
	production: 'https://api.electioapp.com',
	sandbox: 'https://apisandbox.electioapp.com',
};

type ElectioContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface ClientSettings {
	/** Retries after the first attempt, for throttling, gateway errors and connection errors. */
	maxRetries: number;
	/** Per-attempt timeout in milliseconds. */
	timeoutMs: number;
	/** Upper bound of requests in flight; the gate adapts below it on 429s. */
	maxConcurrency: number;
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
	maxRetries: 5,
	timeoutMs: 30_000,
	maxConcurrency: 5,
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
	/** Shown in the error when the outcome is unknown and the call was not repeated. */
	unknownOutcomeHint?: string;
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
}

/** Joins a path template, encoding every interpolated value as one literal path segment. */
export function apiPath(strings: TemplateStringsArray, ...segments: string[]): string {
	let path = strings[0];
	segments.forEach((segment, index) => {
		path += encodePathSegment(segment) + strings[index + 1];
	});
	return path;
}

function encodePathSegment(value: string): string {
	// "." and ".." are dot-segments even when percent-encoded: URL parsers would climb the path.
	if (/^\.{1,2}$/.test(value)) {
		throw new Error(`"${value}" cannot be used as a reference`);
	}
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

/** Resolves the API root from the credential, refusing anything but a plain http(s) URL. */
export function resolveBaseUrl(node: INode, credentials: IDataObject): string {
	const environment = (credentials.environment as string) || 'production';
	const configured =
		environment === 'custom'
			? String(credentials.baseUrl ?? '').trim()
			: ENVIRONMENT_URLS[environment];
	if (environment === 'custom' && !configured) {
		throw new NodeOperationError(node, "The credential's Base URL is empty", {
			description:
				'Use a full URL such as http://127.0.0.1:4010 or https://proxy.example.com/electio.',
		});
	}
	if (!configured) {
		throw new NodeOperationError(node, `Unknown Electio environment "${environment}"`, {
			description: 'Open the Electio API credential and choose Production, Sandbox or Custom.',
		});
	}
	let url: URL;
	try {
		url = new URL(configured);
	} catch {
		throw new NodeOperationError(node, `The credential's Base URL "${configured}" is not a URL`, {
			description:
				'Use a full URL such as http://127.0.0.1:4010 or https://proxy.example.com/electio.',
		});
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new NodeOperationError(
			node,
			`The credential's Base URL must start with http:// or https:// (got "${url.protocol}")`,
		);
	}
	if (url.username || url.password || url.search || url.hash) {
		throw new NodeOperationError(
			node,
			"The credential's Base URL must not contain a user, password, query or fragment",
		);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

type AttemptFailure =
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
 * The one place that talks HTTP to Electio. Every call goes through the shared gate, carries
 * the credential via n8n's authentication, and is retried only when that is safe.
 */
export class ElectioClient {
	readonly gate: AdaptiveGate;

	private constructor(
		private readonly context: ElectioContext,
		readonly baseUrl: string,
		readonly settings: ClientSettings,
		private readonly credentials: ICredentialsDecrypted,
	) {
		this.gate = new AdaptiveGate(settings.maxConcurrency);
	}

	static async create(
		context: ElectioContext,
		settings: Partial<ClientSettings> = {},
	): Promise<ElectioClient> {
		const credentials = await context.getCredentials(CREDENTIAL_TYPE);
		const baseUrl = resolveBaseUrl(context.getNode(), credentials);
		if (typeof credentials.apiKey !== 'string' || !credentials.apiKey.trim()) {
			throw new NodeOperationError(context.getNode(), 'The Electio API credential has no API key', {
				description:
					'Open the Electio API credential and paste the subscription key of the chosen environment.',
			});
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
			baseUrl,
			{ ...DEFAULT_CLIENT_SETTINGS, ...settings },
			decrypted,
		);
	}

	async request<T = unknown>(request: ApiRequest): Promise<T> {
		const url = this.urlFor(request.path);
		const repeatable = request.repeatable ?? true;
		let unknownOutcomeSeen = false;
		for (let attempt = 0; ; attempt++) {
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
					throw this.networkError(request, failure, attempt, unknownOutcomeSeen);
				}
			}

			if (failure.kind === 'throttled') {
				const wait = failure.retryAfterMs ?? backoffMs(attempt, 1000);
				this.gate.releaseThrottled(wait);
			} else {
				this.gate.releaseFailure();
			}

			const retryable =
				failure.kind === 'throttled' ||
				(failure.retryable && (repeatable || !failure.outcomeUnknown));
			if (!retryable || attempt >= this.settings.maxRetries) {
				if (failure.kind === 'network') {
					throw this.networkError(request, failure, attempt, unknownOutcomeSeen);
				}
				throw this.httpError(request, failure, attempt, unknownOutcomeSeen);
			}

			if (failure.kind !== 'throttled') {
				unknownOutcomeSeen ||= failure.outcomeUnknown;
				// The gate already waits out a 429's Retry-After for everyone; other failures back off here.
				await sleep(
					failure.kind === 'http' && failure.retryAfterMs !== undefined
						? failure.retryAfterMs
						: backoffMs(attempt, 250),
				);
			}
			this.gate.stats.retries++;
		}
	}

	/** Defence in depth: the key is only ever sent below the configured base URL. */
	private urlFor(path: string): string {
		const url = `${this.baseUrl}${path}`;
		if (!path.startsWith('/') || new URL(url).origin !== new URL(this.baseUrl).origin) {
			throw new NodeOperationError(
				this.context.getNode(),
				`Refusing to call ${path}: it leaves the configured base URL`,
			);
		}
		return url;
	}

	private async send(request: ApiRequest, url: string): Promise<FullResponse> {
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			headers: {
				accept: 'application/json',
				'electio-api-version': API_VERSION,
			},
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

	private httpError(
		request: ApiRequest,
		failure: Extract<AttemptFailure, { kind: 'http' | 'throttled' }>,
		attempt: number,
		unknownOutcomeSeen: boolean,
	): ElectioApiError {
		const body = isObject(failure.body) ? failure.body : undefined;
		const apiMessage = typeof body?.Message === 'string' ? body.Message : undefined;
		const correlationId = typeof body?.CorrelationId === 'string' ? body.CorrelationId : undefined;
		const details = Array.isArray(body?.Details) ? (body!.Details as IDataObject[]) : [];
		const summary = apiMessage ?? describeNonJsonBody(failure.status, failure.body);

		const lines: string[] = [];
		for (const detail of details) {
			const target = detail.Target ? `${String(detail.Target)}: ` : '';
			lines.push(`- ${target}${String(detail.Message ?? detail.Code ?? '')}`);
		}
		const hint = hintFor(failure.status, apiMessage ?? '');
		if (hint) lines.push(hint);
		if (attempt > 0) lines.push(`Tried ${attempt + 1} times.`);
		if (failure.kind === 'http' && failure.outcomeUnknown && !(request.repeatable ?? true)) {
			lines.push(
				request.unknownOutcomeHint ??
					'The request was not repeated because it may have taken effect.',
			);
		}
		if (correlationId) lines.push(`Correlation ID (quote it to Electio support): ${correlationId}`);

		const error = new ElectioApiError(this.context.getNode(), sanitizedBody(failure.status, body), {
			message: `Electio ${request.method} ${templateOf(request.path)} failed with ${failure.status}: ${summary}`,
			description: lines.join('\n'),
			httpCode: String(failure.status),
			itemIndex: request.itemIndex,
		});
		error.status = failure.status;
		error.apiCode = typeof body?.Code === 'string' ? body.Code : undefined;
		error.correlationId = correlationId;
		error.apiMessage = apiMessage;
		error.afterUnknownOutcome = unknownOutcomeSeen;
		return error;
	}

	private networkError(
		request: ApiRequest,
		failure: Extract<AttemptFailure, { kind: 'network' }>,
		attempt: number,
		unknownOutcomeSeen: boolean,
	): ElectioApiError {
		const what =
			failure.code === 'ECONNABORTED' || failure.code === 'ETIMEDOUT'
				? `no answer within ${this.settings.timeoutMs} ms (timeout)`
				: failure.code === 'ECONNREFUSED'
					? `connection refused by ${this.baseUrl}`
					: failure.code === 'ERR_CANCELED'
						? 'the execution was cancelled'
						: 'the connection was dropped before an answer came back';
		// The raw code goes in the description: n8n would replace a message that contains it.
		const lines: string[] = [`Connection error: ${failure.code.toLowerCase()}.`];
		if (attempt > 0) lines.push(`Tried ${attempt + 1} times.`);
		if (failure.outcomeUnknown && !(request.repeatable ?? true)) {
			lines.push(
				request.unknownOutcomeHint ??
					'The request was not repeated because it may have taken effect.',
			);
		} else if (failure.code === 'ECONNABORTED' || failure.code === 'ETIMEDOUT') {
			lines.push('Raise the "Timeout" option if Electio is slow to answer.');
		} else if (failure.code === 'ECONNREFUSED') {
			lines.push("Check the credential's environment and Base URL.");
		}
		const error = new ElectioApiError(
			this.context.getNode(),
			{ connectionError: failure.code } as JsonObject,
			{
				message: `Electio ${request.method} ${templateOf(request.path)}: ${what}`,
				description: lines.join('\n'),
				itemIndex: request.itemIndex,
			},
		);
		error.afterUnknownOutcome = unknownOutcomeSeen || failure.outcomeUnknown;
		return error;
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

function findErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (isObject(current) && !seen.has(current)) {
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
export function parseRetryAfter(value: string | undefined): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
	if (!Number.isFinite(ms)) return undefined;
	return Math.min(Math.max(ms, 0), 120_000);
}

function backoffMs(attempt: number, baseMs: number): number {
	const exponential = Math.min(baseMs * 2 ** attempt, 20_000);
	return exponential / 2 + Math.random() * (exponential / 2);
}

/** A body n8n could not parse as JSON (it returns such bodies as text). */
function isUnparsedText(body: unknown): boolean {
	return typeof body === 'string' && body.trim() !== '';
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null;
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

function hintFor(status: number, message: string): string | undefined {
	if (status === 401) {
		return 'Check the API key in the Electio API credential and that it belongs to the chosen environment (sandbox and production keys differ).';
	}
	if (status === 403)
		return 'The API key is valid but not allowed to do this; ask your Electio administrator.';
	if (status === 404) return 'Check the consignment or quote reference: Electio does not know it.';
	if (status === 429)
		return 'Electio kept rate-limiting this call; raise "Max Retries" or lower "Max Concurrency".';
	if (/expired/i.test(message))
		return 'Quotes expire: get fresh quotes and allocate right after (Quote Selection "Cheapest" or "Fastest" does both).';
	if (/state/i.test(message))
		return 'The consignment is not in a state that allows this step; use Consignment > Get to see its state.';
	return undefined;
}
