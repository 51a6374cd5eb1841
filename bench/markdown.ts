// The Markdown pieces the benchmarks' result files share.
import { execFileSync } from 'node:child_process';

import { REPO_ROOT } from '../harness/package';

/** The short hash of the commit checked out, or "?" outside a git clone. */
export function headCommit(): string {
	try {
		return execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'], {
			encoding: 'utf8',
		}).trim();
	} catch {
		return '?';
	}
}

/** A Markdown table. */
export function table(headers: string[], rows: string[][]): string {
	return [
		`| ${headers.join(' | ')} |`,
		`|${headers.map(() => '---').join('|')}|`,
		...rows.map((row) => `| ${row.join(' | ')} |`),
	].join('\n');
}

/** Orders answered other than 200, by status: "0", or "3 (2 x 500, 1 x no answer)". */
export function failedText(statuses: Record<string, number>): string {
	const failed = Object.entries(statuses).filter(([status]) => status !== '200');
	if (!failed.length) return '0';
	const total = failed.reduce((sum, [, count]) => sum + count, 0);
	return `${total} (${failed.map(([status, count]) => `${count} x ${status === '0' ? 'no answer' : status}`).join(', ')})`;
}
