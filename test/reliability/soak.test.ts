/**
 * A shorter run of `npm run soak` (same code, n8n's engine, the sandbox injecting faults):
 * nothing created twice, nothing lost, every input paired, no request over the retry limit.
 */
import { formatReport, runSoak, SOAK_FAULTS, type SoakReport } from '../../harness/soak';

const N = 40;
let report: SoakReport;

beforeAll(async () => {
	// A short Retry-After keeps the suite fast; the full soak uses the sandbox's 1 s.
	report = await runSoak({
		n: N,
		seed: 7,
		maxRetries: 5,
		faults: { ...SOAK_FAULTS, retryAfterSeconds: 0.2 },
	});
	console.log(formatReport(report));
}, 120_000);

test('faults of every kind were really injected', () => {
	expect(report.faults['503']).toBeGreaterThan(0);
	expect(report.faults['429']).toBeGreaterThan(0);
	expect(report.faults.drop).toBeGreaterThan(0);
	expect(report.faults.latencyOnly).toBeGreaterThan(0);
	expect(report.retries).toBeGreaterThan(0);
});

test('no consignment was created twice, and none was never created', () => {
	expect(report.duplicates).toBe(0);
	expect(report.notCreated).toBe(0);
	expect(report.outcomes.filter((outcome) => outcome.created > 1)).toEqual([]);
});

test('every input ends Manifested or is reported with its reason; none is lost', () => {
	expect(report.lost).toBe(0);
	expect(report.manifested + report.reported).toBe(N);
	for (const outcome of report.outcomes) {
		if (outcome.outcome === 'manifested') expect(outcome.finalState).toBe('Manifested');
		else expect(outcome.reason).toMatch(/^(Create|Get Quotes|Allocate|Get Labels|Manifest): \S/);
	}
	// Most get through: the faults are retried, not passed on to the user.
	expect(report.manifested).toBeGreaterThanOrEqual(N * 0.85);
});

test('each node paired exactly one output item to each input item', () => {
	expect(report.pairingErrors).toEqual([]);
});

test('no request was attempted more often than Max Retries allows', () => {
	expect(report.overLimit).toEqual([]);
	expect(report.maxAttempts).toBeLessThanOrEqual(report.attemptLimit);
	expect(report.ok).toBe(true);
});
