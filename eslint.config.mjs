// Lint the node and credential sources with both of n8n's community-node rule sets, and with
// n8n's scanner's own config (its versions of them) so lint flags whatever the scanner would.
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';

import { scannerLintConfig } from './scripts/n8n-scanner.mjs';

const { configs: base } = n8nNodesBase;

export default [
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'sandbox/**',
			'test/**',
			'harness/**',
			'bench/**',
			'scripts/**',
			'examples/**',
		],
	},
	{
		// The TypeScript parser, as the scanner uses: these rules find nothing in a JSON parser's tree.
		files: ['package.json'],
		languageOptions: { parser: tsParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: base.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...base.credentials.rules,
			// That rule wants an n8n-docs slug; a community credential links to its own docs by URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...base.nodes.rules,
			// These want the string 'main'; the community rules want NodeConnectionTypes.Main. n8n 2.x uses the latter.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		...communityNodes.configs.recommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		languageOptions: { parser: tsParser },
	},
	...(await scannerLintConfig()),
];
