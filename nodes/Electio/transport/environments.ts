// Facts about the Electio API shared by the credential and the client, declared by the credential
// type (credentials/ imports nothing from nodes/); the API version is sent by its signRequest.
export { ENVIRONMENT_URLS } from '../../../credentials/ElectioApi.credentials';

export const CREDENTIAL_TYPE = 'electioApi';
