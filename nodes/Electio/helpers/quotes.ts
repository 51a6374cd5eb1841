import type { IDataObject } from 'n8n-workflow';

import { apiPath, type ElectioClient } from '../transport';
import { isPlainObject } from './validation';

/** The fields of an Electio quote this node reads; the rest is passed through untouched. */
export interface Quote extends IDataObject {
	QuoteReference: string;
	MpdCarrierService?: string;
	MpdCarrierServiceReference?: string;
	ConsignmentReference?: string;
	CollectionDate?: string;
	EarliestDeliveryDate?: string;
	LatestDeliveryDate?: string;
	ExpiryDate?: string;
	Price?: { Net?: number; Gross?: number; VatAmount?: number; Currency?: { IsoCode?: string } };
	Legs?: Array<{
		CarrierService?: {
			Reference?: string;
			Name?: string;
			CarrierReference?: string;
			CarrierName?: string | null;
		};
	}>;
}

export interface QuotesResponse {
	QuoteRequestReference?: string;
	Quotes?: Quote[];
	Message?: string | null;
	UnqualifiedServices?: IDataObject[];
}

export type QuoteOrder = 'price' | 'deliveryDate' | 'none';

/** Asks Electio for the consignment's quotes (each call issues new quote references). */
export async function requestQuotes(
	client: ElectioClient,
	reference: string,
	itemIndex: number,
): Promise<QuotesResponse> {
	return await client.request<QuotesResponse>({
		method: 'GET',
		path: apiPath`/quotes/consignment/${reference}`,
		itemIndex,
	});
}

export function carrierOf(quote: Quote): string | undefined {
	return quote.Legs?.[0]?.CarrierService?.CarrierReference ?? undefined;
}

function time(value: string | undefined): number {
	const parsed = value ? Date.parse(value) : NaN;
	return Number.isNaN(parsed) ? Number.POSITIVE_INFINITY : parsed;
}

function gross(quote: Quote): number {
	const value = quote.Price?.Gross;
	return typeof value === 'number' ? value : Number.POSITIVE_INFINITY;
}

export const byPrice = (a: Quote, b: Quote) =>
	gross(a) - gross(b) || time(a.LatestDeliveryDate) - time(b.LatestDeliveryDate);

export const byDelivery = (a: Quote, b: Quote) =>
	time(a.LatestDeliveryDate) - time(b.LatestDeliveryDate) || gross(a) - gross(b);

export function sortQuotes(quotes: Quote[], order: QuoteOrder): Quote[] {
	if (order === 'none') return quotes;
	return [...quotes].sort(order === 'price' ? byPrice : byDelivery);
}

export function isExpired(quote: Quote, now = Date.now()): boolean {
	return time(quote.ExpiryDate) <= now;
}

/**
 * A flat view of a quote for people and for later steps (email, Slack, IF nodes). Electio often
 * leaves the leg's CarrierName empty: `carrierNames` (from its carrier list) names the carrier then.
 */
export function summarizeQuote(
	quote: Quote,
	carrierNames: Map<string, string> = new Map(),
): IDataObject {
	const service = quote.Legs?.[0]?.CarrierService;
	const carrierReference = carrierOf(quote);
	return {
		quoteReference: quote.QuoteReference,
		carrier:
			service?.CarrierName ||
			(carrierReference && carrierNames.get(carrierReference)) ||
			carrierReference ||
			null,
		carrierReference: carrierReference ?? null,
		service: quote.MpdCarrierService ?? service?.Name ?? null,
		serviceReference: quote.MpdCarrierServiceReference ?? service?.Reference ?? null,
		priceNet: quote.Price?.Net ?? null,
		priceVat: quote.Price?.VatAmount ?? null,
		priceGross: quote.Price?.Gross ?? null,
		currency: quote.Price?.Currency?.IsoCode ?? null,
		collectionDate: quote.CollectionDate ?? null,
		earliestDeliveryDate: quote.EarliestDeliveryDate ?? null,
		latestDeliveryDate: quote.LatestDeliveryDate ?? null,
		expiryDate: quote.ExpiryDate ?? null,
	};
}

export interface QuoteFilters {
	allowedCarriers: string[];
	maxGrossPrice?: number;
	deliverBy?: number;
}

export type QuoteStrategy = 'cheapest' | 'fastest';

/**
 * Picks the quote to allocate with, or explains in one sentence why none qualifies
 * (how many quotes each filter removed), so the user can relax the right filter.
 */
export function chooseQuote(
	quotes: Quote[],
	strategy: QuoteStrategy,
	filters: QuoteFilters,
	unqualified: IDataObject[] = [],
): { quote: Quote } | { reason: string } {
	const removed = { carrier: 0, price: 0, date: 0 };
	const eligible = quotes.filter((quote) => {
		if (
			filters.allowedCarriers.length &&
			!filters.allowedCarriers.includes(carrierOf(quote) ?? '')
		) {
			removed.carrier++;
			return false;
		}
		if (filters.maxGrossPrice !== undefined && gross(quote) > filters.maxGrossPrice) {
			removed.price++;
			return false;
		}
		if (filters.deliverBy !== undefined && time(quote.LatestDeliveryDate) > filters.deliverBy) {
			removed.date++;
			return false;
		}
		return true;
	});
	if (eligible.length) {
		const [best] = [...eligible].sort(strategy === 'cheapest' ? byPrice : byDelivery);
		return { quote: best };
	}
	const parts: string[] = [];
	if (removed.carrier)
		parts.push(
			`${removed.carrier} from carriers not allowed (allowed: ${filters.allowedCarriers.join(', ')})`,
		);
	if (removed.price)
		parts.push(`${removed.price} above the maximum gross price of ${filters.maxGrossPrice}`);
	if (removed.date)
		parts.push(`${removed.date} delivering after ${new Date(filters.deliverBy!).toISOString()}`);
	let reason = quotes.length
		? `none of the ${quotes.length} quotes qualifies: ${parts.join('; ')}`
		: 'Electio returned no quotes for this consignment';
	const reasons = unqualified
		.slice(0, 5)
		.map(
			(service) =>
				`${String(service.MpdCarrierService ?? service.MpdCarrierServiceReference)}: ${String(service.ExclusionReason ?? '')}`,
		);
	if (reasons.length) reason += `. Services that could not quote: ${reasons.join('; ')}`;
	return { reason };
}

/** Quotes a Get Quotes step left in the item, in either of its output shapes. */
export function quotesInItem(json: IDataObject, reference: string): Quote[] | undefined {
	const candidates = Array.isArray(json.quotes)
		? json.quotes
		: isPlainObject(json.quote)
			? [json.quote]
			: [];
	const quotes = (candidates as unknown[]).filter(
		(quote): quote is Quote =>
			isPlainObject(quote) &&
			typeof quote.QuoteReference === 'string' &&
			(quote.ConsignmentReference === undefined || quote.ConsignmentReference === reference),
	);
	return quotes.length ? quotes : undefined;
}
