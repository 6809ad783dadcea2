/**
 * Meta redelivers an event until it gets a 200, and sends retries to every subscribed app, so the
 * same message or status can arrive more than once. Event ids seen within the window are kept in
 * the node's workflow static data, which n8n saves after each webhook call.
 *
 * Limit: static data lives with the workflow in n8n's database and is read and written by the
 * process that answers the webhook. In queue mode with several webhook processes answering at the
 * same time, two copies of one event arriving within milliseconds on two processes can both pass.
 */
import type { IDataObject } from 'n8n-workflow';

/** Most event ids remembered; the oldest are forgotten first. */
export const MAX_REMEMBERED_EVENTS = 5000;

interface SeenStore {
	/** Event id -> when it stops counting as a duplicate (ms since epoch), oldest first. */
	seenEvents?: Record<string, number>;
}

/**
 * Splits event ids into new ones (now remembered) and duplicates. A window of 0 turns the check off.
 * An id repeated inside one delivery counts as a duplicate too.
 */
export function dropDuplicates<T extends { eventId: string }>(
	staticData: IDataObject,
	events: T[],
	windowMinutes: number,
	now: number,
): { fresh: T[]; duplicates: T[] } {
	if (windowMinutes <= 0) return { fresh: events, duplicates: [] };
	const store = staticData as SeenStore;
	const seen: Record<string, number> = {};
	for (const [id, expiresAt] of Object.entries(store.seenEvents ?? {})) {
		if (typeof expiresAt === 'number' && expiresAt > now) seen[id] = expiresAt;
	}
	const fresh: T[] = [];
	const duplicates: T[] = [];
	const expiresAt = now + windowMinutes * 60_000;
	for (const event of events) {
		if (seen[event.eventId] !== undefined) {
			duplicates.push(event);
			continue;
		}
		seen[event.eventId] = expiresAt;
		fresh.push(event);
	}
	const ids = Object.keys(seen);
	for (const id of ids.slice(0, Math.max(0, ids.length - MAX_REMEMBERED_EVENTS))) delete seen[id];
	store.seenEvents = seen;
	return { fresh, duplicates };
}
