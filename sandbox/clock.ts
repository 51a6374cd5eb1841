// The sandbox's notion of "now": a base clock (real time, or a fixed one in tests) shifted by
// however far it has been advanced. Everything that stamps a date reads it from here.
export class Clock {
	private offsetMs = 0;

	constructor(private base: () => Date = () => new Date()) {}

	now(): Date {
		return new Date(this.base().getTime() + this.offsetMs);
	}

	advance(ms: number): void {
		this.offsetMs += ms;
	}
}
