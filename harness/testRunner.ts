// The small test runner of the real-n8n suites (`npm run test:e2e`, `npm run test:ui`): tests are
// registered by name, picked by substrings of their names, run one after the other (they share one
// n8n and one sandbox), and reported as `ok` / `FAIL` lines with the failure's message indented.
// jest is not used there: its workers and timeouts fight minutes-long runs of a real n8n.
import { elapsed } from './process';

/** What a test needs of the n8n it runs on; on an older n8n it is skipped, saying why. */
export interface TestNeeds {
	n8nMajor: number;
	why: string;
}

export interface TestCase {
	name: string;
	run: () => Promise<void>;
	needs?: TestNeeds;
}

/** How a suite's parts register their tests. */
export type RegisterTest = (name: string, run: () => Promise<void>, needs?: TestNeeds) => void;

export interface TestOutcome {
	passed: number;
	failed: number;
}

export class TestList {
	readonly tests: TestCase[] = [];

	/** Registers a test; they run in the order registered. */
	readonly test: RegisterTest = (name, run, needs) => {
		this.tests.push({ name, run, needs });
	};

	/**
	 * The tests whose name contains one of `only` (all when it is empty), less those whose name
	 * contains one of `skip` and those that need a newer n8n than `n8nVersion`; `keep` tests stay
	 * whatever `only` says (e.g. the log-in every UI test needs). Skipped tests come with the reason.
	 */
	select(options: {
		only?: string[];
		skip?: string[];
		keep?: (index: number) => boolean;
		n8nVersion?: string;
	}): { selected: TestCase[]; skipped: Array<{ test: TestCase; why: string }> } {
		const has = (name: string, parts: string[]) => parts.some((part) => name.includes(part));
		const only = options.only?.filter(Boolean) ?? [];
		const skip = options.skip?.filter(Boolean) ?? [];
		const major = Number(options.n8nVersion?.split('.')[0] ?? Infinity);
		const whySkipped = (t: TestCase): string | undefined => {
			if (has(t.name, skip)) return 'named in ELECTIO_E2E_SKIP';
			if (t.needs && major < t.needs.n8nMajor)
				return `needs n8n ${t.needs.n8nMajor}.x: ${t.needs.why}`;
			return undefined;
		};
		const picked = this.tests.filter(
			(t, index) => !only.length || has(t.name, only) || options.keep?.(index),
		);
		return {
			selected: picked.filter((t) => !whySkipped(t)),
			skipped: picked.flatMap((t) => {
				const why = whySkipped(t);
				return why ? [{ test: t, why }] : [];
			}),
		};
	}

	/** Runs the tests one after the other; `onFailure` may add a line (e.g. where a screenshot went). */
	static async run(
		tests: TestCase[],
		onFailure?: (test: TestCase) => Promise<string | undefined>,
	): Promise<TestOutcome> {
		const outcome: TestOutcome = { passed: 0, failed: 0 };
		for (const t of tests) {
			const started = Date.now();
			try {
				await t.run();
				outcome.passed++;
				console.log(`  ok    ${t.name} (${elapsed(started)})`);
			} catch (error) {
				outcome.failed++;
				const note = await onFailure?.(t).catch(() => undefined);
				console.log(`  FAIL  ${t.name} (${elapsed(started)})${note ? `; ${note}` : ''}`);
				console.log(
					String(error instanceof Error ? error.message : error)
						.split('\n')
						.map((line) => `        ${line}`)
						.join('\n'),
				);
			}
		}
		return outcome;
	}
}

/**
 * Runs a suite's `main` and exits: 0 when at least one test ran and none failed, 1 otherwise,
 * and 1 with the stack when the setup itself failed (the summary line still says so).
 */
export function runSuite(label: string, main: () => Promise<TestOutcome>): void {
	main().then(
		({ passed, failed }) => process.exit(failed === 0 && passed > 0 ? 0 : 1),
		(error) => {
			console.error(
				`${label} setup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
			);
			console.log(`\n${label}: 0 passed, 1 failed (setup)`);
			process.exit(1);
		},
	);
}

/** Env variable `name` as a comma-separated list of name parts (empty when unset). */
export function nameParts(name: string): string[] {
	return (process.env[name] ?? '').split(',').filter(Boolean);
}
