// The n8n editor as `npm run n8n` sets it up, for a person or a browser test: the local sandbox, a
// real n8n (`n8n start`) with this package installed the way n8n installs community packages, the
// sandbox credential (and an SMTP one for a local mail catcher), the example workflows (imported into
// a new user folder; those a person opens by URL published), and a local owner to log in as.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { EXAMPLES, PUBLISHED_EXAMPLES, readExample } from '../package';
import { log, portIsFree, sleep } from '../process';
import { buildAndPack, ensureN8n, type N8nRuntime } from './install';
import {
	N8nUserFolder,
	OWNER,
	ownerEnv,
	sandboxCredential,
	smtpCredential,
	type N8nServer,
} from './userFolder';

export interface EditorOptions {
	/** n8n's port on 127.0.0.1 */
	n8nPort: number;
	/** the sandbox's port on 127.0.0.1 (0: any free one) */
	sandboxPort: number;
	/** the n8n user folder; kept between runs, so what a user builds survives a restart */
	dir: string;
	/** start from an empty user folder (the examples are imported again) */
	reset?: boolean;
	/** `npm run build` before packing (default true) */
	build?: boolean;
	/** extra environment for `n8n start` */
	env?: Record<string, string>;
	/** the mail server of the SMTP credential the approval-by-email example sends with */
	smtp?: { host: string; port: number };
}

export interface Editor {
	url: string;
	runtime: N8nRuntime;
	sandbox: Sandbox;
	folder: N8nUserFolder;
	server: N8nServer;
	/** the examples were imported by this start (a new user folder) */
	importedExamples: boolean;
	stop(): Promise<void>;
}

export async function startEditor(options: EditorOptions): Promise<Editor> {
	for (const [what, port, variable] of [
		['n8n', options.n8nPort, 'N8N_PORT'],
		['the sandbox', options.sandboxPort, 'ELECTIO_SANDBOX_PORT'],
	] as const) {
		if (port !== 0 && !(await portIsFree(port))) {
			throw new Error(
				`port ${port} for ${what} is in use on 127.0.0.1 (another \`npm run n8n\`?); stop it or set ${variable}`,
			);
		}
	}

	const runtime = await ensureN8n();
	const tgz = await buildAndPack({ build: options.build ?? true });

	if (options.reset) fs.rmSync(options.dir, { recursive: true, force: true });
	const firstTime = !fs.existsSync(path.join(options.dir, '.n8n', 'database.sqlite'));
	fs.mkdirSync(options.dir, { recursive: true });
	const folder = new N8nUserFolder(runtime, options.dir);

	const sandbox = await startSandbox({ port: options.sandboxPort });
	try {
		log(`sandbox on ${sandbox.url}`);
		await folder.installPackage(tgz);
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
		await folder.importCredentials([
			sandboxCredential({ baseUrl: sandbox.url, apiKey: sandbox.apiKey }),
			...(options.smtp ? [smtpCredential(options.smtp)] : []),
		]);
		if (firstTime) {
			await folder.importWorkflows(EXAMPLES.map(readExample));
			for (const example of PUBLISHED_EXAMPLES) {
				await folder.publishWorkflow(readExample(example).id);
			}
			log(`imported ${EXAMPLES.join(', ')}; published ${PUBLISHED_EXAMPLES.join(', ')}`);
		}
		const logFile = path.join(options.dir, 'n8n.log');
		log(`starting n8n ${runtime.version} (log: ${path.relative(process.cwd(), logFile)})...`);
		const server = await folder.start({
			port: options.n8nPort,
			env: { ...ownerEnv(runtime), ...options.env },
			logFile,
			timeoutMs: 180_000,
		});
		await editorServed(server.url);
		// n8n 1.x has no N8N_INSTANCE_OWNER_* settings: make the same owner through its setup call
		if (Number(runtime.version.split('.')[0]) < 2) await setUpOwner(server.url);
		return {
			url: server.url,
			runtime,
			sandbox,
			folder,
			server,
			importedExamples: firstTime,
			stop: async () => {
				await server.stop();
				await sandbox.close();
			},
		};
	} catch (error) {
		await sandbox.close();
		throw error;
	}
}

/**
 * Waits until n8n serves the editor itself: n8n 1.x answers /healthz/readiness a few seconds
 * before its UI routes exist (a browser would get "Cannot GET /signin").
 */
async function editorServed(url: string, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const response = await fetch(`${url}/signin`, {
				headers: { accept: 'text/html' },
				signal: AbortSignal.timeout(5000),
			});
			const body = await response.text();
			if (response.ok && /<html/i.test(body) && !/Cannot GET/.test(body)) return;
		} catch {
			/* not yet */
		}
		if (Date.now() > deadline) throw new Error(`n8n did not serve its editor at ${url} in time`);
		await sleep(500);
	}
}

/** The owner of ownerEnv(), made with the owner-setup call the editor's first screen uses (n8n 1.x). */
async function setUpOwner(url: string): Promise<void> {
	const response = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			email: OWNER.email,
			firstName: OWNER.firstName,
			lastName: OWNER.lastName,
			password: OWNER.password,
		}),
	});
	const body = await response.text();
	// a kept user folder already has its owner
	if (!response.ok && !/already/i.test(body)) {
		throw new Error(`setting up the n8n owner failed (${response.status}): ${body.slice(0, 300)}`);
	}
}
