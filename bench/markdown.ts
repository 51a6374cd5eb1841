// The Markdown pieces the benchmarks' result files share.

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
