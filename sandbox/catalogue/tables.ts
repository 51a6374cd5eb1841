// The sandbox's reference data, as pure tables: shipping locations, carriers, their services (with
// what each serves and its prices) and package sizes. catalogue/index.ts indexes and serves them.
import type { Zone } from './countries';

export interface ShippingLocation {
	Reference: string;
	Name: string;
	CompanyName: string | null;
	Contact: {
		Title: string;
		FirstName: string;
		LastName: string;
		Telephone: string;
		Mobile: string;
		Email: string;
	};
	AddressLine1: string;
	AddressLine2: string | null;
	AddressLine3: string | null;
	Town: string;
	Region: string;
	Postcode: string;
	CountryCode: string;
}

export const SHIPPING_LOCATIONS: ShippingLocation[] = [
	{
		Reference: 'Sorted1',
		Name: 'Sorted HQ Manchester',
		CompanyName: null,
		Contact: {
			Title: 'Miss',
			FirstName: 'Laura',
			LastName: 'Somebody',
			Telephone: '01234 567 890',
			Mobile: '01234 567 890',
			Email: 'laura.somebody@mpd-group.com',
		},
		AddressLine1: 'Third Floor',
		AddressLine2: 'Merchant Exchange',
		AddressLine3: 'Whitworth Street West',
		Town: 'Manchester',
		Region: '',
		Postcode: 'M1 5WG',
		CountryCode: 'GB',
	},
	{
		Reference: 'EDC5_Electio',
		Name: 'Electio Distribution Centre 5',
		CompanyName: null,
		Contact: {
			Title: 'Mr',
			FirstName: 'Andy',
			LastName: 'Walton',
			Telephone: '0161 123 4567',
			Mobile: '07700 900123',
			Email: 'despatch@electio.example',
		},
		AddressLine1: 'Third Floor',
		AddressLine2: 'Merchant Exchange',
		AddressLine3: 'Whitworth Street West',
		Town: 'Manchester',
		Region: '',
		Postcode: 'M1 5WG',
		CountryCode: 'GB',
	},
	{
		Reference: 'LDS_Warehouse',
		Name: 'Leeds Fulfilment Warehouse',
		CompanyName: 'Sandbox Fulfilment Ltd',
		Contact: {
			Title: 'Ms',
			FirstName: 'Priya',
			LastName: 'Shah',
			Telephone: '0113 496 0000',
			Mobile: '07700 900456',
			Email: 'leeds@sandbox.example',
		},
		AddressLine1: 'Unit 4 Logic Park',
		AddressLine2: 'Ring Road',
		AddressLine3: null,
		Town: 'Leeds',
		Region: 'West Yorkshire',
		Postcode: 'LS11 5HN',
		CountryCode: 'GB',
	},
	{
		Reference: 'BHM_Returns',
		Name: 'Birmingham Returns Centre',
		CompanyName: 'Sandbox Fulfilment Ltd',
		Contact: {
			Title: 'Mr',
			FirstName: 'Tom',
			LastName: 'Hughes',
			Telephone: '0121 496 0000',
			Mobile: '07700 900789',
			Email: 'returns@sandbox.example',
		},
		AddressLine1: '21 Digbeth High Street',
		AddressLine2: null,
		AddressLine3: null,
		Town: 'Birmingham',
		Region: 'West Midlands',
		Postcode: 'B5 6DY',
		CountryCode: 'GB',
	},
];

export interface Carrier {
	Reference: string;
	Name: string;
	AccountReference: string;
	/** tracking number format, filled from the seeded RNG */
	tracking: 'royalmail' | 'dpd' | 'ups' | 'dhl' | 'parcelforce' | 'pallet';
}

export const CARRIERS: Carrier[] = [
	{ Reference: 'ROYAL_MAIL', Name: 'Royal Mail', AccountReference: 'RM1', tracking: 'royalmail' },
	{ Reference: 'DPD', Name: 'DPD', AccountReference: 'DPD1', tracking: 'dpd' },
	{ Reference: 'UPS', Name: 'UPS', AccountReference: 'UPS1', tracking: 'ups' },
	{ Reference: 'DHL', Name: 'DHL Express', AccountReference: 'DHL1', tracking: 'dhl' },
	{
		Reference: 'PARCELFORCE',
		Name: 'Parcelforce Worldwide',
		AccountReference: 'PF1',
		tracking: 'parcelforce',
	},
	{ Reference: 'PALLETWAYS', Name: 'Palletways', AccountReference: 'PW1', tracking: 'pallet' },
];

export interface CarrierService {
	/** MpdCarrierServiceReference */
	Reference: string;
	Name: string;
	CarrierReference: string;
	/** the carrier's own service code, shown in quote legs */
	CarrierServiceCode: string;
	Zones: Zone[];
	/** countries of the zones the service still does not serve */
	ExcludedCountries?: string[];
	/** max chargeable weight per package, kg */
	MaxPackageWeightKg: number;
	/** max longest side per package, cm */
	MaxLengthCm: number;
	/** min total consignment weight, kg (pallets) */
	MinConsignmentWeightKg?: number;
	TransitDays: [number, number];
	/** only collects on Fridays for Saturday delivery */
	SaturdayDelivery?: boolean;
	Tracked: boolean;
	Signed: boolean;
	Pallet: boolean;
	/** pricing: base per consignment + per chargeable kg, GBP net */
	Base: number;
	PerKg: number;
}

export const CARRIER_SERVICES: CarrierService[] = [
	{
		Reference: 'MPD_RMDBPR1STPSU',
		Name: '1st\u00a0and\u00a02nd\u00a0Class\u00a0Account\u00a0Mail\u00a0(1st\u00a0Parcel)',
		CarrierReference: 'ROYAL_MAIL',
		CarrierServiceCode: 'RMDBPR1STPSU',
		Zones: ['GB'],
		MaxPackageWeightKg: 20,
		MaxLengthCm: 61,
		TransitDays: [1, 2],
		Tracked: false,
		Signed: false,
		Pallet: false,
		Base: 3.2,
		PerKg: 0.55,
	},
	{
		Reference: 'MPD_RMDTPS48HNAST',
		Name: 'Tracked\u00a048\u00a0Signed\u00a0For',
		CarrierReference: 'ROYAL_MAIL',
		CarrierServiceCode: 'RMDTPS48HNAST',
		Zones: ['GB'],
		MaxPackageWeightKg: 20,
		MaxLengthCm: 61,
		TransitDays: [2, 2],
		Tracked: true,
		Signed: true,
		Pallet: false,
		Base: 3.9,
		PerKg: 0.4,
	},
	{
		Reference: 'MPD_RMDTPS24',
		Name: 'Tracked 24',
		CarrierReference: 'ROYAL_MAIL',
		CarrierServiceCode: 'RMDTPS24',
		Zones: ['GB'],
		MaxPackageWeightKg: 20,
		MaxLengthCm: 61,
		TransitDays: [1, 1],
		Tracked: true,
		Signed: false,
		Pallet: false,
		Base: 4.6,
		PerKg: 0.45,
	},
	{
		Reference: 'MPD_DPDNEXTDAY',
		Name: 'DPD Next Day',
		CarrierReference: 'DPD',
		CarrierServiceCode: 'DPD12',
		Zones: ['GB'],
		MaxPackageWeightKg: 30,
		MaxLengthCm: 175,
		TransitDays: [1, 1],
		Tracked: true,
		Signed: true,
		Pallet: false,
		Base: 5.95,
		PerKg: 0.3,
	},
	{
		Reference: 'MPD_DPDSATURDAY',
		Name: 'DPD Saturday',
		CarrierReference: 'DPD',
		CarrierServiceCode: 'DPD16',
		Zones: ['GB'],
		MaxPackageWeightKg: 30,
		MaxLengthCm: 175,
		TransitDays: [1, 1],
		SaturdayDelivery: true,
		Tracked: true,
		Signed: true,
		Pallet: false,
		Base: 11.5,
		PerKg: 0.3,
	},
	{
		Reference: 'MPD_PFEXPRESS48',
		Name: 'Parcelforce express48',
		CarrierReference: 'PARCELFORCE',
		CarrierServiceCode: 'SND',
		Zones: ['GB'],
		MaxPackageWeightKg: 30,
		MaxLengthCm: 150,
		TransitDays: [2, 2],
		Tracked: true,
		Signed: true,
		Pallet: false,
		Base: 7.1,
		PerKg: 0.25,
	},
	{
		Reference: 'EDC5_UPSHSTDCS',
		Name: 'UPS STANDARD (Delivery Confirmation Signature Required)',
		CarrierReference: 'UPS',
		CarrierServiceCode: 'UPS11',
		Zones: ['GB', 'EU'],
		MaxPackageWeightKg: 70,
		MaxLengthCm: 270,
		TransitDays: [2, 5],
		Tracked: true,
		Signed: true,
		Pallet: false,
		Base: 8.4,
		PerKg: 0.6,
	},
	{
		Reference: 'EDC5_UPSHEXDCS',
		Name: 'UPS EXPRESS (Delivery Confirmation Signature Required)',
		CarrierReference: 'UPS',
		CarrierServiceCode: 'UPS07',
		Zones: ['GB', 'EU', 'ROW'],
		MaxPackageWeightKg: 70,
		MaxLengthCm: 270,
		TransitDays: [1, 2],
		Tracked: true,
		Signed: true,
		Pallet: false,
		Base: 18.5,
		PerKg: 1.9,
	},
	{
		Reference: 'MPD_DHLEXPRESSWW',
		Name: 'DHL Express Worldwide',
		CarrierReference: 'DHL',
		CarrierServiceCode: 'P',
		Zones: ['EU', 'ROW'],
		ExcludedCountries: ['KP', 'IR', 'SY', 'CU'],
		MaxPackageWeightKg: 70,
		MaxLengthCm: 300,
		TransitDays: [1, 3],
		Tracked: true,
		Signed: true,
		Pallet: false,
		Base: 21.0,
		PerKg: 2.4,
	},
	{
		Reference: 'MPD_DHLECONOMYSELECT',
		Name: 'DHL Economy Select',
		CarrierReference: 'DHL',
		CarrierServiceCode: 'W',
		Zones: ['EU'],
		MaxPackageWeightKg: 50,
		MaxLengthCm: 240,
		TransitDays: [3, 6],
		Tracked: true,
		Signed: false,
		Pallet: false,
		Base: 11.9,
		PerKg: 0.9,
	},
	{
		Reference: 'MPD_RMINTLTRACKEDSIGNED',
		Name: 'International Tracked & Signed',
		CarrierReference: 'ROYAL_MAIL',
		CarrierServiceCode: 'MTC',
		Zones: ['EU', 'ROW'],
		MaxPackageWeightKg: 2,
		MaxLengthCm: 60,
		TransitDays: [5, 7],
		Tracked: true,
		Signed: true,
		Pallet: false,
		Base: 9.5,
		PerKg: 4.2,
	},
	{
		Reference: 'MPD_PFGLOBALECONOMY',
		Name: 'Parcelforce globaleconomy',
		CarrierReference: 'PARCELFORCE',
		CarrierServiceCode: 'GEC',
		Zones: ['EU', 'ROW'],
		MaxPackageWeightKg: 30,
		MaxLengthCm: 150,
		TransitDays: [6, 10],
		Tracked: false,
		Signed: false,
		Pallet: false,
		Base: 14.0,
		PerKg: 1.1,
	},
	{
		Reference: 'MPD_PWNEXTDAYPALLET',
		Name: 'Palletways Premium Next Day Pallet',
		CarrierReference: 'PALLETWAYS',
		CarrierServiceCode: 'PWNEXT',
		Zones: ['GB'],
		MaxPackageWeightKg: 1200,
		MaxLengthCm: 240,
		MinConsignmentWeightKg: 50,
		TransitDays: [1, 1],
		Tracked: true,
		Signed: true,
		Pallet: true,
		Base: 62.0,
		PerKg: 0.05,
	},
	{
		Reference: 'MPD_PWECONOMYPALLET',
		Name: 'Palletways Economy 48h Pallet',
		CarrierReference: 'PALLETWAYS',
		CarrierServiceCode: 'PWECO',
		Zones: ['GB'],
		MaxPackageWeightKg: 1200,
		MaxLengthCm: 240,
		MinConsignmentWeightKg: 50,
		TransitDays: [2, 2],
		Tracked: true,
		Signed: false,
		Pallet: true,
		Base: 44.0,
		PerKg: 0.04,
	},
];

export interface PackageSize {
	Reference: string;
	Name: string;
	Dimensions: { Unit: 'Cm'; Width: number; Length: number; Height: number };
	MaxWeight: { Value: number; Unit: 'Kg' };
}

export const PACKAGE_SIZES: PackageSize[] = [
	{
		Reference: 'LARGE_LETTER',
		Name: 'Large letter',
		Dimensions: { Unit: 'Cm', Width: 25, Length: 35, Height: 2.5 },
		MaxWeight: { Value: 0.75, Unit: 'Kg' },
	},
	{
		Reference: 'SMALL_PARCEL',
		Name: 'Small parcel',
		Dimensions: { Unit: 'Cm', Width: 35, Length: 45, Height: 16 },
		MaxWeight: { Value: 2, Unit: 'Kg' },
	},
	{
		Reference: 'MEDIUM_PARCEL',
		Name: 'Medium parcel',
		Dimensions: { Unit: 'Cm', Width: 46, Length: 61, Height: 46 },
		MaxWeight: { Value: 20, Unit: 'Kg' },
	},
	{
		Reference: 'LARGE_PARCEL',
		Name: 'Large parcel',
		Dimensions: { Unit: 'Cm', Width: 60, Length: 100, Height: 60 },
		MaxWeight: { Value: 30, Unit: 'Kg' },
	},
	{
		Reference: 'EURO_PALLET',
		Name: 'Euro pallet',
		Dimensions: { Unit: 'Cm', Width: 80, Length: 120, Height: 180 },
		MaxWeight: { Value: 1000, Unit: 'Kg' },
	},
];
