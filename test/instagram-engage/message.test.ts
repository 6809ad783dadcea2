/** Direct messages over real HTTP: the 24 h window, the human-agent tag, text, media, quick replies, cards. */
import type { RunningSimulator } from '../../simulator';
import {
	IG_CREATOR,
	USER_3_DAYS,
	USER_9_DAYS,
	USER_RECENT,
	USER_STUDIO,
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

const send = (extra: Record<string, unknown> = {}) => ({
	resource: 'message',
	operation: 'send',
	instagramAccountId: account(),
	recipientId: USER_RECENT,
	messageType: 'text',
	text: 'Hello!',
	...extra,
});
const metaCode = (error: unknown) =>
	(error as { context?: { meta?: { code?: number; subcode?: number } } }).context?.meta;

describe('Message > Send', () => {
	it('sends a text with quick replies inside the 24-hour window', async () => {
		const { outputs, error } = await run(
			sim,
			send({ quickReplies: { values: [{ title: 'Yes', payload: 'YES' }, { title: 'No' }] } }),
		);
		expect(error).toBeUndefined();
		expect(json(outputs)).toEqual([
			{ sent: true, messageId: expect.stringMatching(/^aWdf/), recipientId: USER_RECENT },
		]);
		expect(sent(sim, 'message')).toEqual([
			expect.objectContaining({
				recipientId: USER_RECENT,
				body: {
					text: 'Hello!',
					quick_replies: [
						{ content_type: 'text', title: 'Yes', payload: 'YES' },
						{ content_type: 'text', title: 'No', payload: 'No' },
					],
				},
			}),
		]);
	});

	it.each([
		['image', 'https://example.com/photo.jpg'],
		['video', 'https://example.com/clip.mp4'],
	])('sends an %s by URL', async (messageType, mediaUrl) => {
		const { error } = await run(sim, send({ messageType, mediaUrl }));
		expect(error).toBeUndefined();
		expect(sent(sim, 'message')[0].body).toEqual({
			attachment: { type: messageType, payload: { url: mediaUrl } },
		});
	});

	it('sends a generic template card with buttons', async () => {
		const { error } = await run(
			sim,
			send({
				messageType: 'genericTemplate',
				cardTitle: 'Autumn menu',
				cardSubtitle: 'Served from 8 am',
				cardImageUrl: 'https://example.com/menu.jpg',
				cardDefaultUrl: 'https://example.com/menu',
				cardButtons: {
					values: [
						{ type: 'web_url', title: 'Open menu', url: 'https://example.com/menu' },
						{ type: 'postback', title: 'Book', payload: 'BOOK' },
					],
				},
			}),
		);
		expect(error).toBeUndefined();
		expect(sent(sim, 'message')[0].body).toEqual({
			attachment: {
				type: 'template',
				payload: {
					template_type: 'generic',
					elements: [
						{
							title: 'Autumn menu',
							subtitle: 'Served from 8 am',
							image_url: 'https://example.com/menu.jpg',
							default_action: { type: 'web_url', url: 'https://example.com/menu' },
							buttons: [
								{ type: 'web_url', title: 'Open menu', url: 'https://example.com/menu' },
								{ type: 'postback', title: 'Book', payload: 'BOOK' },
							],
						},
					],
				},
			},
		});
	});

	it('outside the 24-hour window Meta refuses (code 10, subcode 2018278); nothing is recorded', async () => {
		const { error } = await run(sim, send({ recipientId: USER_3_DAYS }));
		expect(error?.name).toBe('NodeApiError');
		expect(metaCode(error)).toMatchObject({ code: 10, subcode: 2018278 });
		expect(sent(sim, 'message')).toHaveLength(0);
		expect(requestsTo(sim, 'POST', /\/messages$/)).toHaveLength(1);
	});

	it('the human-agent tag answers up to 7 days after the last message, not after', async () => {
		const within = await run(
			sim,
			send({ recipientId: USER_3_DAYS, options: { humanAgent: true } }),
		);
		expect(within.error).toBeUndefined();
		expect(json(within.outputs)[0]).toMatchObject({ sent: true, tag: 'HUMAN_AGENT' });
		expect(requestsTo(sim, 'POST', /\/messages$/)[0].body).toMatchObject({
			messaging_type: 'MESSAGE_TAG',
			tag: 'HUMAN_AGENT',
		});
		const late = await run(sim, send({ recipientId: USER_9_DAYS, options: { humanAgent: true } }));
		expect(metaCode(late.error)).toMatchObject({ code: 10, subcode: 2018278 });
	});

	it("the window runs on Meta's clock: a conversation of 23 hours is open, of 25 hours closed", async () => {
		sim.control.advanceClock(21 * 3600 * 1000);
		expect((await run(sim, send())).error).toBeUndefined();
		sim.control.advanceClock(2 * 3600 * 1000);
		expect(metaCode((await run(sim, send())).error)).toMatchObject({ code: 10 });
	});

	it('a person who never wrote cannot be messaged (Meta: no matching user)', async () => {
		const { error } = await run(sim, send({ recipientId: '6319999999999' }));
		expect(metaCode(error)).toMatchObject({ code: 100, subcode: 2018001 });
	});

	it.each([
		[
			{ text: '😀'.repeat(251) },
			/^Text \(item 1\): is 1004 bytes long; Meta accepts at most 1000 bytes/,
		],
		[
			{ text: '={{ null }}' },
			/^Text \(item 1\): expected text but the expression gave an empty value \(null\)/,
		],
		[
			{ text: '={{ ["a", "b"] }}' },
			/^Text \(item 1\): expected text but the expression gave a list/,
		],
		[
			{ recipientId: '={{ { id: 1 } }}' },
			/^Recipient ID \(item 1\): expected text but the expression gave an object/,
		],
		[{ recipientId: 'anna.b' }, /^Recipient ID \(item 1\): "anna.b" is not an ID/],
		[
			{ messageType: 'image', mediaUrl: 'http://example.com/a.jpg' },
			/^Media URL \(item 1\): is not an https URL/,
		],
		[
			{ messageType: '={{ "sticker" }}', mediaUrl: 'https://e.com/a.jpg', cardTitle: 'T' },
			/^Message Type \(item 1\): "sticker" is not one of the choices/,
		],
		[
			{ quickReplies: { values: Array.from({ length: 14 }, (_, i) => ({ title: `q${i}` })) } },
			/^Quick Replies \(item 1\): has 14 entries/,
		],
		[
			{ messageType: 'genericTemplate', cardTitle: 'x'.repeat(81) },
			/^Card Title \(item 1\): is 81 characters long; Meta accepts at most 80/,
		],
		[
			{
				messageType: 'genericTemplate',
				cardTitle: 'T',
				cardButtons: {
					values: [1, 2, 3, 4].map((n) => ({
						type: 'web_url',
						title: `b${n}`,
						url: 'https://e.com',
					})),
				},
			},
			/^Card Buttons \(item 1\): has 4 buttons; Meta accepts at most 3/,
		],
		[
			{
				messageType: 'genericTemplate',
				cardTitle: 'T',
				cardButtons: { values: [{ type: 'web_url', title: 'Go', url: 'ftp://x' }] },
			},
			/^Card Button 1 URL \(item 1\): is not an https URL/,
		],
		[
			{ options: { humanAgent: '={{ "maybe" }}' } },
			/^Human Agent \(item 1\): expected true or false/,
		],
	])('refuses bad input %# before any request', async (extra, message) => {
		const { error } = await run(sim, send(extra));
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expectCleanMessage(error);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('a lost answer is an unknown outcome, never sent again', async () => {
		sim.control.injectFault({ kind: 'dropAfterProcessing', method: 'POST', path: '/messages$' });
		const { outputs } = await run(sim, send(), { settings: { onError: 'continueRegularOutput' } });
		expect(json(outputs)[0]).toMatchObject({
			details: expect.objectContaining({ status: 'unknown' }),
		});
		expect(requestsTo(sim, 'POST', /\/messages$/)).toHaveLength(1);
		expect(sent(sim, 'message')).toHaveLength(1);
	});

	it('a Facebook Login user token is refused by Meta (messages need a Page token)', async () => {
		const { error } = await run(sim, send(), { token: USER_TOKEN });
		expect(metaCode(error)).toMatchObject({ code: 210 });
	});

	it('works with Instagram Login', async () => {
		const { outputs, error } = await run(
			sim,
			send({ instagramAccountId: account(IG_CREATOR), recipientId: USER_STUDIO }),
			{ instagramLogin: true },
		);
		expect(error).toBeUndefined();
		expect(json(outputs)[0]).toMatchObject({ sent: true, recipientId: USER_STUDIO });
	});
});
