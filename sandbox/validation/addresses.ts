// A Create Consignment body's addresses: exactly one Origin and one Destination, one of them at a
// known shipping location (which fills what the address leaves out); countries ISO 3166-1.
import { countryName, isIsoCountry, SHIPPING_LOCATION_BY_REF } from '../catalogue';
import { ErrorDetail, isPlainObject } from '../util';

const ADDRESS_TYPES = ['Origin', 'Destination'];

/** One address as the API stores it, its country and its shipping location. */
export interface NormalisedAddress {
	doc: Record<string, unknown>;
	country: string;
	locationRef: string | null;
}

/** The Origin and Destination of `list` (the body's Addresses), or what is wrong with them in `errs`. */
export function normaliseAddresses(
	list: unknown,
	errs: ErrorDetail[],
): Record<string, NormalisedAddress> {
	const addresses: Record<string, NormalisedAddress> = {};
	if (!Array.isArray(list)) {
		errs.push({
			Code: 'Required',
			Message: 'Addresses with an Origin and a Destination are required',
			Target: 'Addresses',
		});
	} else {
		list.forEach((a, i) => {
			if (!isPlainObject(a)) {
				errs.push({
					Code: 'Invalid',
					Message: 'An address must be an object',
					Target: `Addresses[${i}]`,
				});
				return;
			}
			const type = a.AddressType;
			if (typeof type !== 'string' || !ADDRESS_TYPES.includes(type)) {
				errs.push({
					Code: 'Invalid',
					Message: `AddressType must be one of ${ADDRESS_TYPES.join(', ')}`,
					Target: `Addresses[${i}].AddressType`,
				});
				return;
			}
			if (addresses[type]) {
				errs.push({
					Code: 'Duplicate',
					Message: `Only one ${type} address is allowed`,
					Target: `Addresses[${type}]`,
				});
				return;
			}
			addresses[type] = normaliseAddress(a, type, errs);
		});
		for (const t of ADDRESS_TYPES) {
			if (!addresses[t])
				errs.push({
					Code: 'Required',
					Message: `An address with AddressType '${t}' is required`,
					Target: `Addresses[${t}]`,
				});
		}
		if (
			addresses.Origin &&
			addresses.Destination &&
			!addresses.Origin.locationRef &&
			!addresses.Destination.locationRef
		) {
			const named = [list].flat().some((a) => isPlainObject(a) && a.ShippingLocationReference);
			if (!named) {
				errs.push({
					Code: 'Required',
					Message:
						'The Origin or the Destination must carry a known ShippingLocationReference (see GET /shippinglocations)',
					Target: 'Addresses[Origin].ShippingLocationReference',
				});
			}
		}
	}
	return addresses;
}

function normaliseContact(c: unknown): Record<string, unknown> | null {
	if (!isPlainObject(c)) return null;
	return {
		Reference: c.Reference ?? null,
		Title: c.Title ?? null,
		FirstName: c.FirstName ?? null,
		LastName: c.LastName ?? null,
		Position: c.Position ?? null,
		Telephone: c.Telephone ?? null,
		Mobile: c.Mobile ?? null,
		LandLine: c.LandLine ?? null,
		Email: c.Email ?? null,
	};
}

function normaliseAddress(
	a: Record<string, unknown>,
	type: string,
	errs: ErrorDetail[],
): NormalisedAddress {
	const t = `Addresses[${type}]`;
	const locRef = a.ShippingLocationReference;
	let loc = undefined;
	if (locRef !== undefined && locRef !== null && locRef !== '') {
		loc = typeof locRef === 'string' ? SHIPPING_LOCATION_BY_REF.get(locRef) : undefined;
		if (!loc) {
			errs.push({
				Code: 'UnknownShippingLocation',
				Message: `Shipping location '${String(locRef)}' does not exist (see GET /shippinglocations)`,
				Target: `${t}.ShippingLocationReference`,
			});
		}
	}
	// A known shipping location fills whatever the request leaves out.
	const pick = (k: string, fallback: unknown) =>
		a[k] !== undefined && a[k] !== null && a[k] !== '' ? a[k] : fallback;
	let country =
		isPlainObject(a.Country) && isPlainObject(a.Country.IsoCode)
			? a.Country.IsoCode.TwoLetterCode
			: undefined;
	if (country === undefined && loc) country = loc.CountryCode;
	// With a reference (even an unknown one, already reported) the lines come from the location.
	const named = locRef !== undefined && locRef !== null && locRef !== '';
	if (!named) {
		if (typeof a.AddressLine1 !== 'string' || a.AddressLine1.trim() === '') {
			errs.push({
				Code: 'Required',
				Message: 'AddressLine1 is required',
				Target: `${t}.AddressLine1`,
			});
		}
		if (typeof a.Postcode !== 'string' || a.Postcode.trim() === '') {
			errs.push({ Code: 'Required', Message: 'Postcode is required', Target: `${t}.Postcode` });
		}
	}
	if (country === undefined || country === null || country === '') {
		if (!named)
			errs.push({
				Code: 'Required',
				Message: 'Country.IsoCode.TwoLetterCode is required',
				Target: `${t}.Country.IsoCode.TwoLetterCode`,
			});
	} else if (!isIsoCountry(country)) {
		errs.push({
			Code: 'InvalidCountry',
			Message: `'${String(country)}' is not an ISO 3166-1 alpha-2 country code${country === 'UK' ? " (use 'GB')" : ''}`,
			Target: `${t}.Country.IsoCode.TwoLetterCode`,
		});
	}
	const code = isIsoCountry(country) ? country : 'GB';
	const contact =
		normaliseContact(a.Contact) ??
		(loc ? normaliseContact({ ...loc.Contact, LandLine: '' }) : null);
	const doc: Record<string, unknown> = {
		AddressType: type,
		ShopLocationReference: a.ShopLocationReference ?? null,
		Contact: contact,
		CompanyName: pick('CompanyName', loc ? loc.CompanyName : null),
		ShippingLocationReference: loc ? loc.Reference : null,
		CustomerName: a.CustomerName ?? null,
		AddressLine1: pick('AddressLine1', loc ? loc.AddressLine1 : null),
		AddressLine2: pick('AddressLine2', loc ? loc.AddressLine2 : null),
		AddressLine3: pick('AddressLine3', loc ? loc.AddressLine3 : null),
		Town: pick('Town', loc ? loc.Town : null),
		Region: pick('Region', loc ? loc.Region : ''),
		Postcode: pick('Postcode', loc ? loc.Postcode : null),
		Country: { Name: countryName(code), IsoCode: { TwoLetterCode: code } },
		RegionCode: a.RegionCode ?? '',
		SpecialInstructions: a.SpecialInstructions ?? (loc ? '' : null),
		LatLong: isPlainObject(a.LatLong) ? a.LatLong : null,
		IsCached: a.IsCached === true,
	};
	return { doc, country: code, locationRef: loc ? loc.Reference : null };
}
