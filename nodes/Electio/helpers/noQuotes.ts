import type { IDataObject } from 'n8n-workflow';

import { apiPath, type ElectioClient } from '../transport';
import { isPlainObject } from './validation';

type Exclusion = 'route' | 'size' | 'dates';

/** What an exclusion reason is about, read from Electio's words (they are free text). */
const EXCLUSION_WORDS: Array<[Exclusion, RegExp]> = [
	['route', /address|country|countries|destination|postcode|route|zone|between/i],
	['size', /weight|dimension|size|heavy|length|volume/i],
	['dates', /date|day|collect|deliver(y|ed)? (time|by)/i],
];

/**
 * One sentence for a person on why no carrier offers a quote, from Electio's exclusion reasons
 * and the consignment's weight and destination: "No carrier can take 250 kg to the United States."
 */
export function noQuotesSentence(
	unqualified: IDataObject[],
	consignment: IDataObject | undefined,
): string {
	const weight = weightText(consignment);
	const country = destinationText(consignment);
	const to = country ? ` to ${country}` : '';
	const reasons = unqualified.map((service) => exclusionsOf(service.ExclusionReason));
	if (!reasons.length) return `Electio offers no delivery option for this consignment${to}.`;
	const servingRoute = reasons.filter((kinds) => !kinds.has('route'));
	if (!servingRoute.length) {
		return country
			? `No carrier delivers to ${country} from this shipping location.`
			: 'No carrier delivers to this address from this shipping location.';
	}
	if (servingRoute.every((kinds) => kinds.has('size'))) {
		return weight
			? `No carrier can take ${weight}${to}.`
			: `No carrier can take a consignment of this weight and size${to}.`;
	}
	if (servingRoute.every((kinds) => kinds.has('dates'))) {
		return `No carrier can collect and deliver on the requested dates${to}.`;
	}
	const count = (kind: Exclusion) => reasons.filter((kinds) => kinds.has(kind)).length;
	const parts = [
		[count('route'), 'do not deliver there'],
		[count('size'), 'cannot take its weight or size'],
		[count('dates'), 'cannot meet its dates'],
	]
		.filter(([number]) => Number(number) > 0)
		.map(([number, what]) => `${number} ${Number(number) === 1 ? 'service' : 'services'} ${what}`);
	return `No carrier can take this consignment${to}: ${parts.join(', ') || 'every service declined it'}.`;
}

function exclusionsOf(reason: unknown): Set<Exclusion> {
	const text = typeof reason === 'string' ? reason : '';
	return new Set(EXCLUSION_WORDS.filter(([, words]) => words.test(text)).map(([kind]) => kind));
}

function weightText(consignment: IDataObject | undefined): string | undefined {
	const weight = consignment?.Weight as IDataObject | undefined;
	const value = Number(weight?.Value);
	if (!Number.isFinite(value) || value <= 0) return undefined;
	const unit = typeof weight?.Unit === 'string' ? weight.Unit.toLowerCase() : 'kg';
	return `${Math.round(value * 1000) / 1000} ${unit}`;
}

/** Names that read with "the": the United States, the Netherlands, the Cayman Islands. */
const WITH_THE =
	/^(United |Czech|Dominican|Central African)|Islands$|^(Netherlands|Philippines|Bahamas|Gambia|Maldives|Comoros|Seychelles)$/;

function destinationText(consignment: IDataObject | undefined): string | undefined {
	const addresses = Array.isArray(consignment?.Addresses) ? consignment.Addresses : [];
	const destination = addresses.find(
		(address) => isPlainObject(address) && address.AddressType === 'Destination',
	) as IDataObject | undefined;
	const code = ((destination?.Country as IDataObject)?.IsoCode as IDataObject)?.TwoLetterCode;
	if (typeof code !== 'string' || !/^[A-Z]{2}$/.test(code)) return undefined;
	let name: string | undefined;
	try {
		name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code);
	} catch {
		name = undefined;
	}
	if (!name || name === code) return code;
	return WITH_THE.test(name) ? `the ${name}` : name;
}

/**
 * The sentence for a consignment Electio gave no quote for. Reads the consignment for its weight
 * and destination (one call, only on this path); without it the sentence is vaguer, not wrong.
 */
export async function explainNoQuotes(
	client: ElectioClient,
	reference: string,
	unqualified: IDataObject[],
	itemIndex: number,
): Promise<string> {
	let consignment: IDataObject | undefined;
	try {
		consignment = await client.request<IDataObject>({
			method: 'GET',
			path: apiPath`/consignments/${reference}`,
			itemIndex,
		});
	} catch {
		consignment = undefined;
	}
	return noQuotesSentence(unqualified, isPlainObject(consignment) ? consignment : undefined);
}
