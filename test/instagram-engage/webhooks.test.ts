/**
 * The engagement domain's webhooks, received by the real Meta Trigger over HTTP: a new comment, a
 * mention or a direct message in the simulated world goes out as a signed `instagram` webhook.
 * Instagram Login: the trigger's activation subscribes the account (`/{ig-user-id}/subscribed_apps`)
 * and the app's `instagram` subscription holds the URL; Facebook Login: the app's `instagram`
 * subscription alone.
 */
import type { RunningSimulator } from '../../simulator';
import {
	engageState,
	instagramWebhookApps,
	receiveComment,
	receiveMention,
	receiveMessage,
} from '../../simulator/domains/instagramEngage';
import type { TriggerHarness } from '../trigger/webhook-harness';
import { startTrigger } from '../trigger/webhook-harness';
import {
	IG_BUSINESS,
	IG_CREATOR,
	IG_LOGIN_TOKEN,
	MENTION_MEDIA,
	POST_MENU,
	POST_STUDIO,
	startEngage,
} from './helpers';

const SYSTEM_TOKEN = 'EAADemoSystemUser';

const APP_ID = '1234567890123456';
const APP_SECRET = 'demo0app0secret0aurora0000000001';
const APP_TOKEN = `${APP_ID}|${APP_SECRET}`;
const VERIFY = 'engage-verify-token';

let sim: RunningSimulator;
const triggers: TriggerHarness[] = [];

beforeEach(async () => {
	sim = await startEngage();
	sim.control.setSettings({ webhookMaxAttempts: 1 });
});

afterEach(async () => {
	await sim.control.webhooksIdle();
	for (const trigger of triggers.splice(0)) await trigger.close();
	await sim.stop();
});

async function graph(method: string, path: string, body?: unknown, token = IG_LOGIN_TOKEN) {
	const response = await fetch(`${sim.baseUrl}/v26.0${path}`, {
		method,
		headers: {
			authorization: `Bearer ${token}`,
			...(body ? { 'content-type': 'application/json' } : {}),
		},
		body: body ? JSON.stringify(body) : undefined,
	});
	return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function trigger(
	parameters: Record<string, unknown>,
	instagramLogin: boolean,
): Promise<TriggerHarness> {
	const started = await startTrigger({
		parameters: {
			authentication: instagramLogin ? 'instagramLogin' : 'accessToken',
			events: ['instagramComments', 'instagramMentions', 'instagramMessages'],
			verifyToken: VERIFY,
			registration: 'none',
			...parameters,
		},
		credentials: instagramLogin
			? {
					metaBusinessInstagramLoginApi: {
						accessToken: IG_LOGIN_TOKEN,
						clientSecret: APP_SECRET,
						baseUrl: sim.baseUrl,
					},
				}
			: {
					metaBusinessAccessTokenApi: {
						accessToken: SYSTEM_TOKEN,
						appSecret: APP_SECRET,
						appId: APP_ID,
						baseUrl: sim.baseUrl,
					},
				},
	});
	triggers.push(started);
	return started;
}

/** The App Dashboard step: the app's `instagram` object points at the trigger (handshake first). */
async function subscribeApp(url: string, fields = 'comments,mentions,messages') {
	return await graph(
		'POST',
		`/${APP_ID}/subscriptions`,
		{ object: 'instagram', callback_url: url, verify_token: VERIFY, fields },
		APP_TOKEN,
	);
}

const items = (harness: TriggerHarness) =>
	harness.executions.flatMap((run) => run[0]).map((item) => item.json);

describe('Instagram engagement webhooks: Facebook Login (the app subscription)', () => {
	it('a new comment exists in the world and reaches the trigger signed, once; a mention and a message follow', async () => {
		const harness = await trigger({}, false);
		expect((await subscribeApp(harness.url)).body).toEqual({ success: true });
		const world = sim.control.world();

		const { comment, deliveries, undelivered } = await receiveComment(world, {
			mediaId: POST_MENU,
			text: 'MENU for me please',
			fromId: '6310000000000077',
			username: 'new.fan',
		});
		expect(undelivered).toBe(0);
		expect(deliveries.map((d) => [d.url, d.lastStatus, d.object])).toEqual([
			[harness.url, 200, 'instagram'],
		]);
		expect(deliveries[0].signature).toMatch(/^sha256=[0-9a-f]{64}$/);
		expect(engageState(world).comments.get(comment.id)).toMatchObject({
			text: 'MENU for me please',
		});
		// The comment is a real one: the Graph API lists it.
		const listed = await graph('GET', `/${POST_MENU}/comments`, undefined, 'EAADemoEngagePage');
		expect(listed.body.data.map((c: { id: string }) => c.id)).toContain(comment.id);

		await receiveMention(world, { igUserId: IG_BUSINESS, mediaId: MENTION_MEDIA });
		const before = world.now();
		const message = await receiveMessage(world, {
			igUserId: IG_BUSINESS,
			userId: '6310000000000077',
			text: 'Are you open today?',
		});
		expect(items(harness)).toEqual([
			expect.objectContaining({
				event: 'instagram.comment',
				commentId: comment.id,
				text: 'MENU for me please',
				fromId: '6310000000000077',
				fromUsername: 'new.fan',
				mediaId: POST_MENU,
				instagramAccountId: IG_BUSINESS,
			}),
			expect.objectContaining({
				event: 'instagram.mention',
				mentionIn: 'caption',
				mediaId: MENTION_MEDIA,
			}),
			expect.objectContaining({
				event: 'instagram.message',
				messageId: message.messageId,
				senderId: '6310000000000077',
				text: 'Are you open today?',
			}),
		]);
		expect(items(harness)[0].fromSelf).toBeUndefined();
		// The message opened the 24-hour window.
		const opened = engageState(world).conversations.get(`${IG_BUSINESS}:6310000000000077`);
		expect(opened).toBeGreaterThanOrEqual(before);
		expect(opened).toBeLessThanOrEqual(world.now());
	});

	it("the account's own comment is marked fromSelf; a field the app did not subscribe is not delivered", async () => {
		const harness = await trigger({}, false);
		await subscribeApp(harness.url, 'comments');
		const world = sim.control.world();
		await receiveComment(world, {
			mediaId: POST_MENU,
			text: 'Thanks!',
			fromId: IG_BUSINESS,
			username: 'cafe.aurora',
		});
		const message = await receiveMessage(world, {
			igUserId: IG_BUSINESS,
			userId: '63100001',
			text: 'hi',
		});
		expect(message.deliveries).toEqual([]);
		expect(message.undelivered).toBe(1);
		expect(items(harness)).toEqual([expect.objectContaining({ fromSelf: true, text: 'Thanks!' })]);
	});

	it('without any app subscription nothing is delivered (and nothing fails)', async () => {
		const outcome = await receiveComment(sim.control.world(), {
			mediaId: POST_MENU,
			text: 'hello',
			fromId: '63100002',
			username: 'x',
		});
		expect(outcome.deliveries).toEqual([]);
		expect(outcome.undelivered).toBe(1);
	});

	it('a post that is not one of the accounts\u2019 is refused before anything is sent', async () => {
		await expect(
			receiveComment(sim.control.world(), {
				mediaId: '999',
				text: 'a',
				fromId: '1',
				username: 'u',
			}),
		).rejects.toThrow(/Unknown post 999/);
	});
});

describe('Instagram engagement webhooks: Instagram Login (the account subscription)', () => {
	it("the trigger's activation subscribes the account to comments and messages; its comments then reach the trigger", async () => {
		const harness = await trigger(
			{
				registration: 'instagramAccount',
				instagramAccountId: { __rl: true, mode: 'id', value: IG_CREATOR },
			},
			true,
		);
		await subscribeApp(harness.url);
		const world = sim.control.world();
		expect(instagramWebhookApps(world, IG_CREATOR, 'comments')).toEqual([APP_ID]);
		expect(await harness.hook('create')).toBe(true);
		expect((await graph('GET', `/${IG_CREATOR}/subscribed_apps`)).body.data).toEqual([
			expect.objectContaining({ id: APP_ID, subscribed_fields: ['comments', 'messages'] }),
		]);
		// Mentions were not chosen: with Instagram Login the account's subscription decides.
		expect(instagramWebhookApps(world, IG_CREATOR, 'mentions')).toEqual([]);
		const { comment } = await receiveComment(world, {
			mediaId: POST_STUDIO,
			text: 'PRICE?',
			fromId: '6320000000000009',
			username: 'studio.fan',
		});
		const mention = await receiveMention(world, { igUserId: IG_CREATOR, mediaId: MENTION_MEDIA });
		expect(mention.deliveries).toEqual([]);
		expect(items(harness)).toEqual([
			expect.objectContaining({ commentId: comment.id, instagramAccountId: IG_CREATOR }),
		]);
		expect((await graph('DELETE', `/${IG_CREATOR}/subscribed_apps`)).body).toEqual({
			success: true,
		});
		expect(instagramWebhookApps(world, IG_CREATOR, 'comments')).toEqual([APP_ID]); // linked Page
	});

	it('the account subscription checks its token, fields and permissions', async () => {
		const unknownField = await graph(
			'POST',
			`/${IG_CREATOR}/subscribed_apps?subscribed_fields=comments,likes`,
		);
		expect(unknownField.body.error).toMatchObject({ code: 100 });
		expect(unknownField.body.error.message).toMatch(/got "likes"/);
		const none = await graph('POST', `/${IG_CREATOR}/subscribed_apps`);
		expect(none.body.error.message).toMatch(/subscribed_fields is required/);
		const otherAccount = await graph(
			'POST',
			`/${IG_BUSINESS}/subscribed_apps?subscribed_fields=comments`,
		);
		expect(otherAccount.body.error).toMatchObject({ code: 100, error_subcode: 33 });
		const facebookLogin = await graph(
			'POST',
			`/${IG_BUSINESS}/subscribed_apps?subscribed_fields=comments`,
			undefined,
			'EAADemoEngagePage',
		);
		expect(facebookLogin.body.error.message).toMatch(/nonexisting field \(subscribed_apps\)/);
		expect(engageState(sim.control.world()).accountSubscriptions.size).toBe(0);
	});
});
