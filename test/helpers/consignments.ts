import type { IDataObject } from 'n8n-workflow';

/** Create-consignment bodies in the documented shape, as an ERP would send them. */
export function consignmentBody(
	customerReference: string,
	{
		country = 'GB',
		packages = 1,
		weightKg = 1.2,
		valueGbp = 25,
		shippingLocation = 'Sorted1',
	}: {
		country?: string;
		packages?: number;
		weightKg?: number;
		valueGbp?: number;
		shippingLocation?: string;
	} = {},
): IDataObject {
	return {
		ConsignmentReferenceProvidedByCustomer: customerReference,
		Source: 'Api',
		Direction: 'Outbound',
		Packages: Array.from({ length: packages }, (_, index) => ({
			PackageReferenceProvidedByCustomer: `${customerReference}-P${index + 1}`,
			Weight: { Value: weightKg, Unit: 'Kg' },
			Dimensions: { Unit: 'Cm', Width: 20, Length: 30, Height: 10 },
			Description: 'Socks',
			Value: { Amount: valueGbp / packages, Currency: { IsoCode: 'GBP' } },
			Items: [
				{
					Sku: `SKU-${index + 1}`,
					Description: 'Striped Bamboo Socks',
					Quantity: 1,
					Value: { Amount: valueGbp / packages, Currency: { IsoCode: 'GBP' } },
					CountryOfOrigin: { IsoCode: { TwoLetterCode: 'GB' } },
					HarmonisationCode: '611595',
				},
			],
		})),
		Addresses: [
			{ AddressType: 'Origin', ShippingLocationReference: shippingLocation, IsCached: false },
			{
				AddressType: 'Destination',
				Contact: {
					FirstName: 'Peter',
					LastName: 'McPetersson',
					Email: 'peter@example.com',
					Telephone: '07702123456',
				},
				AddressLine1: country === 'GB' ? '13 Porter Street' : '12 Rue de la Paix',
				Town: country === 'GB' ? 'Manchester' : 'Paris',
				Postcode: country === 'GB' ? 'M1 5WG' : '75002',
				Country: { IsoCode: { TwoLetterCode: country } },
				IsCached: false,
			},
		],
	};
}
