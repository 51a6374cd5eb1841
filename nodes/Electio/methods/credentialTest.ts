// The credential's Test button, the way n8n runs a node's credential test (`testedBy` names it; n8n
// calls it with the credential being edited and its CredentialTestContext): one
// `GET /shippinglocations`, and a sentence a user can act on for each way it goes wrong (wrong key,
// nothing listening at the Base URL, a misspelt host, something that is not the Electio API answering).
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { signRequest } from '../../../credentials/ElectioApi.credentials';
import {
	connectionFailure,
	describeHttpFailure,
	findErrorCode,
	readCredential,
} from '../transport';

const TEST_PATH = '/shippinglocations';
const TIMEOUT_MS = 15_000;

interface Answer {
	statusCode: number;
	body: unknown;
}

export async function electioApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const target = readCredential(data);
	if ('problem' in target) {
		return failed(target.fix ? `${target.problem}. ${target.fix}` : target.problem);
	}
	const signed = await signRequest(data, {
		url: `${target.baseUrl}${TEST_PATH}`,
		headers: { accept: 'application/json' },
	});
	// n8n gives a credential test one HTTP helper, the legacy `request` (n8n-core's
	// CredentialTestContext has no httpRequest, which n8n's no-deprecated-workflow-functions rule asks
	// for wherever it sees `this.helpers.request`, written for contexts that have it).
	const { helpers } = this;
	let answer: Answer;
	try {
		answer = await helpers.request({
			method: 'GET',
			uri: signed.url,
			headers: signed.headers,
			json: true,
			timeout: TIMEOUT_MS,
			resolveWithFullResponse: true,
			simple: false,
			// A redirect would carry the API key header to wherever it points.
			followRedirect: false,
			followAllRedirects: false,
		});
	} catch (error) {
		return failed(connectionSentence(findErrorCode(error) ?? 'ECONNRESET', target.baseUrl));
	}
	return answerSentence(answer, target.baseUrl);
}

/** What Electio's answer means for the credential. */
function answerSentence(
	{ statusCode: status, body }: Answer,
	baseUrl: string,
): INodeCredentialTestResult {
	if (status >= 200 && status < 300) {
		if (typeof body === 'string' && body.trim() !== '') {
			return failed(
				`${baseUrl} answered, but not with JSON as the Electio API does: check that the Base URL is the Electio API root and not a web page or a proxy's login page.`,
			);
		}
		const count = Array.isArray(body)
			? body.length
			: Array.isArray((body as IDataObject)?.Results)
				? ((body as IDataObject).Results as unknown[]).length
				: undefined;
		if (count === undefined) {
			return failed(
				`${baseUrl} answered ${TEST_PATH} with JSON that is not a list of shipping locations: check that the Base URL is the Electio API root.`,
			);
		}
		return {
			status: 'OK',
			message: `Connection successful: Electio at ${baseUrl} accepted the key (${count} shipping location${count === 1 ? '' : 's'})`,
		};
	}
	if (status === 401) {
		return failed(
			'Electio rejected the API key (401). Check that the key is right and belongs to the chosen environment: sandbox and production keys differ.',
		);
	}
	if (status === 403) {
		return failed(
			'Electio accepted the key but refused to list shipping locations (403): ask your Electio administrator what the key is allowed to do.',
		);
	}
	if (status === 404 || status === 405) {
		return failed(
			`${baseUrl} has no ${TEST_PATH} (${status}): the Base URL does not point at the Electio API root. Check its path.`,
		);
	}
	const { message, description } = describeHttpFailure(
		{ method: 'GET', path: TEST_PATH, repeatable: true },
		{ kind: 'http', status, body, outcomeUnknown: false, retryable: false },
		0,
		false,
		{},
	);
	return failed(description ? `${message}. ${description.split('\n')[0]}` : message);
}

/** A failed connection, in a sentence that says what to change in the credential. */
function connectionSentence(code: string, baseUrl: string): string {
	if (code === 'ECONNREFUSED') {
		return `${capitalised(connectionFailure(code, baseUrl, TIMEOUT_MS))}. Check the Base URL's host and port, and that the server there is running.`;
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return `${capitalised(connectionFailure(code, baseUrl, TIMEOUT_MS))}. Check the Base URL for a typo in the host name.`;
	}
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		return `No answer from ${baseUrl} within ${TIMEOUT_MS / 1000} s. Check the Base URL, and any proxy or firewall between n8n and it.`;
	}
	return `The connection to ${baseUrl} failed (${code.toLowerCase()}). Check the Base URL and the network between n8n and it.`;
}

function capitalised(phrase: string): string {
	return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

function failed(message: string): INodeCredentialTestResult {
	return { status: 'Error', message };
}
