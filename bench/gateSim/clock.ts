// Virtual time for the gate simulation: a discrete-event scheduler. Every sleep is a timer in a
// priority queue; when every task is waiting (the microtask queue has drained), time jumps to the
// next timer. Ties fire in the order the timers were set, so a run is the same every time.
import type { GateClock } from '../../nodes/Electio/transport/gate';

interface Timer {
	at: number;
	seq: number;
	fire: () => void;
}

/**
 * Where virtual time starts: a date, as Date.now() would give, so no code that starts a state
 * at 0 ("the last decrease was at 0") sees a clock that is at 0 too.
 */
const EPOCH_MS = Date.UTC(2026, 0, 1);

export class VirtualClock implements GateClock {
	private time = EPOCH_MS;

	/** When `run` began. */
	readonly startedAt = EPOCH_MS;

	private seq = 0;

	/** A binary min-heap on (at, seq). */
	private readonly heap: Timer[] = [];

	/** Timers fired so far: the simulation's size, for the report. */
	fired = 0;

	now(): number {
		return this.time;
	}

	async sleep(ms: number): Promise<void> {
		await new Promise<void>((fire) =>
			this.push({ at: this.time + Math.max(0, ms), seq: this.seq++, fire }),
		);
	}

	/**
	 * Runs `main` to its end in virtual time. Between timers the real event loop turns once
	 * (setImmediate), which runs every pending promise continuation first.
	 */
	async run<T>(main: () => Promise<T>): Promise<T> {
		let settled = false;
		const result = main().finally(() => {
			settled = true;
		});
		result.catch(() => undefined);
		for (;;) {
			await new Promise<void>((resolve) => setImmediate(resolve));
			if (settled) return await result;
			const next = this.pop();
			if (!next) throw new Error('the simulation is stuck: every task waits and no timer is set');
			this.time = next.at;
			this.fired++;
			next.fire();
			// Every timer due at the same moment fires before the tasks run on.
			while (this.heap.length && this.heap[0].at === this.time) {
				this.fired++;
				this.pop()!.fire();
			}
		}
	}

	private push(timer: Timer): void {
		const heap = this.heap;
		heap.push(timer);
		let index = heap.length - 1;
		while (index > 0) {
			const parent = (index - 1) >> 1;
			if (!before(heap[index], heap[parent])) break;
			[heap[index], heap[parent]] = [heap[parent], heap[index]];
			index = parent;
		}
	}

	private pop(): Timer | undefined {
		const heap = this.heap;
		const top = heap[0];
		const last = heap.pop();
		if (!heap.length || !last) return top;
		heap[0] = last;
		let index = 0;
		for (;;) {
			const left = index * 2 + 1;
			const right = left + 1;
			let smallest = index;
			if (left < heap.length && before(heap[left], heap[smallest])) smallest = left;
			if (right < heap.length && before(heap[right], heap[smallest])) smallest = right;
			if (smallest === index) return top;
			[heap[index], heap[smallest]] = [heap[smallest], heap[index]];
			index = smallest;
		}
	}
}

function before(a: Timer, b: Timer): boolean {
	return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
