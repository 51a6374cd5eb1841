/**
 * The services the n8n server would normally provide to the execution engine (logger, instance
 * settings, error reporter, binary-data storage, the processed-items store of "Remove Duplicates"),
 * registered once with in-memory test doubles; and the capture of everything n8n logs, per run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import {
	BinaryDataService,
	DataDeduplicationService,
	ErrorReporter,
	InstanceSettings,
} from 'n8n-core';
import type { BinaryDataConfig } from 'n8n-core';
import { LoggerProxy } from 'n8n-workflow';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDataObject,
} from 'n8n-workflow';

const logContext = new AsyncLocalStorage<string[]>();

/** Runs `fn` with everything n8n logs meanwhile (in this async context) appended to `logs`. */
export async function capturingLogs<T>(logs: string[], fn: () => Promise<T>): Promise<T> {
	return await logContext.run(logs, fn);
}
/** Log lines emitted outside any run (e.g. at service set-up). */
export const strayLogs: string[] = [];

function record(level: string, message: unknown, meta?: unknown): void {
	let line = `${level}: ${typeof message === 'string' ? message : safeStringify(message)}`;
	if (meta !== undefined && !(meta && typeof meta === 'object' && Object.keys(meta).length === 0)) {
		line += ` ${safeStringify(meta)}`;
	}
	(logContext.getStore() ?? strayLogs).push(line);
}

function safeStringify(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return JSON.stringify(value, (_key, v: unknown) => {
			if (v instanceof Error) {
				return { name: v.name, message: v.message, ...(v as unknown as IDataObject) };
			}
			if (v && typeof v === 'object') {
				if (seen.has(v)) return '[circular]';
				seen.add(v);
			}
			return v;
		});
	} catch {
		return String(value);
	}
}

const captureLogger = {
	error: (m: string, meta?: unknown) => record('error', m, meta),
	warn: (m: string, meta?: unknown) => record('warn', m, meta),
	info: (m: string, meta?: unknown) => record('info', m, meta),
	debug: (m: string, meta?: unknown) => record('debug', m, meta),
	verbose: (m: string, meta?: unknown) => record('verbose', m, meta),
	scoped: () => captureLogger,
};

/**
 * What nodes recorded as processed (n8n keeps it in its database), by workflow and, for the node
 * scope, node: the values of mode `entries` ("Remove Items Processed in Previous Executions", value
 * is new), oldest first and at most `maxEntries`, as n8n prunes them.
 */
const processedItems = new Map<string, DeduplicationItemTypes[]>();

/** Forgets every processed item, as a new n8n database would. */
export function forgetProcessedItems(): void {
	processedItems.clear();
}

const processedKey = (scope: DeduplicationScope, context: ICheckProcessedContextData) =>
	`${context.workflow.id}/${scope === 'node' ? (context.node?.id ?? '') : ''}`;

function entriesOnly(options: ICheckProcessedOptions): void {
	if (options.mode !== 'entries')
		throw new Error(`the engine harness keeps processed items in mode "entries" only`);
}

const memoryDeduplicator: IDataDeduplicator = {
	async checkProcessedAndRecord(items, scope, context, options) {
		entriesOnly(options);
		const key = processedKey(scope, context);
		const seen = processedItems.get(key) ?? [];
		const known = new Set(seen);
		const fresh = items.filter((item) => !known.has(item));
		const kept = [...seen, ...new Set(fresh)];
		processedItems.set(
			key,
			kept.slice(Math.max(0, kept.length - (options.maxEntries ?? Infinity))),
		);
		return { new: fresh, processed: items.filter((item) => known.has(item)) };
	},
	async removeProcessed(items, scope, context) {
		const key = processedKey(scope, context);
		processedItems.set(
			key,
			(processedItems.get(key) ?? []).filter((item) => !items.includes(item)),
		);
	},
	async clearAllProcessedItems(scope, context) {
		processedItems.delete(processedKey(scope, context));
	},
	async getProcessedDataCount(scope, context) {
		return processedItems.get(processedKey(scope, context))?.length ?? 0;
	},
};

let engineReady = false;

/** Registers the test doubles of the n8n server's services, once (per jest module registry). */
export function ensureEngine(): void {
	if (engineReady) return;
	const n8nFolder = mkdtempSync(path.join(tmpdir(), 'n8n-engine-harness-'));

	// The engine logs through both the DI Logger and n8n-workflow's LoggerProxy.
	Container.set(Logger, captureLogger as unknown as Logger);
	LoggerProxy.init(captureLogger);

	// The real InstanceSettings reads/writes ~/.n8n/config; every node execution context asks for it.
	Container.set(InstanceSettings, {
		n8nFolder,
		staticCacheDir: path.join(n8nFolder, 'cache'),
		customExtensionDir: path.join(n8nFolder, 'custom'),
		nodesDownloadDir: path.join(n8nFolder, 'nodes'),
		instanceId: 'harness-instance',
		hmacSignatureSecret: 'harness-hmac',
		encryptionKey: 'harness-encryption-key',
		instanceType: 'main',
		instanceRole: 'leader',
		isLeader: true,
		isFollower: false,
		isWorker: false,
		isMultiMain: false,
		isSingleMain: true,
	} as unknown as InstanceSettings);

	const errorReporter = {
		error: (e: unknown, opts?: unknown) => record('error-reporter', e, opts),
		warn: (e: unknown, opts?: unknown) => record('error-reporter', e, opts),
		info: (m: unknown, opts?: unknown) => record('error-reporter', m, opts),
	};
	Container.set(ErrorReporter, errorReporter as unknown as ErrorReporter);

	// "default" mode = no storage manager: prepareBinaryData keeps the bytes inline (base64) in the
	// item. init() is deliberately not called (it would create a filesystem store we do not need).
	const binaryConfig = {
		mode: 'default',
		availableModes: ['default'],
		localStoragePath: path.join(n8nFolder, 'binaryData'),
		signingSecret: 'harness-signing-secret',
		dbMaxFileSize: 512,
	} as unknown as BinaryDataConfig;
	Container.set(
		BinaryDataService,
		new BinaryDataService(
			binaryConfig,
			errorReporter as unknown as ErrorReporter,
			captureLogger as unknown as Logger,
		),
	);

	// init() only records the deduplicator; it resolves at once.
	void DataDeduplicationService.init(memoryDeduplicator);

	engineReady = true;
}
