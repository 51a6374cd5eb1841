// The transport layer: the only code that talks HTTP to Electio.
export { ElectioClient, DEFAULT_CLIENT_SETTINGS, findErrorCode, parseRetryAfter } from './client';
export type { ApiRequest, ClientSettings } from './client';
export { connectionFailure, describeHttpFailure, ElectioApiError } from './errors';
export type { ClientHints, FieldProblem } from './errors';
export {
	AccountGate,
	accountGateFor,
	forgetAccountGates,
	RunGate,
	rememberedAccounts,
} from './gate';
export { apiPath, queryString } from './urls';
export { readCredential } from './credential';
