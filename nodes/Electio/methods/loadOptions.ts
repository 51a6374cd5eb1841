import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { ElectioClient } from '../transport';

/** Dropdown entries from an Electio list endpoint, sorted by name. */
async function listOptions(
	context: ILoadOptionsFunctions,
	path: string,
): Promise<INodePropertyOptions[]> {
	const client = await ElectioClient.create(context, {
		maxRetries: 2,
		maxConcurrency: 1,
		timeoutMs: 15_000,
	});
	const response = await client.request<IDataObject[] | { Results?: IDataObject[] }>({
		method: 'GET',
		path,
	});
	const entries = Array.isArray(response) ? response : (response?.Results ?? []);
	return entries
		.map((entry) => {
			const value = String(entry.Reference ?? entry.ShippingLocationReference ?? entry.Code ?? '');
			const name = String(entry.Name ?? entry.Description ?? value);
			return { name: name === value ? name : `${name} (${value})`, value };
		})
		.filter((option) => option.value)
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getShippingLocations(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await listOptions(this, '/shippinglocations');
}

export async function getCarriers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listOptions(this, '/carriers');
}
