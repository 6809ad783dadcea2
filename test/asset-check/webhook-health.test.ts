/**
 * Webhook health and the two-step PIN in Check WhatsApp Messaging, over real HTTP against the
 * simulator: overrides and the app subscription are registered the way the Meta Trigger does
 * (with Meta's verification handshake answered by a local callback server), then the Asset Check
 * reads them. The Expected Webhook URL option is fed through expressions.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { MetaAssetCheck } from '../../nodes/Meta/AssetCheck/MetaAssetCheck.node';
import { loadScenario, startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import { executeNode } from '../helpers/harness';

const APP = '1234567890123456';
const APP_SECRET = 'demo0app0secret0aurora0000000001';
const SYSTEM_USER = 'EAADemoSystemUser';
const WABA = '102000000000001';
const PHONE = '106000000000001';

let sim: RunningSimulator;
let callback: Server;
let callbackBase: string;

beforeAll(async () => {
	// Answers Meta's verification GET (echoes hub.challenge) and accepts deliveries.
	callback = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		res.end(url.searchParams.get('hub.challenge') ?? 'ok');
	});
	await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
	callbackBase = `http://127.0.0.1:${(callback.address() as AddressInfo).port}`;
});
afterAll(async () => await new Promise((resolve) => callback.close(resolve)));
beforeEach(async () => {
	sim = await startSimulator(loadScenario('demo'));
});
afterEach(async () => await sim.stop());

async function graph(method: string, path: string, params: Record<string, string>, token: string) {
	const body = new URLSearchParams(params);
	const response = await fetch(`${sim.baseUrl}/v26.0/${path}`, {
		method,
		headers: { Authorization: `Bearer ${token}` },
		body: method === 'GET' ? undefined : body,
	});
	const json = (await response.json()) as IDataObject;
	expect({ path, status: response.status, json }).toMatchObject({ status: 200 });
	return json;
}

async function check(parameters: IDataObject, credential: IDataObject = {}) {
	const { outputs, error } = await executeNode({
		node: MetaAssetCheck,
		parameters: {
			authentication: 'accessToken',
			operation: 'checkWhatsAppMessaging',
			...parameters,
		},
		credentials: {
			metaBusinessAccessTokenApi: { accessToken: SYSTEM_USER, baseUrl: sim.baseUrl, ...credential },
		},
	});
	return { error, report: outputs.flat()[0]?.json as IDataObject & { checks: IDataObject[] } };
}

const checkOf = (report: { checks: IDataObject[] }, id: string) =>
	report.checks.find((entry) => entry.id === id)!;

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Asset Check: webhook URL', () => {
	it('without Expected Webhook URL it passes and reports the override that is configured', async () => {
		await graph(
			'POST',
			`${WABA}/subscribed_apps`,
			{ override_callback_uri: `${callbackBase}/account`, verify_token: 'vt' },
			SYSTEM_USER,
		);
		const { error, report } = await check({ wabaId: rl(WABA) });
		expect(error).toBeUndefined();
		expect(report.ready).toBe(true);
		expect(checkOf(report, 'whatsapp.webhook-url')).toMatchObject({ status: 'pass' });
		expect(checkOf(report, 'whatsapp.webhook-url').detail).toContain(
			`${callbackBase}/account (account override)`,
		);
	});

	it('a phone-number override elsewhere fails against the expected URL (given by expression)', async () => {
		await graph(
			'POST',
			`${WABA}/subscribed_apps`,
			{ override_callback_uri: `${callbackBase}/mine`, verify_token: 'vt' },
			SYSTEM_USER,
		);
		await graph(
			'POST',
			PHONE,
			{
				webhook_configuration: JSON.stringify({
					override_callback_uri: `${callbackBase}/someone-else`,
					verify_token: 'vt',
				}),
			},
			SYSTEM_USER,
		);
		const { error, report } = await check({
			wabaId: rl(WABA),
			phoneNumberId: rl(PHONE),
			options: { expectedWebhookUrl: '={{ $json.url }}' },
		}).then(async (first) => first);
		// The item has no `url`: an added option whose expression gives nothing is refused.
		expect(report).toBeUndefined();
		expect(error?.message).toContain('Expected Webhook URL');

		const run = await executeNode({
			node: MetaAssetCheck,
			parameters: {
				authentication: 'accessToken',
				operation: 'checkWhatsAppMessaging',
				wabaId: rl(WABA),
				phoneNumberId: rl(PHONE),
				options: { expectedWebhookUrl: '={{ $json.url }}' },
			},
			items: [{ json: { url: `${callbackBase}/mine` } }],
			credentials: {
				metaBusinessAccessTokenApi: { accessToken: SYSTEM_USER, baseUrl: sim.baseUrl },
			},
		});
		expect(run.error).toBeUndefined();
		const failed = run.outputs.flat()[0].json as IDataObject & { checks: IDataObject[] };
		expect(failed.ready).toBe(false);
		expect(failed.failedChecks).toEqual(['whatsapp.webhook-url']);
		const url = checkOf(failed, 'whatsapp.webhook-url');
		expect(url.detail).toContain(`${callbackBase}/someone-else (number override)`);
		expect(String(url.fix)).toContain('Meta Trigger');
		// The phone override rode in the asset batch: no extra round trip for a selected number.
		expect(failed.graphRoundTrips).toBe(3);
	});

	it('passes when every checked number sends to the expected URL', async () => {
		await graph(
			'POST',
			`${WABA}/subscribed_apps`,
			{ override_callback_uri: `${callbackBase}/mine`, verify_token: 'vt' },
			SYSTEM_USER,
		);
		const { error, report } = await check({
			wabaId: rl(WABA),
			options: { expectedWebhookUrl: `={{ "${callbackBase}/mine" }}` },
		});
		expect(error).toBeUndefined();
		expect(checkOf(report, 'whatsapp.webhook-url')).toMatchObject({ status: 'pass' });
		expect(report.ready).toBe(true);
	});

	it.each([
		['null', '={{ null }}'],
		['an object', '={{ { a: 1 } }}'],
		['a list', '={{ ["a", "b"] }}'],
		['not a URL', 'n8n.example.com/webhook'],
	])('refuses %s as Expected Webhook URL before any request', async (_label, value) => {
		sim.control.clearRequests();
		const { error, report } = await check({ options: { expectedWebhookUrl: value } });
		expect(report).toBeUndefined();
		expect(error?.message).toContain('Expected Webhook URL');
		expect(sim.control.requests()).toHaveLength(0);
	});
});

describe('Asset Check: app subscription fields', () => {
	it('without the App Secret the fields are not read, and the detail says why', async () => {
		const { report } = await check({});
		const webhooks = checkOf(report, 'whatsapp.webhooks');
		expect(webhooks.status).toBe('pass');
		expect(webhooks.detail).toContain('Subscribed fields not checked');
		expect(webhooks.detail).toContain('App Secret');
	});

	it('with the App Secret the app subscription is read with the app token and its own proof; none set is a warning', async () => {
		const run = await check({}, { appSecret: APP_SECRET });
		expect(run.error).toBeUndefined();
		const read = sim.control.requests().find((entry) => entry.path === `/${APP}/subscriptions`);
		expect(read).toBeDefined();
		expect(read!.params.access_token).toBe('[REDACTED]');
		// The proof is the app token's (Meta checks it against the token it uses): the read succeeds.
		expect(read!.errorCode).toBeUndefined();
		const webhooks = checkOf(run.report, 'whatsapp.webhooks');
		expect(webhooks.status).toBe('warn');
		expect(webhooks.detail).toContain(
			'The app has no webhook subscription for WhatsApp Business Accounts',
		);
		expect(run.report.ready).toBe(true);
		expect(JSON.stringify(run.report)).not.toContain(APP_SECRET);
		expect(run.report.graphRoundTrips).toBe(5);
	});

	it('an app subscription without the messages field fails; with it the fields are listed', async () => {
		const appToken = `${APP}|${APP_SECRET}`;
		await graph(
			'POST',
			`${APP}/subscriptions`,
			{
				object: 'whatsapp_business_account',
				callback_url: `${callbackBase}/app`,
				verify_token: 'vt',
				fields: 'message_template_status_update',
			},
			appToken,
		);
		const without = await check({}, { appSecret: APP_SECRET });
		const failing = checkOf(without.report, 'whatsapp.webhooks');
		expect(failing.status).toBe('fail');
		expect(failing.detail).toContain('not "messages"');
		await graph(
			'POST',
			`${APP}/subscriptions`,
			{
				object: 'whatsapp_business_account',
				callback_url: `${callbackBase}/app`,
				verify_token: 'vt',
				fields: 'messages,message_template_status_update',
			},
			appToken,
		);
		const withMessages = await check({}, { appSecret: APP_SECRET });
		const passing = checkOf(withMessages.report, 'whatsapp.webhooks');
		expect(passing.status).toBe('pass');
		expect(passing.detail).toContain(
			`Subscribed fields (callback URL ${callbackBase}/app): messages`,
		);
	});
});

describe('Asset Check: two-step PIN', () => {
	it('demo numbers have their PIN; fail-pin-not-set fails with the fix', async () => {
		const demo = await check({});
		expect(checkOf(demo.report, 'whatsapp.two-step-pin')).toMatchObject({ status: 'pass' });
		await sim.stop();
		const scenario = loadScenario('fail-pin-not-set');
		sim = await startSimulator(scenario);
		const { outputs, error } = await executeNode({
			node: MetaAssetCheck,
			parameters: { authentication: 'accessToken', operation: 'checkWhatsAppMessaging' },
			credentials: {
				metaBusinessAccessTokenApi: { accessToken: scenario.tokens[0].token, baseUrl: sim.baseUrl },
			},
		});
		expect(error).toBeUndefined();
		const report = outputs.flat()[0].json as IDataObject & { checks: IDataObject[] };
		expect(report.ready).toBe(false);
		expect(report.failedChecks).toEqual(['whatsapp.two-step-pin']);
		expect(String(checkOf(report, 'whatsapp.two-step-pin').fix)).toContain('Two-step verification');
	});
});
