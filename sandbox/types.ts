// Public types of the local Electio sandbox. Kept in one file so the node's tests,
// the benchmark and the e2e harness can import them without pulling in the server.

export type ConsignmentState =
	| 'Unallocated'
	| 'AllocationFailed'
	| 'Allocated'
	| 'ReadyToShip'
	| 'ManifestFailed'
	| 'Manifested'
	| 'Cancelled'
	// tracking-driven (the clock moves manifested consignments through these)
	| 'Collected'
	| 'InTransit'
	| 'OutForDelivery'
	| 'Delivered'
	| 'CollectionFailed'
	| 'DeliveryFailed';

export interface TrackingOptions {
	/**
	 * Move manifested consignments along by themselves as the sandbox clock passes (default false:
	 * they stay Manifested until POST /__sandbox/clock/advance or advanceTracking(); the CLI turns
	 * it on).
	 */
	auto?: boolean;
	/** sandbox-clock time between two tracking events of one consignment (default 750 ms) */
	stepMs?: number;
	/** share (0..1) of journeys that fail, half CollectionFailed, half DeliveryFailed (default 0.2) */
	failureRate?: number;
}

/** A carrier tracking event, as GET /tracking/{ref} shows it. */
export interface TrackingEvent {
	TimeStamp: string;
	Code: string;
	Description: string;
	SignedBy: string | null;
	Location: string | null;
}

export interface FaultConfig {
	/** share (0..1) of API calls answered 429 with Retry-After */
	rate429?: number;
	/** Retry-After seconds on injected 429s (default 1) */
	retryAfterSeconds?: number;
	rate502?: number;
	rate503?: number;
	/** share of API calls whose socket is destroyed without a response */
	dropRate?: number;
	/** random extra latency per API call, uniformly in [min, max] ms (seeded) */
	extraLatencyMs?: [number, number];
}

export interface RateLimitConfig {
	perSecond: number;
}

export interface SandboxOptions {
	/** 0 (default) = pick a free port */
	port?: number;
	host?: string;
	apiKeys?: string[];
	latencyMs?: number;
	seed?: number;
	faults?: FaultConfig;
	rateLimit?: RateLimitConfig | null;
	/** base clock; advanceClock() shifts it */
	now?: () => Date;
	/** max accepted request body in bytes (default 1 MB) */
	maxBodyBytes?: number;
	/** keep at most this many request log entries (default 200000, oldest dropped) */
	maxLogEntries?: number;
	/** the tracking clock: automatic or stepped movement after a manifest, its pace and failures */
	tracking?: TrackingOptions;
	/**
	 * What a search that matches nothing answers: 'notFound' (default, a 404 as the contract lists)
	 * or 'empty' (200 with Count 0 / []). A page past the end of a non-empty result is always 200.
	 */
	emptySearch?: 'notFound' | 'empty';
}

export interface FailHook {
	method?: string;
	/** string: equal to the raw path (with or without query); RegExp: tested against the raw request URL */
	path?: string | RegExp;
	/** how many matching requests this hook fires for (default 1) */
	times?: number;
	status?: number;
	body?: string | object;
	contentType?: string;
	headers?: Record<string, string>;
	drop?: boolean;
	/** run the real handler first (state changes), then fail/drop: the response is lost */
	afterHandling?: boolean;
	/** accept the request and never answer (until close) */
	hang?: boolean;
	/** pad the generated body to at least this many bytes */
	bodyBytes?: number;
}

export type FaultKind = '429' | '502' | '503' | 'drop' | 'rateLimited' | 'hook' | 'latency';

export interface RequestLogEntry {
	seq: number;
	method: string;
	/** raw, as received (including any query string) */
	path: string;
	/** 0 when dropped or hung */
	status: number;
	fault?: FaultKind;
	/** did the server act on it: the handler ran and succeeded (state changed / consignment created / document served) */
	handled: boolean;
	apiKey: 'valid' | 'missing' | 'invalid';
	consignmentReference?: string;
	customerReference?: string;
	startedAt: number;
	durationMs: number;
}

export interface FaultCounts {
	'429': number;
	'502': number;
	'503': number;
	drop: number;
	rateLimited: number;
	hook: number;
}

export interface StateChange {
	state: ConsignmentState;
	at: string;
	/** what caused it: create, allocate, cancel, ... */
	action: string;
}

/** A consignment as tests see it: the full GET /consignments/{ref} body plus sandbox bookkeeping. */
export interface StoredConsignment {
	Reference: string;
	ConsignmentState: ConsignmentState;
	ConsignmentReferenceProvidedByCustomer: string;
	LabelsPrinted: boolean;
	CarrierReference: string | null;
	CarrierName: string | null;
	CarrierServiceReference: string | null;
	CarrierServiceName: string | null;
	QuoteReference: string | null;
	TrackingReferences: string[];
	history: StateChange[];
	/** carrier tracking events so far (the same for every package) */
	trackingEvents: TrackingEvent[];
	/** every other property of the documented consignment body */
	[key: string]: unknown;
}

export interface SandboxStats {
	requests: number;
	byStatus: Record<string, number>;
	faults: FaultCounts;
	consignments: number;
	uptimeMs: number;
	/** API requests per second since the first logged request */
	requestsPerSecond: number;
	averageDurationMs: number;
}

export interface Sandbox {
	url: string;
	port: number;
	apiKey: string;
	close(): Promise<void>;
	requests(): RequestLogEntry[];
	clearRequests(): void;
	consignments(): StoredConsignment[];
	getConsignment(ref: string): StoredConsignment | undefined;
	setFaults(faults: FaultConfig | null | undefined): void;
	setLatency(ms: number): void;
	setRateLimit(perSecond: number | null): void;
	faultCounts(): FaultCounts;
	stats(): SandboxStats;
	advanceClock(ms: number): void;
	now(): Date;
	/** every manifested consignment on its way takes `steps` tracking steps; the clock moves steps × stepMs */
	advanceTracking(steps: number): void;
	/** changes the tracking settings at run time; returns them all */
	setTracking(options: TrackingOptions): Required<TrackingOptions>;
	trackingSettings(): Required<TrackingOptions>;
	/** consignment references per ConsignmentReferenceProvidedByCustomer ("" when none was given) */
	consignmentsByCustomerReference(): Record<string, string[]>;
	reset(): void;
	failNext(hook: FailHook): string;
	removeHook(id: string): void;
	clearHooks(): void;
}
