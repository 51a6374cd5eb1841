// `npm run sandbox` entry: prints the base URL and the key, serves, stops on SIGINT.
import { spawn } from 'child_process';
import path from 'path';

test('the CLI prints the base URL and API key and stops on SIGINT', async () => {
	const root = path.resolve(__dirname, '../..');
	const child = spawn(
		process.execPath,
		[
			path.join(root, 'node_modules/tsx/dist/cli.mjs'),
			'sandbox/cli.ts',
			'--port',
			'0',
			'--seed',
			'4',
			'--key',
			'cli-key',
		],
		{
			cwd: root,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	try {
		let out = '';
		const url = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20000);
			child.stdout.on('data', (d) => {
				out += d.toString();
				const m =
					/API key[^:]*: (\S+)/.test(out) && out.match(/Base URL: (http:\/\/127\.0\.0\.1:\d+)/);
				if (m) {
					clearTimeout(timer);
					resolve(m[1]);
				}
			});
		});
		expect(out).toContain('cli-key');
		const r = await fetch(`${url}/carriers`, {
			headers: { 'ocp-apim-subscription-key': 'cli-key' },
		});
		expect(r.status).toBe(200);
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code)),
		);
		child.kill('SIGINT');
		expect(await exited).toBe(0);
	} finally {
		if (child.exitCode === null) child.kill('SIGKILL');
	}
});
