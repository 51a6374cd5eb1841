export * as loadOptions from './loadOptions';
export { electioApiTest } from './credentialTest';
