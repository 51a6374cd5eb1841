// An n8n user folder (`N8N_USER_FOLDER`) with this package installed the way n8n installs a
// community package, and the n8n CLI run against it: import the sandbox credential and workflows,
// `n8n execute --id` (its JSON parsed), `n8n start` as a child process until it is healthy; and the
// instance owner for the editor.
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CREDENTIAL_TYPE, PACKAGE_NAME, SANDBOX_CREDENTIAL, SMTP_CREDENTIAL } from '../package';
import {
	freePort,
	run,
	runOrThrow,
	sleep,
	spawnTracked,
	stopChild,
	type RunResult,
} from '../process';
import { parseExecutionJson, type ExecutionResult } from './execution';
import type { N8nRuntime } from './install';

export interface CredentialSpec {
	baseUrl: string;
	apiKey: string;
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
	private imports = 0;

	/** `settings`: environment for every command on this folder (e.g. queue mode's database and Redis). */
	constructor(
		readonly runtime: N8nRuntime,
		readonly dir: string,
		readonly settings: Record<string, string> = {},
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
			...this.settings,
			...extra,
		};
	}

	/** Runs `n8n <args>` on this folder with a free task-broker port. */
	async n8n(
		args: string[],
		options: { timeoutMs?: number; env?: Record<string, string>; signal?: AbortSignal } = {},
	): Promise<RunResult> {
		const brokerPort = await freePort();
		return await run(this.runtime.node, [this.runtime.bin, ...args], {
			cwd: this.dir,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...options.env }),
			timeoutMs: options.timeoutMs ?? 120_000,
			signal: options.signal,
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
		await this.importCredentials([sandboxCredential(spec)]);
	}

	/** `n8n import:credentials` of credentials given in clear, from a file that is removed at once. */
	async importCredentials(credentials: Array<Record<string, unknown>>): Promise<void> {
		const file = path.join(this.dir, 'electio-credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
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
		await this.importWorkflows([data]);
		return data.id as string;
	}

	/** Imports workflows in one `n8n import:workflow` (one n8n start-up for them all). */
	async importWorkflows(workflows: Array<Record<string, any>>): Promise<void> {
		const missing = workflows.find((data) => !data.id);
		if (missing) throw new Error(`workflow "${missing.name}" has no id`);
		const file = path.join(this.dir, `workflows-${++this.imports}.json`);
		fs.writeFileSync(file, JSON.stringify(workflows));
		await this.n8nOrThrow(['import:workflow', `--input=${file}`], /Successfully imported/, 180_000);
	}

	/**
	 * Publishes (activates) a workflow so `n8n start` registers its production webhooks and triggers:
	 * `publish:workflow` in n8n 2.x; n8n 1.x has no publishing and activates with `update:workflow`.
	 */
	async publishWorkflow(id: string): Promise<void> {
		if (Number(this.runtime.version.split('.')[0]) >= 2) {
			await this.n8nOrThrow(['publish:workflow', `--id=${id}`]);
		} else {
			await this.n8nOrThrow(['update:workflow', `--id=${id}`, '--active=true']);
		}
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`, parsing the execution JSON out of the output; `signal`
	 * SIGKILLs n8n and its task runner when aborted.
	 */
	async execute(
		id: string,
		timeoutMs = 5 * 60_000,
		signal?: AbortSignal,
	): Promise<ExecutionResult> {
		const result = await this.n8n(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs, signal });
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
		const url = `http://127.0.0.1:${options.port}`;
		return await this.spawnServer({
			args: ['start'],
			url,
			readyUrl: `${url}/healthz/readiness`,
			env: {
				N8N_PORT: String(options.port),
				N8N_WEBHOOK_URL: `${url}/`,
				N8N_EDITOR_BASE_URL: `${url}/`,
				...options.env,
			},
			timeoutMs: options.timeoutMs,
			logFile: options.logFile ?? path.join(this.dir, 'n8n-start.log'),
		});
	}

	/**
	 * Starts a long-running n8n command (`start`, `worker`) with a free task-broker port, its output
	 * in `logFile`, and waits until `readyUrl` answers 2xx.
	 */
	async spawnServer(options: {
		args: string[];
		url: string;
		readyUrl: string;
		env?: Record<string, string>;
		timeoutMs?: number;
		logFile: string;
	}): Promise<N8nServer> {
		const { logFile } = options;
		const what = `n8n ${options.args[0]}`;
		const brokerPort = await freePort();
		this.brokerPorts.add(brokerPort);
		// n8n writes straight into the log file, not through a pipe to this process: if this process
		// dies first, n8n must not block or spin on a broken pipe while it shuts down
		const logFd = fs.openSync(logFile, 'w');
		const child = spawnTracked(this.runtime.node, [this.runtime.bin, ...options.args], {
			cwd: this.dir,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...options.env }),
			stdio: ['ignore', logFd, logFd],
		});
		fs.closeSync(logFd);
		const timeoutMs = options.timeoutMs ?? 120_000;
		const deadline = Date.now() + timeoutMs;
		let exited = false;
		child.once('exit', () => (exited = true));
		while (true) {
			if (exited) {
				throw new Error(
					`${what} exited early (exit ${child.exitCode}); log: ${logFile}\n${tail(logFile)}`,
				);
			}
			try {
				const response = await fetch(options.readyUrl, { signal: AbortSignal.timeout(2000) });
				if (response.ok) break;
			} catch {
				/* not up yet */
			}
			if (Date.now() > deadline) {
				await stopChild(child);
				throw new Error(
					`${what} did not become ready within ${timeoutMs / 1000}s; log: ${logFile}\n${tail(logFile)}`,
				);
			}
			await sleep(500);
		}
		return {
			url: options.url,
			child,
			logFile,
			stop: async () => {
				await stopChild(child, 15_000);
			},
		};
	}
}

/** The Electio credential that points at the sandbox, for importCredentials. */
export function sandboxCredential(spec: CredentialSpec): Record<string, unknown> {
	return {
		...SANDBOX_CREDENTIAL,
		type: CREDENTIAL_TYPE,
		data: { apiKey: spec.apiKey, environment: 'custom', baseUrl: spec.baseUrl },
	};
}

/** n8n's SMTP credential for a mail server without TLS or login (harness/smtp.ts), for importCredentials. */
export function smtpCredential(server: { host: string; port: number }): Record<string, unknown> {
	return {
		...SMTP_CREDENTIAL,
		type: 'smtp',
		data: {
			user: '',
			password: '',
			host: server.host,
			port: server.port,
			secure: false,
			disableStartTls: true,
		},
	};
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

/** bcrypt hash for N8N_INSTANCE_OWNER_PASSWORD_HASH, with the bcryptjs that ships with n8n. */
function bcryptHash(runtime: N8nRuntime, password: string): string {
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
