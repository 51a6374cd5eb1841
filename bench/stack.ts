// The stack the benches measure on, started one way: the sandbox (seeded, the bench's latency per
// call, a request log long enough for a whole run) and, for `npm run bench` and `npm run
// bench:webhook`, a throwaway n8n user folder with the package packed from this tree installed, the
// sandbox credential and the bench's workflows imported (and published, for `n8n start` to serve
// their webhooks). `npm run bench:queue` starts a queue-mode cluster per scenario on benchSandbox;
// `npm run chaos` does too, and gives its package and sandbox to startStack for its single process.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../sandbox';
import { ERP_WEBHOOK_PATH, ERP_WORKFLOW_ID } from '../harness/fixtures/webhookFlows';
import { readExample } from '../harness/package';
import { log } from '../harness/process';
import { buildAndPack, ensureN8n, N8nUserFolder, type N8nRuntime } from '../harness/real-n8n';
import { QueueCluster } from '../harness/real-n8n/queue';
import { waitForWebhook } from '../harness/webhookSends';

/** The sandbox a bench measures against: seed 1, `latencyMs` per call, every call logged. */
export async function benchSandbox(latencyMs: number): Promise<Sandbox> {
	return await startSandbox({ port: 0, seed: 1, latencyMs, maxLogEntries: 1_000_000 });
}

/**
 * A fresh sandbox (no consignments, no log) at this latency and request limit (null: none).
 * Setting the limit also refills its token bucket: every run starts from the same state.
 */
export function resetSandbox(sandbox: Sandbox, latencyMs: number, perSecond: number | null): void {
	sandbox.reset();
	sandbox.setLatency(latencyMs);
	sandbox.setRateLimit(perSecond);
}

export interface StackOptions {
	/** `npm run build` before packing (else dist/ as it is) */
	build: boolean;
	latencyMs: number;
	/** the user folder's name in the temporary folder, before its random suffix */
	folderPrefix: string;
	/** the workflows to import, once the sandbox's URL and key are known */
	workflows: (sandbox: Sandbox) => Array<Record<string, any>>;
	/** publish the workflows, for `n8n start` to serve their webhooks */
	publish?: boolean;
	/** a package already packed (else built and packed here); left where it is */
	tgz?: string;
	/** a sandbox already running (else started here); left running by close() */
	sandbox?: Sandbox;
}

export interface BenchStack {
	sandbox: Sandbox;
	folder: N8nUserFolder;
	n8nVersion: string;
	/** the Node version n8n runs on, as `node --version` prints it */
	n8nNode: string;
	/** Closes the sandbox (unless it was given) and removes the user folder. */
	close(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<BenchStack> {
	const runtime = await ensureN8n();
	const n8nNode = execFileSync(runtime.node, ['--version'], { encoding: 'utf8' }).trim();
	log(
		`n8n ${runtime.version} (Node ${n8nNode}) from ${runtime.home}; n8n-nodes-base is loaded from there`,
	);
	const tgz = options.tgz ?? (await buildAndPack({ build: options.build }));
	const sandbox = options.sandbox ?? (await benchSandbox(options.latencyMs));
	const folder = new N8nUserFolder(
		runtime,
		fs.mkdtempSync(path.join(os.tmpdir(), options.folderPrefix)),
	);
	const close = async () => {
		if (!options.sandbox) await sandbox.close();
		fs.rmSync(folder.dir, { recursive: true, force: true });
	};
	try {
		await folder.installPackage(tgz);
		if (!options.tgz) fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
		await folder.importCredential({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
		const workflows = options.workflows(sandbox);
		await folder.importWorkflows(workflows);
		if (options.publish)
			for (const workflow of workflows) await folder.publishWorkflow(workflow.id);
		log(
			`sandbox on ${sandbox.url}; n8n user folder ${folder.dir} with ${workflows.length} workflows`,
		);
	} catch (error) {
		await close();
		throw error;
	}
	return { sandbox, folder, n8nVersion: runtime.version, n8nNode, close };
}

export interface ErpClusterOptions {
	runtime: N8nRuntime;
	tgz: string;
	sandbox: Sandbox;
	latencyMs: number;
	/** the sandbox's limit, requests/s */
	rate: number;
	workers: number;
	workerConcurrency?: number;
	/** the cluster's folder's name in the temporary folder, before its random suffix */
	folderPrefix: string;
}

/**
 * A fresh queue-mode cluster running examples/erp-webhook-to-label.json, published, against a
 * fresh sandbox; returns once its webhook answers, with the sandbox's log empty and its token
 * bucket full, so every scenario starts from the same state. Stop it with `cluster.stop()`.
 */
export async function startErpCluster(
	o: ErpClusterOptions,
): Promise<{ cluster: QueueCluster; url: string; bootS: number }> {
	resetSandbox(o.sandbox, o.latencyMs, o.rate);
	const booted = Date.now();
	const cluster = await QueueCluster.start({
		runtime: o.runtime,
		tgz: o.tgz,
		dir: fs.mkdtempSync(path.join(os.tmpdir(), o.folderPrefix)),
		workers: o.workers,
		workerConcurrency: o.workerConcurrency,
		credential: { baseUrl: o.sandbox.url, apiKey: o.sandbox.apiKey },
		workflows: [readExample('erp-webhook-to-label.json')],
		publish: [ERP_WORKFLOW_ID],
	});
	const bootS = (Date.now() - booted) / 1000;
	const url = `${cluster.url}/webhook/${ERP_WEBHOOK_PATH}`;
	try {
		await waitForWebhook(url);
	} catch (error) {
		await cluster.stop({ keep: true });
		throw error;
	}
	o.sandbox.setRateLimit(o.rate);
	o.sandbox.clearRequests();
	return { cluster, url, bootS };
}
