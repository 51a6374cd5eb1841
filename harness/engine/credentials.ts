// Credentials in the engine harness: the test data a run is given, decrypted and completed with the
// credential type's defaults, and a stand-in for the n8n server's CredentialsHelper.
import { Credentials } from 'n8n-core';
import { ICredentialsHelper } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

/**
 * The decrypted data of a credential of type `type`, as n8n would hand it to a node: the given
 * values (keys whose value is undefined dropped), the credential type's defaults filled in.
 */
export function credentialData(
	type: ICredentialType | undefined,
	given: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const data: ICredentialDataDecryptedObject = { ...given };
	for (const key of Object.keys(data)) if (data[key] === undefined) delete data[key];
	// Fill in the credential type's defaults, as n8n does when it decrypts a credential.
	for (const prop of type?.properties ?? []) {
		if (data[prop.name] === undefined && prop.default !== undefined) {
			data[prop.name] = prop.default as never;
		}
	}
	return data;
}

/**
 * Stands in for the n8n server's CredentialsHelper: hands out the test credential (already
 * decrypted, with the credential type's defaults filled in) and applies the credential type's
 * `authenticate` block the way n8n does, resolving `={{$credentials.x}}` with n8n's own
 * expression engine.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes[type]?.properties ?? [];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type "${type}"`);
		// A copy, so a node mutating its credentials cannot leak into the next call.
		return structuredClone(data);
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		return new Credentials(nodeCredentials, type);
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		_credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions;
		const credentialType = this.credentialTypes[typeName];
		const auth = credentialType?.authenticate;
		if (!auth) return requestOptions;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		if (auth.type !== 'generic') return requestOptions;
		if (!workflow || !node)
			throw new Error('authenticate() needs the workflow and node to resolve expressions');

		const resolve = (value: unknown): unknown =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(
						node,
						value,
						'internal',
						{ $credentials: credentials } as never,
						undefined,
						'',
					)
				: value;

		for (const [section, entries] of Object.entries(auth.properties) as Array<
			[string, IDataObject]
		>) {
			if (!entries) continue;
			const resolved: IDataObject = {};
			for (const [key, value] of Object.entries(entries)) resolved[key] = resolve(value) as never;
			if (section === 'auth') {
				requestOptions.auth = resolved as unknown as IHttpRequestOptions['auth'];
			} else {
				const target = section as 'headers' | 'qs' | 'body';
				const existing = (requestOptions[target] ?? {}) as IDataObject;
				(requestOptions as unknown as IDataObject)[target] = { ...existing, ...resolved };
			}
		}
		return requestOptions;
	}
}
