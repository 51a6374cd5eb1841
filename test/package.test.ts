import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { electioEngine } from '../harness/electio';
import { sourceFiles } from '../harness/package';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('package.json is a community node package with no runtime dependencies', () => {
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.license).toBe('MIT');
	expect(pkg.dependencies ?? {}).toEqual({});
	expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
	expect(pkg.files).toEqual(['dist']);
	expect(pkg.n8n).toEqual({
		n8nNodesApiVersion: 1,
		strict: true,
		credentials: ['dist/credentials/ElectioApi.credentials.js'],
		nodes: ['dist/nodes/Electio/Electio.node.js', 'dist/nodes/Electio/ElectioTrigger.node.js'],
	});
	// Each registered file is the build output of a source file that exists.
	for (const built of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
		expect(
			fs.existsSync(path.join(root, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'))),
		).toBe(true);
	}
});

test('every declared node has its codex file and the icons it names, next to its source', () => {
	for (const built of pkg.n8n.nodes as string[]) {
		const source = path.join(root, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		const codex = JSON.parse(fs.readFileSync(source.replace(/\.ts$/, '.json'), 'utf8'));
		const name = /name: '(\w+)'/.exec(fs.readFileSync(source, 'utf8'))?.[1];
		expect(codex.node).toBe(`${pkg.name}.${name}`);
		const icons = [...fs.readFileSync(source, 'utf8').matchAll(/'file:([^']+)'/g)].map(
			(match) => match[1],
		);
		expect(icons).toEqual(['electio.svg', 'electio.dark.svg']);
		for (const icon of icons)
			expect(fs.existsSync(path.join(path.dirname(source), icon))).toBe(true);
	}
});

test('an example with the Electio Trigger has an id n8n keeps its static data for (at most 16 characters)', () => {
	// n8n saves a workflow's static data, where the trigger remembers what it fired for, only for ids
	// of up to 16 characters on 1.123 (21 on 2.41): with a longer one it forgets at every restart
	const withTrigger = fs
		.readdirSync(path.join(root, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.map((file) => ({
			file,
			...JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8')),
		}))
		.filter(({ nodes }) =>
			nodes.some((node: { type: string }) => node.type === `${pkg.name}.electioTrigger`),
		);
	expect(withTrigger.map(({ file }) => file)).toContain('delivery-notifications.json');
	for (const { file, id } of withTrigger) {
		expect({ file, valid: typeof id === 'string' && id.length >= 1 && id.length <= 16 }).toEqual({
			file,
			valid: true,
		});
	}
});

test("every node of this package an example workflow uses still loads, at the example's version, with the example's choices", () => {
	// Workflows made with an earlier version of the package name its node types and choose from their
	// options: renaming a node type or an option, or dropping a version, breaks them on upgrade.
	const prefix = `${pkg.name}.`;
	const declared = new Set(
		sourceFiles(pkg.n8n.nodes).map(
			(source) => /name: '(\w+)'/.exec(fs.readFileSync(source, 'utf8'))?.[1],
		),
	);
	const checked: string[] = [];
	for (const file of fs
		.readdirSync(path.join(root, 'examples'))
		.filter((f) => f.endsWith('.json'))) {
		const { nodes } = JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8')) as {
			nodes: INode[];
		};
		for (const node of nodes.filter(({ type }) => type.startsWith(prefix))) {
			const name = node.type.slice(prefix.length);
			// n8n adds `<name>Tool` (the AI Agent's tool) for each node that is usableAsTool
			const toolOf = declared.has(name) ? undefined : name.replace(/Tool$/, '');
			expect({ file, node: node.name, declared: declared.has(toolOf ?? name) }).toEqual({
				file,
				node: node.name,
				declared: true,
			});
			const description = NodeHelpers.getVersionedNodeType(
				electioEngine.nodeType(toolOf ?? name),
				node.typeVersion,
			).description;
			if (toolOf) expect(description.usableAsTool).toBe(true);
			expect([description.version].flat()).toContain(node.typeVersion);
			expect({ file, node: node.name, unknownChoices: unknownChoices(node, description) }).toEqual({
				file,
				node: node.name,
				unknownChoices: [],
			});
			// as the editor opens it: the defaults n8n leaves out of a saved workflow filled in
			const parameters = NodeHelpers.getNodeParameters(
				description.properties,
				node.parameters,
				true,
				false,
				node,
				description,
			);
			// n8n adds Poll Times to a polling node and the tool description to a tool; any other field
			// the node no longer shows is lost
			const added = [
				...(description.polling ? ['pollTimes'] : []),
				...(toolOf ? ['descriptionType', 'toolDescription'] : []),
			];
			const dropped = Object.keys(node.parameters).filter(
				(key) => !(key in (parameters ?? {})) && !added.includes(key),
			);
			expect({ file, node: node.name, dropped }).toEqual({ file, node: node.name, dropped: [] });
			expect(
				NodeHelpers.getNodeParametersIssues(
					description.properties,
					{ ...node, parameters: parameters ?? {} },
					description,
				),
			).toBeNull();
			checked.push(`${file}: ${name}`);
		}
	}
	expect(checked).toEqual(
		expect.arrayContaining([
			'delivery-notifications.json: electioTrigger',
			'delivery-notifications.json: electio',
			'ai-agent-tool.json: electioTool',
		]),
	);
});

/** The example's values of displayed option fields that the node no longer offers. */
function unknownChoices(node: INode, description: INodeTypeDescription): string[] {
	const offered = (property: INodeProperties) =>
		(property.options ?? []).map((option) => ('value' in option ? option.value : undefined));
	return description.properties
		.filter(({ type }) => type === 'options' || type === 'multiOptions')
		.filter((property) => property.name in node.parameters)
		.filter((property) =>
			NodeHelpers.displayParameter(node.parameters, property, node, description),
		)
		.flatMap((property) =>
			[node.parameters[property.name]]
				.flat()
				.filter((value) => !(typeof value === 'string' && value.startsWith('=')))
				.filter((value) => !offered(property).includes(value as string))
				.map((value) => `${property.name}: ${String(value)}`),
		);
}

test('npm pack ships only dist, README, LICENSE and package.json', () => {
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
	});
	const [{ files }] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
	const outside = files
		.map((file) => file.path)
		.filter(
			(file) =>
				!file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file),
		);
	expect(outside).toEqual([]);
	expect(files.map((file) => file.path)).toEqual(
		expect.arrayContaining(['README.md', 'LICENSE', 'package.json']),
	);
});

test('the credential imports nothing from nodes/ (n8n loads it on its own)', () => {
	const folder = path.join(root, 'credentials');
	const sources = fs.readdirSync(folder).filter((file) => file.endsWith('.ts'));
	expect(sources).toContain('ElectioApi.credentials.ts');
	for (const file of sources) {
		const imports = [
			...fs.readFileSync(path.join(folder, file), 'utf8').matchAll(/from '([^']+)'/g),
		].map((match) => match[1]);
		expect({ file, imports }).toEqual({ file, imports: ['n8n-workflow'] });
	}
});

test('the node source reads no environment variables or files and uses no global timers', () => {
	const sources: string[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith('.ts')) sources.push(full);
		}
	};
	walk(path.join(root, 'nodes'));
	walk(path.join(root, 'credentials'));
	expect(sources.length).toBeGreaterThan(10);
	for (const file of sources) {
		const text = fs.readFileSync(file, 'utf8');
		expect({
			file,
			env: /process\.env/.test(text),
			fs: /from 'node:fs'|from 'fs'|require\('fs'\)/.test(text),
			timers: /\bset(Timeout|Interval|Immediate)\(/.test(text),
		}).toEqual({ file, env: false, fs: false, timers: false });
	}
});
