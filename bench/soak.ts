/**
 * `npm run soak`: the fault soak (harness/soak.ts) at full size, from the command line.
 *
 *   npm run soak -- [--n 300] [--seed 42] [--retries 5] [--concurrency 5] [--json]
 *
 * Exits non-zero when duplicates or lost items are found or any other check fails.
 */
import { formatReport, runSoak, type SoakOptions } from '../harness/soak';

function parseArgs(argv: string[]): Partial<SoakOptions> & { json?: boolean } {
	const options: Partial<SoakOptions> & { json?: boolean } = {};
	for (let index = 0; index < argv.length; index++) {
		const [flag, inline] = argv[index].split('=');
		const value = () => Number(inline ?? argv[++index]);
		if (flag === '--n') options.n = value();
		else if (flag === '--seed') options.seed = value();
		else if (flag === '--retries') options.maxRetries = value();
		else if (flag === '--concurrency') options.maxConcurrency = value();
		else if (flag === '--json') options.json = true;
		else
			throw new Error(
				`Unknown option ${argv[index]} (use --n, --seed, --retries, --concurrency, --json)`,
			);
	}
	for (const [name, number] of Object.entries(options)) {
		if (typeof number === 'number' && (!Number.isInteger(number) || number < 0))
			throw new Error(`--${name} must be a whole number`);
	}
	return options;
}

async function main(): Promise<void> {
	const { json, ...options } = parseArgs(process.argv.slice(2));
	const report = await runSoak(options);
	if (json) console.log(JSON.stringify({ ...report, outcomes: undefined }, null, 2));
	console.log(formatReport(report));
	process.exitCode = report.ok ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 2;
});
