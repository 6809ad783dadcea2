/**
 * Pacing of the writes to Meta's published rates, so many input items never burst past them
 * (https://developers.facebook.com/docs/messenger-platform/overview/rate-limiting):
 * - the Send API (direct messages and private replies): 300 calls per second per Instagram
 *   professional account;
 * - private replies: 750 per hour per Facebook Page (no figure is published for Instagram Login;
 *   the same default applies and the option changes it);
 * - comment writes (replies to comments and mentions): no current figure; an older copy of Meta's
 *   page gave 60 per user per hour, kept as the option's default.
 * A throttled answer all the same is repeated by the transport (`retry: 'throttleOnly'`) after
 * Meta's wait. The state lives for one execution (keyed by the execution's context object) and
 * waits run on the transport's clock.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { collectionValue, expectNumber, readCollection } from '../../shared/parameters';
import { transportClock } from '../../shared/transport';

export const MESSAGES_PER_SECOND = 300;
export const PRIVATE_REPLIES_PER_HOUR = 750;
export const COMMENT_REPLIES_PER_HOUR = 60;

const SECOND_MS = 1000;
const HOUR_MS = 3600 * 1000;

/**
 * At most `limit` calls in any window of `windowMs`, as Meta counts them on arrival. A call
 * arrives somewhere between its start and its answer, so the window counts from the answer: the
 * call that would be one too many starts only when the `limit`-th last answer has left the window.
 */
export class SlidingWindowPacer {
	/** When each finished call got its answer, oldest first. */
	private readonly ends: number[] = [];

	private inFlight = 0;

	constructor(private readonly windowMs: number) {}

	/** Runs `call` once the window has room; 0 (or less) as the limit turns pacing off. */
	async run<T>(limit: number, call: () => Promise<T>): Promise<T> {
		if (!(limit > 0)) return await call();
		for (;;) {
			const now = transportClock.now();
			while (this.ends.length > 0 && this.ends[0] <= now - this.windowMs) this.ends.shift();
			const room = limit - this.inFlight;
			if (this.ends.length < room) break;
			// Calls still waiting for their answer cannot leave the window yet: poll again shortly.
			const wait =
				room > 0 ? this.ends[this.ends.length - room] + this.windowMs - now : this.windowMs / limit;
			await transportClock.sleep(Math.max(1, wait));
		}
		this.inFlight++;
		try {
			return await call();
		} finally {
			this.inFlight--;
			this.ends.push(transportClock.now());
		}
	}
}

type PaceKind = 'messages' | 'privateReplies' | 'commentReplies';

const WINDOWS: Record<PaceKind, number> = {
	messages: SECOND_MS,
	privateReplies: HOUR_MS,
	commentReplies: HOUR_MS,
};

/** One map per execution: a new run starts with empty windows. */
const executions = new WeakMap<object, Map<string, SlidingWindowPacer>>();

function pacerFor(this: IExecuteFunctions, kind: PaceKind, key: string): SlidingWindowPacer {
	let pacers = executions.get(this);
	if (!pacers) {
		pacers = new Map();
		executions.set(this, pacers);
	}
	const id = `${kind}:${key}`;
	let pacer = pacers.get(id);
	if (!pacer) {
		pacer = new SlidingWindowPacer(WINDOWS[kind]);
		pacers.set(id, pacer);
	}
	return pacer;
}

/** Runs `call` within the rate of `kind` for `key` (an account, or the token's user). */
export async function paced<T>(
	this: IExecuteFunctions,
	kind: PaceKind,
	key: string,
	limit: number,
	call: () => Promise<T>,
): Promise<T> {
	return await pacerFor.call(this, kind, key).run(limit, call);
}

/**
 * A rate option of an Options collection: the default when not added; an added option whose
 * expression gave nothing, a non-number or a negative number is refused before any request.
 */
export function readRate(
	this: IExecuteFunctions,
	options: IDataObject,
	key: string,
	label: string,
	fallback: number,
	itemIndex: number,
): number {
	const value = collectionValue(this.getNode(), options, key, { label, itemIndex });
	if (value === undefined) return fallback;
	return (
		expectNumber(this.getNode(), value, { label, itemIndex }, { required: true, min: 0 }) ??
		fallback
	);
}

export const messagesPerSecondOption: INodeProperties = {
	displayName: 'Messages Per Second',
	name: 'messagesPerSecond',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: MESSAGES_PER_SECOND,
	description:
		"Most Send API calls started in any second for this account in this run (Meta's limit for Instagram messaging: 300 per second). 0 turns pacing off.",
};

export const privateRepliesPerHourOption: INodeProperties = {
	displayName: 'Private Replies Per Hour',
	name: 'privateRepliesPerHour',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: PRIVATE_REPLIES_PER_HOUR,
	description:
		"Most private replies sent in any hour for this account in this run; the next one waits (Meta's limit: 750 per hour per Page; not published for Instagram Login). 0 turns pacing off.",
};

/** The Options collection of the public replies (Comment > Reply, Mention > Reply). */
export const replyOptionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Replies Per Hour',
			name: 'repliesPerHour',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: COMMENT_REPLIES_PER_HOUR,
			description:
				'Most public replies (to comments and mentions) posted in any hour in this run; the next one waits. Meta publishes no current figure: 60 per user per hour is from an older version of its page. 0 turns pacing off.',
		},
	],
};

/** Reads Replies Per Hour (before any request); runs `call` paced by it: one window for the token's user in this run. */
export async function pacedCommentReply<T>(
	this: IExecuteFunctions,
	itemIndex: number,
	call: () => Promise<T>,
): Promise<T> {
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	const perHour = readRate.call(
		this,
		options,
		'repliesPerHour',
		'Replies Per Hour',
		COMMENT_REPLIES_PER_HOUR,
		itemIndex,
	);
	return await (paced<T>).call(this, 'commentReplies', 'user', perHour, call);
}
