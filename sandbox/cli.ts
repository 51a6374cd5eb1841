// `npm run sandbox -- --port 4010 --latency 50 --seed 1 [--key K] [--rate-limit 20]`
// Starts the sandbox on 127.0.0.1 and prints how to reach it; Ctrl-C stops it.
import { startSandbox } from './index';

function arg(name: string): string | undefined {
	const argv = process.argv.slice(2);
	const i = argv.indexOf(`--${name}`);
	if (i >= 0) return argv[i + 1];
	const eq = argv.find((a) => a.startsWith(`--${name}=`));
	return eq ? eq.slice(name.length + 3) : undefined;
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
	const sb = await startSandbox({
		port: num('port', 4010),
		latencyMs: num('latency', 0),
		seed: num('seed', 1),
		apiKeys: keys ? keys.split(',') : undefined,
		rateLimit: rate ? { perSecond: Number(rate) } : null,
	});
	console.log(`Electio sandbox listening on ${sb.url}`);
	console.log(`Base URL: ${sb.url}`);
	console.log(`API key (ocp-apim-subscription-key): ${sb.apiKey}`);
	console.log(`Control: ${sb.url}/__sandbox/requests | /__sandbox/consignments | /__sandbox/stats`);
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
