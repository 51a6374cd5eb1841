// `npm run n8n`: the n8n editor on http://127.0.0.1:5678 with this package installed, the local
// sandbox on http://127.0.0.1:4010, a credential pointing at it and the example workflows imported.
//
// The n8n user folder lives in .n8n-runtime/editor (git-ignored) so flows built in the editor
// survive restarts; the package and credential are refreshed on every start, the examples are
// imported the first time (and again with --reset, which starts from an empty folder): the editor
// autosaves, so an example changed while exploring stays changed until --reset.
// harness/real-n8n/editor.ts does the setup; `npm run test:ui` drives the same editor in a browser.
// The approval-by-email example sends through a local mail catcher (harness/smtp.ts) that prints
// each mail's subject and links here, so its form can be opened without a real mail server.
// Ports: N8N_PORT (default 5678), ELECTIO_SANDBOX_PORT (default 4010), ELECTIO_SMTP_PORT (default
// 2525). Ctrl-C stops everything.
import * as path from 'node:path';

import {
	EXAMPLES,
	PUBLISHED_EXAMPLES,
	readExample,
	REPO_ROOT,
	SMTP_CREDENTIAL,
} from '../harness/package';
import { log } from '../harness/process';
import { OWNER, startEditor } from '../harness/real-n8n';
import { startSmtpCapture } from '../harness/smtp';

async function main(): Promise<void> {
	const args = new Set(process.argv.slice(2));
	const dir = path.join(REPO_ROOT, '.n8n-runtime', 'editor');
	const smtp = await startSmtpCapture({
		port: Number(process.env.ELECTIO_SMTP_PORT ?? 2525),
		onMail: (mail) =>
			console.log(
				`  mail to ${mail.to.join(', ')}: "${mail.subject}"\n    ${mail.links.join('\n    ')}`,
			),
	});
	const editor = await startEditor({
		n8nPort: Number(process.env.N8N_PORT ?? 5678),
		sandboxPort: Number(process.env.ELECTIO_SANDBOX_PORT ?? 4010),
		dir,
		reset: args.has('--reset'),
		build: !args.has('--no-build'),
		smtp,
	});
	const { server, sandbox } = editor;

	console.log('');
	console.log(`  n8n editor:   ${server.url}  (n8n ${editor.runtime.version})`);
	console.log(`  log in with:  ${OWNER.email} / ${OWNER.password}   (local instance only)`);
	console.log(
		`  sandbox API:  ${sandbox.url}  (key ${sandbox.apiKey}; inspect: ${sandbox.url}/__sandbox/consignments)`,
	);
	console.log(`  credential:   "Electio sandbox (local)"; workflows: ${EXAMPLES.join(', ')}`);
	console.log(
		`  forms:        ${PUBLISHED_EXAMPLES.flatMap((example) => formUrls(server.url, example)).join('  ')}`,
	);
	console.log(
		`  mail:         SMTP 127.0.0.1:${smtp.port} ("${SMTP_CREDENTIAL.name}"): mails are printed here`,
	);
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
		await smtp.close();
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

/** The production form URLs of an example's Form Triggers. */
function formUrls(base: string, example: string): string[] {
	return (readExample(example).nodes as Array<Record<string, any>>)
		.filter((node) => node.type === 'n8n-nodes-base.formTrigger')
		.map((node) => `${base}/form/${node.parameters?.options?.path ?? node.webhookId}`);
}

main().catch((error) => {
	console.error(`npm run n8n failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
