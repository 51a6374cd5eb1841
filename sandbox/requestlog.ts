// The request log (one entry per API call, oldest dropped past the cap) and the running
// counters behind /__sandbox/stats.
import type { RequestLogEntry } from './types';

interface Counters {
	requests: number;
	byStatus: Record<string, number>;
	durationSum: number;
	first: number;
	last: number;
}

const zero = (): Counters => ({ requests: 0, byStatus: {}, durationSum: 0, first: 0, last: 0 });

export class RequestLog {
	private log: RequestLogEntry[] = [];
	private seq = 0;
	private stat = zero();

	constructor(private maxEntries: number) {}

	/** A new entry for an API call, already in the log (the pipeline fills it in). */
	open(method: string, path: string): RequestLogEntry {
		const entry: RequestLogEntry = {
			seq: ++this.seq,
			method,
			path,
			status: 0,
			handled: false,
			apiKey: 'missing',
			startedAt: Date.now(),
			durationMs: 0,
		};
		if (!this.stat.first) this.stat.first = entry.startedAt;
		this.log.push(entry);
		if (this.log.length > this.maxEntries)
			this.log = this.log.slice(-Math.floor(this.maxEntries * 0.9));
		return entry;
	}

	/** Records the answer: status (0 = dropped / hung) and the time since t0 (performance.now()). */
	finish(entry: RequestLogEntry, status: number, t0: number): void {
		entry.status = status;
		entry.durationMs = Math.round((performance.now() - t0) * 100) / 100;
		const s = this.stat;
		s.requests++;
		s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
		s.durationSum += entry.durationMs;
		s.last = Date.now();
	}

	entries(): RequestLogEntry[] {
		return this.log.slice();
	}

	/** Empties the log; the counters keep running. */
	clear(): void {
		this.log = [];
	}

	reset(): void {
		this.log = [];
		this.stat = zero();
	}

	counters(): {
		requests: number;
		byStatus: Record<string, number>;
		requestsPerSecond: number;
		averageDurationMs: number;
	} {
		const s = this.stat;
		const span = s.first ? Math.max(1, (s.last || Date.now()) - s.first) : 0;
		return {
			requests: s.requests,
			byStatus: { ...s.byStatus },
			requestsPerSecond: span ? Math.round((s.requests / span) * 1000 * 10) / 10 : 0,
			averageDurationMs: s.requests ? Math.round((s.durationSum / s.requests) * 100) / 100 : 0,
		};
	}
}
