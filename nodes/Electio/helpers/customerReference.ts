import type { IDataObject } from 'n8n-workflow';

import type { AccountGate, ElectioClient } from '../transport';
import { searchConsignments } from './consignmentSearch';
import { textOrNull } from './validation';

/** States in which a consignment no longer stands for the order: a new one may be created. */
const GONE_STATES = new Set(['Cancelled', 'Cancelling']);

/** One consignment found by its customer reference, as Search Consignments summarises it. */
export interface ConsignmentSummary {
	reference: string;
	state: string;
	dateCreated: string;
	summary: IDataObject;
}

/**
 * The live consignments whose customer reference is exactly `customerReference`, oldest first
 * (the search keeps exact matches only); a cancelled consignment no longer stands for the order.
 */
export async function findByCustomerReference(
	client: ElectioClient,
	customerReference: string,
	itemIndex: number,
): Promise<ConsignmentSummary[]> {
	const query = { referenceProvidedByCustomer: customerReference };
	const found: ConsignmentSummary[] = [];
	for (const summary of await searchConsignments(client, { query }, itemIndex)) {
		const reference = typeof summary.Reference === 'string' ? summary.Reference : '';
		const state = String(summary.State ?? '');
		if (reference && !GONE_STATES.has(state)) {
			found.push({ reference, state, dateCreated: String(summary.DateCreated ?? ''), summary });
		}
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
