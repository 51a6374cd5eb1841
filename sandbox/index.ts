// Entry point for tests, the benchmark and the e2e harness. Dev-only: never imported by the node.
export { startSandbox, DEFAULT_API_KEY } from './server';
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
export {
	FAIL_ALLOCATION_MARK,
	FAIL_MANIFEST_MARK,
	MANIFESTABLE,
	ALLOWED_FROM,
	TRACKING_STATES,
} from './states';
export { TRACKING_DEFAULTS } from './tracking';
export { QUOTE_TTL_MS, REASON_ADDRESSES, REASON_DATES, REASON_WEIGHT } from './quotes';
export { CARRIERS, CARRIER_SERVICES, SHIPPING_LOCATIONS, PACKAGE_SIZES } from './catalogue';
