// n8n's queue mode for development, CI and the benchmark: Redis and Postgres (./services.ts), one
// `n8n start` main with EXECUTIONS_MODE=queue that takes the webhooks and puts each execution on the
// Redis queue, and `n8n worker` processes that run them. Every process has its own user folder with
// this package installed in its nodes folder, the way the README's "Scaling out" tells users to (a
// worker without it fails its jobs with "Unrecognized node type" and says nothing at start).
// Binary data (labels, customs documents) is in n8n's `database` mode, the one n8n supports in
// queue mode: a worker stores the files in Postgres, where main and the other workers read them.
//
// The cluster also reads what n8n recorded: executions and their data from Postgres, the files
// from its binary_data table, and which worker ran which execution from the workers' logs.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import { PACKAGE_NAME } from '../package';
import { elapsed, freePort, log, sleep, stopChild } from '../process';
import type { BinarySource } from './execution';
import type { N8nRuntime } from './install';
import {
	postgresEnv,
	startPostgres,
	startRedis,
	type PostgresService,
	type RedisService,
	type Service,
} from './services';
import { N8nUserFolder, type CredentialSpec, type N8nServer } from './userFolder';

export interface QueueClusterOptions {
	runtime: N8nRuntime;
	/** the packed package, installed into every process's nodes folder */
	tgz: string;
	/** a throwaway folder: services' data, one user folder per process, logs */
	dir: string;
	/** `n8n worker` processes (default 2) */
	workers?: number;
	/** jobs each worker runs at once (`n8n worker --concurrency`, n8n's default 10) */
	workerConcurrency?: number;
	/** main's HTTP port (default: a free one) */
	mainPort?: number;
	credential: CredentialSpec;
	/** imported before the processes start (file paths or objects) */
	workflows?: Array<string | Record<string, any>>;
	/** workflow ids to publish (activate): their production webhooks are registered on main */
	publish?: string[];
	/** extra environment for main only (e.g. the instance owner for the editor) */
	mainEnv?: Record<string, string>;
}

export interface QueueWorker {
	name: string;
	folder: N8nUserFolder;
	server: N8nServer;
	healthPort: number;
}

export interface ExecutionRecord {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	startedAt: Date | null;
	stoppedAt: Date | null;
}

/** The environment of every process of the cluster (and of the CLI commands run against it). */
function queueEnv(redis: Service, postgres: PostgresService): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		...postgresEnv(postgres),
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		// n8n 1.x offers the database mode only when listed (2.x ignores this variable)
		N8N_AVAILABLE_BINARY_DATA_MODES: 'filesystem,database',
	};
}

export class QueueCluster {
	/** every worker started, killed ones included (their logs say what they ran) */
	readonly workers: QueueWorker[] = [];
	main?: N8nServer;
	mainFolder?: N8nUserFolder;
	private services: Service[] = [];
	private pgClient?: any;
	private stopped = false;
	private mainPort = 0;
	private mainEnv: Record<string, string> = {};
	private mainLogs: string[] = [];
	private workerConcurrency?: number;

	constructor(
		readonly runtime: N8nRuntime,
		readonly dir: string,
	) {}

	get url(): string {
		if (!this.main) throw new Error('the queue cluster has no main process');
		return this.main.url;
	}

	get postgres(): PostgresService {
		return this.services.find((s) => s.name === 'postgres') as PostgresService;
	}

	get redis(): RedisService {
		return this.services.find((s) => s.name === 'redis') as RedisService;
	}

	/** Every process's log file, main's first (one per start). */
	logFiles(): string[] {
		return [...this.mainLogs, ...this.workers.map((w) => w.server.logFile)];
	}

	static async start(options: QueueClusterOptions): Promise<QueueCluster> {
		const cluster = new QueueCluster(options.runtime, options.dir);
		try {
			await cluster.boot(options);
			return cluster;
		} catch (error) {
			await cluster.stop();
			throw error;
		}
	}

	private async boot(o: QueueClusterOptions): Promise<void> {
		const started = Date.now();
		fs.mkdirSync(o.dir, { recursive: true });
		const [redis, postgres] = await Promise.all([
			startRedis(path.join(o.dir, 'redis')),
			startPostgres(path.join(o.dir, 'postgres')),
		]);
		this.services.push(redis, postgres);
		log(
			`redis on 127.0.0.1:${redis.port}, postgres on 127.0.0.1:${postgres.port} (${elapsed(started)})`,
		);
		const settings = queueEnv(redis, postgres);

		const workerCount = o.workers ?? 2;
		const main = new N8nUserFolder(o.runtime, path.join(o.dir, 'main'), settings);
		const workerFolders = Array.from(
			{ length: workerCount },
			(_, i) => new N8nUserFolder(o.runtime, path.join(o.dir, `worker-${i + 1}`), settings),
		);
		this.mainFolder = main;
		for (const folder of [main, ...workerFolders]) fs.mkdirSync(folder.dir, { recursive: true });
		// every instance gets the package in its own nodes folder; main also sets up the database
		const setUpMain = async () => {
			await main.installPackage(o.tgz);
			await main.importCredential(o.credential);
			await this.importWorkflows(main, o.workflows ?? []);
			for (const id of o.publish ?? []) await main.publishWorkflow(id);
		};
		await Promise.all([setUpMain(), ...workerFolders.map((f) => f.installPackage(o.tgz))]);
		log(
			`package installed on main and ${workerCount} worker(s), data imported (${elapsed(started)})`,
		);

		this.mainPort = o.mainPort ?? (await freePort());
		// manual executions from the editor run on the workers too, as they will in n8n 3
		this.mainEnv = { OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true', ...o.mainEnv };
		this.workerConcurrency = o.workerConcurrency;
		const results = await Promise.allSettled([
			this.startMain(),
			...workerFolders.map((folder, i) => this.startWorker(folder, `worker-${i + 1}`)),
		]);
		const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
		if (failure) throw failure.reason;
		this.workers.sort((a, b) => a.name.localeCompare(b.name));
		for (const worker of this.workers) {
			const installed = path.join(worker.folder.n8nDir, 'nodes', 'node_modules', PACKAGE_NAME);
			if (!fs.existsSync(path.join(installed, 'package.json')))
				throw new Error(`${worker.name} has no ${PACKAGE_NAME} in its nodes folder`);
		}
		log(
			`queue mode up: main ${this.url}, ${this.workers.length} worker(s), in ${elapsed(started)}; logs in ${o.dir}`,
		);
	}

	/** `n8n start` as main on its port, logging to a new file (main-<n>.log after a restart). */
	private async startMain(): Promise<N8nServer> {
		const logFile = path.join(
			this.dir,
			this.mainLogs.length ? `main-${this.mainLogs.length + 1}.log` : 'main.log',
		);
		this.mainLogs.push(logFile);
		this.main = await this.mainFolder!.start({
			port: this.mainPort,
			env: this.mainEnv,
			logFile,
			timeoutMs: 240_000,
		});
		return this.main;
	}

	/** `n8n worker` in `folder` (the package installed there), ready once its health check answers. */
	private async startWorker(folder: N8nUserFolder, name: string): Promise<QueueWorker> {
		const healthPort = await freePort();
		const concurrency = this.workerConcurrency;
		const server = await folder.spawnServer({
			args: ['worker', ...(concurrency ? [`--concurrency=${concurrency}`] : [])],
			url: `http://127.0.0.1:${healthPort}`,
			readyUrl: `http://127.0.0.1:${healthPort}/healthz/readiness`,
			env: {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			},
			logFile: path.join(this.dir, `${name}.log`),
			timeoutMs: 240_000,
		});
		const worker = { name, folder, server, healthPort };
		this.workers.push(worker);
		return worker;
	}

	// -------------------------------------------------------------------------------------------
	// faults, for the chaos benchmark

	private worker(name: string): QueueWorker {
		const worker = this.workers.find((w) => w.name === name);
		if (!worker) throw new Error(`the queue cluster has no worker "${name}"`);
		return worker;
	}

	/** SIGKILLs a worker and its task runner at once, as the kernel's OOM killer would. */
	async killWorker(name: string): Promise<void> {
		await stopChild(this.worker(name).server.child, 0);
	}

	/**
	 * Starts a worker in place of a killed one, in its user folder (the package is installed
	 * there), as an orchestrator restarts a pod from the same image; named `<name>-replacement`.
	 */
	async replaceWorker(name: string): Promise<QueueWorker> {
		return await this.startWorker(this.worker(name).folder, `${name}-replacement`);
	}

	/** Stops main (SIGTERM, n8n's own shutdown) and starts it again on the same port. */
	async restartMain(): Promise<void> {
		await this.main?.stop();
		await this.startMain();
	}

	/**
	 * Stops Redis with its data saved, waits `downMs` and starts it again on the same port with the
	 * same data (its jobs and their locks), as a Redis restart with persistence does.
	 */
	async stopRedisFor(downMs: number): Promise<void> {
		const redis = this.redis;
		await redis.stopSaving();
		await sleep(downMs);
		const again = await startRedis(redis.dir, redis.port);
		this.services[this.services.indexOf(redis)] = again;
	}

	/** Imports the workflows with one `n8n import:workflow` (each CLI run starts n8n: seconds). */
	private async importWorkflows(
		folder: N8nUserFolder,
		workflows: Array<string | Record<string, any>>,
	): Promise<void> {
		if (!workflows.length) return;
		const file = path.join(folder.dir, 'workflows.json');
		fs.writeFileSync(
			file,
			JSON.stringify(
				workflows.map((w) => (typeof w === 'string' ? JSON.parse(fs.readFileSync(w, 'utf8')) : w)),
			),
		);
		const result = await folder.n8n(['import:workflow', `--input=${file}`], { timeoutMs: 180_000 });
		if (result.code !== 0 || !/Successfully imported/.test(result.stdout + result.stderr)) {
			throw new Error(
				`n8n import:workflow failed:\n${(result.stdout + result.stderr).slice(-3000)}`,
			);
		}
	}

	/** Stops workers, main, then Postgres and Redis; deletes the folder unless `keep`. */
	async stop(options: { keep?: boolean } = {}): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		await this.pgClient?.end().catch(() => undefined);
		await Promise.all(this.workers.map((w) => w.server.stop()));
		await this.main?.stop();
		for (const service of this.services.reverse()) await service.stop();
		if (options.keep) log(`kept the queue-mode folder (logs, data) at ${this.dir}`);
		else fs.rmSync(this.dir, { recursive: true, force: true });
	}

	// -------------------------------------------------------------------------------------------
	// what n8n recorded

	private requireFromN8n(id: string): any {
		return createRequire(path.join(this.runtime.home, 'node_modules', 'n8n', 'package.json'))(id);
	}

	/** A query on n8n's database (with the `pg` client that ships with n8n). */
	async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
		if (!this.pgClient) {
			const { Client } = this.requireFromN8n('pg');
			const pg = this.postgres;
			const client = new Client({
				host: '127.0.0.1',
				port: pg.port,
				user: pg.user,
				password: pg.password,
				database: pg.database,
			});
			await client.connect();
			this.pgClient = client;
		}
		return (await this.pgClient.query(sql, params)).rows as T[];
	}

	/** The executions of a workflow (or all), oldest first. */
	async executions(workflowId?: string): Promise<ExecutionRecord[]> {
		const rows = await this.query(
			`SELECT id::text AS id, "workflowId", status, mode, "startedAt", "stoppedAt"
			 FROM execution_entity ${workflowId ? 'WHERE "workflowId" = $1' : ''} ORDER BY execution_entity.id`,
			workflowId ? [workflowId] : [],
		);
		return rows as ExecutionRecord[];
	}

	/** Waits until `count` executions of the workflow are recorded and none is still running. */
	async settledExecutions(
		workflowId: string,
		count: number,
		timeoutMs = 60_000,
	): Promise<ExecutionRecord[]> {
		const deadline = Date.now() + timeoutMs;
		while (true) {
			const rows = await this.executions(workflowId);
			const open = rows.filter((r) => ['new', 'running', 'waiting'].includes(r.status));
			if (rows.length >= count && open.length === 0) return rows;
			if (Date.now() > deadline) {
				throw new Error(
					`executions of ${workflowId}: ${rows.length} recorded (expected ${count}), ${open.length} not finished after ${timeoutMs / 1000}s`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** An execution as `n8n execute --rawOutput` prints it: `{ id, status, data: { resultData } }`. */
	async execution(id: string): Promise<any> {
		const [row] = await this.query(
			`SELECT e.id::text AS id, e.status, e.mode, d.data FROM execution_entity e
			 JOIN execution_data d ON d."executionId" = e.id WHERE e.id = $1`,
			[id],
		);
		if (!row) throw new Error(`execution ${id} is not in the database`);
		const { parse } = this.requireFromN8n('flatted');
		return { id: row.id, status: row.status, mode: row.mode, data: parse(row.data) };
	}

	/** The files an execution stored in the database (binary data mode `database`), by binary id. */
	async binaries(executionId: string): Promise<BinarySource> {
		const rows = await this.query<{ fileId: string; data: Buffer }>(
			`SELECT "fileId", data FROM binary_data WHERE "sourceType" = 'execution' AND "sourceId" = $1`,
			[executionId],
		);
		const files = new Map(rows.map((r) => [`database:${r.fileId}`, r.data]));
		return {
			readBinary: (id: string) => {
				const bytes = files.get(id);
				if (!bytes) throw new Error(`binary ${id} is not stored for execution ${executionId}`);
				return bytes;
			},
		};
	}

	/** Which worker ran each execution, from the workers' own logs ("Worker started execution N"). */
	executionsByWorker(): Map<string, string> {
		const byExecution = new Map<string, string>();
		for (const worker of this.workers) {
			const text = fs.existsSync(worker.server.logFile)
				? fs.readFileSync(worker.server.logFile, 'utf8')
				: '';
			for (const match of text.matchAll(/Worker started execution (\d+)/g)) {
				byExecution.set(match[1], worker.name);
			}
		}
		return byExecution;
	}

	/** Lines of main's and the workers' logs that match `pattern`. */
	logLines(pattern: RegExp): string[] {
		return this.logFiles().flatMap((file) =>
			fs
				.readFileSync(file, 'utf8')
				.split('\n')
				.filter((line) => pattern.test(line))
				.map((line) => `${path.basename(file)}: ${line}`),
		);
	}
}
