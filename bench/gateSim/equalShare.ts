// The reference for a burst: every process paces at exactly its equal share of the account's
// limit (limit / processes) from its first call, as if it knew how many processes there are,
// and honours Retry-After. No gate can know more without talking to the other processes; what
// this reaches shows how far a burst's split over the processes allows an efficiency.
import type { VirtualClock } from './clock';

/** What a simulated call needs of its rate control: RunGate, or this pacer. */
export interface CallGate {
	acquire(): Promise<void>;
	releaseSuccess(): void;
	releaseThrottled(retryAfterMs: number): void;
}

export class EqualSharePacer implements CallGate {
	private nextSlotAt: number;

	private pausedUntil = 0;

	/** `phase` (0..1) spreads the processes' slots over one interval, so they do not call in step. */
	constructor(
		private readonly clock: VirtualClock,
		private readonly perSecond: number,
		phase: number,
	) {
		this.nextSlotAt = clock.now() + (phase * 1000) / perSecond;
	}

	async acquire(): Promise<void> {
		for (;;) {
			const now = this.clock.now();
			if (this.pausedUntil > now) {
				await this.clock.sleep(this.pausedUntil - now);
				continue;
			}
			const slot = Math.max(now, this.nextSlotAt);
			this.nextSlotAt = slot + 1000 / this.perSecond;
			if (slot > now) await this.clock.sleep(slot - now);
			return;
		}
	}

	releaseSuccess(): void {}

	releaseThrottled(retryAfterMs: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + retryAfterMs);
	}
}
