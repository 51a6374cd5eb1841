import type { IDataObject } from 'n8n-workflow';

import type { AccountGate, ElectioClient } from '../transport';
import { ElectioApiError, queryString } from '../transport';
import { asNodeError } from './errorItems';
import { textOrNull } from './validation';

/** States in which a consignment no longer stands for the order: a new one may be created. */
const GONE_STATES = new Set(['Cancelled', 'Cancelling']);

/** Page size of the lookup: a customer reference matching more than this is not one order. */
const PAGE_SIZE = 50;

/** One consignment found by its customer reference, as Search Consignments summarises it. */
export interface ConsignmentSummary {
	reference: string;
	state: string;
	dateCreated: string;
	summary: IDataObject;
}

/**
 * The live consignments whose customer reference is exactly `customerReference`, oldest first.
 * Electio does not say whether the search matches partially, so only exact matches count; a
 * cancelled consignment no longer stands for the order.
 */
export async function findByCustomerReference(
	client: ElectioClient,
	customerReference: string,
	itemIndex: number,
): Promise<ConsignmentSummary[]> {
	const found: ConsignmentSummary[] = [];
	for (let skip = 0; ; skip += PAGE_SIZE) {
		let page: IDataObject[];
		try {
			const response = await client.request<{ ConsignmentSummaries?: IDataObject[] } | null>({
				method: 'GET',
				path: `/consignments/${PAGE_SIZE}/${skip}${queryString({ referenceProvidedByCustomer: customerReference })}`,
				itemIndex,
			});
			page = Array.isArray(response?.ConsignmentSummaries) ? response.ConsignmentSummaries : [];
		} catch (error) {
			// The documented answer for "nothing matches" may be a 404.
			if (error instanceof ElectioApiError && error.status === 404) break;
			throw asNodeError(client.node, error);
		}
		for (const summary of page) {
			const reference = typeof summary.Reference === 'string' ? summary.Reference : '';
			const state = String(summary.State ?? '');
			if (
				reference &&
				summary.ConsignmentReferenceProvidedByCustomer === customerReference &&
				!GONE_STATES.has(state)
			) {
				found.push({ reference, state, dateCreated: String(summary.DateCreated ?? ''), summary });
			}
		}
		// The docs leave open whether Count is the total or the page size: a short page ends it.
		if (page.length < PAGE_SIZE) break;
	}
	return found.sort(
		(a, b) =>
			Date.parse(a.dateCreated) - Date.parse(b.dateCreated) ||
			a.reference.localeCompare(b.reference),
	);
}

const exclusiveByAccount = new WeakMap<AccountGate, Map<string, Promise<unknown>>>();

/**
 * Runs `task` while no other task with the same key runs for the same account in this process:
 * two executions creating the same order wait for each other, so the second finds the first's
 * consignment. Entries are removed when their task ends, so memory stays bounded by what runs.
 */
export async function runExclusive<T>(
	account: AccountGate,
	key: string,
	task: () => Promise<T>,
): Promise<T> {
	let running = exclusiveByAccount.get(account);
	if (!running) {
		running = new Map();
		exclusiveByAccount.set(account, running);
	}
	const previous = running.get(key) ?? Promise.resolve();
	const current = previous.then(task, task);
	const settled = current.then(
		() => undefined,
		() => undefined,
	);
	running.set(key, settled);
	try {
		return await current;
	} finally {
		if (running.get(key) === settled) running.delete(key);
	}
}

/** Where Electio keeps the customer's reference: in bodies, summaries and consignments. */
export const CUSTOMER_REFERENCE = 'ConsignmentReferenceProvidedByCustomer';

/**
 * The customer's reference in an Electio body or answer or, by default, in an item from an earlier
 * step, which may hold it as our `customerReference`. Kept exactly as given, since it is compared
 * with what Electio stores; blank counts as none.
 */
export function customerReferenceIn(
	json: IDataObject | undefined,
	fields: readonly string[] = [CUSTOMER_REFERENCE, 'customerReference'],
): string | undefined {
	for (const field of fields) {
		const value = textOrNull(json?.[field]);
		if (value !== null) return value;
	}
	return undefined;
}
