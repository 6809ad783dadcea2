/** Private replies over real HTTP: once per comment, the 7-day window, text limits, login types. */
import type { RunningSimulator } from '../../simulator';
import { addComment, engageState } from '../../simulator/domains/instagramEngage';
import {
	COMMENT_MENU,
	COMMENT_NICE,
	COMMENT_OLD,
	COMMENT_STUDIO,
	IG_CREATOR,
	POST_MENU,
	USER_TOKEN,
	account,
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

const DAY = 24 * 3600 * 1000;
const privateReply = (extra: Record<string, unknown> = {}) => ({
	resource: 'privateReply',
	operation: 'send',
	instagramAccountId: account(),
	commentId: COMMENT_MENU,
	text: 'Here is our menu',
	...extra,
});
const messagesSent = () => requestsTo(sim, 'POST', /\/messages$/);
const metaCode = (error: unknown) =>
	(error as { context?: { meta?: { code?: number; subcode?: number } } }).context?.meta;

describe('Private Reply > Send', () => {
	it('answers the comment with a direct message carrying the link and quick replies', async () => {
		const { outputs, error } = await run(
			sim,
			privateReply({
				link: 'https://example.com/menu',
				quickReplies: {
					values: [{ title: 'Opening hours', payload: 'HOURS' }, { title: 'Book a table' }],
				},
			}),
		);
		expect(error).toBeUndefined();
		expect(json(outputs)).toEqual([
			{
				commentId: COMMENT_MENU,
				sent: true,
				messageId: expect.stringMatching(/^aWdf/),
				recipientId: '6310000000000001',
				text: 'Here is our menu\nhttps://example.com/menu',
			},
		]);
		expect(sent(sim, 'privateReply')).toEqual([
			expect.objectContaining({
				commentId: COMMENT_MENU,
				recipientId: '6310000000000001',
				body: {
					text: 'Here is our menu\nhttps://example.com/menu',
					quick_replies: [
						{ content_type: 'text', title: 'Opening hours', payload: 'HOURS' },
						{ content_type: 'text', title: 'Book a table', payload: 'Book a table' },
					],
				},
			}),
		]);
		// The comment's time was read first (not given), then the message went out once.
		expect(requestsTo(sim, 'GET', new RegExp(`^/${COMMENT_MENU}$`))).toHaveLength(1);
		expect(messagesSent()).toHaveLength(1);
	});

	it('refuses a second private reply to the same comment before sending (same run, remembered in static data)', async () => {
		const { error } = await run(sim, privateReply(), { items: [{ json: {} }, { json: {} }] });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(
			new RegExp(`^Comment ${COMMENT_MENU} was already answered with a private reply`),
		);
		expect(messagesSent()).toHaveLength(1);
		expect(sent(sim, 'privateReply')).toHaveLength(1);
	});

	it('skips the second one when If Already Answered is Skip', async () => {
		const { outputs, error } = await run(sim, privateReply({ ifAlreadyAnswered: 'skip' }), {
			items: [{ json: {} }, { json: {} }],
		});
		expect(error).toBeUndefined();
		expect(json(outputs)[0]).toMatchObject({ sent: true });
		expect(json(outputs)[1]).toMatchObject({
			commentId: COMMENT_MENU,
			sent: false,
			skipped: true,
			detectedBy: 'workflow',
		});
		expect(messagesSent()).toHaveLength(1);
	});

	it("recognises Meta's refusal of a comment answered by an earlier run (code 10900)", async () => {
		engageState(sim.control.world()).privateReplied.add(COMMENT_MENU);
		const failed = await run(sim, privateReply());
		expect(failed.error?.name).toBe('NodeApiError');
		expect(metaCode(failed.error)).toMatchObject({ code: 10900 });
		const skipped = await run(sim, privateReply({ ifAlreadyAnswered: 'skip' }));
		expect(json(skipped.outputs)).toEqual([
			{
				commentId: COMMENT_MENU,
				sent: false,
				skipped: true,
				reason: 'alreadyAnswered',
				detectedBy: 'meta',
			},
		]);
		expect(sent(sim, 'privateReply')).toHaveLength(0);
	});

	it('refuses a comment older than 7 days before sending, reading its time from Meta', async () => {
		const { error } = await run(sim, privateReply({ commentId: COMMENT_OLD }));
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(
			`Comment ${COMMENT_OLD} is older than 7 days: Meta no longer accepts a private reply to it`,
		);
		expect(requestsTo(sim, 'GET', new RegExp(`^/${COMMENT_OLD}$`))).toHaveLength(1);
		expect(messagesSent()).toHaveLength(0);
	});

	it('uses a given Comment Time (Unix seconds or ISO) without reading the comment', async () => {
		const old = Math.floor((Date.now() - 7 * DAY - 60_000) / 1000);
		const refused = await run(
			sim,
			privateReply({ options: { commentTime: '={{ $json.time }}' } }),
			{ items: [{ json: { time: old } }] },
		);
		expect(refused.error?.message).toMatch(/is older than 7 days/);
		const recent = new Date(Date.now() - 6 * DAY).toISOString();
		const ok = await run(sim, privateReply({ options: { commentTime: recent } }));
		expect(ok.error).toBeUndefined();
		expect(requestsTo(sim, 'GET', new RegExp(`^/${COMMENT_MENU}$`))).toHaveLength(0);
		expect(messagesSent()).toHaveLength(1);
	});

	it("passes Meta's own 7-day refusal through when the given time was wrong", async () => {
		const { error } = await run(
			sim,
			privateReply({ commentId: COMMENT_OLD, options: { commentTime: new Date().toISOString() } }),
		);
		expect(error?.name).toBe('NodeApiError');
		expect(metaCode(error)).toMatchObject({ code: 10, subcode: 2018278 });
		expect(sent(sim, 'privateReply')).toHaveLength(0);
	});

	it("accepts a comment of exactly 6 days and 23 hours; the simulator clock decides Meta's side", async () => {
		const comment = addComment(sim.control.world(), {
			mediaId: POST_MENU,
			text: 'LINK',
			fromId: '6319999',
			username: 'late',
			ageMs: 7 * DAY - 3600_000,
		});
		const { error } = await run(sim, privateReply({ commentId: comment.id }));
		expect(error).toBeUndefined();
		expect(sent(sim, 'privateReply')).toHaveLength(1);
	});

	it.each([
		[{ text: '   ' }, /^Text \(item 1\): is empty/],
		[
			{ text: 'é'.repeat(501) },
			/^Text \(item 1\): is 1002 bytes long; Meta accepts at most 1000 bytes/,
		],
		[
			{ text: 'a'.repeat(990), link: 'https://example.com/x' },
			/^Text with the link \(item 1\): is 1012 bytes long/,
		],
		[{ link: 'http://example.com' }, /^Link \(item 1\): is not an https URL/],
		[
			{ text: '={{ { a: 1 } }}' },
			/^Text \(item 1\): expected text but the expression gave an object/,
		],
		[
			{ commentId: '={{ null }}' },
			/^Comment ID \(item 1\): expected text but the expression gave an empty value \(null\)/,
		],
		[
			{ commentId: '={{ [1, 2] }}' },
			/^Comment ID \(item 1\): expected text but the expression gave a list/,
		],
		[
			{ quickReplies: { values: Array.from({ length: 14 }, (_, i) => ({ title: `q${i}` })) } },
			/^Quick Replies \(item 1\): has 14 entries; Meta accepts at most 13/,
		],
		[
			{ quickReplies: { values: [{ title: 'x'.repeat(21) }] } },
			/^Quick Reply 1 Title \(item 1\): is 21 characters long; Meta accepts at most 20/,
		],
		[
			{ quickReplies: { values: [{ title: '={{ null }}' }] } },
			/^Quick Reply 1 Title \(item 1\): expected text but the expression gave an empty value \(null\)/,
		],
		[
			{ quickReplies: { values: [{ title: 'ok', payload: '={{ { p: 1 } }}' }] } },
			/^Quick Reply 1 Payload \(item 1\): expected text but the expression gave an object/,
		],
		[{ options: { commentTime: 'yesterday' } }, /^Comment Time \(item 1\): is not a date and time/],
		// An added Comment Time whose expression gives nothing is not "not given": no read, no send.
		[
			{ options: { commentTime: '={{ undefined }}' } },
			/^Comment Time \(item 1\): was added but the expression gave no value/,
		],
		[
			{ options: { commentTime: '={{ $json.missing }}' } },
			/^Comment Time \(item 1\): was added but the expression gave no value/,
		],
		[
			{ ifAlreadyAnswered: '={{ ["skip"] }}' },
			/^If Already Answered \(item 1\): expected one of the choices but the expression gave a list/,
		],
	])('refuses bad input %# before any request', async (extra, message) => {
		const { error } = await run(sim, privateReply(extra));
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expectCleanMessage(error);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('accepts exactly 1000 bytes', async () => {
		const { error } = await run(sim, privateReply({ text: 'é'.repeat(500) }));
		expect(error).toBeUndefined();
	});

	it('with a Facebook Login user token, Meta asks for a Page token (code 210)', async () => {
		const { error } = await run(
			sim,
			privateReply({ commentId: COMMENT_NICE, options: { commentTime: new Date().toISOString() } }),
			{ token: USER_TOKEN },
		);
		expect(error?.name).toBe('NodeApiError');
		expect(metaCode(error)).toMatchObject({ code: 210 });
	});

	it('works with Instagram Login', async () => {
		const { outputs, error } = await run(
			sim,
			privateReply({
				instagramAccountId: account(IG_CREATOR),
				commentId: COMMENT_STUDIO,
				text: 'Our rates',
			}),
			{ instagramLogin: true },
		);
		expect(error).toBeUndefined();
		expect(json(outputs)[0]).toMatchObject({ sent: true, recipientId: '6320000000000001' });
	});

	it('never sends twice when the answer is lost; Meta refuses the rerun as already answered', async () => {
		sim.control.injectFault({ kind: 'dropAfterProcessing', method: 'POST', path: '/messages$' });
		const first = await run(
			sim,
			privateReply({ options: { commentTime: new Date().toISOString() } }),
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(json(first.outputs)[0]).toMatchObject({
			details: expect.objectContaining({ status: 'unknown' }),
		});
		expect(messagesSent()).toHaveLength(1);
		const rerun = await run(
			sim,
			privateReply({
				ifAlreadyAnswered: 'skip',
				options: { commentTime: new Date().toISOString() },
			}),
		);
		expect(json(rerun.outputs)[0]).toMatchObject({ skipped: true, detectedBy: 'meta' });
		expect(sent(sim, 'privateReply')).toHaveLength(1);
	});
});
