// Bad input to the sandbox itself gets a clean 4xx, and it holds 200 concurrent requests.
import net from 'net';
import { startSandbox, Sandbox } from '../../sandbox';
import { allocate, call, create, minimal, rawRequest } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ seed: 3 });
});
afterAll(() => sb.close());

function expectErrorBody(json: any) {
	expect(typeof json.Code).toBe('string');
	expect(typeof json.Message).toBe('string');
	expect(json.CorrelationId).toBeTruthy();
}

describe('bad input', () => {
	test('malformed JSON is 400', async () => {
		for (const body of ['{"Packages": [', '{Packages: 1}', 'null,', '\u0000']) {
			const r = await call(sb, 'POST', '/consignments', body);
			expect(r.status).toBe(400);
			expectErrorBody(r.json);
		}
		expect(sb.consignments()).toHaveLength(0);
	});

	test('a non-JSON content type on a body is 415', async () => {
		for (const ct of [
			'text/plain',
			'application/xml',
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x',
		]) {
			const r = await call(sb, 'POST', '/consignments', JSON.stringify(minimal()), {
				'content-type': ct,
			});
			expect(r.status).toBe(415);
			expectErrorBody(r.json);
		}
		expect(
			(
				await call(sb, 'POST', '/consignments', JSON.stringify(minimal()), {
					'content-type': 'application/json; charset=utf-8',
				})
			).status,
		).toBe(201);
	});

	test('bodies over 1 MB are 413, and the server keeps serving', async () => {
		const big = JSON.stringify({ ...minimal(), Tags: ['x'.repeat(1024 * 1024 + 10)] });
		const r = await call(sb, 'POST', '/consignments', big);
		expect(r.status).toBe(413);
		expectErrorBody(r.json);
		const huge = await call(
			sb,
			'PUT',
			'/consignments/manifestFromQuery',
			JSON.stringify({ States: Array(400000).fill('Allocated') }),
		);
		expect(huge.status).toBe(413);
		// Just under the limit is fine.
		const under = JSON.stringify({ ...minimal(), Tags: ['y'.repeat(1000 * 1000)] });
		expect((await call(sb, 'POST', '/consignments', under)).status).toBe(201);
		expect((await call(sb, 'GET', '/carriers')).status).toBe(200);
	});

	test('unknown routes are 404, wrong methods 405', async () => {
		for (const p of [
			'/',
			'/nope',
			'/consignments/EC-000-000-001/explode',
			'/labels',
			'/v2/consignments',
			'//consignments',
		]) {
			const r = await rawRequest(sb, 'GET', p);
			expect(r.status).toBe(404);
			expectErrorBody(r.json);
		}
		const m = await call(sb, 'DELETE', '/carriers');
		expect(m.status).toBe(405);
		expect(m.headers.get('allow')).toBe('GET');
		expect((await call(sb, 'GET', '/carriers?x=1')).status).toBe(200);
		expect((await call(sb, 'GET', '/Carriers/')).status).toBe(200);
	});

	test('references with /, .., encoded characters or the wrong pattern: 400/404, never traversal', async () => {
		const ref = await create(sb);
		const bad = [
			`/consignments/..%2F..%2Fetc%2Fpasswd`,
			`/consignments/%2e%2e`,
			`/consignments/../consignments/${ref}`,
			`/consignments/${ref}/../../carriers`,
			`/consignments/EC-000%2F000-001`,
			`/consignments/EC-000-000-001%00`,
			`/consignments/%E0%A4%A`,
			`/consignments/${'A'.repeat(5000)}`,
			`/consignments/EC-000-000-00!`,
			`/consignments/<script>`,
			`/labels/${ref}/..%2F..%2Fpdf`,
			`/labels/${ref}/%2e%2e`,
			`/quotes/consignment/%2Fetc%2Fpasswd`,
			`/allocation/${ref}/allocatewithquote/..%5C..%5Cwin.ini`,
			`/labels/package/${ref}/EP-..-000-001/PDF`,
		];
		for (const p of bad) {
			const r = await rawRequest(sb, 'GET', p);
			expect([400, 404, 405]).toContain(r.status);
			expect(r.json).toBeDefined();
			expectErrorBody(r.json);
			expect(r.text).not.toMatch(/root:|\[fonts\]/);
		}
		// An encoded but valid reference is decoded and found; lowercase too.
		expect(
			(await rawRequest(sb, 'GET', `/consignments/${encodeURIComponent(ref).replace(/-/g, '%2D')}`))
				.status,
		).toBe(200);
		expect((await rawRequest(sb, 'GET', `/consignments/${ref.toLowerCase()}`)).status).toBe(200);
		// A well-formed but unknown package reference is 404.
		await allocate(sb, ref);
		expect((await rawRequest(sb, 'GET', `/labels/package/${ref}/EP-ZZZ-ZZZ-ZZZ/PDF`)).status).toBe(
			404,
		);
	});

	test('garbage on the socket gets a 400, not a crash', async () => {
		const reply = await new Promise<string>((resolve) => {
			const s = net.connect(sb.port, '127.0.0.1', () => s.write('NOT HTTP AT ALL\r\n\r\n'));
			let buf = '';
			s.on('data', (d) => (buf += d.toString()));
			s.on('close', () => resolve(buf));
			s.on('error', () => resolve(buf));
		});
		expect(reply).toMatch(/^HTTP\/1\.1 400/);
		expect((await call(sb, 'GET', '/carriers')).status).toBe(200);
	});

	test('hooks: times, regex on the raw URL, clearHooks', async () => {
		sb.failNext({ path: /EC-ZZZ-ZZZ-ZZ9\?x=1$/, status: 500, times: 2 });
		const codes = [];
		for (let i = 0; i < 3; i++)
			codes.push((await call(sb, 'GET', '/consignments/EC-ZZZ-ZZZ-ZZ9?x=1')).status);
		expect(codes).toEqual([500, 500, 404]);
		sb.failNext({ path: '/carriers', status: 500 });
		sb.clearHooks();
		expect((await call(sb, 'GET', '/carriers')).status).toBe(200);
	});
});

describe('load', () => {
	test('200 concurrent requests without error', async () => {
		sb.reset();
		const refs: string[] = [];
		for (let i = 0; i < 5; i++) {
			const r = await create(sb);
			await allocate(sb, r);
			refs.push(r);
		}
		const jobs: Promise<number>[] = [];
		for (let i = 0; i < 200; i++) {
			const kind = i % 4;
			if (kind === 0)
				jobs.push(
					call(
						sb,
						'POST',
						'/consignments',
						minimal({ ConsignmentReferenceProvidedByCustomer: `LOAD-${i}` }),
					).then((r) => r.status),
				);
			else if (kind === 1)
				jobs.push(call(sb, 'GET', `/labels/${refs[i % 5]}/PDF`).then((r) => r.status));
			else if (kind === 2)
				jobs.push(call(sb, 'GET', `/consignments/${refs[i % 5]}`).then((r) => r.status));
			else jobs.push(call(sb, 'GET', `/quotes/consignment/${refs[i % 5]}`).then((r) => r.status));
		}
		const codes = await Promise.all(jobs);
		expect(codes.filter((c) => c >= 300)).toEqual([]);
		expect(codes.filter((c) => c === 201)).toHaveLength(50);
		// Each create happened exactly once.
		const created = sb.requests().filter((e) => e.method === 'POST' && e.handled);
		expect(created).toHaveLength(55);
		expect(new Set(created.map((e) => e.consignmentReference)).size).toBe(55);
		expect(sb.consignments()).toHaveLength(55);
		expect(sb.stats().requests).toBe(sb.requests().length);
	});
});
