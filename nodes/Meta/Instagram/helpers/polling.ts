/**
 * Waiting for Meta to process containers. Meta advises reading a container's status about once a
 * minute, for at most five minutes, and every status read counts against the app's rate limit
 * (each id of a multi-id read counts as one call):
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container
 * https://developers.facebook.com/docs/graph-api/overview/rate-limiting
 * Waiting a minute would make every image post a minute slow, so the schedule grows instead: the
 * gap after a read is 30 % of the time waited so far (never under 1 s for images, 3 s for videos,
 * never over a minute). A container is then seen ready at most 30 % (or that floor) after it
 * became ready, and a 60 s video costs about 11 reads.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { transportClock } from '../../shared/transport';
import type { ContainerState, StatusCode } from './containers';
import { getContainerStatuses } from './containerStatus';

export type MediaKind = 'image' | 'video';

/** When the first read is due: images are often ready at once, videos never are. */
const FIRST_READ_MS: Record<MediaKind, number> = { image: 0, video: 500 };
const MIN_GAP_MS: Record<MediaKind, number> = { image: 1000, video: 3000 };
const MAX_GAP_MS = 60_000;
const GROWTH = 0.3;

/** Milliseconds after the wait began at which the first status read is due. */
export function firstPollAt(kind: MediaKind): number {
	return FIRST_READ_MS[kind];
}

/** Milliseconds from a read due at `elapsedMs` (since the wait began) to the next one. */
export function pollDelay(elapsedMs: number, kind: MediaKind = 'video'): number {
	return Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS[kind], Math.round(elapsedMs * GROWTH)));
}

const TERMINAL: StatusCode[] = ['FINISHED', 'ERROR', 'EXPIRED', 'PUBLISHED'];

function isTerminal(state: ContainerState | undefined): boolean {
	return state !== undefined && TERMINAL.includes(state.statusCode);
}

function isFailed(state: ContainerState): boolean {
	return state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED';
}

export interface WaitOptions {
	/** Which of `ids` are videos (they take longest, so they are watched first). */
	videos?: boolean[];
	/** Read the status once straight away, whatever the media (e.g. a publish said "not ready"). */
	kind?: MediaKind;
}

/**
 * Reads the containers' status on the schedule above until all are done, one fails, or the
 * deadline passes; returns the last known state of every container.
 *
 * Containers of one post are processed side by side, so while several are pending only one is
 * read (a video if there is one, else the last created): the others are read, in one request,
 * once that one is done. Containers already FINISHED are not read again.
 */
export async function waitForContainers(
	this: IExecuteFunctions,
	itemIndex: number,
	ids: string[],
	deadline: number,
	options: WaitOptions = {},
): Promise<ContainerState[]> {
	const videos = options.videos ?? ids.map(() => options.kind === 'video');
	const kind: MediaKind = options.kind ?? (videos.some(Boolean) ? 'video' : 'image');
	const latest = new Map<string, ContainerState>();
	const started = transportClock.now();
	let dueAt = firstPollAt(kind);
	for (;;) {
		const wait = Math.min(started + dueAt, deadline) - transportClock.now();
		if (wait > 0) await transportClock.sleep(wait);
		const pending = ids.filter((id) => !isTerminal(latest.get(id)));
		const probe = pickProbe(pending, ids, videos);
		const [probeState] = await getContainerStatuses.call(this, itemIndex, [probe]);
		latest.set(probe, probeState);
		const rest = pending.filter((id) => id !== probe);
		if (isTerminal(probeState) && rest.length > 0) {
			for (const state of await getContainerStatuses.call(this, itemIndex, rest))
				latest.set(state.id, state);
		}
		const states = ids.map((id) => latest.get(id) ?? { id, statusCode: 'IN_PROGRESS' as const });
		if (states.every(isTerminal) || states.some(isFailed) || transportClock.now() >= deadline) {
			return states;
		}
		// Fixed rate: the next read is due a gap after this one was due, so slow answers do not
		// stretch the schedule.
		dueAt += pollDelay(dueAt, kind);
	}
}

/** The pending container to watch: the last video, else the last one. */
function pickProbe(pending: string[], ids: string[], videos: boolean[]): string {
	for (let index = pending.length - 1; index >= 0; index--) {
		if (videos[ids.indexOf(pending[index])]) return pending[index];
	}
	return pending[pending.length - 1];
}
