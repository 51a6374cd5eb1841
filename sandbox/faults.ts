// Fault, latency, hook and rate-limit decisions. Random choices come from one seeded stream
// that draws a fixed number of values per API call, so a given seed and call order always
// produce the same faults.
import { FailHook, FaultConfig, FaultCounts } from './types';
import { Rng } from './util';

export interface FaultDecision {
	kind: '429' | '502' | '503' | 'drop' | null;
	/** for drops: the server acts first and only the response is lost */
	dropAfterHandling: boolean;
	extraLatencyMs: number;
}

export interface HookEntry {
	id: string;
	hook: FailHook;
	remaining: number;
}

function share(v: number | undefined): number {
	return typeof v === 'number' && Number.isFinite(v) ? Math.min(Math.max(v, 0), 1) : 0;
}

/** A hook that replaces the response (as opposed to only decorating the real one). */
export function hookOverrides(h: FailHook): boolean {
	return h.status !== undefined || h.body !== undefined || !!h.drop || !!h.hang;
}

export class FaultEngine {
	config: FaultConfig = {};
	latencyMs = 0;
	counts: FaultCounts = { '429': 0, '502': 0, '503': 0, drop: 0, rateLimited: 0, hook: 0 };
	private hooks: HookEntry[] = [];
	private hookSeq = 0;
	private buckets = new Map<string, { tokens: number; at: number }>();
	perSecond: number | null = null;

	constructor(private rng: Rng) {}

	decide(): FaultDecision {
		// Always three draws, whatever the configuration, to keep the stream aligned.
		const pick = this.rng.next();
		const coin = this.rng.next();
		const lat = this.rng.next();
		const c = this.config;
		let kind: FaultDecision['kind'] = null;
		let acc = 0;
		for (const [k, rate] of [
			['429', c.rate429],
			['502', c.rate502],
			['503', c.rate503],
			['drop', c.dropRate],
		] as const) {
			acc += share(rate);
			if (kind === null && pick < acc) kind = k;
		}
		let extra = 0;
		if (c.extraLatencyMs && c.extraLatencyMs.length === 2) {
			const [min, max] = c.extraLatencyMs;
			extra = Math.max(0, Math.round(min + lat * Math.max(0, max - min)));
		}
		return { kind, dropAfterHandling: coin < 0.5, extraLatencyMs: extra };
	}

	addHook(hook: FailHook): string {
		const id = `hook-${++this.hookSeq}`;
		this.hooks.push({ id, hook, remaining: hook.times ?? 1 });
		return id;
	}
	removeHook(id: string): void {
		this.hooks = this.hooks.filter((h) => h.id !== id);
	}
	clearHooks(): void {
		this.hooks = [];
	}

	/** Finds and consumes the first hook matching this request. */
	takeHook(method: string, rawUrl: string): FailHook | undefined {
		const pathOnly = rawUrl.split('?')[0];
		for (const e of this.hooks) {
			const h = e.hook;
			if (h.method && h.method.toUpperCase() !== method.toUpperCase()) continue;
			if (h.path !== undefined) {
				if (h.path instanceof RegExp) {
					h.path.lastIndex = 0;
					if (!h.path.test(rawUrl)) continue;
				} else if (h.path !== rawUrl && h.path !== pathOnly) continue;
			}
			e.remaining--;
			if (e.remaining <= 0) this.hooks = this.hooks.filter((x) => x !== e);
			return h;
		}
		return undefined;
	}

	setRateLimit(perSecond: number | null): void {
		this.perSecond = perSecond && perSecond > 0 ? perSecond : null;
		this.buckets.clear();
	}

	/** Token bucket per API key (burst = perSecond); returns Retry-After seconds when empty. */
	takeToken(key: string): { ok: true } | { ok: false; retryAfter: number } {
		const rate = this.perSecond;
		if (!rate) return { ok: true };
		const now = performance.now();
		let b = this.buckets.get(key);
		if (!b) {
			b = { tokens: rate, at: now };
			this.buckets.set(key, b);
		}
		b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
		b.at = now;
		if (b.tokens >= 1) {
			b.tokens -= 1;
			return { ok: true };
		}
		return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / rate)) };
	}

	resetCounts(): void {
		this.counts = { '429': 0, '502': 0, '503': 0, drop: 0, rateLimited: 0, hook: 0 };
	}
}
