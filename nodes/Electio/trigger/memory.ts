// What the trigger remembers between polls, in the workflow's static data (saved by n8n with the
// workflow, so it survives restarts): a time watermark read again with an overlap, and the events
// already emitted within reach of that overlap. Bounded, JSON only.
import type { IDataObject } from 'n8n-workflow';

import type { EventKind } from './events';

/** At most this many emitted events are remembered (only those a later window can return again). */
export const MAX_REMEMBERED = 10_000;

export interface PollMemory {
	/** Nothing from before this moment is asked for: the first activation, less the hours to include. */
	floor: number;
	/** The end of the latest window read, on this machine's clock; never moves back. */
	readUntil: number;
	/**
	 * Emitted events by key, each with the latest moment it can carry: its own time when Electio
	 * gives one, else the end of the window that returned it (Electio only returns events up to End).
	 */
	emitted: Record<string, number>;
}

export interface PollWindow {
	start: number;
	end: number;
}

/** The memory in the node's static data; undefined before the first activation's poll. */
export function recall(staticData: IDataObject): PollMemory | undefined {
	const { floor, readUntil, emitted } = staticData;
	if (
		typeof floor !== 'number' ||
		typeof readUntil !== 'number' ||
		emitted === null ||
		typeof emitted !== 'object' ||
		Array.isArray(emitted)
	) {
		return undefined;
	}
	return { floor, readUntil, emitted: { ...(emitted as Record<string, number>) } };
}

/**
 * The memory of a first activation that starts reading at `start`: what Electio already shows
 * within the overlap before it (the first poll reads that window) counts as emitted, so old events
 * do not flood a workflow that was just activated, while one stamped there but recorded later
 * (late, or by a clock behind this one) is still emitted.
 */
export function firstMemory(start: number, overlapMs: number): PollMemory {
	return { floor: start - overlapMs, readUntil: start, emitted: {} };
}

/**
 * The window to read now: from the watermark less the overlap (never before the floor) to now.
 * The overlap catches events Electio records late or stamps by a clock behind this one; one
 * stamped ahead of this clock comes in a later window. Undefined when this clock is behind the
 * window's start (it was set back): the next polls read on once it has caught up.
 */
export function windowFor(
	memory: PollMemory,
	now: number,
	overlapMs: number,
): PollWindow | undefined {
	const start = Math.max(memory.floor, memory.readUntil - overlapMs);
	return now >= start ? { start, end: now } : undefined;
}

/**
 * The events of a window not emitted before, in the order given, and the memory updated: they
 * are remembered, the watermark moves to the window's end, and what no later window can return
 * again is forgotten.
 */
export function takeFresh(
	memory: PollMemory,
	kind: EventKind,
	events: IDataObject[],
	window: PollWindow,
	overlapMs: number,
): IDataObject[] {
	const fresh: IDataObject[] = [];
	for (const payload of events) {
		const key = kind.key(payload);
		if (key in memory.emitted) continue;
		memory.emitted[key] = kind.time(payload) ?? window.end;
		fresh.push(payload);
	}
	memory.readUntil = Math.max(memory.readUntil, window.end);
	const nextStart = Math.max(memory.floor, memory.readUntil - overlapMs);
	const kept = Object.entries(memory.emitted)
		.filter(([, until]) => until >= nextStart)
		.sort(([, a], [, b]) => b - a)
		.slice(0, MAX_REMEMBERED);
	memory.emitted = Object.fromEntries(kept);
	return fresh;
}

/** Writes the memory into the node's static data (n8n saves it with the workflow). */
export function store(staticData: IDataObject, memory: PollMemory): void {
	staticData.floor = memory.floor;
	staticData.readUntil = memory.readUntil;
	staticData.emitted = memory.emitted;
}
