import { runLoadOptions, useElectio } from '../../harness/electio';

const h = useElectio({ seed: 11 });

describe('dropdowns', () => {
	test('shipping locations and carriers load from the API', async () => {
		const locations = await runLoadOptions({
			method: 'getShippingLocations',
			credentials: h.credentials,
		});
		expect(locations.options.map((option) => option.value)).toEqual(
			expect.arrayContaining(['Sorted1', 'EDC5_Electio']),
		);
		const carriers = await runLoadOptions({ method: 'getCarriers', credentials: h.credentials });
		expect(carriers.options.length).toBeGreaterThanOrEqual(5);
		expect(carriers.options.find((option) => option.value === 'DPD')?.name).toMatch(/DPD/);
	});
});
