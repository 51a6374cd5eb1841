// The transport layer: the only code that talks HTTP to Electio.
export { ElectioClient, DEFAULT_CLIENT_SETTINGS, parseRetryAfter } from './client';
export type { ApiRequest, ClientSettings, ElectioContext } from './client';
export { API_VERSION, CREDENTIAL_TYPE, ENVIRONMENT_URLS } from './environments';
export { ElectioApiError } from './errors';
export type { ClientHints, FieldProblem } from './errors';
export {
	ACCOUNT_CEILING,
	AccountGate,
	accountGateFor,
	forgetAccountGates,
	RunGate,
	rememberedAccounts,
} from './gate';
export { apiPath, hostOf, queryString, resolveBaseUrl } from './urls';
