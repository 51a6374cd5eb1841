// The transport layer: the only code that talks HTTP to Electio.
export { ElectioClient, DEFAULT_CLIENT_SETTINGS, findErrorCode } from './client';
export type { ClientSettings } from './client';
export { connectionFailure, describeHttpFailure, ElectioApiError } from './errors';
export type { ClientHints } from './errors';
export { ACCOUNT_CEILING, AccountGate, forgetAccountGates } from './gate';
export { apiPath, queryString } from './urls';
export { readCredential } from './credential';
