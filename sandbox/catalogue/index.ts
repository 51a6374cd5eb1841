// Static reference data: countries, shipping locations, carriers, services and package sizes
// (the tables in tables.ts, countries in countries.ts), indexed by reference. The quote engine and
// the validator read it; the lookup endpoints return it.
import { countryName } from './countries';
import { CARRIER_SERVICES, CARRIERS, PACKAGE_SIZES, SHIPPING_LOCATIONS } from './tables';

export * from './countries';
export * from './tables';

export const SHIPPING_LOCATION_BY_REF = new Map(SHIPPING_LOCATIONS.map((l) => [l.Reference, l]));
export const CARRIER_BY_REF = new Map(CARRIERS.map((c) => [c.Reference, c]));
export const PACKAGE_SIZE_BY_REF = new Map(PACKAGE_SIZES.map((p) => [p.Reference, p]));

/** Lookup bodies for GET /shippinglocations, /carriers, /carrierservices, /packagesizes. */
export function lookupShippingLocations(): unknown[] {
	return SHIPPING_LOCATIONS.map((l) => ({
		Reference: l.Reference,
		Name: l.Name,
		CompanyName: l.CompanyName,
		Contact: l.Contact,
		AddressLine1: l.AddressLine1,
		AddressLine2: l.AddressLine2,
		AddressLine3: l.AddressLine3,
		Town: l.Town,
		Region: l.Region,
		Postcode: l.Postcode,
		Country: { Name: countryName(l.CountryCode), IsoCode: { TwoLetterCode: l.CountryCode } },
		IsActive: true,
	}));
}
export function lookupCarriers(): unknown[] {
	return CARRIERS.map((c) => ({ Reference: c.Reference, Name: c.Name }));
}
export function lookupCarrierServices(): unknown[] {
	return CARRIER_SERVICES.map((s) => ({
		Reference: s.Reference,
		Name: s.Name,
		CarrierReference: s.CarrierReference,
		CarrierName: CARRIER_BY_REF.get(s.CarrierReference)!.Name,
		CarrierServiceReference: s.CarrierServiceCode,
		Domestic: s.Zones.includes('GB'),
		International: s.Zones.some((z) => z !== 'GB'),
		Tracked: s.Tracked,
		Signed: s.Signed,
		Pallet: s.Pallet,
		MaxWeight: { Value: s.MaxPackageWeightKg, Unit: 'Kg' },
		TransitDays: { Min: s.TransitDays[0], Max: s.TransitDays[1] },
	}));
}
export function lookupPackageSizes(): unknown[] {
	return PACKAGE_SIZES.map((p) => ({ ...p }));
}
