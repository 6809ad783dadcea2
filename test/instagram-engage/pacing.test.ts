/**
 * Pacing of the writes to Meta's messaging rates, over real HTTP against the simulator. The waits
 * run on the simulator's clock: the transport's clock (the node's only time source for waiting) is
 * pointed at it, and a wait moves it forward instead of sleeping, so an hour of pacing takes
 * milliseconds. Each logged request carries the simulator time it arrived at.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { transportClock } from '../../nodes/Meta/shared/transport';
import type { RunningSimulator } from '../../simulator';
import { addComment } from '../../simulator/domains/instagramEngage';
import {
	COMMENT_MENU,
	IG_BUSINESS,
	MENTION_MEDIA,
	POST_MENU,
	USER_RECENT,
	account,
	expectCleanMessage,
	json,
	requestsTo,
	run,
	sent,
	startEngage,
} from './helpers';

const HOUR = 3600_000;

let sim: RunningSimulator;
let waits: number[];
const original = { ...transportClock };
beforeEach(async () => {
	sim = await startEngage();
	waits = [];
	transportClock.now = () => sim.control.world().now();
	transportClock.sleep = async (ms: number) => {
		waits.push(ms);
		sim.control.advanceClock(Math.max(0, ms));
	};
});
afterEach(async () => {
	Object.assign(transportClock, original);
	await sim.stop();
});

function items(count: number, make: (index: number) => IDataObject = () => ({})) {
	return Array.from({ length: count }, (_, index): INodeExecutionData => ({ json: make(index) }));
}

/** Arrival times (simulator clock) of the matching requests, relative to the first. */
function arrivals(method: string, path: RegExp): number[] {
	const times = requestsTo(sim, method, path).map((request) => request.at);
	return times.map((at) => at - times[0]);
}

/** The most requests that arrived within any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
	return Math.max(
		...times.map((start) => times.filter((at) => at >= start && at < start + windowMs).length),
	);
}

function newComments(count: number): string[] {
	return Array.from(
		{ length: count },
		(_, index) =>
			addComment(sim.control.world(), {
				mediaId: POST_MENU,
				text: 'LINK',
				fromId: `63188${index}`,
				username: `fan${index}`,
			}).id,
	);
}

describe('Private Reply > Send', () => {
	const privateReply = (options: Record<string, unknown>) => ({
		resource: 'privateReply',
		operation: 'send',
		instagramAccountId: account(),
		commentId: '={{ $json.commentId }}',
		text: 'Here is the link',
		options,
	});

	it('spreads 5 replies at 2 per hour: never more than 2 in any hour, each sent once', async () => {
		const ids = newComments(5);
		const { outputs, error } = await run(sim, privateReply({ privateRepliesPerHour: 2 }), {
			items: items(5, (index) => ({ commentId: ids[index] })),
		});
		expect(error).toBeUndefined();
		expect(json(outputs).map((item) => item.sent)).toEqual([true, true, true, true, true]);
		expect(sent(sim, 'privateReply').map((entry) => entry.commentId)).toEqual(ids);
		const times = arrivals('POST', /\/messages$/);
		expect(busiestWindow(times, HOUR)).toBe(2);
		// Not slower than needed: the fifth goes out as soon as the window lets it (two hours on).
		expect(times[4]).toBeGreaterThanOrEqual(2 * HOUR);
		expect(times[4]).toBeLessThan(2 * HOUR + 60_000);
	});

	it("defaults to Meta's 750 per hour: 5 replies go out without waiting", async () => {
		const ids = newComments(5);
		const { error } = await run(sim, privateReply({}), {
			items: items(5, (index) => ({ commentId: ids[index] })),
		});
		expect(error).toBeUndefined();
		expect(sent(sim, 'privateReply')).toHaveLength(5);
		expect(waits).toEqual([]);
	});

	it('a throttled answer (Instagram 80002) is sent once, after the wait Meta gives', async () => {
		const [id] = newComments(1);
		sim.control.setUsage({
			businessUseCase: {
				objectId: IG_BUSINESS,
				type: 'instagram',
				callCount: 100,
				estimatedTimeToRegainAccess: 1,
			},
		});
		const { outputs, error } = await run(
			sim,
			privateReply({ commentTime: '={{ $now.toISO() }}' }),
			{
				items: items(1, () => ({ commentId: id })),
			},
		);
		expect(error).toBeUndefined();
		expect(json(outputs)[0]).toMatchObject({ sent: true });
		expect(requestsTo(sim, 'POST', /\/messages$/).map((request) => request.errorCode)).toEqual([
			80002,
			undefined,
		]);
		expect(waits.some((ms) => ms >= 60_000)).toBe(true);
		expect(sent(sim, 'privateReply')).toHaveLength(1);
	});
});

describe('Message > Send', () => {
	const message = (options: Record<string, unknown>) => ({
		resource: 'message',
		operation: 'send',
		instagramAccountId: account(),
		recipientId: USER_RECENT,
		messageType: 'text',
		text: '={{ "Hello " + $json.n }}',
		options,
	});

	it('spreads 7 messages at 3 per second: never more than 3 in any second', async () => {
		const { error } = await run(sim, message({ messagesPerSecond: 3 }), {
			items: items(7, (n) => ({ n })),
		});
		expect(error).toBeUndefined();
		expect(sent(sim, 'message')).toHaveLength(7);
		const times = arrivals('POST', /\/messages$/);
		expect(busiestWindow(times, 1000)).toBe(3);
		expect(times[6]).toBeGreaterThanOrEqual(2000);
	});

	it('a throttled answer (code 4, app limit) is repeated and the message sent once', async () => {
		sim.control.setUsage({ appCallCount: 100 });
		// The app's usage drops as soon as the node has waited once.
		transportClock.sleep = async (ms: number) => {
			waits.push(ms);
			sim.control.setUsage({ appCallCount: 10 });
			sim.control.advanceClock(Math.max(0, ms));
		};
		const { outputs, error } = await run(sim, message({}), { items: items(1, (n) => ({ n })) });
		expect(error).toBeUndefined();
		expect(json(outputs)[0]).toMatchObject({ sent: true });
		expect(requestsTo(sim, 'POST', /\/messages$/).map((request) => request.errorCode)).toEqual([
			4,
			undefined,
		]);
		expect(sent(sim, 'message')).toHaveLength(1);
	});

	it('starts each execution with an empty window', async () => {
		await run(sim, message({ messagesPerSecond: 1 }), { items: items(1, (n) => ({ n })) });
		await run(sim, message({ messagesPerSecond: 1 }), { items: items(1, (n) => ({ n })) });
		expect(sent(sim, 'message')).toHaveLength(2);
		expect(waits).toEqual([]);
	});

	it.each([
		[{ messagesPerSecond: '={{ null }}' }, /^Messages Per Second \(item 1\):/],
		[{ messagesPerSecond: '={{ "fast" }}' }, /^Messages Per Second \(item 1\): expected a number/],
		[{ messagesPerSecond: -1 }, /^Messages Per Second \(item 1\):/],
		[{ messagesPerSecond: '={{ {a:1} }}' }, /^Messages Per Second \(item 1\):/],
	])('refuses a bad rate %# before any request', async (options, pattern) => {
		const { error } = await run(sim, message(options), { items: items(1, (n) => ({ n })) });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(pattern);
		expectCleanMessage(error);
		expect(sim.control.requests()).toHaveLength(0);
	});
});

describe('Comment > Reply and Mention > Reply', () => {
	it('keeps to 60 replies per hour by default: the 61st waits for the hour', async () => {
		const { error } = await run(
			sim,
			{ resource: 'comment', operation: 'reply', commentId: COMMENT_MENU, text: 'Thanks!' },
			{ items: items(61) },
		);
		expect(error).toBeUndefined();
		const times = arrivals('POST', /\/replies$/);
		expect(times).toHaveLength(61);
		expect(busiestWindow(times, HOUR)).toBe(60);
		expect(times[60]).toBeGreaterThanOrEqual(HOUR);
		expect(times[59]).toBeLessThan(60_000);
	});

	it('Replies Per Hour applies to mention replies too', async () => {
		const { error } = await run(
			sim,
			{
				resource: 'mention',
				operation: 'reply',
				instagramAccountId: account(),
				mediaId: MENTION_MEDIA,
				text: 'Thanks for the shout-out!',
				options: { repliesPerHour: 1 },
			},
			{ items: items(3) },
		);
		expect(error).toBeUndefined();
		const times = arrivals('POST', /\/mentions$/);
		expect(times).toHaveLength(3);
		expect(busiestWindow(times, HOUR)).toBe(1);
		expect(times[2]).toBeGreaterThanOrEqual(2 * HOUR);
	});

	it('refuses Replies Per Hour that gives nothing before any request', async () => {
		const { error } = await run(sim, {
			resource: 'comment',
			operation: 'reply',
			commentId: COMMENT_MENU,
			text: 'Thanks!',
			options: { repliesPerHour: '={{ $json.missing }}' },
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^Replies Per Hour \(item 1\):/);
		expect(sim.control.requests()).toHaveLength(0);
	});
});
