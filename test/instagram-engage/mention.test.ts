/** Mentions over real HTTP: read the mentioning post or comment (Facebook Login), reply to it. */
import type { RunningSimulator } from '../../simulator';
import { engageState } from '../../simulator/domains/instagramEngage';
import {
	MENTION_COMMENT,
	MENTION_MEDIA,
	USER_TOKEN,
	account,
	expectCleanMessage,
	json,
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

const mention = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'mention',
	operation,
	instagramAccountId: account(),
	mediaId: MENTION_MEDIA,
	...extra,
});

describe('Mention > Get', () => {
	it('reads the post whose caption mentions the account', async () => {
		const { outputs, error } = await run(sim, mention('get'), { token: USER_TOKEN });
		expect(error).toBeUndefined();
		expect(json(outputs)).toEqual([
			expect.objectContaining({
				type: 'caption',
				mediaId: MENTION_MEDIA,
				id: MENTION_MEDIA,
				caption: 'Best cake in town at @cafe.aurora',
				username: 'foodie.lena',
				media_type: 'IMAGE',
				like_count: 54,
			}),
		]);
		const [request] = sim.control.requests();
		expect(request.params.fields).toMatch(
			new RegExp(`^mentioned_media\\.media_id\\(${MENTION_MEDIA}\\)\\{`),
		);
	});

	it('reads the comment that mentions the account', async () => {
		const { outputs, error } = await run(
			sim,
			mention('get', { mentionCommentId: MENTION_COMMENT }),
			{ token: USER_TOKEN },
		);
		expect(error).toBeUndefined();
		expect(json(outputs)[0]).toMatchObject({
			type: 'comment',
			commentId: MENTION_COMMENT,
			text: '@cafe.aurora do you deliver?',
			username: 'foodie.lena',
			media: expect.objectContaining({ id: MENTION_MEDIA }),
		});
	});

	it('is refused with Instagram Login before any request (Meta offers it with Facebook Login only)', async () => {
		const { error } = await run(sim, mention('get'), { instagramLogin: true });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Mention > Get works with Facebook Login only');
		expect(sim.control.requests()).toHaveLength(0);
	});

	it("an unknown mention is Meta's unknown-object error", async () => {
		const { error } = await run(sim, mention('get', { mediaId: '17900000000000101' }), {
			token: USER_TOKEN,
		});
		expect(error?.name).toBe('NodeApiError');
	});

	it.each([
		[
			{ mediaId: '={{ null }}' },
			/^Media ID \(item 1\): expected text but the expression gave an empty value \(null\)/,
		],
		[
			{ mentionCommentId: '={{ { id: 1 } }}' },
			/^Comment ID \(item 1\): expected text but the expression gave an object/,
		],
		[{ mentionCommentId: 'x1' }, /^Comment ID \(item 1\): "x1" is not an ID/],
	])('refuses bad input %# before any request', async (extra, message) => {
		const { error } = await run(sim, mention('get', extra), { token: USER_TOKEN });
		expect(error?.message).toMatch(message);
		expectCleanMessage(error);
		expect(sim.control.requests()).toHaveLength(0);
	});
});

describe('Mention > Reply', () => {
	it("answers a comment mention with a comment on the other account's post", async () => {
		const { outputs, error } = await run(
			sim,
			mention('reply', { mentionCommentId: MENTION_COMMENT, text: 'Yes, every day!' }),
			{ token: USER_TOKEN },
		);
		expect(error).toBeUndefined();
		const [reply] = json(outputs);
		expect(reply).toMatchObject({
			id: expect.stringMatching(/^\d+$/),
			mediaId: MENTION_MEDIA,
			commentId: MENTION_COMMENT,
			text: 'Yes, every day!',
		});
		expect(sent(sim, 'mentionReply')).toEqual([
			expect.objectContaining({
				mediaId: MENTION_MEDIA,
				commentId: MENTION_COMMENT,
				body: expect.objectContaining({ message: 'Yes, every day!' }),
			}),
		]);
		expect(engageState(sim.control.world()).comments.get(String(reply.id))?.parentId).toBe(
			MENTION_COMMENT,
		);
	});

	it('answers a caption mention', async () => {
		const { error } = await run(sim, mention('reply', { text: 'Thank you!' }), {
			token: USER_TOKEN,
		});
		expect(error).toBeUndefined();
		expect(sim.control.requests()[0].body).toEqual({
			media_id: MENTION_MEDIA,
			message: 'Thank you!',
		});
	});

	it.each([
		[{ text: '  ' }, /^Text \(item 1\): is empty/],
		[{ text: 'y'.repeat(2201) }, /^Text \(item 1\): is 2201 characters long/],
		[{ text: '={{ [1] }}' }, /^Text \(item 1\): expected text but the expression gave a list/],
	])('refuses bad text %# before any request', async (extra, message) => {
		const { error } = await run(sim, mention('reply', extra));
		expect(error?.message).toMatch(message);
		expect(sim.control.requests()).toHaveLength(0);
	});
});
