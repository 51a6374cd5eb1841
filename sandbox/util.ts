// Small shared helpers: seeded randomness, deterministic GUIDs, the API error type, dates.
import { createHash } from 'crypto';

/** mulberry32: tiny, fast, good enough for reproducible fault/tracking choices. */
export class Rng {
	private state: number;
	constructor(seed: number) {
		this.state = seed >>> 0 || 0x9e3779b9;
	}
	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}
	digits(n: number): string {
		let s = '';
		for (let i = 0; i < n; i++) s += String(this.int(0, 9));
		return s;
	}
	alnum(n: number): string {
		const a = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
		let s = '';
		for (let i = 0; i < n; i++) s += a[this.int(0, a.length - 1)];
		return s;
	}
}

/** Independent streams per purpose, so e.g. injected faults never shift tracking numbers. */
export function streamSeed(seed: number, purpose: string): number {
	return createHash('sha1').update(`${seed}:${purpose}`).digest().readUInt32LE(0);
}

/** A GUID derived from the seed and a name: same seed + same sequence = same GUIDs. */
export function deterministicGuid(seed: number, name: string): string {
	const h = createHash('sha1').update(`${seed}:${name}`).digest('hex');
	const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const CONSIGNMENT_REF_PATTERN = /^EC-[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/;
export const PACKAGE_REF_PATTERN = /^EP-[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/;

/** Sequential base-36 reference: 1 -> EC-000-000-001. */
export function sequentialRef(prefix: string, n: number): string {
	const s = n.toString(36).toUpperCase().padStart(9, '0');
	return `${prefix}-${s.slice(0, 3)}-${s.slice(3, 6)}-${s.slice(6, 9)}`;
}

export interface ErrorDetail {
	Code: string;
	Message: string;
	Target: string;
}

/** Thrown by handlers; the server turns it into the documented error body. */
export class ApiError extends Error {
	constructor(
		public status: number,
		public code: string,
		message: string,
		public details?: ErrorDetail[],
		public headers?: Record<string, string>,
	) {
		super(message);
	}
}

export function round2(n: number): number {
	return Math.round((n + Number.EPSILON) * 100) / 100;
}

/** "2019-06-18T17:00:00.000+00:00": the API writes offsets, not Z. */
export function isoOffset(d: Date): string {
	return d.toISOString().replace('Z', '+00:00');
}

/** "2019-05-01T00:00:00": local date-times without offset, as quotes show them. */
export function isoLocal(d: Date): string {
	return d.toISOString().slice(0, 19);
}

export function dateOnly(d: Date): string {
	return d.toISOString().slice(0, 10);
}

export function startOfUtcDay(d: Date): Date {
	return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function addDays(d: Date, n: number): Date {
	return new Date(d.getTime() + n * 86400000);
}

/** Adds working days (Mon-Fri), optionally counting Saturday as a working day. */
export function addWorkingDays(d: Date, n: number, saturday = false): Date {
	let out = d;
	let left = n;
	while (left > 0) {
		out = addDays(out, 1);
		const wd = out.getUTCDay();
		if (wd === 0 || (wd === 6 && !saturday)) continue;
		left--;
	}
	return out;
}

export function parseDate(v: unknown): Date | null {
	if (typeof v !== 'string' || v.trim() === '') return null;
	const d = new Date(v);
	return isNaN(d.getTime()) ? null : d;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** dd/MM/yyyy HH:mm:ss +00:00, as the allocation Description shows dates. */
export function ukDateTime(d: Date): string {
	const p = (n: number) => String(n).padStart(2, '0');
	return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +00:00`;
}
