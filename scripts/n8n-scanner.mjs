// n8n's scanner (@n8n/scan-community-package, a pinned devDependency), the one place that loads
// it: `npm run scan` runs its two passes, and both ESLint configs add its lint config, so
// `npm run lint` flags whatever the scanner would.
import {
	analyzePackage,
	buildScanConfig,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

export { analyzePackage, SOURCE_FILE_PATTERNS };

/** What the scanner lints in the published tarball (its analyzePackageByName). */
export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** `n8n-nodes-base` → `@n8n-scanner/n8n-nodes-base`, `@n8n/community-nodes` → `@n8n-scanner/community-nodes`. */
const scannerName = (plugin) => `@n8n-scanner/${plugin.replace(/^@[^/]+\//, '')}`;

/**
 * The scanner's own lint config, with its own plugin versions, under the `@n8n-scanner/` names:
 * ESLint refuses two versions of one plugin under one name, and the project lints with newer
 * ones too. Rules, options and parsers are the scanner's, unchanged.
 */
export async function scannerLintConfig() {
	const config = await buildScanConfig();
	const plugins = new Set(config.flatMap((entry) => Object.keys(entry.plugins ?? {})));
	const renameRule = (rule) => {
		const plugin = [...plugins].find((name) => rule.startsWith(`${name}/`));
		return plugin ? scannerName(plugin) + rule.slice(plugin.length) : rule;
	};
	return config.map((entry) => ({
		...entry,
		...(entry.plugins && {
			plugins: Object.fromEntries(
				Object.entries(entry.plugins).map(([name, plugin]) => [scannerName(name), plugin]),
			),
		}),
		...(entry.rules && {
			rules: Object.fromEntries(
				Object.entries(entry.rules).map(([rule, setting]) => [renameRule(rule), setting]),
			),
		}),
	}));
}
