// `npm run n8n:queue`: the n8n editor in queue mode, as a shop that has scaled out runs it: Redis
// and Postgres (Debian's servers, started here on free 127.0.0.1 ports with throwaway data), n8n
// main on http://127.0.0.1:5678 (EXECUTIONS_MODE=queue) and two `n8n worker` processes, each with
// this package in its own nodes folder; the sandbox on http://127.0.0.1:4010, the credential and
// the examples imported. Every execution runs on a worker, manual ones from the editor too
// (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true); the workers' logs say which ran what.
//
// Options: --workers N (default 2), --no-build (use dist/ as is), --keep (keep the folder with the
// logs and the data after Ctrl-C). Ports: N8N_PORT, ELECTIO_SANDBOX_PORT. Needs
// scripts/install-queue-deps.sh once. Nothing survives a restart unless --keep (and then only as files).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSandbox } from '../sandbox';
import { EXAMPLES, readExample } from '../harness/package';
import { log, portIsFree } from '../harness/process';
import { buildAndPack, ensureN8n, OWNER, ownerEnv } from '../harness/real-n8n';
import { QueueCluster } from '../harness/real-n8n/queue';
import { QUEUE_DEPS_SCRIPT, queueDepsInstalled } from '../harness/real-n8n/services';

function option(name: string): string | undefined {
	const argv = process.argv.slice(2);
	const index = argv.indexOf(`--${name}`);
	return index >= 0 ? argv[index + 1] : undefined;
}

async function main(): Promise<void> {
	const args = new Set(process.argv.slice(2));
	const n8nPort = Number(process.env.N8N_PORT ?? 5678);
	const sandboxPort = Number(process.env.ELECTIO_SANDBOX_PORT ?? 4010);
	const workers = Number(option('workers') ?? 2);
	if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers must be 1 or more');
	for (const [what, port, variable] of [
		['n8n', n8nPort, 'N8N_PORT'],
		['the sandbox', sandboxPort, 'ELECTIO_SANDBOX_PORT'],
	] as const) {
		if (!(await portIsFree(port))) {
			throw new Error(
				`port ${port} for ${what} is in use on 127.0.0.1 (another \`npm run n8n\`?); stop it or set ${variable}`,
			);
		}
	}
	if (!queueDepsInstalled()) {
		throw new Error(`Redis and Postgres are not installed: run \`bash ${QUEUE_DEPS_SCRIPT}\` once`);
	}

	const runtime = await ensureN8n();
	const tgz = await buildAndPack({ build: !args.has('--no-build') });
	const sandbox = await startSandbox({ port: sandboxPort });
	log(`sandbox on ${sandbox.url}`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'electio-n8n-queue-'));
	let cluster: QueueCluster;
	try {
		cluster = await QueueCluster.start({
			runtime,
			tgz,
			dir,
			workers,
			mainPort: n8nPort,
			credential: { baseUrl: sandbox.url, apiKey: sandbox.apiKey },
			workflows: EXAMPLES.map(readExample),
			mainEnv: ownerEnv(runtime),
		});
	} catch (error) {
		await sandbox.close();
		throw error;
	} finally {
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	}

	console.log('');
	console.log(`  n8n editor:   ${cluster.url}  (queue mode: main + ${workers} worker(s))`);
	console.log(`  log in with:  ${OWNER.email} / ${OWNER.password}   (local instance only)`);
	console.log(
		`  sandbox API:  ${sandbox.url}  (key ${sandbox.apiKey}; inspect: ${sandbox.url}/__sandbox/consignments)`,
	);
	console.log(`  credential:   "Electio sandbox (local)"; workflows: ${EXAMPLES.join(', ')}`);
	console.log(`  logs:         ${cluster.logFiles().join(', ')}`);
	console.log('  Publish (activate) the ERP example to call /webhook/electio-erp-order.');
	console.log('  Ctrl-C stops the workers, main, Postgres, Redis and the sandbox.');
	console.log('');

	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log('stopping n8n (workers, main), Postgres, Redis and the sandbox...');
		await cluster.stop({ keep: args.has('--keep') || code !== 0 });
		await sandbox.close();
		process.exit(code);
	};
	process.removeAllListeners('SIGINT');
	process.removeAllListeners('SIGTERM');
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	for (const child of [cluster.main!.child, ...cluster.workers.map((w) => w.server.child)]) {
		child.once('exit', (code) => {
			if (stopping) return;
			console.error(`an n8n process exited unexpectedly (exit ${code}); logs in ${dir}`);
			void stop(1);
		});
	}
}

main().catch((error) => {
	console.error(
		`npm run n8n:queue failed: ${error instanceof Error ? error.message : String(error)}`,
	);
	process.exit(1);
});
