// The real n8n: installed once outside the clone (scripts/install-n8n.sh, cached), and this package
// built and packed the way it is published, for an n8n user folder to install.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { BUILT_FILES, REPO_ROOT } from '../package';
import { elapsed, log, run, runOrThrow } from '../process';

/** The node and credential files package.json declares that dist/ does not hold. */
function builtFilesMissing(): string[] {
	return [...BUILT_FILES.nodes, ...BUILT_FILES.credentials].filter(
		(file) => !fs.existsSync(path.join(REPO_ROOT, file)),
	);
}

export interface N8nRuntime {
	home: string;
	node: string;
	bin: string;
	/** n8n's version */
	version: string;
	/** the version of the Node runtime n8n runs on */
	nodeVersion: string;
}

/**
 * Installs n8n on first use (progress on stderr), then returns where it lives. Which n8n: `version`
 * (`default`: the n8n the repository's n8n-core and n8n-workflow come from), else
 * ELECTIO_N8N_VERSION, read by scripts/install-n8n.sh (2.x runs on Node 24, 1.x on Node 22).
 */
export async function ensureN8n(version?: string): Promise<N8nRuntime> {
	const started = Date.now();
	const result = await run('bash', [path.join(REPO_ROOT, 'scripts', 'install-n8n.sh')], {
		timeoutMs: 20 * 60_000,
		echoStderr: true,
		env: version ? { ...process.env, ELECTIO_N8N_VERSION: version } : undefined,
	});
	if (result.code !== 0) {
		throw new Error(`scripts/install-n8n.sh failed (exit ${result.code}); see the messages above`);
	}
	const home = result.stdout.trim().split('\n').pop()!.trim();
	const runtime: N8nRuntime = {
		home,
		node: path.join(home, 'node_modules', 'node', 'bin', 'node'),
		bin: path.join(home, 'node_modules', 'n8n', 'bin', 'n8n'),
		version: JSON.parse(
			fs.readFileSync(path.join(home, 'node_modules', 'n8n', 'package.json'), 'utf8'),
		).version,
		nodeVersion: JSON.parse(
			fs.readFileSync(path.join(home, 'node_modules', 'node', 'package.json'), 'utf8'),
		).version,
	};
	for (const file of [runtime.node, runtime.bin]) {
		if (!fs.existsSync(file))
			throw new Error(`n8n install at ${home} is incomplete: ${file} is missing`);
	}
	if (Date.now() - started > 5000) log(`n8n ${runtime.version} ready in ${elapsed(started)}`);
	return runtime;
}

/** `npm run build` (tsc + icons). */
async function buildPackage(): Promise<void> {
	const started = Date.now();
	log('building the package (npm run build)...');
	await runOrThrow('npm run build', 'npm', ['run', '--silent', 'build'], { timeoutMs: 5 * 60_000 });
	const missing = builtFilesMissing();
	if (missing.length) throw new Error(`the build did not produce ${missing.join(', ')}`);
	log(`built in ${elapsed(started)}`);
}

/** `npm pack` into `destination`; returns the tarball path. */
async function packPackage(destination: string): Promise<string> {
	fs.mkdirSync(destination, { recursive: true });
	const result = await runOrThrow(
		'npm pack',
		'npm',
		['pack', '--json', '--loglevel=error', '--pack-destination', destination],
		{ timeoutMs: 2 * 60_000 },
	);
	const start = result.stdout.indexOf('[');
	const info = JSON.parse(result.stdout.slice(start)) as Array<{ filename: string }>;
	return path.join(destination, info[0].filename);
}

/** Builds (unless told not to) and packs the package into a temporary folder. */
export async function buildAndPack(options: { build: boolean }): Promise<string> {
	if (options.build) await buildPackage();
	else if (builtFilesMissing().length) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	return await packPackage(fs.mkdtempSync(path.join(os.tmpdir(), 'electio-pack-')));
}
