import { createHash } from 'crypto';
import { sleep } from 'n8n-workflow';

/** Most calls one account may have in flight from this process, whatever the runs ask for. */
export const ACCOUNT_CEILING = 200;

/** Time as the gate sees it: the system clock in n8n, a virtual one in the simulation (bench/gate.ts). */
export interface GateClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const systemClock: GateClock = { now: () => Date.now(), sleep };

/**
 * Where a new account starts; it doubles per round of successes until the first 429. One call:
 * N processes that start at once then send N calls before the first 429s, not 8 x N.
 */
const INITIAL_LIMIT = 1;

/**
 * After a first 429 the pace is set under the rate that got through: a token bucket lets a burst
 * through on top of its rate, so what got through overstates the rate a little.
 */
const PACE_HEADROOM = 0.9;

/** A 429 while already paced means the pace is still too fast: slow down by this factor. */
const PACE_DECREASE = 0.8;

/**
 * How fast a learned pace recovers without a 429: this factor per second, so N processes that
 * share an account probe together no faster than one alone (each 429 tells only the process that
 * got it to slow down: a fixed step per process would make N processes overshoot N times as fast)...
 */
const PACE_RECOVERY_PER_SECOND = 1.004;

/** ...plus this many calls per second, each second: a process left with a small share catches up. */
const PACE_STEP_PER_SECOND = 0.002;

/**
 * After a 429 the pace holds this long before it recovers: each 429 costs every caller a
 * Retry-After pause, so probing the limit again too soon costs more than it gains. After a cut
 * it is not cut again for as long: a cut needs time to show, and 429s that come whatever the
 * pace (a gateway's, not the limit's) would otherwise slow it to a crawl.
 */
const PACE_HOLD_MS = 30_000;

/**
 * The slowest pace: one call every few seconds. Many processes sharing one account each get a
 * small share (32 workers at 20 requests/s: 0.6/s each).
 */
const MIN_PACE_PER_SECOND = 0.3;

/** A pace above this is no pace at all. */
const PACE_CEILING_PER_SECOND = 2000;

/**
 * What got through is counted over at least MIN_MEASURE_MS (a shorter stretch cannot claim a
 * higher rate), and bounds a later pace only when it counts MIN_MEASURED_CALLS calls: a process
 * with a small share sees a few calls a second, and pacing to a count of 0 or 1 would stall it.
 */
const MIN_MEASURE_MS = 300;
const MIN_MEASURED_CALLS = 10;

/** Successes are counted in buckets of this length over the last second. */
const BUCKET_MS = 100;
const BUCKETS = 10;

/**
 * The rate control of one Electio account in this n8n process, shared by every execution and
 * node run that uses the same base URL and API key. Two things adapt to the API's rate limit:
 * - the calls in flight: doubling while nothing was ever throttled, then about one more per
 *   round of successes, halved on a 429;
 * - a pace: on a first 429 it is set under the rate of successes in the last second (what the
 *   limit let through), a later 429 slows it by 20 % (at most once per 30 s), calls are spaced
 *   to it, and 30 s after the last 429 it starts to recover by 0.4 % (+ 0.002 calls/s) per second.
 * Every caller waits while the server's Retry-After runs. What it learned outlives the run that
 * learned it, so the next execution starts at the learned pace instead of finding it again.
 * Each n8n process (a queue-mode worker) has its own gate for the account; the rates above keep
 * 1 to 32 of them sharing one limit without fighting (bench/gate.ts simulates them).
 */
export class AccountGate {
	private limit = INITIAL_LIMIT;

	private throttledOnce = false;

	private inFlight = 0;

	private readonly waiters: Array<() => void> = [];

	private pausedUntil = 0;

	private lastDecrease = 0;

	/** Calls per second when a 429 taught one; undefined while unlimited. */
	private pace: number | undefined;

	private nextSlotAt = 0;

	private paceUpdatedAt = 0;

	private paceCutAt = -Infinity;

	/** Calls answered (other than 429) per time bucket over the last second: what the limit let through. */
	private readonly successBuckets = new Array<number>(BUCKETS).fill(0);

	private bucketAt = 0;

	/** When a call last went through this gate; idle gates are the first forgotten. */
	lastUsed: number;

	/** Counters the tests and the benchmark read; not part of the node's output. */
	readonly stats = { requests: 0, throttled: 0, retries: 0, lowestLimit: INITIAL_LIMIT };

	constructor(private readonly clock: GateClock = systemClock) {
		this.lastUsed = clock.now();
	}

	/** The learned pace in calls per second, undefined while none is needed. */
	get pacePerSecond(): number | undefined {
		this.recoverPace(this.clock.now());
		return this.pace;
	}

	get currentLimit(): number {
		return Math.max(1, Math.floor(this.limit));
	}

	get busy(): boolean {
		return this.inFlight > 0 || this.waiters.length > 0;
	}

	/** Milliseconds until the Retry-After pause ends, 0 when calls may go. */
	get pauseLeft(): number {
		return Math.max(0, this.pausedUntil - this.clock.now());
	}

	async acquire(): Promise<void> {
		for (;;) {
			this.lastUsed = this.clock.now();
			const pause = this.pauseLeft;
			if (pause > 0) {
				await this.clock.sleep(pause);
				continue;
			}
			if (this.inFlight < this.currentLimit) {
				this.inFlight++;
				break;
			}
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
		// Paced last, holding the slot: a caller that waited for a slot must not go in a burst.
		await this.waitForPace();
		this.stats.requests++;
	}

	/** The API answered without throttling (a 2xx, or a 4xx such as a lookup's 404): grow the bound. */
	releaseSuccess(): void {
		this.inFlight--;
		this.successBuckets[this.bucketIndex(this.clock.now())]++;
		if (this.limit < ACCOUNT_CEILING) {
			const step = this.throttledOnce ? 1 / this.limit : 1;
			this.limit = Math.min(ACCOUNT_CEILING, this.limit + step);
		}
		this.wake();
	}

	/**
	 * No usable answer (a 5xx, a connection error, a timeout): free the slot and leave the bound as
	 * it is. The call still counts toward what the rate limit let through: it may have reached it.
	 */
	releaseFailure(): void {
		this.inFlight--;
		this.successBuckets[this.bucketIndex(this.clock.now())]++;
		this.wake();
	}

	/**
	 * The API answered 429. Halve the bound at most once per pause window (many calls in flight
	 * see the same limit at once) and pause every caller until Retry-After has passed.
	 */
	releaseThrottled(retryAfterMs: number): void {
		this.inFlight--;
		this.stats.throttled++;
		this.throttledOnce = true;
		const now = this.clock.now();
		if (now >= this.lastDecrease + Math.max(retryAfterMs, 100)) {
			this.limit = Math.max(1, Math.floor(Math.min(this.limit, this.inFlight + 1) / 2));
			this.lastDecrease = now;
			this.stats.lowestLimit = Math.min(this.stats.lowestLimit, this.currentLimit);
		}
		const pausedBefore = this.pausedUntil;
		this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
		this.learnPace(now, pausedBefore, retryAfterMs);
		// Growth (counted from paceUpdatedAt) waits out the hold after every 429.
		this.paceUpdatedAt = Math.max(this.paceUpdatedAt, now + PACE_HOLD_MS);
		this.wake();
	}

	/**
	 * Spaces calls to the learned pace: each caller reserves the next time slot and waits for it.
	 * A Retry-After pause that starts meanwhile is waited out, and a new slot taken after it.
	 */
	private async waitForPace(): Promise<void> {
		for (;;) {
			const pause = this.pauseLeft;
			if (pause > 0) {
				await this.clock.sleep(pause);
				continue;
			}
			const now = this.clock.now();
			this.recoverPace(now);
			if (!this.pace) return;
			const slot = Math.max(now, this.nextSlotAt);
			this.nextSlotAt = slot + 1000 / this.pace;
			if (slot <= now) return;
			await this.clock.sleep(slot - now);
			if (this.pauseLeft === 0) return;
		}
	}

	/**
	 * The successes of the last second, over the part of it that was not paused, are what the
	 * limit let through. A first 429 paces just under that; a later one slows the pace, to what
	 * got through if that counts enough calls. Calls sent before the pause began come back 429
	 * too: only the first teaches. A Retry-After of 0 asks for no wait: no rate to keep to.
	 */
	private learnPace(now: number, pausedBefore: number, retryAfterMs: number): void {
		this.bucketIndex(now);
		// Within the hold after the last cut a 429 only pauses: the cut needs time to show.
		if (retryAfterMs <= 0 || pausedBefore > now || now < this.paceCutAt + PACE_HOLD_MS) return;
		const activeMs = now - Math.max(now - 1000, pausedBefore);
		const passed = this.successBuckets.reduce((sum, count) => sum + count, 0);
		const learned = ((passed * 1000) / Math.max(activeMs, MIN_MEASURE_MS)) * PACE_HEADROOM;
		let pace = learned;
		if (this.pace !== undefined) {
			pace = this.pace * PACE_DECREASE;
			if (activeMs >= MIN_MEASURE_MS && passed >= MIN_MEASURED_CALLS)
				pace = Math.min(pace, learned);
			this.paceCutAt = now;
		}
		this.pace = Math.max(MIN_PACE_PER_SECOND, pace);
		this.nextSlotAt = Math.max(this.nextSlotAt, this.pausedUntil);
	}

	private recoverPace(now: number): void {
		if (this.pace === undefined) return;
		const seconds = (now - this.paceUpdatedAt) / 1000;
		if (seconds < 1) return;
		this.pace = this.pace * PACE_RECOVERY_PER_SECOND ** seconds + PACE_STEP_PER_SECOND * seconds;
		this.paceUpdatedAt = now;
		if (this.pace > PACE_CEILING_PER_SECOND) this.pace = undefined;
	}

	/** The bucket for `now`, clearing the buckets that passed since the last call. */
	private bucketIndex(now: number): number {
		const current = Math.floor(now / BUCKET_MS);
		const passed = Math.min(BUCKETS, current - this.bucketAt);
		for (let step = 1; step <= passed; step++) {
			this.successBuckets[(this.bucketAt + step) % BUCKETS] = 0;
		}
		if (passed > 0) this.bucketAt = current;
		return current % BUCKETS;
	}

	private wake(): void {
		let free = this.currentLimit - this.inFlight;
		while (free > 0 && this.waiters.length > 0) {
			this.waiters.shift()!();
			free--;
		}
	}
}

/**
 * One node run's share of its account's gate: at most `maxConcurrency` of the run's calls in
 * flight, each also taking a slot of the account gate.
 */
export class RunGate {
	private inFlight = 0;

	private readonly waiters: Array<() => void> = [];

	constructor(
		readonly account: AccountGate,
		readonly maxConcurrency: number,
	) {}

	get stats() {
		return this.account.stats;
	}

	async acquire(): Promise<void> {
		while (this.inFlight >= this.maxConcurrency) {
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
		this.inFlight++;
		await this.account.acquire();
	}

	releaseSuccess(): void {
		this.account.releaseSuccess();
		this.free();
	}

	releaseFailure(): void {
		this.account.releaseFailure();
		this.free();
	}

	releaseThrottled(retryAfterMs: number): void {
		this.account.releaseThrottled(retryAfterMs);
		this.free();
	}

	private free(): void {
		this.inFlight--;
		this.waiters.shift()?.();
	}
}

/** Accounts remembered at most; past this the longest-idle gate with nothing in flight goes. */
const MAX_ACCOUNTS = 64;

/** A gate idle this long is forgotten at the next lookup, whatever the count. */
const IDLE_FORGET_MS = 30 * 60_000;

const accountGates = new Map<string, AccountGate>();

/**
 * The gate of the account behind a base URL and key. Keyed by a SHA-256 of both, so the key is
 * never held in clear and two keys (or one key on two environments) never share a gate.
 */
export function accountGateFor(baseUrl: string, apiKey: string): AccountGate {
	const id = createHash('sha256').update(`${baseUrl}\u0000${apiKey}`).digest('hex');
	let gate = accountGates.get(id);
	if (!gate) {
		forgetIdleGates();
		gate = new AccountGate();
		accountGates.set(id, gate);
	}
	return gate;
}

/** Bounded memory without timers: idle gates are dropped when a new account arrives. */
function forgetIdleGates(): void {
	const now = Date.now();
	for (const [id, gate] of accountGates) {
		if (!gate.busy && now - gate.lastUsed > IDLE_FORGET_MS) accountGates.delete(id);
	}
	while (accountGates.size >= MAX_ACCOUNTS) {
		let oldest: [string, AccountGate] | undefined;
		for (const entry of accountGates) {
			if (!entry[1].busy && (!oldest || entry[1].lastUsed < oldest[1].lastUsed)) oldest = entry;
		}
		if (!oldest) break;
		accountGates.delete(oldest[0]);
	}
}

/** Forgets every account's gate: for tests, so one test's throttling does not slow the next. */
export function forgetAccountGates(): void {
	for (const [id, gate] of accountGates) if (!gate.busy) accountGates.delete(id);
}
