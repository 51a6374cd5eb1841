// Shared plumbing for running this package inside a real n8n (used by `npm run demo`,
// `npm run n8n` and `npm run test:e2e`):
//   - install n8n once (scripts/install-n8n.sh, cached outside the clone), build and pack this package,
//   - prepare an n8n user folder the way n8n installs a community package,
//   - import the sandbox credential and workflows, run `n8n execute --id` and parse its JSON,
//   - start `n8n start` as a child process and wait until it is healthy.
// Every child process is registered and killed on exit, also on failure or Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-electio';
export const NODE_TYPE = 'n8n-nodes-electio.electio';
export const CREDENTIAL_TYPE = 'electioApi';
/** Fixed id and name of the sandbox credential; the example workflows refer to it. */
export const SANDBOX_CREDENTIAL = { id: 'electioSandboxCred', name: 'Electio sandbox (local)' };

export function log(message: string): void {
	process.stderr.write(`[electio] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// child process bookkeeping

const children = new Set<ChildProcess>();
let cleanupInstalled = false;

function killAll(): void {
	for (const child of children) {
		if (child.exitCode === null && child.signalCode === null && child.pid) {
			try {
				// children are started detached, in their own process group: end the whole group
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				try {
					child.kill('SIGTERM');
				} catch {
					/* already gone */
				}
			}
		}
	}
}

function installCleanup(): void {
	if (cleanupInstalled) return;
	cleanupInstalled = true;
	process.on('exit', killAll);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			killAll();
			process.exit(signal === 'SIGINT' ? 130 : 143);
		});
	}
}

function track(child: ChildProcess): ChildProcess {
	installCleanup();
	children.add(child);
	child.on('exit', () => children.delete(child));
	return child;
}

/** Stops a child (its process group), SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const signal = (sig: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, sig);
		} catch {
			try {
				child.kill(sig);
			} catch {
				/* gone */
			}
		}
	};
	signal('SIGTERM');
	const timer = setTimeout(() => signal('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// small utilities

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export function elapsed(startMs: number): string {
	return `${((Date.now() - startMs) / 1000).toFixed(1)}s`;
}

interface RunResult {
	code: number | null;
	stdout: string;
	stderr: string;
	timedOut: boolean;
}

/** Runs a command with a hard timeout, collecting its output. */
export async function run(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; echoStderr?: boolean },
): Promise<RunResult> {
	const child = track(
		spawn(command, args, {
			cwd: options.cwd ?? REPO_ROOT,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		}),
	);
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
	child.stderr!.on('data', (chunk: Buffer) => {
		err.push(chunk);
		if (options.echoStderr) process.stderr.write(chunk);
	});
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void stopChild(child, 3000);
	}, options.timeoutMs);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (c) => resolve(c));
	});
	clearTimeout(timer);
	return {
		code,
		stdout: Buffer.concat(out).toString('utf8'),
		stderr: Buffer.concat(err).toString('utf8'),
		timedOut,
	};
}

async function runOrThrow(
	what: string,
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; echoStderr?: boolean },
): Promise<RunResult> {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const tail = (result.stdout + '\n' + result.stderr).trim().split('\n').slice(-30).join('\n');
		throw new Error(
			`${what} failed (${result.timedOut ? `timed out after ${options.timeoutMs / 1000}s` : `exit ${result.code}`}):\n${tail}`,
		);
	}
	return result;
}

// ---------------------------------------------------------------------------------------------
// n8n runtime and our package

export interface N8nRuntime {
	home: string;
	node: string;
	bin: string;
	version: string;
}

/** Installs n8n on first use (progress on stderr), then returns where it lives. */
export async function ensureN8n(): Promise<N8nRuntime> {
	const started = Date.now();
	const result = await run('bash', [path.join(REPO_ROOT, 'scripts', 'install-n8n.sh')], {
		timeoutMs: 20 * 60_000,
		echoStderr: true,
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
	};
	for (const file of [runtime.node, runtime.bin]) {
		if (!fs.existsSync(file))
			throw new Error(`n8n install at ${home} is incomplete: ${file} is missing`);
	}
	if (Date.now() - started > 5000) log(`n8n ${runtime.version} ready in ${elapsed(started)}`);
	return runtime;
}

/** `npm run build` (tsc + icons). */
export async function buildPackage(): Promise<void> {
	const started = Date.now();
	log('building the package (npm run build)...');
	await runOrThrow('npm run build', 'npm', ['run', '--silent', 'build'], { timeoutMs: 5 * 60_000 });
	const nodeFile = path.join(REPO_ROOT, 'dist', 'nodes', 'Electio', 'Electio.node.js');
	if (!fs.existsSync(nodeFile))
		throw new Error(`the build did not produce ${path.relative(REPO_ROOT, nodeFile)}`);
	log(`built in ${elapsed(started)}`);
}

/** `npm pack` into `destination`; returns the tarball path. */
export async function packPackage(destination: string): Promise<string> {
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
	else if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes', 'Electio', 'Electio.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	return await packPackage(fs.mkdtempSync(path.join(os.tmpdir(), 'electio-pack-')));
}

// ---------------------------------------------------------------------------------------------
// the n8n user folder

export interface CredentialSpec {
	baseUrl: string;
	apiKey: string;
}

export interface ExecutionResult {
	ok: boolean;
	/** the run data as n8n prints it: { data: { resultData: { runData, error? } }, status, ... } */
	execution: any;
	stdout: string;
	stderr: string;
}

export interface N8nItem {
	json: Record<string, any>;
	binary?: Record<
		string,
		{ data: string; id?: string; mimeType: string; fileName?: string; fileExtension?: string }
	>;
}

export const OWNER = {
	email: 'admin@example.com',
	password: 'Electio-sandbox-1',
	firstName: 'Local',
	lastName: 'Developer',
};

/** An n8n user folder (`N8N_USER_FOLDER`) with our package installed, and commands run against it. */
export class N8nUserFolder {
	readonly n8nDir: string;
	private brokerPorts = new Set<number>();

	constructor(
		readonly runtime: N8nRuntime,
		readonly dir: string,
	) {
		this.n8nDir = path.join(dir, '.n8n');
	}

	/** Environment for every n8n command on this folder. */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		const base: NodeJS.ProcessEnv = {};
		// keep the basics of the caller's environment, none of its N8N_* settings
		for (const key of ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR', 'USER', 'SHELL', 'TERM']) {
			if (process.env[key] !== undefined) base[key] = process.env[key];
		}
		return {
			...base,
			PATH: `${path.dirname(this.runtime.node)}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.dir,
			N8N_ENCRYPTION_KEY: 'electio-local-sandbox-only-encryption-key',
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_PYTHON_ENABLED: 'false',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_RUNNERS_TASK_TIMEOUT: '300',
			// binary data stays in n8n's default (filesystem) mode: binaryBytes() reads it from the folder
			N8N_LOG_OUTPUT: 'console',
			N8N_NO_COLOR: '1',
			NO_COLOR: '1',
			GENERIC_TIMEZONE: process.env.GENERIC_TIMEZONE ?? 'UTC',
			...extra,
		};
	}

	/** Runs `n8n <args>` on this folder with a free task-broker port. */
	async n8n(
		args: string[],
		options: { timeoutMs?: number; env?: Record<string, string> } = {},
	): Promise<RunResult> {
		const brokerPort = await freePort();
		return await run(this.runtime.node, [this.runtime.bin, ...args], {
			cwd: this.dir,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...options.env }),
			timeoutMs: options.timeoutMs ?? 120_000,
		});
	}

	private async n8nOrThrow(
		args: string[],
		expect?: RegExp,
		timeoutMs = 120_000,
	): Promise<RunResult> {
		const result = await this.n8n(args, { timeoutMs });
		const output = result.stdout + '\n' + result.stderr;
		if (result.code !== 0 || (expect && !expect.test(output))) {
			const tailText = output.trim().split('\n').slice(-30).join('\n');
			throw new Error(
				`n8n ${args[0]} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${tailText}`,
			);
		}
		return result;
	}

	/**
	 * Installs the packed package like n8n's community-package installer does: unpack into
	 * `.n8n/nodes/node_modules/<name>`, drop dev/peer/optional dependencies from its package.json,
	 * `npm install --ignore-scripts` inside it, and record it in `.n8n/nodes/package.json`.
	 */
	async installPackage(tgz: string): Promise<void> {
		const nodesDir = path.join(this.n8nDir, 'nodes');
		const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		fs.rmSync(packageDir, { recursive: true, force: true });
		fs.mkdirSync(packageDir, { recursive: true });
		await runOrThrow('tar', 'tar', ['-xzf', tgz, '-C', packageDir, '--strip-components=1'], {
			timeoutMs: 60_000,
		});
		const pkgFile = path.join(packageDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
			fs.readFileSync(pkgFile, 'utf8'),
		);
		void devDependencies;
		void peerDependencies;
		void optionalDependencies;
		fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
		await runOrThrow(
			'npm install (community package)',
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--loglevel=error',
			],
			{ cwd: packageDir, timeoutMs: 3 * 60_000 },
		);
		const rootPkgFile = path.join(nodesDir, 'package.json');
		const rootPkg = fs.existsSync(rootPkgFile)
			? JSON.parse(fs.readFileSync(rootPkgFile, 'utf8'))
			: { name: 'installed-nodes', private: true, dependencies: {} };
		rootPkg.dependencies = { ...(rootPkg.dependencies ?? {}), [PACKAGE_NAME]: pkg.version };
		fs.writeFileSync(rootPkgFile, JSON.stringify(rootPkg, null, 2));
	}

	/** Creates (or updates) the credential that points at the sandbox. */
	async importCredential(spec: CredentialSpec): Promise<void> {
		const file = path.join(this.dir, 'electio-credential.json');
		fs.writeFileSync(
			file,
			JSON.stringify([
				{
					id: SANDBOX_CREDENTIAL.id,
					name: SANDBOX_CREDENTIAL.name,
					type: CREDENTIAL_TYPE,
					data: { apiKey: spec.apiKey, environment: 'custom', baseUrl: spec.baseUrl },
				},
			]),
			{ mode: 0o600 },
		);
		try {
			await this.n8nOrThrow(['import:credentials', `--input=${file}`], /Successfully imported/);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** Imports a workflow (file path or object); returns its id. `active` is always false on import. */
	async importWorkflow(workflow: string | Record<string, any>): Promise<string> {
		const data =
			typeof workflow === 'string' ? JSON.parse(fs.readFileSync(workflow, 'utf8')) : workflow;
		if (!data.id) throw new Error(`workflow "${data.name}" has no id`);
		const file = path.join(this.dir, `workflow-${data.id}.json`);
		fs.writeFileSync(file, JSON.stringify(data));
		await this.n8nOrThrow(['import:workflow', `--input=${file}`], /Successfully imported/);
		return data.id as string;
	}

	/** Publishes (activates) a workflow so `n8n start` registers its production webhooks and triggers. */
	async publishWorkflow(id: string): Promise<void> {
		await this.n8nOrThrow(['publish:workflow', `--id=${id}`]);
	}

	/** `n8n execute --id=<id> --rawOutput`, parsing the execution JSON out of the output. */
	async execute(id: string, timeoutMs = 5 * 60_000): Promise<ExecutionResult> {
		const result = await this.n8n(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
		const execution = parseExecutionJson(result.stdout);
		const ok =
			result.code === 0 &&
			!!execution &&
			execution.status !== 'error' &&
			!execution.data?.resultData?.error;
		if (result.timedOut) {
			return {
				ok: false,
				execution,
				stdout: result.stdout,
				stderr: result.stderr + `\n(timed out after ${timeoutMs / 1000}s)`,
			};
		}
		return { ok, execution, stdout: result.stdout, stderr: result.stderr };
	}

	/** Starts `n8n start` on 127.0.0.1:<port> and waits for /healthz/readiness. */
	async start(options: {
		port: number;
		env?: Record<string, string>;
		timeoutMs?: number;
		logFile?: string;
	}): Promise<N8nServer> {
		const brokerPort = await freePort();
		this.brokerPorts.add(brokerPort);
		const logFile = options.logFile ?? path.join(this.dir, 'n8n-start.log');
		// n8n writes straight into the log file, not through a pipe to this process: if this process
		// dies first, n8n must not block or spin on a broken pipe while it shuts down
		const logFd = fs.openSync(logFile, 'w');
		const child = track(
			spawn(this.runtime.node, [this.runtime.bin, 'start'], {
				cwd: this.dir,
				env: this.env({
					N8N_PORT: String(options.port),
					N8N_RUNNERS_BROKER_PORT: String(brokerPort),
					N8N_WEBHOOK_URL: `http://127.0.0.1:${options.port}/`,
					N8N_EDITOR_BASE_URL: `http://127.0.0.1:${options.port}/`,
					...options.env,
				}),
				stdio: ['ignore', logFd, logFd],
				detached: true,
			}),
		);
		fs.closeSync(logFd);
		const url = `http://127.0.0.1:${options.port}`;
		const deadline = Date.now() + (options.timeoutMs ?? 120_000);
		let exited = false;
		child.once('exit', () => (exited = true));
		while (true) {
			if (exited) {
				throw new Error(
					`n8n start exited early (exit ${child.exitCode}); log: ${logFile}\n${tail(logFile)}`,
				);
			}
			try {
				const response = await fetch(`${url}/healthz/readiness`, {
					signal: AbortSignal.timeout(2000),
				});
				if (response.ok) break;
			} catch {
				/* not up yet */
			}
			if (Date.now() > deadline) {
				await stopChild(child);
				throw new Error(
					`n8n start did not become ready within ${(options.timeoutMs ?? 120_000) / 1000}s; log: ${logFile}\n${tail(logFile)}`,
				);
			}
			await sleep(500);
		}
		return {
			url,
			child,
			logFile,
			stop: async () => {
				await stopChild(child, 15_000);
			},
		};
	}
}

export interface N8nServer {
	url: string;
	child: ChildProcess;
	logFile: string;
	stop(): Promise<void>;
}

function tail(file: string, lines = 25): string {
	try {
		return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/** n8n prints log lines before (and sometimes after) the execution JSON: take the outermost `{ ... }` block. */
export function parseExecutionJson(stdout: string): any | undefined {
	const start = stdout.search(/^\{\s*$/m);
	if (start < 0) return undefined;
	const closing = [...stdout.matchAll(/^\}\s*$/gm)];
	for (let i = closing.length - 1; i >= 0; i--) {
		const end = closing[i].index!;
		if (end < start) break;
		try {
			return JSON.parse(stdout.slice(start, end + 1));
		} catch {
			/* try an earlier closing brace */
		}
	}
	return undefined;
}

/** Output items of a node's last run (first output unless told). */
export function nodeItems(execution: any, nodeName: string, output = 0): N8nItem[] {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	if (!Array.isArray(runs) || runs.length === 0) return [];
	return (runs[runs.length - 1]?.data?.main?.[output] ?? []) as N8nItem[];
}

/** The error of a failed execution, as text. */
export function executionError(result: ExecutionResult): string {
	const error = result.execution?.data?.resultData?.error;
	if (error) {
		const node = error.node?.name ? ` in node "${error.node.name}"` : '';
		return `${error.message ?? 'error'}${node}${error.description ? `: ${error.description}` : ''}`;
	}
	return (result.stdout + '\n' + result.stderr).trim().split('\n').slice(-20).join('\n');
}

/** Bytes of a binary property: inline base64, or read from the folder's filesystem store. */
export function binaryBytes(folder: N8nUserFolder, binary: { data: string; id?: string }): Buffer {
	if (binary.id && binary.id.includes(':')) {
		const [mode, relative] = [
			binary.id.slice(0, binary.id.indexOf(':')),
			binary.id.slice(binary.id.indexOf(':') + 1),
		];
		if (mode.startsWith('filesystem')) {
			return fs.readFileSync(path.join(folder.n8nDir, 'storage', relative));
		}
		throw new Error(`binary data in mode "${mode}" cannot be read from disk`);
	}
	return Buffer.from(binary.data, 'base64');
}

/** bcrypt hash for N8N_INSTANCE_OWNER_PASSWORD_HASH, with the bcryptjs that ships with n8n. */
export function bcryptHash(runtime: N8nRuntime, password: string): string {
	const requireFromN8n = createRequire(
		path.join(runtime.home, 'node_modules', 'n8n', 'package.json'),
	);
	const bcrypt = requireFromN8n('bcryptjs');
	return bcrypt.hashSync(password, 10);
}

/** Environment that sets up the instance owner at `n8n start`, so the editor opens to a login form. */
export function ownerEnv(runtime: N8nRuntime): Record<string, string> {
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(runtime, OWNER.password),
	};
}

/** Reads an example workflow from examples/. */
export function readExample(name: string): Record<string, any> {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8'));
}

export const EXAMPLES = ['quotes-flow.json', 'erp-webhook-to-label.json', 'daily-manifest.json'];

/** Used by scripts that must not hang: rejects after `ms`. */
export async function withTimeout<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<T>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000}s`)), ms);
			}),
		]);
	} finally {
		if (timer) clearTimeout(timer);
	}
}
