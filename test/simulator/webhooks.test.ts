/**
 * The simulator's webhook side over real HTTP, with the real Meta Trigger receiving: registration
 * through the Graph routes (WABA and phone overrides with the handshake, app subscriptions), the
 * status progression after every send (131047 and 131053 asynchronous by default, synchronous as
 * a setting), inbound messages and other events through the control API and /__admin.
 */
import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import { templateStatusChange, whatsappEnvelope } from '../../simulator/webhooks';
import type { TriggerHarness } from '../trigger/webhook-harness';
import { startTrigger } from '../trigger/webhook-harness';

const APP_ID = '1234567890123456';
const APP_SECRET = 'demo0app0secret0aurora0000000001';
const TOKEN = 'EAADemoSystemUser';
const WABA = '102000000000001';
const PHONE_A = '106000000000001';
const PHONE_C = '106000000000003';
const RECENT = '351910000101';
const NEVER_WROTE = '351910000103';
const VERIFY = 'sim-verify-token';

let sim: RunningSimulator;
const triggers: TriggerHarness[] = [];

beforeEach(async () => {
	sim = await startSimulator('demo', {
		settings: { webhookMaxAttempts: 1, whatsappFailureMode: 'async' },
	});
});

afterEach(async () => {
	await sim.control.webhooksIdle();
	for (const trigger of triggers.splice(0)) await trigger.close();
	await sim.stop();
});

async function trigger(extra: Record<string, unknown> = {}): Promise<TriggerHarness> {
	const started = await startTrigger({
		parameters: {
			authentication: 'accessToken',
			events: ['whatsappMessages', 'whatsappStatuses', 'whatsappTemplateStatus'],
			statuses: ['sent', 'delivered', 'read', 'failed'],
			verifyToken: VERIFY,
			registration: 'phoneNumberOverride',
			wabaId: { __rl: true, mode: 'id', value: WABA },
			phoneNumberId: { __rl: true, mode: 'id', value: PHONE_A },
			...extra,
		},
		credentials: {
			metaBusinessAccessTokenApi: {
				accessToken: TOKEN,
				appSecret: APP_SECRET,
				appId: APP_ID,
				baseUrl: sim.baseUrl,
			},
		},
	});
	triggers.push(started);
	return started;
}

async function graph(method: string, path: string, body?: unknown, token = TOKEN) {
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

const send = (to: string, extra: Record<string, unknown> = {}) =>
	graph('POST', `/${PHONE_A}/messages`, {
		messaging_product: 'whatsapp',
		to,
		type: 'text',
		text: { body: 'hello' },
		...extra,
	});

const items = (harness: TriggerHarness) =>
	harness.executions.flatMap((run) => run[0]).map((item) => item.json);

describe('simulator webhooks: registration through the Graph routes', () => {
	it("activating a per-number trigger registers the phone override after Meta's handshake; GET shows it; deactivation clears it", async () => {
		const harness = await trigger();
		expect(await harness.hook('create')).toBe(true);
		const configuration = await graph('GET', `/${PHONE_A}?fields=webhook_configuration`);
		expect(configuration.body.webhook_configuration).toEqual({ phone_number: harness.url });
		expect(harness.statuses).toContain(200); // the handshake reached the node
		expect(await harness.hook('checkExists')).toBe(true);
		expect(await harness.hook('delete')).toBe(true);
		expect((await graph('GET', `/${PHONE_A}?fields=webhook_configuration`)).body).toEqual({
			webhook_configuration: {},
			id: PHONE_A,
		});
	});

	it('a WABA override shows as override_callback_uri; a wrong verify token fails with 2200 and registers nothing', async () => {
		const harness = await trigger({ registration: 'whatsAppBusinessAccountOverride' });
		expect(await harness.hook('create')).toBe(true);
		const apps = await graph('GET', `/${WABA}/subscribed_apps`);
		expect(apps.body.data[0]).toMatchObject({
			whatsapp_business_api_data: { id: APP_ID },
			override_callback_uri: harness.url,
		});
		const refused = await graph('POST', `/${WABA}/subscribed_apps`, {
			override_callback_uri: harness.url,
			verify_token: 'not-the-token',
		});
		expect(refused.status).toBe(400);
		expect(refused.body.error.code).toBe(2200);
		expect(refused.body.error.message).toMatch(/Callback verification failed.*403/);
		// A POST without body clears the override (Meta's documented way).
		await graph('POST', `/${WABA}/subscribed_apps`);
		expect((await graph('GET', `/${WABA}/subscribed_apps`)).body.data[0]).not.toHaveProperty(
			'override_callback_uri',
		);
	});

	it('app subscriptions need the app token; POST runs the handshake, GET lists, DELETE removes', async () => {
		const harness = await trigger({ registration: 'none' });
		const appToken = `${APP_ID}|${APP_SECRET}`;
		const userCall = await graph('GET', `/${APP_ID}/subscriptions`);
		expect(userCall.body.error.code).toBe(15);
		const created = await graph(
			'POST',
			`/${APP_ID}/subscriptions`,
			{
				object: 'whatsapp_business_account',
				callback_url: harness.url,
				verify_token: VERIFY,
				fields: 'messages,message_template_status_update',
			},
			appToken,
		);
		expect(created.body).toEqual({ success: true });
		const listed = await graph('GET', `/${APP_ID}/subscriptions`, undefined, appToken);
		expect(listed.body.data).toEqual([
			{
				object: 'whatsapp_business_account',
				callback_url: harness.url,
				active: true,
				fields: [
					{ name: 'messages', version: 'v26.0' },
					{ name: 'message_template_status_update', version: 'v26.0' },
				],
			},
		]);
		await sim.control.emitWebhook(
			undefined,
			whatsappEnvelope(WABA, [templateStatusChange('APPROVED', { id: 1, name: 'order_update' })]),
		);
		expect(items(harness)).toEqual([
			expect.objectContaining({ templateEvent: 'APPROVED', templateName: 'order_update' }),
		]);
		await graph(
			'DELETE',
			`/${APP_ID}/subscriptions?object=whatsapp_business_account`,
			undefined,
			appToken,
		);
		expect((await graph('GET', `/${APP_ID}/subscriptions`, undefined, appToken)).body.data).toEqual(
			[],
		);
	});
});

describe('simulator webhooks: statuses after every send', () => {
	it('a send answers 200, then sent and delivered arrive signed, one POST each, after the answer', async () => {
		const harness = await trigger();
		await harness.hook('create');
		const answer = await send(RECENT);
		expect(answer.status).toBe(200);
		const wamid = answer.body.messages[0].id;
		await sim.control.webhooksIdle();
		expect(items(harness).map((item) => [item.messageId, item.status])).toEqual([
			[wamid, 'sent'],
			[wamid, 'delivered'],
		]);
		const deliveries = sim.control.webhookDeliveries();
		expect(deliveries).toHaveLength(2);
		expect(deliveries.every((delivery) => delivery.signature?.startsWith('sha256='))).toBe(true);
	});

	it('131047 asynchronous, as Meta reports it: the send answers 200, then a failed status carries the code', async () => {
		const harness = await trigger();
		await harness.hook('create');
		const answer = await send(NEVER_WROTE);
		expect(answer.status).toBe(200);
		await sim.control.webhooksIdle();
		const failed = items(harness).find((item) => item.status === 'failed');
		expect(failed).toMatchObject({ messageId: answer.body.messages[0].id });
		expect(JSON.stringify(failed)).toContain('131047');
	});

	it("131047 stays synchronous with whatsappFailureMode 'sync' (a setting, also at run time)", async () => {
		sim.control.setSettings({ whatsappFailureMode: 'sync' });
		const answer = await send(NEVER_WROTE);
		expect(answer.status).toBe(400);
		expect(answer.body.error.code).toBe(131047);
		const syncSim = await startSimulator('demo', { settings: { whatsappFailureMode: 'sync' } });
		try {
			const response = await fetch(`${syncSim.baseUrl}/v26.0/${PHONE_A}/messages`, {
				method: 'POST',
				headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					messaging_product: 'whatsapp',
					to: NEVER_WROTE,
					type: 'text',
					text: { body: 'x' },
				}),
			});
			expect(response.status).toBe(400);
		} finally {
			await syncSim.stop();
		}
	});

	it('131053 (unusable media link) arrives as a failed status', async () => {
		const harness = await trigger();
		await harness.hook('create');
		const answer = await send(RECENT, {
			type: 'image',
			text: undefined,
			image: { link: `${sim.fixturesBaseUrl}/fixtures/missing.jpg` },
		});
		expect(answer.status).toBe(200);
		await sim.control.webhooksIdle();
		expect(JSON.stringify(items(harness).find((item) => item.status === 'failed'))).toContain(
			'131053',
		);
	});

	it("another number's sends do not reach a trigger registered for one number", async () => {
		const harness = await trigger();
		await harness.hook('create');
		const other = await graph('POST', `/${PHONE_C}/messages`, {
			messaging_product: 'whatsapp',
			to: RECENT,
			type: 'text',
			text: { body: 'hi' },
		});
		expect(other.status).toBe(200);
		await sim.control.webhooksIdle();
		expect(harness.executions).toHaveLength(0);
	});
});

describe('simulator webhooks: inbound messages and the admin API', () => {
	it('inboundWhatsApp opens the 24-hour window and delivers the message; a reply then goes out', async () => {
		const harness = await trigger();
		await harness.hook('create');
		const inbound = await sim.control.inboundWhatsApp({
			phoneNumberId: PHONE_A,
			from: NEVER_WROTE,
			name: 'Carla',
			text: 'Is the cafe open?',
		});
		expect(items(harness)).toEqual([
			expect.objectContaining({ messageId: inbound.messageId, text: 'Is the cafe open?' }),
		]);
		const reply = await send(NEVER_WROTE);
		expect(reply.status).toBe(200);
		await sim.control.webhooksIdle();
		expect(items(harness).some((item) => item.status === 'failed')).toBe(false);
	});

	it('over /__admin: inbound, a forged emit refused with 401, the delivery log', async () => {
		const harness = await trigger();
		await harness.hook('create');
		const admin = async (method: string, path: string, body?: unknown) =>
			(await (
				await fetch(`${sim.baseUrl}/__admin${path}`, {
					method,
					headers: { 'content-type': 'application/json' },
					body: body ? JSON.stringify(body) : undefined,
				})
			).json()) as Record<string, any>;
		const inbound = await admin('POST', '/webhooks/inbound', {
			phoneNumberId: PHONE_A,
			from: RECENT,
			text: 'over admin',
		});
		expect(inbound.deliveries[0]).toMatchObject({ delivered: true, lastStatus: 200 });
		const forged = await admin('POST', '/webhooks/emit', {
			envelope: inbound.deliveries[0].body,
			signature: 'forged',
		});
		expect(forged.deliveries[0]).toMatchObject({ delivered: false, lastStatus: 401 });
		expect(harness.executions).toHaveLength(1);
		const log = await admin('GET', '/webhooks');
		expect(log.data).toHaveLength(2);
		const registrations = await admin('GET', '/webhooks/registrations');
		expect(registrations[APP_ID].phoneOverrides).toEqual({ [PHONE_A]: harness.url });
	});
});
