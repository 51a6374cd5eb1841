// npm run scan: n8n's scanner (@n8n/scan-community-package, pinned) on this package, with the two
// passes n8n's verification makes: the source (package.json + nodes/ + credentials/) and the JS of
// the packed tarball. Its CLI needs the package on npm with provenance and exits 0 on a failure,
// so this runs its analyzePackage on local folders. Prints each finding; exits 1 on any.
// Builds first when dist/ is missing or older than the sources; --build always builds.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS, TARBALL_FILE_PATTERNS } from './n8n-scanner.mjs';

const root = join(import.meta.dirname, '..');
const BUILD_INPUTS = ['nodes', 'credentials', 'tsconfig.json', 'gulpfile.js'];

function filesUnder(path) {
	if (!statSync(path).isDirectory()) return [path];
	return readdirSync(path, { recursive: true })
		.map((name) => join(path, name))
		.filter((file) => statSync(file).isFile());
}

function needsBuild() {
	const dist = join(root, 'dist');
	if (!existsSync(dist)) return true;
	// tsc writes every .js on each build; gulp's copies keep their sources' times
	const built = filesUnder(dist).filter((file) => file.endsWith('.js'));
	if (built.length === 0) return true;
	const builtAt = Math.min(...built.map((file) => statSync(file).mtimeMs));
	const changedAt = Math.max(
		...BUILD_INPUTS.flatMap((input) => filesUnder(join(root, input))).map(
			(file) => statSync(file).mtimeMs,
		),
	);
	return changedAt > builtAt;
}

/** `npm pack` into a temporary folder, unpacked as the scanner unpacks a downloaded tarball. */
function packTarball() {
	const folder = mkdtempSync(join(tmpdir(), 'electio-scan-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', folder], {
			cwd: root,
		}),
	);
	const unpacked = join(folder, 'package');
	mkdirSync(unpacked);
	execFileSync('tar', [
		'-xzf',
		join(folder, packed.filename),
		'-C',
		unpacked,
		'--strip-components=1',
	]);
	return { folder, unpacked, packed };
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** The findings in the scanner's report (ESLint's stylish format): file, line, rule, message. */
function findingsIn(details, base) {
	const findings = [];
	let file = '';
	for (const line of (details ?? '').replace(ANSI, '').split('\n')) {
		const finding = /^\s+(\d+):\d+\s+(error|warning)\s+(.*?)\s{2,}(\S+)\s*$/.exec(line);
		if (finding) {
			const [, at, severity, message, rule] = finding;
			findings.push(
				`${file}:${at} ${rule} ${message}${severity === 'warning' ? ' (warning)' : ''}`,
			);
		} else if (line.startsWith('/')) {
			file = relative(base, line.trim());
		}
	}
	return findings;
}

/** One pass of the scanner; returns its findings as lines (a failure without findings is one). */
async function scan(label, folder, patterns) {
	const result = await analyzePackage(folder, patterns);
	const findings = findingsIn(result.details, folder);
	if (result.message === 'No files found to analyze') {
		findings.push(`${label}: the scanner found no files to analyze in ${folder}`);
	} else if (!result.passed && findings.length === 0) {
		findings.push(`${label}: ${result.message}${result.details ? `\n${result.details}` : ''}`);
	}
	console.log(`${label}: ${findings.length === 0 ? 'passed' : `${findings.length} finding(s)`}`);
	for (const finding of findings) console.log(`  ${finding}`);
	return findings.length;
}

if (process.argv.includes('--build') || needsBuild()) {
	console.log('building (dist/ is missing or older than the sources)...');
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

let findings = await scan(
	'source (package.json, nodes/, credentials/)',
	root,
	SOURCE_FILE_PATTERNS,
);
const tarball = packTarball();
try {
	const files = tarball.packed.files.length;
	findings += await scan(
		`tarball ${tarball.packed.filename} (${files} files; its .js and package.json)`,
		tarball.unpacked,
		TARBALL_FILE_PATTERNS,
	);
} finally {
	rmSync(tarball.folder, { recursive: true, force: true });
}
console.log(
	findings === 0
		? "scan: n8n's scanner passed on the source and the tarball"
		: `scan: ${findings} finding(s)`,
);
process.exit(findings === 0 ? 0 : 1);
