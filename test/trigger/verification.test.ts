/**
 * The trigger's gatekeeping over real HTTP: Meta's handshake, the signature over the raw bytes,
 * and every reason a delivery is refused. A refused delivery never starts an execution, is logged
 * with its reason, and (with Emit Rejected Deliveries) leaves a small item on the Rejected output
 * that never holds the refused body.
 */
import { createHmac } from 'crypto';

import {
	WebhookEmitter,
	batchEnvelopes,
	inboundMessage,
	messagesChange,
	signBody,
	whatsappEnvelope,
} from '../../simulator/webhooks';
import { expectNoSecrets } from '../helpers/secrets';
import {
	APP_SECRET,
	ACCESS_TOKEN,
	CUSTOMER,
	NUMBER_A,
	VERIFY_TOKEN,
	WABA_ID,
	credentials,
	parameters,
} from './fixtures';
import type { TriggerHarness } from './webhook-harness';
import { startTrigger } from './webhook-harness';

const emitter = new WebhookEmitter({ appSecret: APP_SECRET, maxAttempts: 1 });
let trigger: TriggerHarness | undefined;

afterEach(async () => {
	await trigger?.close();
	trigger = undefined;
});

function textDelivery(text = 'Hello there', id?: string) {
	return whatsappEnvelope(WABA_ID, [
		messagesChange(NUMBER_A, CUSTOMER, [inboundMessage('text', CUSTOMER, { text, id })]),
	]);
}

async function start(
	overrides: Parameters<typeof parameters>[0] = {},
	credentialOverrides: Record<string, unknown> = {},
) {
	trigger = await startTrigger({
		parameters: parameters(overrides),
		credentials: credentials(credentialOverrides),
	});
	return trigger;
}

function rejectionsLogged(harness: TriggerHarness) {
	return harness.logs
		.filter((line) => line.message.includes('refused'))
		.map((line) => (line.meta as { check?: string }).check);
}

describe('verification handshake (GET)', () => {
	it('answers the challenge for mode subscribe and the right verify token', async () => {
		const harness = await start();
		const result = await emitter.handshake(harness.url, VERIFY_TOKEN, '1158201444');
		expect(result).toMatchObject({ ok: true, status: 200, body: '1158201444' });
		expect(harness.executions).toHaveLength(0);
	});

	it('refuses a wrong verify token with 403 and logs why', async () => {
		const harness = await start();
		const result = await emitter.handshake(harness.url, 'not-the-token');
		expect(result.status).toBe(403);
		expect(result.body).not.toContain(result.challenge);
		expect(harness.executions).toHaveLength(0);
		expect(rejectionsLogged(harness)).toEqual(['handshakeVerifyToken']);
	});

	it('refuses a mode other than subscribe, and a node without verify token', async () => {
		const harness = await start();
		const url = new URL(harness.url);
		url.search = new URLSearchParams({
			'hub.mode': 'unsubscribe',
			'hub.verify_token': VERIFY_TOKEN,
			'hub.challenge': '42',
		}).toString();
		const response = await fetch(url);
		expect(response.status).toBe(403);
		expect(await response.text()).not.toBe('42');
		await harness.close();
		const empty = await start({ verifyToken: '' });
		expect((await emitter.handshake(empty.url, '')).status).toBe(403);
		expect(rejectionsLogged(empty)).toEqual(['handshakeNoVerifyToken']);
	});

	it('emits a rejected item (without the token) when asked', async () => {
		const harness = await start({ options: { emitRejected: true } });
		await emitter.handshake(harness.url, 'guessed-token');
		expect(harness.executions).toHaveLength(1);
		const [events, rejected] = harness.executions[0];
		expect(events).toEqual([]);
		expect(rejected).toHaveLength(1);
		expect(rejected[0].json).toMatchObject({
			rejected: true,
			check: 'handshakeVerifyToken',
			httpStatus: 403,
			method: 'GET',
		});
		expect(JSON.stringify(rejected)).not.toContain('guessed-token');
		expectNoSecrets(harness.executions, [VERIFY_TOKEN, APP_SECRET]);
	});
});

describe('signature (POST)', () => {
	it('accepts a delivery signed over the exact bytes, including escaped non-ASCII text', async () => {
		const harness = await start();
		const result = await emitter.deliver(harness.url, textDelivery('Grüße äöå \u{1F62E}'));
		expect(result.lastStatus).toBe(200);
		// Meta's bytes are ASCII with \uXXXX escapes: a check over re-serialised JSON would fail.
		expect(result.body.toString('ascii')).toContain('\\u00e4\\u00f6\\u00e5');
		expect(
			signBody(APP_SECRET, Buffer.from(JSON.stringify(JSON.parse(result.body.toString())))),
		).not.toBe(result.signature);
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0][0][0].json).toMatchObject({
			event: 'whatsapp.message',
			text: 'Grüße äöå \u{1F62E}',
		});
	});

	it('answers 401 to a missing signature, starts nothing, logs the reason', async () => {
		const harness = await start();
		const result = await emitter.deliver(harness.url, textDelivery(), { signature: 'missing' });
		expect(result.lastStatus).toBe(401);
		expect(harness.executions).toHaveLength(0);
		expect(rejectionsLogged(harness)).toEqual(['missingSignature']);
		expect(harness.logs.find((line) => line.level === 'warn')?.message).toMatch(
			/X-Hub-Signature-256/,
		);
	});

	it('answers 401 to a forged signature and a signature from another app', async () => {
		const harness = await start();
		expect(
			(await emitter.deliver(harness.url, textDelivery(), { signature: 'forged' })).lastStatus,
		).toBe(401);
		expect(
			(await emitter.deliver(harness.url, textDelivery(), { appSecret: 'another-apps-secret' }))
				.lastStatus,
		).toBe(401);
		expect(harness.executions).toHaveLength(0);
		expect(rejectionsLogged(harness)).toEqual(['badSignature', 'badSignature']);
	});

	it('refuses a body changed after signing (same header, other bytes)', async () => {
		const harness = await start();
		const original = Buffer.from(JSON.stringify(textDelivery('pay 10')));
		const header = `sha256=${createHmac('sha256', APP_SECRET).update(original).digest('hex')}`;
		const tampered = Buffer.from(original.toString().replace('pay 10', 'pay 99'));
		const response = await fetch(harness.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': header },
			body: new Uint8Array(tampered),
		});
		expect(response.status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});

	it('puts a small rejected item on the second output, never the unverified body', async () => {
		const harness = await start({ options: { emitRejected: true } });
		await emitter.deliver(harness.url, textDelivery('secret customer words'), {
			signature: 'forged',
		});
		expect(harness.executions).toHaveLength(1);
		const [events, rejected] = harness.executions[0];
		expect(events).toEqual([]);
		expect(rejected[0].json).toMatchObject({
			rejected: true,
			check: 'badSignature',
			httpStatus: 401,
			method: 'POST',
		});
		expect(typeof rejected[0].json.time).toBe('string');
		const text = JSON.stringify(rejected);
		for (const leaked of ['secret customer words', CUSTOMER.phone!, WABA_ID, APP_SECRET])
			expect(text).not.toContain(leaked);
	});

	it('answers 500 (Meta retries later) when the credential has no app secret', async () => {
		const harness = await start({}, { appSecret: '' });
		const result = await emitter.deliver(harness.url, textDelivery());
		expect(result.lastStatus).toBe(500);
		expect(harness.executions).toHaveLength(0);
		expect(rejectionsLogged(harness)).toEqual(['noAppSecret']);
	});

	it("reads the raw body through n8n's readRawBody when it was not read yet", async () => {
		trigger = await startTrigger({
			parameters: parameters(),
			credentials: credentials(),
			rawBody: 'lazy',
		});
		expect((await emitter.deliver(trigger.url, textDelivery())).lastStatus).toBe(200);
		expect(trigger.executions).toHaveLength(1);
	});

	it('answers 500 (Meta retries later) when no raw body is available, rather than trusting a parsed one', async () => {
		trigger = await startTrigger({
			parameters: parameters(),
			credentials: credentials(),
			rawBody: 'none',
		});
		expect((await emitter.deliver(trigger.url, textDelivery())).lastStatus).toBe(500);
		expect(trigger.executions).toHaveLength(0);
		expect(rejectionsLogged(trigger)).toEqual(['noRawBody']);
	});

	it('answers 400 to a signed body that is not a JSON object', async () => {
		const harness = await start();
		const body = Buffer.from('[1,2,3]');
		const response = await fetch(harness.url, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				'X-Hub-Signature-256': signBody(APP_SECRET, body),
			},
			body: new Uint8Array(body),
		});
		expect(response.status).toBe(400);
		expect(rejectionsLogged(harness)).toEqual(['invalidJson']);
	});
});

describe('verified deliveries that start nothing', () => {
	it('acknowledges an unknown object with 200, starts nothing, logs it', async () => {
		const harness = await start();
		const result = await emitter.deliver(harness.url, {
			object: 'page',
			entry: [{ id: '1', changes: [{ field: 'feed', value: {} }] }],
		});
		expect(result.lastStatus).toBe(200);
		expect(harness.executions).toHaveLength(0);
		expect(rejectionsLogged(harness)).toEqual(['unknownObject']);
	});

	it('acknowledges a delivery whose events are all filtered out, and starts nothing', async () => {
		const harness = await start({ events: ['whatsappStatuses'] });
		const result = await emitter.deliver(harness.url, textDelivery());
		expect(result.lastStatus).toBe(200);
		expect(harness.executions).toHaveLength(0);
		expect(rejectionsLogged(harness)).toEqual(['filteredOut']);
	});

	it('drops a redelivered event within the window and reports it as a duplicate', async () => {
		const harness = await start({ options: { emitRejected: true } });
		const delivery = textDelivery('once', 'wamid.DUPLICATE1');
		expect((await emitter.deliver(harness.url, delivery)).lastStatus).toBe(200);
		expect((await emitter.deliver(harness.url, delivery)).lastStatus).toBe(200);
		expect(harness.executions).toHaveLength(2);
		expect(harness.executions[0][0]).toHaveLength(1);
		expect(harness.executions[1][0]).toEqual([]);
		expect(harness.executions[1][1][0].json).toMatchObject({
			check: 'duplicate',
			eventIds: ['whatsapp:message:wamid.DUPLICATE1'],
		});
		expect(rejectionsLogged(harness)).toEqual(['duplicate']);
	});

	it('keeps the new events of a batch that repeats some, and turns the check off with 0', async () => {
		const harness = await start();
		const first = textDelivery('a', 'wamid.A');
		await emitter.deliver(harness.url, first);
		await emitter.deliver(harness.url, batchEnvelopes([first, textDelivery('b', 'wamid.B')]));
		expect(harness.executions.map((run) => run[0].map((item) => item.json.messageId))).toEqual([
			['wamid.A'],
			['wamid.B'],
		]);
		await harness.close();
		const off = await start({ options: { duplicateWindowMinutes: 0 } });
		await emitter.deliver(off.url, first);
		await emitter.deliver(off.url, first);
		expect(off.executions).toHaveLength(2);
	});

	it('remembers a bounded number of event ids', async () => {
		const { dropDuplicates, MAX_REMEMBERED_EVENTS } =
			await import('../../nodes/Meta/Trigger/helpers/dedupe');
		const store = {};
		const many = Array.from({ length: MAX_REMEMBERED_EVENTS + 10 }, (_, index) => ({
			eventId: `e${index}x`,
		}));
		dropDuplicates(store, many, 60, 1_000);
		expect(Object.keys((store as { seenEvents: object }).seenEvents)).toHaveLength(
			MAX_REMEMBERED_EVENTS,
		);
		// The oldest went first; after the window everything counts as new again.
		expect(dropDuplicates(store, [{ eventId: 'e0x' }], 60, 2_000).fresh).toHaveLength(1);
		expect(dropDuplicates(store, [{ eventId: 'e20x' }], 60, 2_000).fresh).toHaveLength(0);
		expect(
			dropDuplicates(store, [{ eventId: 'e20x' }], 60, 1_000 + 61 * 60_000).fresh,
		).toHaveLength(1);
	});
});

describe('bad node settings and secrets', () => {
	it('names the field when an expression gives a filter an object, and starts nothing', async () => {
		const harness = await start({ filters: { phoneNumberIds: '={{ {a:1} }}' } });
		const result = await emitter.deliver(harness.url, textDelivery());
		expect(result.lastStatus).toBe(500);
		expect(result.lastBody).toMatch(/Phone Number IDs/);
		expect(result.lastBody).not.toContain('[object Object]');
		expect(harness.executions).toHaveLength(0);
	});

	it('keeps the app secret, token and verify token out of items and logs', async () => {
		const harness = await start({ options: { emitRejected: true, includeRawValue: true } });
		await emitter.deliver(harness.url, textDelivery());
		await emitter.deliver(harness.url, textDelivery(), { signature: 'forged' });
		await emitter.handshake(harness.url, 'wrong');
		expect(harness.executions).toHaveLength(3);
		expectNoSecrets({ executions: harness.executions, logs: harness.logs }, [
			APP_SECRET,
			ACCESS_TOKEN,
			VERIFY_TOKEN,
		]);
	});
});
