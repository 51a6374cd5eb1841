// Fault and latency injection, hooks, the request log and the rate limit.
import { PDFDocument } from 'pdf-lib';
import { startSandbox, Sandbox } from '../../sandbox';
import { allocate, call, create, minimal } from './helpers';

let sb: Sandbox;
afterEach(async () => {
	await sb?.close();
});

/** Status per call, 0 when the connection was dropped. */
async function statuses(s: Sandbox, n: number): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < n; i++) {
		try {
			out.push((await call(s, 'GET', '/carriers')).status);
		} catch {
			out.push(0);
		}
	}
	return out;
}

describe('random faults', () => {
	test('seeded shares of 429 / 502 / 503 / drops are reproducible', async () => {
		const faults = {
			rate429: 0.15,
			rate502: 0.1,
			rate503: 0.1,
			dropRate: 0.1,
			retryAfterSeconds: 3,
		};
		sb = await startSandbox({ seed: 99, faults });
		const first = await statuses(sb, 80);
		const counts = sb.faultCounts();
		const other = await startSandbox({ seed: 99, faults });
		const second = await statuses(other, 80);
		const third = await startSandbox({ seed: 100, faults });
		const different = await statuses(third, 80);
		await other.close();
		await third.close();
		expect(second).toEqual(first);
		expect(different).not.toEqual(first);
		for (const code of [200, 429, 502, 503, 0]) expect(first).toContain(code);
		expect(first.filter((s) => s === 429).length).toBe(counts['429']);
		expect(first.filter((s) => s === 502).length).toBe(counts['502']);
		expect(first.filter((s) => s === 0).length).toBe(counts.drop);
		const ok = first.filter((s) => s === 200).length;
		expect(ok).toBeGreaterThan(30);
		expect(ok).toBeLessThan(70);
		const log = sb.requests();
		expect(log.filter((e) => e.fault === 'drop').every((e) => e.status === 0)).toBe(true);
	});

	test('injected 429 carries Retry-After and the error body; 503 is JSON', async () => {
		sb = await startSandbox({ seed: 1, faults: { rate429: 1, retryAfterSeconds: 4 } });
		const r = await call(sb, 'GET', '/carriers');
		expect(r.status).toBe(429);
		expect(r.headers.get('retry-after')).toBe('4');
		expect(Object.keys(r.json).sort()).toEqual(['Code', 'CorrelationId', 'Message']);
		sb.setFaults({ rate503: 1 });
		const u = await call(sb, 'GET', '/carriers');
		expect(u.status).toBe(503);
		expect(u.json.Code).toBeTruthy();
		sb.setFaults(null);
		expect((await call(sb, 'GET', '/carriers')).status).toBe(200);
		// Control routes are never faulted.
		sb.setFaults({ rate502: 1 });
		expect((await fetch(`${sb.url}/__sandbox/stats`)).status).toBe(200);
	});

	test('dropped creates record whether the server acted before the connection died', async () => {
		sb = await startSandbox({ seed: 5, faults: { dropRate: 1 } });
		for (let i = 0; i < 12; i++)
			await expect(call(sb, 'POST', '/consignments', minimal())).rejects.toThrow();
		const log = sb.requests();
		expect(log).toHaveLength(12);
		expect(log.every((e) => e.fault === 'drop' && e.status === 0)).toBe(true);
		const handled = log.filter((e) => e.handled);
		expect(handled.length).toBeGreaterThan(0);
		expect(handled.length).toBeLessThan(12);
		// Exactly the handled ones created consignments, and the log names them.
		expect(
			sb
				.consignments()
				.map((c) => c.Reference)
				.sort(),
		).toEqual(handled.map((e) => e.consignmentReference).sort());
	});

	test('fixed and extra latency', async () => {
		sb = await startSandbox({ latencyMs: 80 });
		let t = Date.now();
		await call(sb, 'GET', '/carriers');
		expect(Date.now() - t).toBeGreaterThanOrEqual(75);
		sb.setLatency(0);
		sb.setFaults({ extraLatencyMs: [100, 120] });
		t = Date.now();
		await call(sb, 'GET', '/carriers');
		expect(Date.now() - t).toBeGreaterThanOrEqual(95);
		const last = sb.requests().slice(-1)[0];
		expect(last.fault).toBe('latency');
		expect(last.durationMs).toBeGreaterThanOrEqual(95);
	});
});

describe('hooks', () => {
	test('an HTML 502 page instead of JSON, then back to normal', async () => {
		sb = await startSandbox();
		const id = sb.failNext({
			path: '/carriers',
			status: 502,
			body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
			contentType: 'text/html',
		});
		expect(typeof id).toBe('string');
		const r = await call(sb, 'GET', '/carriers');
		expect(r.status).toBe(502);
		expect(r.headers.get('content-type')).toBe('text/html');
		expect(r.text).toContain('<h1>502 Bad Gateway</h1>');
		expect((await call(sb, 'GET', '/carriers')).status).toBe(200);
		expect(sb.faultCounts().hook).toBe(1);
	});

	test('a 503 on exactly the 3rd create; the log proves each consignment was created once', async () => {
		sb = await startSandbox();
		let creates = 0;
		const results: number[] = [];
		for (let i = 0; i < 5; i++) {
			if (++creates === 3) sb.failNext({ method: 'POST', path: '/consignments', status: 503 });
			results.push(
				(
					await call(
						sb,
						'POST',
						'/consignments',
						minimal({ ConsignmentReferenceProvidedByCustomer: `ORDER-${i}` }),
					)
				).status,
			);
		}
		expect(results).toEqual([201, 201, 503, 201, 201]);
		const createdLog = sb.requests().filter((e) => e.method === 'POST' && e.handled);
		expect(createdLog.map((e) => e.customerReference)).toEqual([
			'ORDER-0',
			'ORDER-1',
			'ORDER-3',
			'ORDER-4',
		]);
		expect(sb.consignments()).toHaveLength(4);
		const failed = sb.requests().find((e) => e.status === 503)!;
		expect(failed).toMatchObject({ fault: 'hook', handled: false, apiKey: 'valid' });
	});

	test('afterHandling: the server acts, the response is lost', async () => {
		sb = await startSandbox();
		sb.failNext({ method: 'POST', path: '/consignments', status: 502, afterHandling: true });
		const r = await call(
			sb,
			'POST',
			'/consignments',
			minimal({ ConsignmentReferenceProvidedByCustomer: 'LOST-RESPONSE' }),
		);
		expect(r.status).toBe(502);
		expect(sb.consignments().map((c) => c.ConsignmentReferenceProvidedByCustomer)).toEqual([
			'LOST-RESPONSE',
		]);
		expect(sb.requests()[0]).toMatchObject({
			handled: true,
			status: 502,
			fault: 'hook',
			customerReference: 'LOST-RESPONSE',
		});
		sb.failNext({ method: 'POST', path: '/consignments', drop: true, afterHandling: true });
		await expect(call(sb, 'POST', '/consignments', minimal())).rejects.toThrow();
		expect(sb.consignments()).toHaveLength(2);
		expect(sb.requests()[1]).toMatchObject({ handled: true, status: 0 });
	});

	test('an empty 200 body, a dropped connection, custom headers', async () => {
		sb = await startSandbox();
		sb.failNext({ path: '/carriers', status: 200, body: '' });
		const empty = await call(sb, 'GET', '/carriers');
		expect(empty.status).toBe(200);
		expect(empty.text).toBe('');
		sb.failNext({ path: '/carriers', drop: true });
		await expect(call(sb, 'GET', '/carriers')).rejects.toThrow();
		sb.failNext({ path: '/carriers', headers: { 'x-test': 'yes' } });
		const dec = await call(sb, 'GET', '/carriers');
		expect(dec.status).toBe(200);
		expect(dec.headers.get('x-test')).toBe('yes');
		expect(dec.json.length).toBeGreaterThanOrEqual(5);
	});

	test('a response that never finishes, until close', async () => {
		sb = await startSandbox();
		sb.failNext({ path: '/carriers', hang: true });
		const ac = new AbortController();
		const pending = fetch(`${sb.url}/carriers`, {
			headers: { 'ocp-apim-subscription-key': sb.apiKey },
			signal: ac.signal,
		});
		const winner = await Promise.race([
			pending.then(
				() => 'answered',
				() => 'failed',
			),
			new Promise((r) => setTimeout(() => r('timeout'), 300)),
		]);
		expect(winner).toBe('timeout');
		expect(sb.requests()[0]).toMatchObject({ status: 0, fault: 'hook' });
		ac.abort();
		await pending.catch(() => undefined);
		// Other requests are unaffected.
		expect((await call(sb, 'GET', '/carriers')).status).toBe(200);
	});

	test('a 5 MB label that is still a valid PDF', async () => {
		sb = await startSandbox();
		const ref = await create(sb);
		await allocate(sb, ref);
		sb.failNext({ path: new RegExp(`^/labels/${ref}/`), bodyBytes: 5 * 1024 * 1024 });
		const r = await call(sb, 'GET', `/labels/${ref}/PDF`);
		expect(r.status).toBe(200);
		expect(r.text.length).toBeGreaterThanOrEqual(5 * 1024 * 1024);
		const file = Buffer.from(r.json.File, 'base64');
		expect(file.length).toBeGreaterThan(3.5 * 1024 * 1024);
		expect((await PDFDocument.load(file)).getPageCount()).toBe(1);
	});
});

describe('request log', () => {
	test('records method, raw path, status, handled, consignment and key state, never the key', async () => {
		sb = await startSandbox({ apiKeys: ['secret-key-123'] });
		const ref = await create(sb, minimal({ ConsignmentReferenceProvidedByCustomer: 'ORD-9' }));
		await call(sb, 'GET', `/consignments/${ref}?expand=1`);
		await call(sb, 'GET', '/consignments/EC-ZZZ-ZZZ-ZZZ');
		const log = sb.requests();
		expect(log.map((e) => [e.seq, e.method, e.path, e.status, e.handled])).toEqual([
			[1, 'POST', '/consignments', 201, true],
			[2, 'GET', `/consignments/${ref}?expand=1`, 200, true],
			[3, 'GET', '/consignments/EC-ZZZ-ZZZ-ZZZ', 404, false],
		]);
		expect(log[0].consignmentReference).toBe(ref);
		expect(log[1].customerReference).toBe('ORD-9');
		expect(log.every((e) => e.apiKey === 'valid' && e.startedAt > 0 && e.durationMs >= 0)).toBe(
			true,
		);
		const overHttp = await (await fetch(`${sb.url}/__sandbox/requests`)).json();
		expect(overHttp).toEqual(JSON.parse(JSON.stringify(log)));
		expect(JSON.stringify(overHttp)).not.toContain('secret-key-123');
		sb.clearRequests();
		expect(sb.requests()).toEqual([]);
	});
});

describe('rate limit', () => {
	test('token bucket per key: 429 with Retry-After over the limit, other keys unaffected', async () => {
		sb = await startSandbox({ apiKeys: ['k1', 'k2'], rateLimit: { perSecond: 5 } });
		const res = await Promise.all(Array.from({ length: 8 }, () => call(sb, 'GET', '/carriers')));
		const codes = res.map((r) => r.status);
		expect(codes.filter((c) => c === 200)).toHaveLength(5);
		const limited = res.filter((r) => r.status === 429);
		expect(limited).toHaveLength(3);
		for (const r of limited) {
			expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			expect(Number.isInteger(Number(r.headers.get('retry-after')))).toBe(true);
			expect(r.json.Message).toMatch(/Rate limit/);
		}
		expect(sb.faultCounts().rateLimited).toBe(3);
		expect(
			(await call(sb, 'GET', '/carriers', undefined, { 'ocp-apim-subscription-key': 'k2' })).status,
		).toBe(200);
		await new Promise((r) => setTimeout(r, 450));
		expect((await call(sb, 'GET', '/carriers')).status).toBe(200);
		sb.setRateLimit(null);
		const after = await Promise.all(Array.from({ length: 20 }, () => call(sb, 'GET', '/carriers')));
		expect(after.every((r) => r.status === 200)).toBe(true);
	});
});

describe('control routes over HTTP', () => {
	test('faults, stats, consignments, hooks, clock and reset', async () => {
		sb = await startSandbox();
		const put = await fetch(`${sb.url}/__sandbox/faults`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ rate503: 1, latencyMs: 0, rateLimit: null }),
		});
		expect(put.status).toBe(200);
		expect((await call(sb, 'GET', '/carriers')).status).toBe(503);
		await fetch(`${sb.url}/__sandbox/faults`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		const ref = await create(sb);
		const cons = await (await fetch(`${sb.url}/__sandbox/consignments`)).json();
		expect(cons.map((c: any) => c.Reference)).toEqual([ref]);
		expect(cons[0].history[0].state).toBe('Unallocated');
		const hook = await fetch(`${sb.url}/__sandbox/hooks`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ pathRegex: '^/carriers', status: 418 }),
		});
		expect(hook.status).toBe(201);
		expect((await call(sb, 'GET', '/carriers')).status).toBe(418);
		const stats = await (await fetch(`${sb.url}/__sandbox/stats`)).json();
		expect(stats.requests).toBe(3);
		expect(stats.byStatus['503']).toBe(1);
		expect(stats.faults['503']).toBe(1);
		expect(stats.faults.hook).toBe(1);
		expect(stats.consignments).toBe(1);
		expect(stats.requestsPerSecond).toBeGreaterThan(0);
		const clock = await fetch(`${sb.url}/__sandbox/clock`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"advanceMs": 86400000}',
		});
		expect(new Date((await clock.json()).now).getTime()).toBeGreaterThan(Date.now() + 86000000);
		expect((await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
		expect(sb.consignments()).toEqual([]);
		expect(sb.requests()).toEqual([]);
		expect((await fetch(`${sb.url}/__sandbox/nope`)).status).toBe(404);
		// A new consignment after reset does not reuse the old reference.
		expect(await create(sb)).not.toBe(ref);
	});
});
