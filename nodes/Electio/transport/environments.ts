/** Facts about the Electio API shared by the credential and the client: one place for each. */

export const CREDENTIAL_TYPE = 'electioApi';

/** Sent as `electio-api-version` on every call. */
export const API_VERSION = '1.1';

/** The API root of each named environment; `custom` points at the local sandbox or a proxy. */
export const ENVIRONMENT_URLS = {
	production: 'https://api.electioapp.com',
	sandbox: 'https://apisandbox.electioapp.com',
} as const;
