// The servers n8n's queue mode needs, for development and CI: Redis (the job queue) and Postgres
// (the shared database), the real servers from Debian's packages (scripts/install-queue-deps.sh),
// each on a free port of 127.0.0.1 with its data in a throwaway folder, started as children of this
// process and stopped (and their data deleted) by stop(), also when this process exits.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { freePort, run, runOrThrow, sleep, spawnTracked, stopChild } from '../process';

export const QUEUE_DEPS_SCRIPT = 'scripts/install-queue-deps.sh';

export interface Service {
	name: string;
	port: number;
	logFile: string;
	stop(): Promise<void>;
}

export interface PostgresService extends Service {
	database: string;
	user: string;
	password: string;
}

function missing(what: string): Error {
	return new Error(
		`${what} is not installed: run \`bash ${QUEUE_DEPS_SCRIPT}\` (Debian's redis-server and postgresql)`,
	);
}

function onPath(command: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin'])) {
		const file = path.join(dir, command);
		if (dir && fs.existsSync(file)) return file;
	}
	return undefined;
}

/** Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin: the newest major there. */
function postgresBin(): string {
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((entry) => fs.existsSync(path.join(root, entry, 'bin', 'postgres')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (majors.length) return path.join(root, majors[0], 'bin');
	const initdb = onPath('initdb');
	if (initdb && fs.existsSync(path.join(path.dirname(fs.realpathSync(initdb)), 'postgres')))
		return path.dirname(fs.realpathSync(initdb));
	throw missing('PostgreSQL');
}

export function queueDepsInstalled(): boolean {
	try {
		postgresBin();
		return onPath('redis-server') !== undefined;
	} catch {
		return false;
	}
}

/** Postgres refuses to run as root: as root, its commands run as the `postgres` user. */
function asPostgresUser(): { wrap: (command: string, args: string[]) => [string, string[]] } & {
	uid?: number;
	gid?: number;
} {
	if (process.getuid?.() !== 0) return { wrap: (command, args) => [command, args] };
	const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
	const runuser = onPath('runuser');
	if (!runuser) throw new Error('running as root needs runuser (util-linux) to start postgres');
	return {
		uid,
		gid,
		wrap: (command, args) => [runuser, ['-u', 'postgres', '--', command, ...args]],
	};
}

async function waitFor(
	what: string,
	logFile: string,
	exited: () => boolean,
	ready: () => Promise<boolean>,
	timeoutMs = 30_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await ready())) {
		const log = () => fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
		if (exited()) throw new Error(`${what} exited while starting; ${logFile}:\n${log()}`);
		if (Date.now() > deadline)
			throw new Error(`${what} not ready in ${timeoutMs / 1000}s:\n${log()}`);
		await sleep(100);
	}
}

/** Sends `line` over TCP and resolves with the first chunk of the answer ('' on error). */
function tcpAsk(port: number, line: string): Promise<string> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const done = (answer: string) => {
			socket.destroy();
			resolve(answer);
		};
		socket.setTimeout(1000, () => done(''));
		socket.once('error', () => done(''));
		socket.once('connect', () => socket.write(line));
		socket.once('data', (chunk) => done(chunk.toString('latin1')));
		// a server that closes without a word (Redis on SHUTDOWN) ends the question too
		socket.once('close', () => done(''));
	});
}

function spawnService(
	name: string,
	command: string,
	args: string[],
	dir: string,
): { child: ReturnType<typeof spawnTracked>; logFile: string; exited: () => boolean } {
	const logFile = path.join(dir, `${name}.log`);
	// appended: a service started again in its folder keeps the log of its first run
	const fd = fs.openSync(logFile, 'a');
	const child = spawnTracked(command, args, { cwd: dir, stdio: ['ignore', fd, fd] });
	fs.closeSync(fd);
	let gone = false;
	child.once('exit', () => (gone = true));
	return { child, logFile, exited: () => gone };
}

export interface RedisService extends Service {
	dir: string;
	/** Stops Redis with its data saved to its folder (`SHUTDOWN SAVE`), for startRedis to load again. */
	stopSaving(): Promise<void>;
}

/**
 * redis-server on 127.0.0.1 (a free port unless told), no persistence of its own, its folder in
 * `dir`; a dump saved there by stopSaving() is loaded at start.
 */
export async function startRedis(dir: string, port?: number): Promise<RedisService> {
	const server = onPath('redis-server');
	if (!server) throw missing('redis-server');
	fs.mkdirSync(dir, { recursive: true });
	port ??= await freePort();
	const { child, logFile, exited } = spawnService(
		'redis',
		server,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--protected-mode',
			'yes',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
			'--loglevel',
			'warning',
		],
		dir,
	);
	const stop = () => stopChild(child, 5000);
	const stopSaving = async () => {
		const gone = new Promise<void>((resolve) =>
			exited() ? resolve() : child.once('exit', () => resolve()),
		);
		await tcpAsk(port, 'SHUTDOWN SAVE\r\n');
		await Promise.race([gone, sleep(10_000)]);
		await stop();
	};
	try {
		await waitFor('redis-server', logFile, exited, async () =>
			(await tcpAsk(port, 'PING\r\n')).startsWith('+PONG'),
		);
	} catch (error) {
		await stop();
		throw error;
	}
	return { name: 'redis', port, logFile, dir, stop, stopSaving };
}

/**
 * A fresh Postgres cluster (`initdb`) in `dir`, served on 127.0.0.1:<free port> over TCP only (no
 * Unix socket), with a password user and an empty database for n8n. Durability is off (fsync,
 * synchronous_commit): the data is thrown away anyway.
 */
export async function startPostgres(dir: string): Promise<PostgresService> {
	const bin = postgresBin();
	const user = asPostgresUser();
	const dataDir = path.join(dir, 'data');
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	// the postgres user must be able to reach its folder
	if (user.uid !== undefined) {
		for (let up = path.dirname(dir); up !== path.dirname(up); up = path.dirname(up)) {
			if ((fs.statSync(up).mode & 0o001) === 0) fs.chmodSync(up, fs.statSync(up).mode | 0o011);
		}
		fs.chownSync(dir, user.uid, user.gid!);
	}
	const password = crypto.randomBytes(12).toString('hex');
	const pwFile = path.join(dir, 'pwfile');
	fs.writeFileSync(pwFile, password, { mode: 0o600 });
	if (user.uid !== undefined) fs.chownSync(pwFile, user.uid, user.gid!);
	const database = 'n8n';
	const dbUser = 'n8n';
	const [initCommand, initArgs] = user.wrap(path.join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		dbUser,
		`--pwfile=${pwFile}`,
		'--auth=scram-sha-256',
		'-E',
		'UTF8',
		'--locale=C',
		'--no-sync',
	]);
	await runOrThrow('initdb', initCommand, initArgs, { cwd: dir, timeoutMs: 60_000 });
	fs.rmSync(pwFile, { force: true });
	const port = await freePort();
	const [command, args] = user.wrap(path.join(bin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'unix_socket_directories=',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=100',
	]);
	const { child, logFile, exited } = spawnService('postgres', command, args, dir);
	// SIGINT is postgres's "fast" shutdown: it does not wait for clients
	const stop = async () => {
		if (child.exitCode === null && child.pid) {
			try {
				process.kill(-child.pid, 'SIGINT');
			} catch {
				/* gone */
			}
		}
		await stopChild(child, 10_000);
	};
	try {
		// pg_isready exits 0 only once the server accepts connections (not while it is starting up)
		await waitFor('postgres', logFile, exited, async () => {
			const probe = await run(
				path.join(bin, 'pg_isready'),
				['-q', '-h', '127.0.0.1', '-p', String(port), '-d', 'postgres'],
				{ cwd: dir, timeoutMs: 5000 },
			);
			return probe.code === 0;
		});
		await runOrThrow(
			'createdb',
			path.join(bin, 'createdb'),
			['-h', '127.0.0.1', '-p', String(port), '-U', dbUser, database],
			{ cwd: dir, env: { ...process.env, PGPASSWORD: password }, timeoutMs: 30_000 },
		);
	} catch (error) {
		await stop();
		throw error;
	}
	const service: PostgresService = {
		name: 'postgres',
		port,
		logFile,
		database,
		user: dbUser,
		password,
		stop,
	};
	return service;
}

/** n8n's settings for a Postgres database. */
export function postgresEnv(pg: PostgresService): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: pg.password,
	};
}

/** The versions of the Postgres and Redis servers queue mode runs on, for reports ('?' if unknown). */
export function queueServiceVersions(): { postgres: string; redis: string } {
	const version = (command: string, args: string[]) => {
		try {
			return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0];
		} catch {
			return '?';
		}
	};
	let postgres = '?';
	try {
		postgres = version(path.join(postgresBin(), 'postgres'), ['--version']).replace(
			/^postgres \(PostgreSQL\) /,
			'',
		);
	} catch {
		/* not installed */
	}
	const redis = version(onPath('redis-server') ?? 'redis-server', ['--version']).replace(
		/^Redis server v=(\S+).*/,
		'$1',
	);
	return { postgres, redis };
}
