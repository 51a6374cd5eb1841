// Child processes for the benchmark: run a command, sample the RSS of its whole process tree
// (Linux /proc) with timestamps, and collect its output.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface RssSample {
	at: number;
	/** RSS of the process and all its descendants, kB */
	treeKb: number;
	/** VmHWM (peak RSS) of the main process so far, kB */
	mainHwmKb: number;
}

export interface ChildResult {
	code: number | null;
	stdout: string;
	stderr: string;
	samples: RssSample[];
	timedOut: boolean;
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
		let children = '';
		try {
			children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
		} catch {
			continue;
		}
		for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
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

/** Runs a command, sampling its process tree's RSS every `sampleMs`. */
export async function runSampled(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; sampleMs?: number },
): Promise<ChildResult> {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
	child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
	const samples: RssSample[] = [];
	const sampler = setInterval(() => {
		if (child.pid) samples.push(sample(child.pid));
	}, options.sampleMs ?? 50);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			/* gone */
		}
	}, options.timeoutMs);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (c) => resolve(c));
	});
	clearInterval(sampler);
	clearTimeout(timer);
	// n8n's task runner may outlive the CLI for a moment; never leave it behind.
	try {
		process.kill(-child.pid!, 'SIGKILL');
	} catch {
		/* already gone */
	}
	return {
		code,
		stdout: Buffer.concat(out).toString('utf8'),
		stderr: Buffer.concat(err).toString('utf8'),
		samples,
		timedOut,
	};
}

/** Peak RSS in MB among samples taken up to `until` (the execution's own stop time). */
export function peakRssMb(samples: RssSample[], until = Infinity): number {
	let peak = 0;
	for (const s of samples) {
		if (s.at > until) break;
		peak = Math.max(peak, s.treeKb);
	}
	return peak / 1024;
}

/** Peak RSS in MB of the main process alone (its VmHWM) as of the last sample up to `until`. */
export function peakMainRssMb(samples: RssSample[], until = Infinity): number {
	let peak = 0;
	for (const s of samples) {
		if (s.at > until) break;
		peak = Math.max(peak, s.mainHwmKb);
	}
	return peak / 1024;
}
