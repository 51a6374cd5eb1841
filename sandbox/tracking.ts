// The tracking clock: after a manifest, each consignment travels Collected → InTransit →
// OutForDelivery → Delivered, one carrier event per step; a seeded share (the same for a given
// seed and reference) ends CollectionFailed or DeliveryFailed instead.
//
// Steps are stepMs apart on the sandbox clock. With `auto` on they come due as that clock passes
// (real time, or advanceClock) and are applied, stamped with their due time, before the next
// request reads anything; with `auto` off (the library default) journeys wait for step(n).
import type { Clock } from './clock';
import { addressesOf, ConsignmentRecord, customerRefOf } from './record';
import type { Store } from './store';
import { TRACKING_STATES } from './states';
import type { ConsignmentState, TrackingEvent, TrackingOptions } from './types';
import { ApiError, isoOffset, Rng, streamSeed } from './util';

export const TRACKING_DEFAULTS: Required<TrackingOptions> = {
	auto: false,
	stepMs: 750,
	failureRate: 0.2,
};

interface Step {
	state: ConsignmentState;
	code: string;
	description: string;
	location: string | null;
	signedBy: string | null;
}

interface Journey {
	r: ConsignmentRecord;
	plan: Step[];
	taken: number;
	/** sandbox-clock ms at which the next step is due (auto mode) */
	nextDueAt: number;
}

export type Outcome = 'Delivered' | 'CollectionFailed' | 'DeliveryFailed';

/** Where an address is, for an event's Location: its town, else its postcode. */
function town(a: Record<string, unknown>): string | null {
	for (const v of [a.Town, a.Postcode]) if (typeof v === 'string' && v) return v;
	return null;
}

function signer(destination: Record<string, unknown>): string {
	const c = (destination.Contact ?? {}) as Record<string, unknown>;
	const first = typeof c.FirstName === 'string' ? c.FirstName : '';
	const last = typeof c.LastName === 'string' ? c.LastName : '';
	return last ? `${first ? first[0] + '. ' : ''}${last}` : 'Signed at door';
}

export class Tracker {
	private journeys = new Map<string, Journey>();
	private settings: Required<TrackingOptions>;

	constructor(
		private store: Store,
		private clock: Clock,
		private seed: number,
		options: TrackingOptions = {},
	) {
		this.settings = TRACKING_DEFAULTS;
		this.configure(options);
		store.onStateChange = (r, to, at) => this.onStateChange(r, to, at);
	}

	/** Applies the given settings (others unchanged); a value of the wrong type is a 400. */
	configure(o: TrackingOptions): Required<TrackingOptions> {
		const s = { ...this.settings };
		for (const k of Object.keys(TRACKING_DEFAULTS) as (keyof TrackingOptions)[])
			if (o[k] !== undefined) Object.assign(s, { [k]: o[k] });
		const bad: string[] = [];
		if (typeof s.auto !== 'boolean') bad.push('auto must be true or false');
		if (typeof s.stepMs !== 'number' || !(s.stepMs > 0) || !Number.isFinite(s.stepMs))
			bad.push('stepMs must be a number > 0');
		if (typeof s.failureRate !== 'number' || !(s.failureRate >= 0 && s.failureRate <= 1))
			bad.push('failureRate must be a number from 0 to 1');
		if (bad.length) throw new ApiError(400, 'ValidationFailed', `Tracking: ${bad.join('; ')}`);
		// Switching to automatic: waiting journeys continue from now, not from their manifest.
		if (s.auto && !this.settings.auto) {
			const now = this.clock.now().getTime();
			for (const j of this.journeys.values()) j.nextDueAt = now + s.stepMs;
		}
		this.settings = s;
		return { ...s };
	}

	current(): Required<TrackingOptions> {
		return { ...this.settings };
	}

	/** How a consignment's journey ends: a pure function of the seed, the reference and the rate. */
	outcome(ref: string): Outcome {
		const x = new Rng(streamSeed(this.seed, `journey:${ref}`)).next();
		const rate = this.settings.failureRate;
		return x < rate / 2 ? 'CollectionFailed' : x < rate ? 'DeliveryFailed' : 'Delivered';
	}

	private plan(r: ConsignmentRecord): Step[] {
		const carrier = r.allocation?.carrier.Name ?? 'Carrier';
		const { origin, destination } = addressesOf(r);
		const from = town(origin);
		const to = town(destination);
		const step = (
			state: ConsignmentState,
			code: string,
			description: string,
			location: string | null,
			signedBy: string | null = null,
		): Step => ({ state, code, description, location, signedBy });
		const collected = step('Collected', 'COLLECTED', `Collected by ${carrier}`, from);
		const transit = step(
			'InTransit',
			'IN_TRANSIT',
			`In transit with ${carrier}`,
			`${carrier} sort centre`,
		);
		const out = step('OutForDelivery', 'OUT_FOR_DELIVERY', 'Out for delivery', to);
		switch (this.outcome(r.ref)) {
			case 'CollectionFailed':
				return [
					step(
						'CollectionFailed',
						'COLLECTION_FAILED',
						`${carrier} could not collect: parcel not ready at the collection point`,
						from,
					),
				];
			case 'DeliveryFailed':
				return [
					collected,
					transit,
					out,
					step(
						'DeliveryFailed',
						'DELIVERY_FAILED',
						'Delivery attempted: no one available to receive the parcel',
						to,
					),
				];
			default:
				return [
					collected,
					transit,
					out,
					step('Delivered', 'DELIVERED', 'Delivered', to, signer(destination)),
				];
		}
	}

	private onStateChange(r: ConsignmentRecord, to: ConsignmentState, at: Date): void {
		if (to === 'Manifested') {
			this.journeys.set(r.ref, {
				r,
				plan: this.plan(r),
				taken: 0,
				nextDueAt: at.getTime() + this.settings.stepMs,
			});
		} else if (!TRACKING_STATES.includes(to)) {
			// Cancelled or deallocated on the way: the carrier stops.
			this.journeys.delete(r.ref);
		}
	}

	private take(j: Journey, at: Date): void {
		const s = j.plan[j.taken++];
		if (j.taken >= j.plan.length) this.journeys.delete(j.r.ref);
		const event: TrackingEvent = {
			TimeStamp: isoOffset(at),
			Code: s.code,
			Description: s.description,
			SignedBy: s.signedBy,
			Location: s.location,
		};
		this.store.track(j.r, s.state, event, at);
	}

	/** Auto mode: applies every step due by now, each stamped with its due time. */
	settle(): void {
		if (!this.settings.auto || this.journeys.size === 0) return;
		const now = this.clock.now().getTime();
		for (const j of [...this.journeys.values()]) {
			while (this.journeys.has(j.r.ref) && j.nextDueAt <= now) {
				const due = new Date(j.nextDueAt);
				j.nextDueAt += this.settings.stepMs;
				this.take(j, due);
			}
		}
	}

	/** Every journey takes `n` more steps; the sandbox clock moves n × stepMs. */
	step(n: number): void {
		const count = Math.max(0, Math.floor(n));
		if (this.settings.auto) {
			this.clock.advance(count * this.settings.stepMs);
			this.settle();
			return;
		}
		for (let i = 0; i < count; i++) {
			this.clock.advance(this.settings.stepMs);
			const at = this.clock.now();
			for (const j of [...this.journeys.values()]) this.take(j, at);
		}
	}

	/** Consignments still on their way, with the steps they have left. */
	onTheirWay(): { reference: string; customerReference: string; stepsLeft: number }[] {
		return [...this.journeys.values()].map((j) => ({
			reference: j.r.ref,
			customerReference: customerRefOf(j.r),
			stepsLeft: j.plan.length - j.taken,
		}));
	}

	reset(): void {
		this.journeys.clear();
	}
}
