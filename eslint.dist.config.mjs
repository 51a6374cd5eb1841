// Lint the built output that n8n actually loads, with the community-nodes rules and with n8n's
// scanner's config as its tarball pass applies it: the compiled .js (package.json is linted as a
// source; declarations and maps are left out, as the scanner leaves them).
import communityNodes from '@n8n/eslint-plugin-community-nodes';

import { scannerLintConfig } from './scripts/n8n-scanner.mjs';

export default [
	{ ignores: ['**/*.d.ts', '**/*.map', '**/*.json'] },
	{
		...communityNodes.configs.recommended,
		files: ['dist/**/*.js'],
		languageOptions: { sourceType: 'commonjs', ecmaVersion: 2022 },
	},
	...(await scannerLintConfig()),
];
