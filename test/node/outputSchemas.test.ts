// Every operation's output schema (nodes/Electio/__schema__, what n8n's editor shows before a step
// has run) is what the operation really outputs: each operation runs against the sandbox in each
// of its output modes, every item validates against its schema with no undeclared field, and the
// schema is exactly the one inferred from those items (no field it names is never output).
// `npm run schemas` rewrites the files from the same runs.
import * as fs from 'node:fs';
import * as path from 'node:path';

import Ajv from 'ajv';
import type { IDataObject } from 'n8n-workflow';

import { useElectio } from '../../harness/electio';
import { consignmentBody } from '../../harness/fixtures/consignments';
import {
	closedSchema,
	inferSchema,
	readSchema,
	schemaFile,
	SCHEMA_ROOT,
	versionDir,
} from '../../harness/outputSchema';
import { resources } from '../../nodes/Electio/actions/resources';

const WRITE = process.env.ELECTIO_WRITE_SCHEMAS === '1';
const NODE_VERSION = 1;

const h = useElectio({ seed: 5 });

type Scenario = () => Promise<IDataObject[]>;

/** Runs one operation and returns its output JSON; a failed run fails the scenario. */
async function outputs(
	parameters: IDataObject,
	items: IDataObject[] = [{}],
): Promise<IDataObject[]> {
	const { items: out, error } = await h.electio(parameters, items);
	if (error) throw new Error(`${parameters.resource}/${parameters.operation}: ${error.message}`);
	expect(out.length).toBeGreaterThan(0);
	return out.map((item) => item.json);
}

const refs = (references: string[]) =>
	references.map((consignmentReference) => ({ consignmentReference }));

/** Manifests the consignments and moves them `steps` along their carrier journey. */
async function manifested(references: string[], steps: number): Promise<string[]> {
	await outputs({ resource: 'manifest', operation: 'byReferences' }, refs(references));
	h.sandbox.advanceTracking(steps);
	return references;
}

/** The runs each operation's schema is inferred from: every output mode, domestic and international. */
const scenarios: Record<string, Scenario[]> = {
	'consignment:create': [
		async () =>
			await outputs(
				{
					resource: 'consignment',
					operation: 'create',
					inputMode: 'fields',
					shippingLocationReference: 'Sorted1',
					customerReference: 'SCHEMA-FIELDS-1',
					destinationAddressLine1: '1 Rue de Rivoli',
					destinationTown: 'Paris',
					destinationPostcode: '75001',
					destinationCountryCode: 'FR',
					packages: { package: [{ weight: 1.5, length: 30, width: 20, height: 10 }] },
				},
				[{}],
			),
		async () => {
			return await outputs({ resource: 'consignment', operation: 'create', inputMode: 'json' }, [
				consignmentBody('SCHEMA-JSON-1'),
				consignmentBody('SCHEMA-JSON-2', { country: 'FR' }),
			]);
		},
	],
	'consignment:get': [
		async () =>
			await outputs({ resource: 'consignment', operation: 'get' }, [
				...refs(await h.created(1)),
				...refs(await h.allocated(1, { country: 'FR' })),
			]),
	],
	'consignment:update': [
		async () =>
			await outputs(
				{
					resource: 'consignment',
					operation: 'update',
					destination: { postcode: 'M2 4WU', countryCode: 'GB' },
				},
				refs(await h.created(1)),
			),
	],
	'consignment:cancel': [
		async () =>
			await outputs({ resource: 'consignment', operation: 'cancel' }, refs(await h.created(1))),
	],
	'quote:getForConsignment': [
		async () =>
			await outputs(
				{ resource: 'quote', operation: 'getForConsignment', output: 'perConsignment' },
				refs([...(await h.created(1)), ...(await h.created(1, { country: 'FR' }))]),
			),
		async () =>
			await outputs(
				{ resource: 'quote', operation: 'getForConsignment', output: 'perQuote' },
				refs(await h.created(1, { country: 'FR' })),
			),
	],
	'allocation:allocateWithQuote': [
		async () =>
			await outputs(
				{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'cheapest' },
				refs([...(await h.created(1)), ...(await h.created(1, { country: 'FR' }))]),
			),
		async () =>
			await outputs(
				{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'fastest' },
				refs(await h.created(1)),
			),
		async () => {
			const [quoted] = await outputs(
				{ resource: 'quote', operation: 'getForConsignment' },
				refs(await h.created(1)),
			);
			const [cheapest] = quoted.quoteChoices as IDataObject[];
			const answer = {
				consignmentReference: quoted.consignmentReference,
				quoteChoice: cheapest.label,
				quoteChoices: quoted.quoteChoices,
			};
			return await outputs(
				{ resource: 'allocation', operation: 'allocateWithQuote', quoteSelection: 'answer' },
				[answer],
			);
		},
	],
	'label:get': [
		async () =>
			await outputs(
				{ resource: 'label', operation: 'get', labelFormat: 'PDF' },
				refs(await h.allocated(1)),
			),
		async () =>
			await outputs(
				{ resource: 'label', operation: 'get', labelFormat: 'ZPL' },
				refs(await h.allocated(1)),
			),
	],
	'customsDocument:get': [
		async () =>
			await outputs(
				{ resource: 'customsDocument', operation: 'get' },
				refs([...(await h.allocated(1, { country: 'FR' })), ...(await h.allocated(1))]),
			),
	],
	'manifest:fromQuery': [
		async () => {
			const references = await h.allocated(2);
			await outputs({ resource: 'label', operation: 'get', labelFormat: 'PDF' }, refs(references));
			return await outputs(
				{ resource: 'manifest', operation: 'fromQuery', runMode: 'once' },
				refs(references),
			);
		},
		async () =>
			await outputs(
				{ resource: 'manifest', operation: 'fromQuery', runMode: 'perItem' },
				refs(await h.allocated(1)),
			),
		async () =>
			await outputs({ resource: 'manifest', operation: 'fromQuery', states: ['ReadyToShip'] }),
	],
	'manifest:byReferences': [
		async () =>
			await outputs(
				{ resource: 'manifest', operation: 'byReferences' },
				refs([...(await h.allocated(1)), ...(await h.created(1))]),
			),
	],
	'consignment:deallocate': [
		async () =>
			await outputs(
				{ resource: 'consignment', operation: 'deallocate' },
				refs(await h.allocated(1)),
			),
	],
	'consignment:getStatus': [
		async () =>
			await outputs(
				{ resource: 'consignment', operation: 'getStatus' },
				refs([...(await h.created(1)), ...(await h.allocated(1))]),
			),
	],
	'consignment:search': [
		async () => {
			await h.created(1);
			await manifested(await h.allocated(1, { country: 'FR' }), 4);
			return await outputs({ resource: 'consignment', operation: 'search', returnAll: true });
		},
	],
	'consignment:setReadyToShip': [
		async () =>
			await outputs(
				{ resource: 'consignment', operation: 'setReadyToShip' },
				refs(await h.allocated(1)),
			),
		async () =>
			await outputs(
				{ resource: 'consignment', operation: 'setReadyToShip' },
				refs(await h.created(1)),
			),
	],
	'consignment:setNotReadyToShip': [
		async () => {
			const references = await h.allocated(1);
			await outputs({ resource: 'consignment', operation: 'setReadyToShip' }, refs(references));
			return await outputs(
				{ resource: 'consignment', operation: 'setNotReadyToShip' },
				refs([...references, ...(await h.created(1))]),
			);
		},
	],
	'allocation:allocateWithCheapestQuote': [
		async () =>
			await outputs(
				{ resource: 'allocation', operation: 'allocateWithCheapestQuote' },
				refs([
					...(await h.created(1)),
					...(await h.created(1, { country: 'FR' })),
					...(await h.allocated(1)),
				]),
			),
	],
	'tracking:getEvents': [
		async () =>
			await outputs(
				{ resource: 'tracking', operation: 'getEvents' },
				refs([...(await manifested(await h.allocated(1), 4)), ...(await h.allocated(1))]),
			),
		async () =>
			await outputs(
				{ resource: 'tracking', operation: 'getEvents', eventsForm: 'flattened' },
				refs(await manifested(await h.allocated(1, { packages: 2 }), 2)),
			),
	],
};

const operations = Object.values(resources).flatMap((resource) =>
	Object.keys(resource.operations).map((operation) => `${resource.value}:${operation}`),
);

test('every operation of the node has schema scenarios, and no scenario names an unknown one', () => {
	expect(Object.keys(scenarios).sort()).toEqual([...operations].sort());
});

test('the schema folder holds exactly one file per operation', () => {
	if (WRITE) return;
	const dir = path.join(SCHEMA_ROOT, versionDir(NODE_VERSION));
	const files = fs
		.readdirSync(dir, { recursive: true })
		.map(String)
		.filter((file) => file.endsWith('.json'))
		.map((file) =>
			file
				.replace(/\.json$/, '')
				.split(path.sep)
				.join(':'),
		)
		.sort();
	expect(files).toEqual([...operations].sort());
});

const ajv = new Ajv({ allErrors: true, strict: true });

describe.each(operations)('%s', (key) => {
	const [resource, operation] = key.split(':');

	test('what it outputs is what its schema says', async () => {
		const items: IDataObject[] = [];
		for (const scenario of scenarios[key] ?? []) items.push(...(await scenario()));
		expect(items.length).toBeGreaterThan(0);
		const inferred = inferSchema(items);

		if (WRITE) {
			const file = schemaFile(NODE_VERSION, resource, operation);
			fs.mkdirSync(path.dirname(file), { recursive: true });
			// `npm run schemas` formats the files with Prettier afterwards
			fs.writeFileSync(file, `${JSON.stringify(inferred, null, '\t')}\n`);
		}

		const schema = readSchema(NODE_VERSION, resource, operation);
		expect(schema).toBeDefined();
		const validate = ajv.compile(closedSchema(schema!));
		for (const item of items) {
			if (!validate(item)) {
				throw new Error(
					`an output item of ${key} does not match ${path.relative(process.cwd(), schemaFile(NODE_VERSION, resource, operation))} (npm run schemas rewrites it):\n` +
						ajv.errorsText(validate.errors, { separator: '\n' }),
				);
			}
		}
		// and the schema names nothing the operation does not output
		expect(schema).toEqual(inferred);
		expect(schema!.type).toBe('object');
	});
});
