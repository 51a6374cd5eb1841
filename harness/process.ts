// Child processes for the dev scripts, the e2e run and the benchmark: run a command with a hard
// timeout (optionally sampling the RSS of its whole process tree, Linux /proc), start long-running
// ones, free ports, waiting for a condition, and progress messages. Every child is started detached
// in its own process group, registered, and killed (the whole group) on exit, also on failure or
// Ctrl-C.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

import { REPO_ROOT } from './package';

/** A progress message on stderr. */
export function log(message: string): void {
	process.stderr.write(`[electio] ${message}\n`);
}

export function elapsed(startMs: number): string {
	return `${((Date.now() - startMs) / 1000).toFixed(1)}s`;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `condition` holds, checking every 500 ms; past the timeout says what it waited for. */
export async function until(
	condition: () => boolean,
	timeoutMs: number,
	what: () => string,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what()}`);
		await sleep(500);
	}
}

// ---------------------------------------------------------------------------------------------
// ports

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

// ---------------------------------------------------------------------------------------------
// child process bookkeeping

const children = new Set<ChildProcess>();
let cleanupInstalled = false;

/** Sends `signal` to the child's process group (it was started detached), or to the child alone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		process.kill(-child.pid!, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

function killAll(): void {
	for (const child of children) {
		if (child.exitCode === null && child.signalCode === null && child.pid) {
			signalGroup(child, 'SIGTERM');
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

/** Spawns a child detached, in its own process group, registered to be killed on exit. */
export function spawnTracked(
	command: string,
	args: string[],
	options: Omit<SpawnOptions, 'detached'>,
): ChildProcess {
	installCleanup();
	const child = spawn(command, args, { ...options, detached: true });
	children.add(child);
	child.on('exit', () => children.delete(child));
	return child;
}

/** Stops a child (its process group): SIGTERM, SIGKILL after `graceMs` (at once when 0). */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	if (graceMs <= 0) {
		signalGroup(child, 'SIGKILL');
		await exited;
		return;
	}
	signalGroup(child, 'SIGTERM');
	const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// RSS sampling (Linux /proc)

export interface RssSample {
	at: number;
	/** RSS of the process and all its descendants, kB */
	treeKb: number;
	/** VmHWM (peak RSS) of the main process so far, kB */
	mainHwmKb: number;
}

function statusKb(pid: number, field: string): number {
	try {
		const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

function descendants(pid: number, into: number[] = []): number[] {
	let tasks: string[] = [];
	try {
		tasks = fs.readdirSync(`/proc/${pid}/task`);
	} catch {
		return into;
	}
	for (const task of tasks) {
		let childPids = '';
		try {
			childPids = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
		} catch {
			continue;
		}
		for (const child of childPids.split(/\s+/).filter(Boolean).map(Number)) {
			into.push(child);
			descendants(child, into);
		}
	}
	return into;
}

function sample(pid: number): RssSample {
	let treeKb = statusKb(pid, 'VmRSS');
	for (const child of descendants(pid)) treeKb += statusKb(child, 'VmRSS');
	return { at: Date.now(), treeKb, mainHwmKb: statusKb(pid, 'VmHWM') };
}

/**
 * CPU seconds (user + system) the live processes of a tree have used so far (Linux /proc): the
 * difference over a stretch is the work done in it, whatever else shares the machine.
 */
export function cpuSeconds(pid: number): number {
	const ticksPerSecond = 100; // USER_HZ on Linux
	let ticks = 0;
	for (const each of [pid, ...descendants(pid)]) {
		try {
			// the fields after the command name (which may hold spaces) start at its closing ')'
			const stat = fs.readFileSync(`/proc/${each}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
		} catch {
			/* gone */
		}
	}
	return ticks / ticksPerSecond;
}

/**
 * Samples the RSS of a running process tree (e.g. `n8n start` and its task runner) every `everyMs`
 * until stopped; the samples feed peakRssMb / peakMainRssMb.
 */
export function sampleRssEvery(
	pid: number,
	everyMs = 100,
): { samples: RssSample[]; stop(): RssSample[] } {
	const samples: RssSample[] = [sample(pid)];
	const timer = setInterval(() => samples.push(sample(pid)), everyMs);
	timer.unref();
	return {
		samples,
		stop: () => {
			clearInterval(timer);
			samples.push(sample(pid));
			return samples;
		},
	};
}

/** The largest `field` among samples taken up to `until` (the execution's own stop time), in MB. */
function peakMb(samples: RssSample[], field: 'treeKb' | 'mainHwmKb', until: number): number {
	let peak = 0;
	for (const s of samples) {
		if (s.at > until) break;
		peak = Math.max(peak, s[field]);
	}
	return peak / 1024;
}

/** Peak RSS in MB of the whole process tree among samples taken up to `until`. */
export function peakRssMb(samples: RssSample[], until = Infinity): number {
	return peakMb(samples, 'treeKb', until);
}

/** Peak RSS in MB of the main process alone (its VmHWM) as of the last sample up to `until`. */
export function peakMainRssMb(samples: RssSample[], until = Infinity): number {
	return peakMb(samples, 'mainHwmKb', until);
}

// ---------------------------------------------------------------------------------------------
// running a command to completion

export interface RunOptions {
	/** Default: the repository root. */
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs: number;
	/** Copy the child's stderr to ours as it comes. */
	echoStderr?: boolean;
	/** On timeout: SIGTERM, then SIGKILL after this long (default 3000; 0 = SIGKILL at once). */
	timeoutGraceMs?: number;
	/** Sample the process tree's RSS every this many ms into `samples`. */
	sampleRssMs?: number;
	/** Once the command has exited, SIGKILL what is left of its process group (e.g. n8n's task runner). */
	killGroupAfterExit?: boolean;
	/** SIGKILLs the command's whole process group when aborted (a crash in the middle of its work) */
	signal?: AbortSignal;
}

export interface RunResult {
	code: number | null;
	stdout: string;
	stderr: string;
	timedOut: boolean;
	/** RSS samples (empty unless `sampleRssMs` was given). */
	samples: RssSample[];
}

/** Runs a command with a hard timeout, collecting its output. */
export async function run(
	command: string,
	args: string[],
	options: RunOptions,
): Promise<RunResult> {
	const child = spawnTracked(command, args, {
		cwd: options.cwd ?? REPO_ROOT,
		env: options.env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
	child.stderr!.on('data', (chunk: Buffer) => {
		err.push(chunk);
		if (options.echoStderr) process.stderr.write(chunk);
	});
	const samples: RssSample[] = [];
	const sampler = options.sampleRssMs
		? setInterval(() => {
				if (child.pid) samples.push(sample(child.pid));
			}, options.sampleRssMs)
		: undefined;
	const kill = () => void stopChild(child, 0);
	options.signal?.addEventListener('abort', kill, { once: true });
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void stopChild(child, options.timeoutGraceMs ?? 3000);
	}, options.timeoutMs);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (c) => resolve(c));
	});
	clearInterval(sampler);
	clearTimeout(timer);
	options.signal?.removeEventListener('abort', kill);
	if (options.killGroupAfterExit && child.pid) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}
	return {
		code,
		stdout: Buffer.concat(out).toString('utf8'),
		stderr: Buffer.concat(err).toString('utf8'),
		timedOut,
		samples,
	};
}

/**
 * Runs a command sampling its process tree's RSS (every 50 ms unless told), as the benchmark
 * measures a contender: SIGKILL at the timeout, and nothing of its process group left behind.
 */
export async function runSampled(
	command: string,
	args: string[],
	options: Omit<RunOptions, 'sampleRssMs'> & { sampleMs?: number },
): Promise<RunResult> {
	const { sampleMs, ...rest } = options;
	return await run(command, args, {
		timeoutGraceMs: 0,
		killGroupAfterExit: true,
		...rest,
		sampleRssMs: sampleMs ?? 50,
	});
}

/** `run`, throwing with the tail of the output unless the command exits 0. */
export async function runOrThrow(
	what: string,
	command: string,
	args: string[],
	options: RunOptions,
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
