import type { RunResult } from '../../harness/engine';

/** A key nobody would type by accident: any occurrence of it in run data or logs is a leak. */
export const SECRET_KEY = 'SECRET-electio-key-Zq81vN4pW7xR0yTt';

/** Everything n8n kept of an execution, plus its logs, as one searchable string. */
export function everything(result: RunResult): string {
	return `${JSON.stringify(result.run)}\n${result.logs.join('\n')}`;
}
