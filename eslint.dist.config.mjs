// Lint the built output that n8n actually loads, with the community-nodes rules.
import communityNodes from '@n8n/eslint-plugin-community-nodes';

export default [
	{ ignores: ['**/*.d.ts', '**/*.map'] },
	{
		...communityNodes.configs.recommended,
		files: ['dist/**/*.js'],
		languageOptions: { sourceType: 'commonjs', ecmaVersion: 2022 },
	},
];
