/**
 * What a user sees of the node before running it: the canvas subtitle, the Operation dropdowns
 * derived from the registry, defaults and examples that work when copied, and the hint for an
 * empty Quote Reference.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { loadElectioNode, useElectio } from '../../harness/electio';
import { resources } from '../../nodes/Electio/actions/resources';

const description = (loadElectioNode() as { description: INodeTypeDescription }).description;

function subtitleFor(resource: string, operation: string): string {
	// The subtitle is an n8n expression over $parameter; its body is plain JavaScript.
	const body = /^=\{\{([\s\S]*)\}\}$/.exec(description.subtitle ?? '')?.[1];
	expect(body).toBeDefined();
	return new Function('$parameter', `return (${body});`)({ resource, operation });
}

function findProperty(
	properties: INodeProperties[],
	name: string,
	where: Record<string, string>,
): INodeProperties {
	const found = properties.find(
		(property) =>
			property.name === name &&
			Object.entries(where).every(([key, value]) =>
				property.displayOptions?.show?.[key]?.includes(value),
			),
	);
	if (!found) throw new Error(`no property ${name} for ${JSON.stringify(where)}`);
	return found;
}

describe('the node description', () => {
	test("the canvas subtitle names the operation and the resource, as n8n's own nodes do", () => {
		expect(subtitleFor('quote', 'getForConsignment')).toBe('getForConsignment: quote');
		expect(subtitleFor('manifest', 'fromQuery')).toBe('fromQuery: manifest');
		// Two steps doing different things never look alike on the canvas.
		const shown = Object.values(resources).flatMap((resource) =>
			Object.keys(resource.operations).map((operation) => subtitleFor(resource.value, operation)),
		);
		expect(new Set(shown).size).toBe(shown.length);
	});

	test('every registered operation is in its dropdown, with its parameters shown only there', () => {
		for (const resource of Object.values(resources)) {
			const dropdown = description.properties.find(
				(property) =>
					property.name === 'operation' &&
					property.displayOptions?.show?.resource?.includes(resource.value),
			);
			const values = (dropdown?.options as Array<{ value: string; action: string }>).map(
				(option) => option.value,
			);
			expect(values.sort()).toEqual(Object.keys(resource.operations).sort());
			expect(Object.keys(resource.operations)).toContain(dropdown?.default);
			for (const [value, operation] of Object.entries(resource.operations)) {
				for (const parameter of operation.description) {
					const shown = findProperty(description.properties, parameter.name, {
						resource: resource.value,
						operation: value,
					});
					expect(shown.displayOptions?.show?.operation).toEqual([value]);
				}
			}
		}
	});

	test("Create's Items (JSON) starts clean and its example parses as JSON", () => {
		const packages = findProperty(description.properties, 'packages', {
			resource: 'consignment',
			operation: 'create',
		});
		const packageFields = (packages.options as Array<{ values: INodeProperties[] }>)[0].values;
		const items = packageFields.find((field) => field.name === 'itemsJson')!;
		expect(items.default).toBe('[]');
		const example = /e\.g\. (\[.*\])$/.exec(items.description ?? '')?.[1];
		expect(example).toBeDefined();
		expect(() => JSON.parse(example!)).not.toThrow();
		expect(JSON.parse(example!)[0].Sku).toBe('SKU1');
	});
});

describe('hints for empty references', () => {
	const h = useElectio();

	test('an empty Quote Reference is explained as a quote reference, not a consignment one', async () => {
		const { error } = await h.electio(
			{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'reference' },
			[{ consignmentReference: 'EC-000-000-001', quoteReference: '' }],
		);
		expect(error?.message).toBe('Item 0: "Quote Reference" is empty');
		expect(error?.description).toContain('Quote references are GUIDs');
		expect(error?.description).not.toContain('EC-000-05B-MMA');
		expect(h.requests()).toHaveLength(0);
	});
});
