// Entry point for tests, the benchmark and the e2e harness. Dev-only: never imported by the node.
export { startSandbox } from './server';
export type {
	Sandbox,
	SandboxOptions,
	FaultConfig,
	FailHook,
	FaultKind,
	FaultCounts,
	RequestLogEntry,
	StoredConsignment,
	StateChange,
	ConsignmentState,
	RateLimitConfig,
	SandboxStats,
	TrackingOptions,
	TrackingEvent,
} from './types';
export { FAIL_ALLOCATION_MARK, FAIL_MANIFEST_MARK } from './states';
export { TRACKING_DEFAULTS } from './tracking';
export { QUOTE_TTL_MS, REASON_ADDRESSES, REASON_DATES, REASON_WEIGHT } from './quotes';
