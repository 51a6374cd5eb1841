// `npm run sandbox -- --port 4010 --latency 50 --seed 1 [--key K] [--rate-limit 20]
//   [--tracking-step-ms 750] [--failure-rate 0.2] [--manual-tracking] [--empty-search empty]`
// Starts the sandbox on 127.0.0.1 and prints how to reach it; Ctrl-C stops it. Unlike the
// library default, manifested consignments move along by themselves (Delivered 4 steps after the
// manifest) unless --manual-tracking is given.
import { startSandbox } from './index';

function arg(name: string): string | undefined {
	const argv = process.argv.slice(2);
	const i = argv.indexOf(`--${name}`);
	if (i >= 0) return argv[i + 1];
	const eq = argv.find((a) => a.startsWith(`--${name}=`));
	return eq ? eq.slice(name.length + 3) : undefined;
}

function flag(name: string): boolean {
	return process.argv.slice(2).includes(`--${name}`);
}

function num(name: string, def: number): number {
	const v = arg(name);
	if (v === undefined) return def;
	const n = Number(v);
	if (!Number.isFinite(n) || n < 0) {
		console.error(`--${name} must be a number >= 0, got '${v}'`);
		process.exit(2);
	}
	return n;
}

async function main(): Promise<void> {
	const keys = arg('key');
	const rate = arg('rate-limit');
	const emptySearch = arg('empty-search');
	if (emptySearch !== undefined && emptySearch !== 'empty' && emptySearch !== 'notFound') {
		console.error(`--empty-search must be 'empty' or 'notFound', got '${emptySearch}'`);
		process.exit(2);
	}
	const stepMs = num('tracking-step-ms', 750);
	const failureRate = num('failure-rate', 0.2);
	if (stepMs === 0 || failureRate > 1) {
		console.error('--tracking-step-ms must be > 0 and --failure-rate at most 1');
		process.exit(2);
	}
	const sb = await startSandbox({
		port: num('port', 4010),
		latencyMs: num('latency', 0),
		seed: num('seed', 1),
		apiKeys: keys ? keys.split(',') : undefined,
		rateLimit: rate ? { perSecond: Number(rate) } : null,
		tracking: { auto: !flag('manual-tracking'), stepMs, failureRate },
		emptySearch,
	});
	const t = sb.trackingSettings();
	console.log(`Electio sandbox listening on ${sb.url}`);
	console.log(`Base URL: ${sb.url}`);
	console.log(`API key (ocp-apim-subscription-key): ${sb.apiKey}`);
	console.log(`Control: ${sb.url}/__sandbox/requests | /__sandbox/consignments | /__sandbox/stats`);
	console.log(
		t.auto
			? `Tracking: automatic, a step every ${t.stepMs} ms after manifest (Delivered after ${(4 * t.stepMs) / 1000} s); ${t.failureRate * 100}% fail`
			: `Tracking: manual, POST ${sb.url}/__sandbox/clock/advance {"steps": 1} moves every manifested consignment one step`,
	);
	const stop = () => {
		void sb.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e) => {
	console.error(`Could not start the sandbox: ${(e as Error).message}`);
	process.exit(1);
});
