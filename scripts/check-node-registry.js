// Build step: every `actions/<resource>/<operation>.operation.ts` must be registered in its
// resource's index.ts. An operation file nobody registered would compile fine and never run;
// this turns that into a failed `npm run build` that names the file and the line to add. Every
// registered operation must also have its output schema in dist/ (test/node/outputSchemas.test.ts
// checks the schemas against what the operations output).
const fs = require('fs');
const path = require('path');

const dist = path.resolve(__dirname, '..', 'dist', 'nodes');
const problems = [];

for (const nodeFolder of fs.readdirSync(dist)) {
	const actions = path.join(dist, nodeFolder, 'actions');
	const registryFile = path.join(actions, 'resources.js');
	if (!fs.existsSync(registryFile)) continue;
	const { resources } = require(registryFile);

	const registered = new Map();
	for (const resource of Object.values(resources)) {
		for (const [value, operation] of Object.entries(resource.operations)) {
			registered.set(operation.execute, `${resource.value}:${value}`);
			if (!operation.option?.name || !operation.option?.action) {
				problems.push(`${resource.value}:${value} has no option name or action text`);
			}
			// n8n's editor loads each operation's output schema from next to the built node
			const schema = path.join(
				dist,
				nodeFolder,
				'__schema__',
				'v1.0.0',
				resource.value,
				`${value}.json`,
			);
			if (!fs.existsSync(schema)) {
				problems.push(
					`${path.relative(process.cwd(), schema)} is missing: add nodes/${nodeFolder}/__schema__/v1.0.0/${resource.value}/${value}.json (npm run schemas writes it)`,
				);
			}
		}
	}

	for (const resourceFolder of fs.readdirSync(actions)) {
		const folder = path.join(actions, resourceFolder);
		if (!fs.statSync(folder).isDirectory()) continue;
		for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.operation.js'))) {
			const operation = require(path.join(folder, file));
			if (!registered.has(operation.execute)) {
				const source = `nodes/${nodeFolder}/actions/${resourceFolder}/${file.replace(/\.js$/, '.ts')}`;
				problems.push(
					`${source} is not registered: add it to "operations" in nodes/${nodeFolder}/actions/${resourceFolder}/index.ts`,
				);
			}
		}
	}
}

if (problems.length) {
	console.error(`Node registry check failed:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
	process.exit(1);
}
