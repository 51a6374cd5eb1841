import { sleep } from 'n8n-workflow';

/**
 * Bounds how many requests are in flight and adapts that bound to the API's rate limit:
 * additive increase while calls succeed, halve on a 429, and hold every caller back until
 * the server's Retry-After has passed. One gate is shared by all items of one node run, so
 * a large batch slows down together instead of each item hammering the gateway on its own.
 */
export class AdaptiveGate {
	private limit: number;

	private inFlight = 0;

	private readonly waiters: Array<() => void> = [];

	private pausedUntil = 0;

	private lastDecrease = 0;

	/** Counters the tests and the benchmark read; not part of the node's output. */
	readonly stats = { requests: 0, throttled: 0, retries: 0, lowestLimit: 0 };

	constructor(readonly maxConcurrency: number) {
		this.limit = maxConcurrency;
		this.stats.lowestLimit = maxConcurrency;
	}

	get currentLimit(): number {
		return Math.max(1, Math.floor(this.limit));
	}

	async acquire(): Promise<void> {
		for (;;) {
			const pause = this.pausedUntil - Date.now();
			if (pause > 0) {
				await sleep(pause);
				continue;
			}
			if (this.inFlight < this.currentLimit) {
				this.inFlight++;
				this.stats.requests++;
				return;
			}
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
	}

	/** A call finished without being throttled: grow by about one slot per full window. */
	releaseSuccess(): void {
		this.inFlight--;
		if (this.limit < this.maxConcurrency) {
			this.limit = Math.min(this.maxConcurrency, this.limit + 1 / this.limit);
		}
		this.wake();
	}

	/** A call failed for another reason: free its slot and leave the bound as it is. */
	releaseFailure(): void {
		this.inFlight--;
		this.wake();
	}

	/**
	 * The API answered 429. Halve the bound at most once per pause window (many calls in flight
	 * see the same limit at once) and pause every caller until Retry-After has passed.
	 */
	releaseThrottled(retryAfterMs: number): void {
		this.inFlight--;
		this.stats.throttled++;
		const now = Date.now();
		if (now >= this.lastDecrease + Math.max(retryAfterMs, 100)) {
			this.limit = Math.max(1, Math.floor(this.limit / 2));
			this.lastDecrease = now;
			this.stats.lowestLimit = Math.min(this.stats.lowestLimit, this.currentLimit);
		}
		this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
		this.wake();
	}

	private wake(): void {
		let free = this.currentLimit - this.inFlight;
		while (free > 0 && this.waiters.length > 0) {
			this.waiters.shift()!();
			free--;
		}
	}
}
