// Undo and batch steps (CONTRACT.md "Undo and other steps"): cancel / deallocate lists, manifest
// by references, ready / not ready to ship and allocate-with-cheapest, in the documented shapes.
import { startSandbox, Sandbox } from '../../sandbox';
import { allocate, call, create, example, expectSameShape, minimal, state } from './helpers';

const NOW = new Date('2030-03-05T10:00:00Z');
let sb: Sandbox;
beforeEach(async () => {
	sb = await startSandbox({ seed: 11, now: () => NOW });
});
afterEach(() => sb.close());

/** The documented request bodies hold references of the real API; these keep their shape. */
function likeExample(name: string, refs: string[]): unknown {
	const documented = example(name);
	return Array.isArray(documented) ? refs : { ...documented, ConsignmentReferences: refs };
}

/** PUT `path` with refs in the shape of `<name>.request.json`; the answer has `<name>.response.json`'s shape. */
async function documented(path: string, name: string, refs: string[], status = 200): Promise<any> {
	const r = await call(sb, 'PUT', path, likeExample(`${name}.request.json`, refs));
	expect(r.status).toBe(status);
	expectSameShape(r.json, example(`${name}.response.json`));
	return r.json;
}

async function allocated(n: number): Promise<string[]> {
	const refs: string[] = [];
	for (let i = 0; i < n; i++) {
		refs.push(await create(sb));
		await allocate(sb, refs[i]);
	}
	return refs;
}

describe('cancel list', () => {
	test('answers one WithMessage per reference, matched by Data, each on its own', async () => {
		const un = await create(sb);
		const allocated = await create(sb);
		await allocate(sb, allocated);
		const cancelled = await create(sb);
		await call(sb, 'PUT', `/consignments/${cancelled}/cancel`);
		const refs = [un, allocated, cancelled, 'EC-ZZZ-ZZZ-ZZZ'];
		const r = {
			json: await documented('/consignments/cancellist', 'cancel-consignments', refs, 201),
		};
		expect(r.json.map((x: any) => [x.Data, x.IsSuccess])).toEqual([
			[un, true],
			[allocated, true],
			[cancelled, false],
			['EC-ZZZ-ZZZ-ZZZ', false],
		]);
		expect(r.json[0].Message).toBe(
			example('cancel-consignments.response.json')[0].Message as string,
		);
		expect(r.json[0].ApiLinks).toBeNull();
		expect(r.json[2].Message).toMatch(/in state Cancelled/);
		expect(r.json[3].Message).toMatch(/not found/);
		expect(await state(sb, un)).toBe('Cancelled');
		expect(await state(sb, allocated)).toBe('Cancelled');
	});

	test('a body that is not a non-empty list of references is 400, nothing changes', async () => {
		const ref = await create(sb);
		for (const body of [[], { refs: [ref] }, [ref, 5], 'x'])
			expect((await call(sb, 'PUT', '/consignments/cancellist', body)).status).toBe(400);
		expect(await state(sb, ref)).toBe('Unallocated');
	});
});

describe('deallocate list', () => {
	test('Allocated, Manifested and ManifestFailed go back to Unallocated; others are refused per item', async () => {
		const [a, m] = await allocated(2);
		const un = await create(sb);
		await call(sb, 'PUT', '/consignments/manifest', { ConsignmentReferences: [m] });
		const r = {
			json: await documented('/consignments/deallocatelist', 'deallocate-consignments', [a, m, un]),
		};
		expect(r.json.map((x: any) => [x.Data, x.IsSuccess])).toEqual([
			[a, true],
			[m, true],
			[un, false],
		]);
		expect(r.json[0].Message).toBe('Consignment deallocation completed successfully');
		expect(r.json[2].Message).toMatch(/in state Unallocated/);
		for (const ref of [a, m]) {
			const c = (await call(sb, 'GET', `/consignments/${ref}`)).json;
			expect(c.ConsignmentState).toBe('Unallocated');
			expect(c.Allocation).toBeNull();
		}
		// The single call is still there, empty 200.
		await allocate(sb, a);
		const one = await call(sb, 'PUT', `/consignments/${a}/deallocate`);
		expect([one.status, one.text]).toEqual([200, '']);
	});
});

describe('documented shapes of the other batch calls', () => {
	test('manifest by references: WithMessage with a Link per reference, documented text', async () => {
		const refs = await allocated(2);
		const manifest = await documented('/consignments/manifest', 'manifest-consignments', refs);
		manifest.forEach((x: any, i: number) => {
			expect(x).toMatchObject({ IsSuccess: true, Data: refs[i] });
			expect(x.Message).toBe(`Consignment ${refs[i]} has been manifested successfully.`);
			expect(x.ApiLinks).toEqual([{ Rel: 'Link', Href: `${sb.url}/consignments/${refs[i]}` }]);
		});
	});

	test('set ready / not ready to ship answer as documented', async () => {
		const refs = await allocated(2);
		const ready = await documented('/consignments/setreadytoship', 'set-ready-to-ship', refs);
		expect(ready.map((x: any) => x.Message)).toEqual(
			example('set-ready-to-ship.response.json').map((x: any) => x.Message),
		);
		const back = await documented('/consignments/setnotreadytoship', 'set-not-ready-to-ship', [
			refs[0],
		]);
		expect(back[0].Message).toBe(
			example('set-not-ready-to-ship.response.json')[0].Message as string,
		);
		expect(await state(sb, refs[0])).toBe('Allocated');
		// The documented "manifest what is ready" query takes only the one still flagged.
		const m = await call(
			sb,
			'PUT',
			'/consignments/manifestFromQuery',
			example('manifest-from-query-ready-to-ship.request.json'),
		);
		expect(m.json.Message).toMatch(/^Query found 1 consignment\(s\)\. 1 successfully queued/);
		expect([await state(sb, refs[0]), await state(sb, refs[1])]).toEqual([
			'Allocated',
			'Manifested',
		]);
	});

	test('allocate with the cheapest quote answers the generic allocation summary', async () => {
		const ref = await create(sb, minimal());
		const r = await call(sb, 'PUT', `/allocation/${ref}/allocatewithcheapestquote`);
		expect(r.status).toBe(200);
		expectSameShape(r.json, example('allocation-summary.response.json'));
		const quotes = (await call(sb, 'GET', `/quotes/consignment/${ref}`)).json;
		expect(r.json[0].CarrierServiceReference).toBe(quotes.Quotes[0].MpdCarrierServiceReference);
		expect(r.json[0].ConsignmentLegs[0].TrackingReferences).toHaveLength(1);
	});
});
