// An address as the documents print it: name, company, lines, town, region, postcode, country.

/** The non-empty lines of an address document. */
export function addressLines(a: Record<string, unknown>): string[] {
	const c = a.Contact as Record<string, unknown> | null;
	const name = c ? [c.FirstName, c.LastName].filter(Boolean).join(' ') : '';
	const country = (a.Country as { Name: string; IsoCode: { TwoLetterCode: string } }) ?? {
		Name: '',
		IsoCode: { TwoLetterCode: '' },
	};
	return [
		name,
		a.CompanyName,
		a.AddressLine1,
		a.AddressLine2,
		a.AddressLine3,
		a.Town,
		a.Region,
		a.Postcode,
		`${country.Name} (${country.IsoCode.TwoLetterCode})`,
	]
		.filter((x) => typeof x === 'string' && x.trim() !== '')
		.map(String);
}
