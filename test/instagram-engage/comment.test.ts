/** Comment operations over real HTTP against the simulator: list, reply, hide, delete, comments on/off. */
import type { RunningSimulator } from '../../simulator';
import { addComment, engageState } from '../../simulator/domains/instagramEngage';
import {
	COMMENT_MENU,
	COMMENT_NICE,
	COMMENT_OLD,
	COMMENT_OWN_REPLY,
	COMMENT_SPAM,
	COMMENT_STUDIO,
	POST_CLOSED,
	POST_MENU,
	POST_STUDIO,
	PUBLISH_ONLY_TOKEN,
	USER_TOKEN,
	expectCleanMessage,
	json,
	requestsTo,
	run,
	sent,
	startEngage,
} from './helpers';

let sim: RunningSimulator;
beforeEach(async () => {
	sim = await startEngage();
});
afterEach(async () => {
	await sim.stop();
});

const getMany = (extra: Record<string, unknown> = {}) => ({
	resource: 'comment',
	operation: 'getMany',
	postId: POST_MENU,
	...extra,
});

describe('Comment > Get Many', () => {
	it('lists the top-level comments newest first, each with its replies', async () => {
		const { outputs, error } = await run(sim, getMany({ returnAll: true }));
		expect(error).toBeUndefined();
		const comments = json(outputs);
		expect(comments.map((c) => c.id)).toEqual([
			COMMENT_MENU,
			COMMENT_NICE,
			COMMENT_SPAM,
			COMMENT_OLD,
		]);
		expect(comments[0]).toMatchObject({
			postId: POST_MENU,
			text: 'MENU please!',
			username: 'anna.b',
			from: { id: '6310000000000001', username: 'anna.b' },
			hidden: false,
			replies: [
				expect.objectContaining({
					id: COMMENT_OWN_REPLY,
					parent_id: COMMENT_MENU,
					text: 'Thank you Anna!',
				}),
			],
		});
		expect(comments[1].replies).toEqual([]);
		expect(
			outputs[0].every(
				(item, index) => (item.pairedItem as { item: number }).item === 0 && index >= 0,
			),
		).toBe(true);
	});

	it('pages with the cursor until Limit is reached', async () => {
		const { outputs } = await run(
			sim,
			getMany({ returnAll: false, limit: 3, includeReplies: false }),
		);
		expect(json(outputs).map((c) => c.id)).toEqual([COMMENT_MENU, COMMENT_NICE, COMMENT_SPAM]);
		expect(json(outputs)[0].replies).toBeUndefined();
		const reads = requestsTo(sim, 'GET', new RegExp(`^/${POST_MENU}/comments$`));
		expect(reads).toHaveLength(1);
		expect(reads[0].params.limit).toBe('3');
	});

	it('follows paging.next over several pages with Return All (Meta serves at most 50 a page)', async () => {
		for (let i = 0; i < 60; i++) {
			addComment(sim.control.world(), {
				mediaId: POST_STUDIO,
				text: `c${i}`,
				fromId: `70000${i}`,
				username: `u${i}`,
				ageMs: (i + 1) * 60_000,
			});
		}
		const { outputs, error } = await run(
			sim,
			getMany({ postId: POST_STUDIO, returnAll: true, includeReplies: false }),
			{ instagramLogin: true },
		);
		expect(error).toBeUndefined();
		expect(json(outputs)).toHaveLength(62);
		const reads = requestsTo(sim, 'GET', new RegExp(`^/${POST_STUDIO}/comments$`));
		expect(reads.length).toBe(2);
		expect(reads.every((read) => Number(read.params.limit) <= 50)).toBe(true);
	});

	it('stops at the first comment older than Since', async () => {
		const since = new Date(Date.now() - 4 * 3600 * 1000).toISOString();
		const { outputs } = await run(sim, getMany({ returnAll: true, options: { since } }));
		expect(json(outputs).map((c) => c.id)).toEqual([COMMENT_MENU, COMMENT_NICE]);
	});

	it.each([
		[
			'={{ null }}',
			/^Post ID \(item 1\): expected text but the expression gave an empty value \(null\)/,
		],
		['={{ { id: 1 } }}', /^Post ID \(item 1\): expected text but the expression gave an object/],
		['={{ ["1", "2"] }}', /^Post ID \(item 1\): expected text but the expression gave a list/],
		['={{ $json.missing }}', /^Post ID \(item 1\): expected text but the expression gave no value/],
		['abc', /^Post ID \(item 1\): "abc" is not an ID/],
	])('refuses Post ID %s before any request', async (postId, message) => {
		const { error } = await run(sim, getMany({ postId }));
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expectCleanMessage(error);
		expect(requestsTo(sim, 'GET', /comments/)).toHaveLength(0);
	});

	it('refuses Since given as an object', async () => {
		const { error } = await run(sim, getMany({ options: { since: '={{ { a: 1 } }}' } }));
		expect(error?.message).toMatch(
			/^Since \(item 1\): expected a date and time but the expression gave an object/,
		);
	});

	it("reports Meta's permission error through the catalogue without the comment permission", async () => {
		const { error } = await run(sim, getMany(), { token: PUBLISH_ONLY_TOKEN });
		expect(error?.name).toBe('NodeApiError');
		expect((error as { context?: { meta?: { code?: number } } }).context?.meta?.code).toBe(10);
	});

	it("works with Instagram Login on graph.instagram.com's paths", async () => {
		const { outputs, error } = await run(sim, getMany({ postId: POST_STUDIO, returnAll: true }), {
			instagramLogin: true,
		});
		expect(error).toBeUndefined();
		expect(json(outputs).map((c) => c.id)).toEqual([COMMENT_STUDIO, '17950000000000009']);
	});
});

describe('Comment > Reply', () => {
	it('posts one reply and returns its id', async () => {
		const { outputs, error } = await run(
			sim,
			{ resource: 'comment', operation: 'reply', commentId: COMMENT_NICE, text: 'Thank you!' },
			{ token: USER_TOKEN },
		);
		expect(error).toBeUndefined();
		const [reply] = json(outputs);
		expect(reply).toMatchObject({
			id: expect.stringMatching(/^\d+$/),
			repliedTo: COMMENT_NICE,
			text: 'Thank you!',
		});
		expect(sent(sim, 'reply')).toEqual([
			expect.objectContaining({
				commentId: COMMENT_NICE,
				body: expect.objectContaining({ message: 'Thank you!' }),
			}),
		]);
		expect(engageState(sim.control.world()).comments.get(String(reply.id))?.parentId).toBe(
			COMMENT_NICE,
		);
	});

	it.each([
		['   ', /^Text \(item 1\): is empty/],
		['x'.repeat(2201), /^Text \(item 1\): is 2201 characters long; Meta accepts at most 2200/],
		[
			'={{ null }}',
			/^Text \(item 1\): expected text but the expression gave an empty value \(null\)/,
		],
		['={{ { t: 1 } }}', /^Text \(item 1\): expected text but the expression gave an object/],
		['={{ ["a"] }}', /^Text \(item 1\): expected text but the expression gave a list/],
	])('refuses the text %#  before any request', async (text, message) => {
		const { error } = await run(sim, {
			resource: 'comment',
			operation: 'reply',
			commentId: COMMENT_NICE,
			text,
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expectCleanMessage(error);
		expect(requestsTo(sim, 'POST', /replies/)).toHaveLength(0);
	});

	it('accepts exactly 2,200 characters', async () => {
		const { error } = await run(sim, {
			resource: 'comment',
			operation: 'reply',
			commentId: COMMENT_NICE,
			text: 'x'.repeat(2200),
		});
		expect(error).toBeUndefined();
	});

	it('never repeats a reply whose answer was lost: the item is reported unknown', async () => {
		sim.control.injectFault({ kind: 'dropAfterProcessing', method: 'POST', path: '/replies$' });
		const { outputs, error } = await run(
			sim,
			{ resource: 'comment', operation: 'reply', commentId: COMMENT_NICE, text: 'Once' },
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(error).toBeUndefined();
		expect(json(outputs)).toEqual([
			expect.objectContaining({ details: expect.objectContaining({ status: 'unknown' }) }),
		]);
		expect(requestsTo(sim, 'POST', /replies$/)).toHaveLength(1);
		expect(sent(sim, 'reply')).toHaveLength(1);
	});

	it('with Continue On Fail, one output item per input item', async () => {
		const { outputs } = await run(
			sim,
			{
				resource: 'comment',
				operation: 'reply',
				commentId: '={{ $json.id }}',
				text: '={{ $json.text }}',
			},
			{
				items: [
					{ json: { id: COMMENT_NICE, text: 'ok' } },
					{ json: { id: COMMENT_NICE, text: null } },
					{ json: { id: '999999999', text: 'x' } },
				],
				settings: { onError: 'continueRegularOutput' },
			},
		);
		const items = json(outputs);
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({ repliedTo: COMMENT_NICE });
		expect(items[1].error).toMatch(/^Text \(item 2\)/);
		expect(items[2]).toMatchObject({
			details: expect.objectContaining({ status: 'failed', code: 100 }),
		});
		expect(outputs[0].map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
	});
});

describe('Comment > Hide, Unhide, Delete', () => {
	it('hides and unhides a comment', async () => {
		const hidden = await run(sim, {
			resource: 'comment',
			operation: 'hide',
			commentId: COMMENT_SPAM,
		});
		expect(json(hidden.outputs)).toEqual([{ commentId: COMMENT_SPAM, hidden: true }]);
		expect(engageState(sim.control.world()).comments.get(COMMENT_SPAM)?.hidden).toBe(true);
		const shown = await run(
			sim,
			{ resource: 'comment', operation: 'unhide', commentId: COMMENT_SPAM },
			{ instagramLogin: false },
		);
		expect(json(shown.outputs)).toEqual([{ commentId: COMMENT_SPAM, hidden: false }]);
		expect(engageState(sim.control.world()).comments.get(COMMENT_SPAM)?.hidden).toBe(false);
		expect(
			requestsTo(sim, 'POST', new RegExp(`^/${COMMENT_SPAM}$`)).map((r) => r.params.hide),
		).toEqual(['true', 'false']);
	});

	it("deletes a comment; a second delete is Meta's unknown-object error", async () => {
		const first = await run(sim, {
			resource: 'comment',
			operation: 'delete',
			commentId: COMMENT_SPAM,
		});
		expect(json(first.outputs)).toEqual([{ commentId: COMMENT_SPAM, deleted: true }]);
		const second = await run(sim, {
			resource: 'comment',
			operation: 'delete',
			commentId: COMMENT_SPAM,
		});
		expect(second.error?.name).toBe('NodeApiError');
		expect(
			(second.error as { context?: { meta?: { code?: number; subcode?: number } } }).context?.meta,
		).toMatchObject({ code: 100, subcode: 33 });
	});

	it('treats an answer without success as an unknown outcome', async () => {
		sim.control.injectFault({ kind: 'malformedJson', method: 'DELETE' });
		const { outputs } = await run(
			sim,
			{ resource: 'comment', operation: 'delete', commentId: COMMENT_SPAM },
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(json(outputs)[0]).toMatchObject({
			details: expect.objectContaining({ status: 'unknown' }),
		});
		expect(requestsTo(sim, 'DELETE', /./)).toHaveLength(1);
	});
});

describe('Comment > Enable / Disable Comments', () => {
	it('turns comments off, after which a reply is refused by Meta, and on again', async () => {
		const off = await run(sim, {
			resource: 'comment',
			operation: 'disableComments',
			postId: POST_MENU,
		});
		expect(json(off.outputs)).toEqual([{ postId: POST_MENU, commentsEnabled: false }]);
		const refused = await run(sim, {
			resource: 'comment',
			operation: 'reply',
			commentId: COMMENT_NICE,
			text: 'hi',
		});
		expect(refused.error?.name).toBe('NodeApiError');
		const on = await run(
			sim,
			{ resource: 'comment', operation: 'enableComments', postId: POST_CLOSED },
			{ instagramLogin: false },
		);
		expect(json(on.outputs)).toEqual([{ postId: POST_CLOSED, commentsEnabled: true }]);
		expect(sent(sim, 'commentEnabled').map((entry) => entry.body.commentEnabled)).toEqual([
			false,
			true,
		]);
	});
});
