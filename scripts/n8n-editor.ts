// `npm run n8n`: the n8n editor on http://127.0.0.1:5678 with this package installed, the local
// sandbox on http://127.0.0.1:4010, a credential pointing at it and the example workflows imported.
//
// The n8n user folder lives in .n8n-runtime/editor (git-ignored) so flows built in the editor
// survive restarts; the package and credential are refreshed on every start, the examples are
// imported the first time (and again with --reset, which starts from an empty folder).
// Ports: N8N_PORT (default 5678), ELECTIO_SANDBOX_PORT (default 4010). Ctrl-C stops everything.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../sandbox';
import { EXAMPLES, readExample, REPO_ROOT } from '../harness/package';
import { log, portIsFree } from '../harness/process';
import { buildAndPack, ensureN8n, N8nUserFolder, OWNER, ownerEnv } from '../harness/real-n8n';

async function main(): Promise<void> {
	const args = new Set(process.argv.slice(2));
	const n8nPort = Number(process.env.N8N_PORT ?? 5678);
	const sandboxPort = Number(process.env.ELECTIO_SANDBOX_PORT ?? 4010);
	for (const [what, port] of [
		['n8n', n8nPort],
		['the sandbox', sandboxPort],
	] as const) {
		if (!(await portIsFree(port))) {
			throw new Error(
				`port ${port} for ${what} is in use on 127.0.0.1 (another \`npm run n8n\`?); stop it or set ${what === 'n8n' ? 'N8N_PORT' : 'ELECTIO_SANDBOX_PORT'}`,
			);
		}
	}

	const runtime = await ensureN8n();
	const tgz = await buildAndPack({ build: !args.has('--no-build') });

	const dir = path.join(REPO_ROOT, '.n8n-runtime', 'editor');
	if (args.has('--reset')) fs.rmSync(dir, { recursive: true, force: true });
	const firstTime = !fs.existsSync(path.join(dir, '.n8n', 'database.sqlite'));
	fs.mkdirSync(dir, { recursive: true });
	const folder = new N8nUserFolder(runtime, dir);

	const sandbox = await startSandbox({ port: sandboxPort });
	log(`sandbox on ${sandbox.url}`);
	await folder.installPackage(tgz);
	fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	await folder.importCredential({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
	if (firstTime) {
		for (const example of EXAMPLES) await folder.importWorkflow(readExample(example));
		log(`imported ${EXAMPLES.join(', ')}`);
	}

	log(
		`starting n8n ${runtime.version} (log: ${path.relative(process.cwd(), path.join(dir, 'n8n.log'))})...`,
	);
	const server = await folder.start({
		port: n8nPort,
		env: ownerEnv(runtime),
		logFile: path.join(dir, 'n8n.log'),
		timeoutMs: 180_000,
	});

	console.log('');
	console.log(`  n8n editor:   ${server.url}`);
	console.log(`  log in with:  ${OWNER.email} / ${OWNER.password}   (local instance only)`);
	console.log(
		`  sandbox API:  ${sandbox.url}  (key ${sandbox.apiKey}; inspect: ${sandbox.url}/__sandbox/consignments)`,
	);
	console.log(`  credential:   "Electio sandbox (local)"; workflows: ${EXAMPLES.join(', ')}`);
	console.log(
		`  user folder:  ${path.relative(process.cwd(), dir)}  (npm run n8n -- --reset to start over)`,
	);
	console.log('  Ctrl-C stops n8n and the sandbox.');
	console.log('');

	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) {
			// a second Ctrl-C: do not wait for n8n's graceful shutdown
			if (server.child.pid) process.kill(-server.child.pid, 'SIGKILL');
			return;
		}
		stopping = true;
		log('stopping n8n and the sandbox...');
		await server.stop();
		await sandbox.close();
		process.exit(code);
	};
	process.removeAllListeners('SIGINT');
	process.removeAllListeners('SIGTERM');
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	server.child.once('exit', (code) => {
		if (!stopping) {
			console.error(`n8n exited unexpectedly (exit ${code}); see ${path.join(dir, 'n8n.log')}`);
			void sandbox.close().then(() => process.exit(1));
		}
	});
}

main().catch((error) => {
	console.error(`npm run n8n failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
