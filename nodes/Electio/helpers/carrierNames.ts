import type { IDataObject } from 'n8n-workflow';

import type { AccountGate, ElectioClient } from '../transport';
import type { Quote } from './quotes';
import { carrierOf } from './quotes';

/** How long an account's carrier list is trusted before it is read again. */
const CARRIER_LIST_TTL_MS = 60 * 60 * 1000;

interface CarrierList {
	readAt: number;
	names: Promise<Map<string, string>>;
}

/**
 * Carrier lists per account. Keyed by the account's gate, so the cache is exactly as bounded as
 * the gates are (at most 64 accounts, idle ones dropped) and holds no key; a list is names only.
 */
const listsByAccount = new WeakMap<AccountGate, CarrierList>();

/**
 * Carrier names by reference for the quotes whose legs leave CarrierName empty (Electio does:
 * quotes name the carrier `ROYAL_MAIL`, people know it as Royal Mail). Reads `GET /carriers` at
 * most once an hour per account, only when a quote needs it; when the list cannot be read the
 * references stand in for the names rather than failing the quotes.
 */
export async function carrierNamesFor(
	client: ElectioClient,
	quotes: Quote[],
	itemIndex: number,
): Promise<Map<string, string>> {
	const needed = quotes.some(
		(quote) => !quote.Legs?.[0]?.CarrierService?.CarrierName && carrierOf(quote),
	);
	if (!needed) return new Map();
	const account = client.gate.account;
	const cached = listsByAccount.get(account);
	if (cached && Date.now() - cached.readAt < CARRIER_LIST_TTL_MS) return await cached.names;
	const list: CarrierList = { readAt: Date.now(), names: readCarrierNames(client, itemIndex) };
	listsByAccount.set(account, list);
	const names = await list.names;
	// A failed read is not kept: the next run asks again.
	if (!names.size && listsByAccount.get(account) === list) listsByAccount.delete(account);
	return names;
}

async function readCarrierNames(
	client: ElectioClient,
	itemIndex: number,
): Promise<Map<string, string>> {
	try {
		const response = await client.request<IDataObject[] | { Results?: IDataObject[] }>({
			method: 'GET',
			path: '/carriers',
			itemIndex,
		});
		const entries = Array.isArray(response) ? response : (response?.Results ?? []);
		const names = new Map<string, string>();
		for (const entry of entries) {
			const reference = entry?.Reference ?? entry?.CarrierReference;
			const name = entry?.Name ?? entry?.CarrierName;
			if (typeof reference === 'string' && typeof name === 'string' && name.trim()) {
				names.set(reference, name.trim());
			}
		}
		return names;
	} catch {
		return new Map();
	}
}
