// The simulated Electio account: a token bucket of `limit` requests/s with a burst of `limit`
// (as the sandbox's, sandbox/faults.ts), answering 429 + Retry-After in whole seconds when empty.
// A call reaches it half its latency after it is sent, and its answer arrives the other half later.
import { Rng } from '../../sandbox/util';
import type { VirtualClock } from './clock';

export interface Answer {
	status: 200 | 429;
	/** Retry-After in milliseconds (whole seconds, as the header carries them) on a 429 */
	retryAfterMs?: number;
}

export class TokenBucketServer {
	private tokens: number;

	private filledAt: number;

	/** Answers by status, over the whole run. */
	readonly answered = { ok: 0, throttled: 0 };

	/** When the last call that was not throttled was answered. */
	lastAnswerAt = 0;

	constructor(
		private readonly clock: VirtualClock,
		readonly limit: number,
		private readonly latencyMs: number,
		/** Latency varies uniformly by this share either way (seeded). */
		private readonly jitter: number,
		private readonly rng: Rng,
	) {
		this.tokens = limit;
		this.filledAt = clock.now();
	}

	async call(): Promise<Answer> {
		const latency = this.latencyMs * (1 + this.jitter * (2 * this.rng.next() - 1));
		await this.clock.sleep(latency / 2);
		const answer = this.take();
		await this.clock.sleep(latency / 2);
		if (answer.status === 429) this.answered.throttled++;
		else {
			this.answered.ok++;
			this.lastAnswerAt = this.clock.now();
		}
		return answer;
	}

	private take(): Answer {
		const now = this.clock.now();
		this.tokens = Math.min(this.limit, this.tokens + ((now - this.filledAt) / 1000) * this.limit);
		this.filledAt = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return { status: 200 };
		}
		const seconds = Math.max(1, Math.ceil((1 - this.tokens) / this.limit));
		return { status: 429, retryAfterMs: seconds * 1000 };
	}
}
