/**
 * Activation and deactivation (webhookMethods) through n8n-core's real HookContext and HTTP layer
 * against nock's Graph: per-number and per-account overrides, Meta's handshake to this workflow's
 * URL when an override is posted (performed by the simulator's emitter, as Meta does), no silent
 * overwrite of another URL, and removal of only what this workflow registered.
 */
import nock from 'nock';

import { WebhookEmitter } from '../../simulator/webhooks';
import { expectNoSecrets } from '../helpers/secrets';
import {
	ACCESS_TOKEN,
	APP_SECRET,
	NUMBER_A,
	VERIFY_TOKEN,
	WABA_ID,
	credentials,
	parameters,
} from './fixtures';
import type { TriggerHarness } from './webhook-harness';
import { startTrigger } from './webhook-harness';
import { packExchangedToken } from '../../nodes/Meta/shared/transport/tokens';

const GRAPH = 'https://graph.facebook.com';
const PHONE = NUMBER_A.phoneNumberId;
const APP_ID = '670843887433847';
const emitter = new WebhookEmitter({ appSecret: APP_SECRET, maxAttempts: 1 });
let trigger: TriggerHarness | undefined;

beforeAll(() => {
	nock.disableNetConnect();
	nock.enableNetConnect(/127\.0\.0\.1/);
});
afterAll(() => nock.enableNetConnect());
afterEach(async () => {
	nock.cleanAll();
	await trigger?.close();
	trigger = undefined;
});

async function start(overrides: Parameters<typeof parameters>[0] = {}, withAppId = false) {
	trigger = await startTrigger({
		parameters: parameters({
			registration: 'phoneNumberOverride',
			wabaId: { __rl: true, mode: 'id', value: WABA_ID },
			phoneNumberId: { __rl: true, mode: 'id', value: PHONE },
			...overrides,
		}),
		credentials: credentials(withAppId ? { appId: APP_ID } : {}),
	});
	return trigger;
}

/** Meta runs the verification GET against the URL being registered before it answers. */
function verifyThen(url: () => string, token: (body: Record<string, unknown>) => string) {
	return async (_uri: string, body: Record<string, unknown> | string) => {
		// nock hands a form body to the reply function as text.
		const fields = typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : body;
		const handshake = await emitter.handshake(url(), token(fields));
		return handshake.ok
			? [200, { success: true }]
			: [
					400,
					{
						error: {
							message: '(#2200) Callback verification failed',
							code: 2200,
							type: 'OAuthException',
						},
					},
				];
	};
}

describe('per phone number override', () => {
	it('subscribes the app when needed, posts the override (Meta verifies it), remembers it, and checkExists sees it', async () => {
		const harness = await start();
		const graph = nock(GRAPH)
			.get(new RegExp(`/${WABA_ID}/subscribed_apps`))
			.query(true)
			.reply(200, { data: [] })
			.post(new RegExp(`/${WABA_ID}/subscribed_apps`))
			.query(true)
			.reply(200, { success: true })
			.get(new RegExp(`/${PHONE}$`))
			.query((query) => query.fields === 'webhook_configuration')
			.reply(200, { id: PHONE, webhook_configuration: { application: 'https://app.example/hook' } })
			.post(
				new RegExp(`/${PHONE}$`),
				(body) =>
					body.webhook_configuration?.override_callback_uri === harness.url &&
					body.webhook_configuration?.verify_token === VERIFY_TOKEN,
			)
			.query(true)
			.reply(
				verifyThen(
					() => harness.url,
					(body) => (body.webhook_configuration as { verify_token: string }).verify_token,
				) as never,
			);
		expect(await harness.hook('create')).toBe(true);
		expect(graph.isDone()).toBe(true);
		expect(harness.staticData).toMatchObject({
			registration: 'phoneNumberOverride',
			target: PHONE,
			callbackUrl: harness.url,
			subscribedApp: true,
		});
		expect(harness.statuses).toEqual([200]);
		expectNoSecrets(harness.staticData, [ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN]);

		nock(GRAPH)
			.get(new RegExp(`/${PHONE}$`))
			.query(true)
			.reply(200, {
				id: PHONE,
				webhook_configuration: {
					phone_number: harness.url,
					application: 'https://app.example/hook',
				},
			});
		expect(await harness.hook('checkExists')).toBe(true);
	});

	it('refuses to take over a number whose override points elsewhere, naming the URL, and posts nothing', async () => {
		const harness = await start();
		nock(GRAPH)
			.get(new RegExp(`/${WABA_ID}/subscribed_apps`))
			.query(true)
			.reply(200, { data: [{ whatsapp_business_api_data: { id: APP_ID } }] })
			.get(new RegExp(`/${PHONE}$`))
			.query(true)
			.reply(200, {
				webhook_configuration: {
					phone_number: 'https://other.example/n8n/webhook/abc',
					application: 'https://app',
				},
			});
		const override = nock(GRAPH)
			.post(new RegExp(`/${PHONE}$`))
			.query(true)
			.reply(200, { success: true });
		await expect(harness.hook('create')).rejects.toThrow('https://other.example/n8n/webhook/abc');
		expect(override.isDone()).toBe(false);
		expect(harness.staticData).not.toHaveProperty('registration');
	});

	it('takes over when Replace Another Callback URL is on', async () => {
		const harness = await start({ replaceExisting: true });
		nock(GRAPH)
			.get(new RegExp(`/${WABA_ID}/subscribed_apps`))
			.query(true)
			.reply(200, { data: [{ whatsapp_business_api_data: { id: APP_ID } }] })
			.get(new RegExp(`/${PHONE}$`))
			.query(true)
			.reply(200, { webhook_configuration: { phone_number: 'https://other.example/hook' } })
			.post(new RegExp(`/${PHONE}$`))
			.query(true)
			.reply(
				verifyThen(
					() => harness.url,
					(body) => (body.webhook_configuration as { verify_token: string }).verify_token,
				) as never,
			);
		expect(await harness.hook('create')).toBe(true);
		expect(harness.staticData).toMatchObject({ target: PHONE, subscribedApp: false });
	});

	it('on deactivation clears the override only while it still points at this workflow', async () => {
		const harness = await start();
		const url = harness.url;
		Object.assign(harness.staticData, {
			registration: 'phoneNumberOverride',
			target: PHONE,
			callbackUrl: url,
		});
		nock(GRAPH)
			.get(new RegExp(`/${PHONE}$`))
			.query(true)
			.reply(200, { webhook_configuration: { phone_number: url } });
		const clear = nock(GRAPH)
			.post(
				new RegExp(`/${PHONE}$`),
				(body) => body.webhook_configuration?.override_callback_uri === '',
			)
			.query(true)
			.reply(200, { success: true });
		expect(await harness.hook('delete')).toBe(true);
		expect(clear.isDone()).toBe(true);
		expect(harness.staticData).not.toHaveProperty('registration');

		Object.assign(harness.staticData, {
			registration: 'phoneNumberOverride',
			target: PHONE,
			callbackUrl: url,
		});
		nock(GRAPH)
			.get(new RegExp(`/${PHONE}$`))
			.query(true)
			.reply(200, { webhook_configuration: { phone_number: 'https://someone-else.example' } });
		const untouched = nock(GRAPH)
			.post(new RegExp(`/${PHONE}$`))
			.query(true)
			.reply(200, { success: true });
		expect(await harness.hook('delete')).toBe(true);
		expect(untouched.isDone()).toBe(false);
	});

	it('fails activation when Meta cannot verify the URL (wrong verify token echoed)', async () => {
		const harness = await start();
		nock(GRAPH)
			.get(new RegExp(`/${WABA_ID}/subscribed_apps`))
			.query(true)
			.reply(200, { data: [{ whatsapp_business_api_data: { id: APP_ID } }] })
			.get(new RegExp(`/${PHONE}$`))
			.query(true)
			.reply(200, { webhook_configuration: {} })
			.post(new RegExp(`/${PHONE}$`))
			.query(true)
			.reply(
				verifyThen(
					() => harness.url,
					() => 'a-different-token',
				) as never,
			);
		await expect(harness.hook('create')).rejects.toThrow(/verification failed/i);
		expect(harness.statuses).toEqual([403]);
		expect(harness.staticData).not.toHaveProperty('registration');
	});
});

describe('per WhatsApp Business Account override', () => {
	it('uses the app already subscribed (matched by App ID), posts the override, and re-subscribes plainly on deactivation', async () => {
		const harness = await start({ registration: 'whatsAppBusinessAccountOverride' }, true);
		const apps = {
			data: [
				{
					whatsapp_business_api_data: { id: '111' },
					override_callback_uri: 'https://other-app.example',
				},
				{ whatsapp_business_api_data: { id: APP_ID } },
			],
		};
		const graph = nock(GRAPH)
			.get(new RegExp(`/${WABA_ID}/subscribed_apps`))
			.query(true)
			.times(2)
			.reply(200, apps)
			.post(
				new RegExp(`/${WABA_ID}/subscribed_apps`),
				(body) => body.override_callback_uri === harness.url,
			)
			.query(true)
			.reply(
				verifyThen(
					() => harness.url,
					(body) => body.verify_token as string,
				) as never,
			);
		expect(await harness.hook('create')).toBe(true);
		expect(graph.isDone()).toBe(true);
		expect(harness.staticData).toMatchObject({
			registration: 'whatsAppBusinessAccountOverride',
			target: WABA_ID,
			subscribedApp: false,
		});

		nock(GRAPH)
			.get(new RegExp(`/${WABA_ID}/subscribed_apps`))
			.query(true)
			.reply(200, {
				data: [{ whatsapp_business_api_data: { id: APP_ID }, override_callback_uri: harness.url }],
			});
		const plain = nock(GRAPH)
			.post(
				new RegExp(`/${WABA_ID}/subscribed_apps`),
				(body) => !body || Object.keys(body).length === 0,
			)
			.query(true)
			.reply(200, { success: true });
		expect(await harness.hook('delete')).toBe(true);
		expect(plain.isDone()).toBe(true);
	});
});

describe('no registration and bad settings', () => {
	it('None sends nothing to Meta', async () => {
		const harness = await start({ registration: 'none' });
		expect(await harness.hook('checkExists')).toBe(true);
		expect(await harness.hook('create')).toBe(true);
		expect(await harness.hook('delete')).toBe(true);
	});

	it('refuses a verify token or phone number from an expression that gives no usable value, before any request', async () => {
		const noToken = await start({ verifyToken: '={{ null }}' });
		await expect(noToken.hook('create')).rejects.toThrow(/Verify Token/);
		await noToken.close();
		const noPhone = await start({
			phoneNumberId: { __rl: true, mode: 'id', value: '={{ $json.missing }}' },
		});
		nock(GRAPH)
			.get(new RegExp(`/${WABA_ID}/subscribed_apps`))
			.query(true)
			.reply(200, { data: [{}] });
		await expect(noPhone.hook('create')).rejects.toThrow(/Phone Number could not be read/);
		await noPhone.close();
		const nullPhone = await start({
			phoneNumberId: { __rl: true, mode: 'id', value: '={{ null }}' },
		});
		nock(GRAPH)
			.get(new RegExp(`/${WABA_ID}/subscribed_apps`))
			.query(true)
			.reply(200, { data: [{}] });
		const error = await nullPhone.hook('create').catch((caught: Error) => caught);
		expect(String((error as Error).message)).toMatch(/Phone Number/);
		expect(String((error as Error).message)).not.toMatch(/\[object|^undefined/);
	});
});

describe('Instagram account and app subscription', () => {
	it('Instagram Login: subscribes the account by its numeric id for comments and messages', async () => {
		trigger = await startTrigger({
			parameters: parameters({
				authentication: 'instagramLogin',
				events: ['instagramComments', 'instagramMessages'],
				registration: 'instagramAccount',
				instagramAccountId: { __rl: true, mode: 'id', value: '17841405726653026' },
			}),
			credentials: {
				metaBusinessInstagramLoginApi: {
					accessToken: 'IGAAtoken123456',
					clientSecret: APP_SECRET,
					// Already long-lived: n8n has no reason to run the credential's token exchange.
					longLivedAccessToken: packExchangedToken('IGAAtoken123456', 'IGAAtoken123456'),
				},
			},
		});
		const subscribe = nock('https://graph.instagram.com')
			.post(/\/17841405726653026\/subscribed_apps/)
			.query((query) => query.subscribed_fields === 'comments,messages')
			.reply(200, { success: true });
		expect(await trigger.hook('create')).toBe(true);
		expect(subscribe.isDone()).toBe(true);
		expect(trigger.staticData).toMatchObject({
			registration: 'instagramAccount',
			target: '17841405726653026',
		});
	});

	it('Facebook Login: says the Page subscription is set in the App Dashboard, and sends nothing', async () => {
		const harness = await start({
			registration: 'instagramAccount',
			instagramAccountId: { __rl: true, mode: 'id', value: '17841405726653026' },
		});
		await expect(harness.hook('create')).rejects.toThrow(/Instagram Login credential/);
	});

	it('App Subscription: refuses to replace another callback URL, else subscribes with the app token and removes it on deactivation', async () => {
		const harness = await start({ registration: 'appSubscription' }, true);
		const appToken = `${APP_ID}|${APP_SECRET}`;
		nock(GRAPH)
			.get(new RegExp(`/${APP_ID}/subscriptions`))
			.query((query) => query.access_token === appToken)
			.reply(200, {
				data: [
					{
						object: 'whatsapp_business_account',
						callback_url: 'https://elsewhere.example/meta',
						active: true,
					},
				],
			});
		await expect(harness.hook('create')).rejects.toThrow('https://elsewhere.example/meta');

		const graph = nock(GRAPH)
			.get(new RegExp(`/${APP_ID}/subscriptions`))
			.query(true)
			.reply(200, { data: [] })
			.post(
				new RegExp(`/${APP_ID}/subscriptions`),
				(body) =>
					body.callback_url === harness.url &&
					body.object === 'whatsapp_business_account' &&
					String(body.fields).includes('messages'),
			)
			.query((query) => query.access_token === appToken)
			.reply(
				verifyThen(
					() => harness.url,
					(body) => body.verify_token as string,
				) as never,
			)
			.get(new RegExp(`/${WABA_ID}/subscribed_apps`))
			.query(true)
			.reply(200, { data: [{ whatsapp_business_api_data: { id: APP_ID } }] });
		expect(await harness.hook('create')).toBe(true);
		expect(graph.isDone()).toBe(true);
		expect(harness.staticData).toMatchObject({
			registration: 'appSubscription',
			target: APP_ID,
			subscribedApp: false,
		});

		const unsubscribe = nock(GRAPH)
			.delete(new RegExp(`/${APP_ID}/subscriptions`))
			.query(
				(query) => query.object === 'whatsapp_business_account' && query.access_token === appToken,
			)
			.reply(200, { success: true });
		expect(await harness.hook('delete')).toBe(true);
		expect(unsubscribe.isDone()).toBe(true);
	});
});
