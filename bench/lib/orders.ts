// The consignments every contender creates: the same body as the "Orders" Code node of
// bench/electio-flow.json and bench/http-request-flow.json (one 1.2 kg parcel, UK to UK).
export function orderBody(index: number): Record<string, unknown> {
	const ref = `BENCH-${String(index).padStart(6, '0')}`;
	return {
		ConsignmentReferenceProvidedByCustomer: ref,
		Source: 'Api',
		Direction: 'Outbound',
		Packages: [
			{
				PackageReferenceProvidedByCustomer: `${ref}-P1`,
				Weight: { Value: 1.2, Unit: 'Kg' },
				Dimensions: { Unit: 'Cm', Width: 20, Length: 30, Height: 10 },
				Description: 'Socks',
				Value: { Amount: 25, Currency: { IsoCode: 'GBP' } },
				Items: [
					{
						Sku: 'SKU-1',
						Description: 'Striped Bamboo Socks',
						Quantity: 1,
						Value: { Amount: 25, Currency: { IsoCode: 'GBP' } },
						CountryOfOrigin: { IsoCode: { TwoLetterCode: 'GB' } },
						HarmonisationCode: '611595',
					},
				],
			},
		],
		Addresses: [
			{ AddressType: 'Origin', ShippingLocationReference: 'Sorted1', IsCached: false },
			{
				AddressType: 'Destination',
				Contact: { FirstName: 'Peter', LastName: 'McPetersson', Email: 'peter@example.com', Telephone: '07702123456' },
				AddressLine1: '13 Porter Street',
				Town: 'Manchester',
				Postcode: 'M1 5WG',
				Country: { IsoCode: { TwoLetterCode: 'GB' } },
				IsCached: false,
			},
		],
	};
}
