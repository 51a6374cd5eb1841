import type { IDataObject } from 'n8n-workflow';

import { ElectioApiError, queryString, type ElectioClient } from '../transport';
import { asNodeError } from './errorItems';
import { isPlainObject } from './validation';

/** The most summaries one page asks for (the documented example asks for 100). */
const PAGE_SIZE = 100;

/** What to search for: Electio's query properties, and how many summaries at most. */
export interface ConsignmentQuery {
	query: Record<string, string>;
	/** undefined = every page */
	limit?: number;
}

/**
 * Whether two customer references name the same order. Electio may match the
 * `referenceProvidedByCustomer` filter partially (the contract leaves it open), so a search for
 * ORDER-4711 can also answer ORDER-47110: only this comparison decides what counts as a match.
 */
function sameCustomerReference(stored: unknown, wanted: string): boolean {
	return typeof stored === 'string' && stored.trim() === wanted.trim();
}

/**
 * The consignment summaries matching the query, paging over `/consignments/{take}/{skip}`: the
 * one pager of the package (Search, and Create's lookup by customer reference). With a customer
 * reference filter, only exact matches are kept and count toward the limit.
 */
export async function searchConsignments(
	client: ElectioClient,
	{ query, limit }: ConsignmentQuery,
	itemIndex: number,
): Promise<IDataObject[]> {
	const customerReference = query.referenceProvidedByCustomer;
	const seen = new Set<string>();
	const kept: IDataObject[] = [];
	for (let skip = 0; limit === undefined || kept.length < limit;) {
		const take = Math.min(PAGE_SIZE, limit === undefined ? PAGE_SIZE : limit - kept.length);
		const page = await summaryPage(
			client,
			`/consignments/${take}/${skip}${queryString(query)}`,
			itemIndex,
		);
		const seenBefore = seen.size;
		for (const summary of page) {
			// A consignment created while paging shifts the pages: keep each one once.
			const key =
				typeof summary.Reference === 'string' && summary.Reference
					? summary.Reference
					: `#${seen.size}`;
			if (seen.has(key)) continue;
			seen.add(key);
			if (
				customerReference !== undefined &&
				!sameCustomerReference(summary.ConsignmentReferenceProvidedByCustomer, customerReference)
			)
				continue;
			if (limit === undefined || kept.length < limit) kept.push(summary);
		}
		// A short page is the last; a page with nothing new means the server ignores skip.
		if (page.length < take || seen.size === seenBefore) break;
		skip += page.length;
	}
	return kept;
}

/** One page of summaries; Electio answers "nothing matches" with a 404, which is an empty page. */
async function summaryPage(
	client: ElectioClient,
	path: string,
	itemIndex: number,
): Promise<IDataObject[]> {
	try {
		const response = await client.request<{ ConsignmentSummaries?: unknown } | null>({
			method: 'GET',
			path,
			itemIndex,
		});
		const summaries = response?.ConsignmentSummaries;
		return Array.isArray(summaries) ? summaries.filter(isPlainObject) : [];
	} catch (error) {
		if (error instanceof ElectioApiError && error.status === 404) return [];
		throw asNodeError(client.node, error);
	}
}
