// Reading what a real n8n printed: the execution JSON of `n8n execute --rawOutput`, a node's output
// items, the execution's error, and binary data (inline or in the user folder's filesystem store).
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nUserFolder } from './userFolder';

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

/**
 * Where an execution's files are: a user folder (its filesystem store), or files read ahead from
 * n8n's database (binary data mode `database`, queue mode: QueueCluster.binaries).
 */
export type BinarySource = N8nUserFolder | { readBinary(id: string): Buffer };

/** Bytes of a binary property: inline base64, or read from where n8n stored it. */
export function binaryBytes(source: BinarySource, binary: { data: string; id?: string }): Buffer {
	if (binary.id && 'readBinary' in source) return source.readBinary(binary.id);
	const folder = source as N8nUserFolder;
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
