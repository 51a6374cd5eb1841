import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { apiPath, ElectioApiError, type ElectioClient } from '../transport';
import type { ConsignmentSummary } from './customerReference';
import {
	CUSTOMER_REFERENCE,
	customerReferenceIn,
	findByCustomerReference,
	runExclusive,
} from './customerReference';
import { asNodeError } from './errorItems';
import { inputError } from './validation';

/** What Create does when a live consignment already has the order's customer reference. */
export type IfCustomerReferenceExists = 'useExisting' | 'createAnother' | 'fail';

/** One item's create: the body to send and what to do if its order already has a consignment. */
export interface CreateRequest {
	body: IDataObject;
	ifExists: IfCustomerReferenceExists;
	itemIndex: number;
}

/** How long to wait before looking a lost create up a second time: Electio's search may lag. */
const LOOKUP_AGAIN_MS = 1000;

const NO_CUSTOMER_REFERENCE_HINT =
	'The request reached Electio but no answer came back, so the consignment may or may not exist. It was NOT sent again, to avoid shipping twice: find it in Electio by its destination and time before running this item again. With a Customer Reference the node looks it up by itself.';

/**
 * Creates an order's consignment at most once, the order being known by its customer reference:
 * looks it up first and answers with the consignment it finds (one order at a time in this
 * process), creates only when there is none, looks again after a lost answer before trying
 * again, and when another process created the same order meanwhile keeps the oldest consignment.
 * Without a customer reference, or with "Create Another", it creates, never repeating a create
 * that may have taken effect.
 */
export async function createOnce(
	context: IExecuteFunctions,
	client: ElectioClient,
	request: CreateRequest,
): Promise<IDataObject> {
	const customerReference = customerReferenceIn(request.body, [CUSTOMER_REFERENCE]);
	if (!customerReference || request.ifExists === 'createAnother') {
		return await create(context, client, request, customerReference);
	}
	return await runExclusive(client.gate.account, customerReference, async () => {
		const existing = await findByCustomerReference(client, customerReference, request.itemIndex);
		if (existing.length) return useExisting(context, request, existing, customerReference);
		const created = await create(context, client, request, customerReference);
		return await keepOldest(client, created, customerReference, request.itemIndex);
	});
}

/**
 * Creates the consignment. After a lost answer it asks Electio whether the consignment exists
 * before trying again, which it can only do by the customer reference.
 */
async function create(
	context: IExecuteFunctions,
	client: ElectioClient,
	{ body, itemIndex }: CreateRequest,
	customerReference: string | undefined,
): Promise<IDataObject> {
	for (let attempt = 0; ; attempt++) {
		try {
			const created = await post(context, client, body, itemIndex);
			return { ...created, customerReference: customerReference ?? null, created: true };
		} catch (error) {
			const lost = error instanceof ElectioApiError && error.afterUnknownOutcome;
			if (!lost || !customerReference || attempt >= client.settings.maxRetries) {
				throw asNodeError(context.getNode(), error, itemIndex);
			}
			const found = await findLostCreate(client, customerReference, itemIndex);
			if (found) {
				const output = existingOutput(found, customerReference);
				return { ...output, created: true, recoveredAfterLostResponse: true };
			}
			// Not there after two looks: it was never created, so creating it now ships it once.
		}
	}
}

/** POST /consignments, never repeated when it may have taken effect; the reference from its link. */
async function post(
	context: IExecuteFunctions,
	client: ElectioClient,
	body: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const links = await client.request<Array<{ Rel?: string; Href?: string }>>({
		method: 'POST',
		path: '/consignments',
		body,
		itemIndex,
		repeatable: false,
		hints: { unknownOutcome: NO_CUSTOMER_REFERENCE_HINT },
	});
	const href = Array.isArray(links) ? links.find((link) => link?.Href)?.Href : undefined;
	const consignmentReference = href
		? decodeURIComponent(href.replace(/\/+$/, '').split('/').pop() ?? '')
		: '';
	if (!consignmentReference) {
		throw inputError(
			context,
			itemIndex,
			'the response',
			`had no consignment link: ${JSON.stringify(links).slice(0, 200)}`,
		);
	}
	return { consignmentReference, state: 'Unallocated', href: href as string };
}

/** The consignment a create whose answer was lost made, looked for twice: the search may lag. */
async function findLostCreate(
	client: ElectioClient,
	customerReference: string,
	itemIndex: number,
): Promise<ConsignmentSummary | undefined> {
	for (const delayMs of [0, LOOKUP_AGAIN_MS]) {
		if (delayMs) await sleep(delayMs);
		const [found] = await findByCustomerReference(client, customerReference, itemIndex);
		if (found) return found;
	}
	return undefined;
}

/** The answer for an order that already has a consignment: that one, unless told to fail. */
function useExisting(
	context: IExecuteFunctions,
	{ ifExists, itemIndex }: CreateRequest,
	existing: ConsignmentSummary[],
	customerReference: string,
): IDataObject {
	const references = existing.map((found) => found.reference);
	if (existing.length > 1) {
		throw inputError(
			context,
			itemIndex,
			'"Customer Reference"',
			`"${customerReference}" belongs to ${existing.length} consignments (${references.join(', ')}), so none was picked`,
			'Electio does not promise that customer references are unique. Cancel the extra consignments in Electio, or choose "Create Another".',
		);
	}
	if (ifExists === 'fail') {
		throw inputError(
			context,
			itemIndex,
			'"Customer Reference"',
			`"${customerReference}" is already used by ${references[0]} (${existing[0].state})`,
			'Choose "Use Existing" to continue with that consignment, or "Create Another" to ship again.',
		);
	}
	return { ...existingOutput(existing[0], customerReference), created: false };
}

/**
 * Another process (a second n8n worker) may have created the same order at the same moment.
 * The older consignment stands; ours, the newer, is cancelled while it is still Unallocated.
 */
async function keepOldest(
	client: ElectioClient,
	created: IDataObject,
	customerReference: string,
	itemIndex: number,
): Promise<IDataObject> {
	const found = await findByCustomerReference(client, customerReference, itemIndex);
	const oldest = found[0];
	const ours = created.consignmentReference as string;
	if (!oldest || oldest.reference === ours || !found.some((f) => f.reference === ours)) {
		return created;
	}
	await client.request({ method: 'PUT', path: apiPath`/consignments/${ours}/cancel`, itemIndex });
	return {
		...existingOutput(oldest, customerReference),
		created: false,
		duplicateCancelled: ours,
	};
}

/** The item for a consignment found by its customer reference. */
function existingOutput(found: ConsignmentSummary, customerReference: string): IDataObject {
	const link = found.summary.ApiLink as { Href?: string } | undefined;
	return {
		consignmentReference: found.reference,
		customerReference,
		state: found.state,
		href: link?.Href ?? null,
		dateCreated: found.dateCreated || null,
	};
}
