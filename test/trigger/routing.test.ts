/**
 * Several workflows on one Meta app: the simulator's router sends each change where Meta would
 * (phone-number override, then WABA override, then the app URL, only for override fields), after
 * a successful handshake with each registered URL; each trigger receives only its own events.
 */
import {
	WebhookEmitter,
	WebhookRouter,
	inboundMessage,
	messagesChange,
	statusProgression,
	statusesChange,
	templateStatusChange,
	whatsappEnvelope,
} from '../../simulator/webhooks';
import {
	APP_SECRET,
	CUSTOMER,
	NUMBER_A,
	NUMBER_B,
	VERIFY_TOKEN,
	WABA_ID,
	credentials,
	parameters,
} from './fixtures';
import type { TriggerHarness } from './webhook-harness';
import { startTrigger } from './webhook-harness';

const APP_ID = '670843887433847';
const triggers: TriggerHarness[] = [];

afterEach(async () => {
	for (const trigger of triggers.splice(0)) await trigger.close();
});

async function trigger(overrides: Parameters<typeof parameters>[0] = {}) {
	const started = await startTrigger({
		parameters: parameters({
			events: ['whatsappMessages', 'whatsappStatuses', 'whatsappTemplateStatus'],
			statuses: ['sent', 'delivered', 'read', 'failed'],
			...overrides,
		}),
		credentials: credentials(),
	});
	triggers.push(started);
	return started;
}

const texts = (harness: TriggerHarness) =>
	harness.executions.flatMap((run) => run[0]).map((item) => item.json.text ?? item.json.event);

describe('WebhookRouter with triggers', () => {
	it('two workflows on two numbers of one app each receive only their own events; template updates go to the app URL', async () => {
		const router = new WebhookRouter(new WebhookEmitter({ appSecret: APP_SECRET, maxAttempts: 1 }));
		const [forA, forB, app] = [await trigger(), await trigger(), await trigger()];
		expect(
			(
				await router.subscribeApp(APP_ID, 'whatsapp_business_account', {
					callbackUrl: app.url,
					verifyToken: VERIFY_TOKEN,
					fields: [],
				})
			).ok,
		).toBe(true);
		expect(
			(
				await router.setPhoneOverride(NUMBER_A.phoneNumberId, {
					callbackUrl: forA.url,
					verifyToken: VERIFY_TOKEN,
				})
			)?.ok,
		).toBe(true);
		expect(
			(
				await router.setPhoneOverride(NUMBER_B.phoneNumberId, {
					callbackUrl: forB.url,
					verifyToken: VERIFY_TOKEN,
				})
			)?.ok,
		).toBe(true);
		expect(router.webhookConfiguration(APP_ID, WABA_ID, NUMBER_A.phoneNumberId)).toEqual({
			phone_number: forA.url,
			application: app.url,
		});

		const { deliveries, undelivered } = await router.emit(
			APP_ID,
			whatsappEnvelope(WABA_ID, [
				messagesChange(NUMBER_A, CUSTOMER, [inboundMessage('text', CUSTOMER, { text: 'to A' })]),
				messagesChange(NUMBER_B, CUSTOMER, [inboundMessage('text', CUSTOMER, { text: 'to B' })]),
				templateStatusChange('APPROVED', { id: 1, name: 'welcome' }),
			]),
		);
		expect(undelivered).toBe(0);
		expect(deliveries.map((delivery) => delivery.result.lastStatus)).toEqual([200, 200, 200]);
		expect(texts(forA)).toEqual(['to A']);
		expect(texts(forB)).toEqual(['to B']);
		expect(texts(app)).toEqual(['whatsapp.templateStatus']);
	});

	it('falls back to the WABA override, then the app URL; a failed handshake registers nothing', async () => {
		const router = new WebhookRouter(new WebhookEmitter({ appSecret: APP_SECRET, maxAttempts: 1 }));
		const [waba, app] = [await trigger(), await trigger()];
		await router.subscribeApp(APP_ID, 'whatsapp_business_account', {
			callbackUrl: app.url,
			verifyToken: VERIFY_TOKEN,
			fields: ['messages'],
		});
		expect(
			(
				await router.setPhoneOverride(NUMBER_A.phoneNumberId, {
					callbackUrl: waba.url,
					verifyToken: 'wrong',
				})
			)?.ok,
		).toBe(false);
		expect(router.phoneOverride(NUMBER_A.phoneNumberId)).toBeUndefined();
		await router.emit(
			APP_ID,
			whatsappEnvelope(WABA_ID, [
				messagesChange(NUMBER_A, CUSTOMER, [inboundMessage('text', CUSTOMER, { text: 'app' })]),
			]),
		);
		expect(texts(app)).toEqual(['app']);
		await router.setWabaOverride(APP_ID, WABA_ID, {
			callbackUrl: waba.url,
			verifyToken: VERIFY_TOKEN,
		});
		const result = await router.emit(
			APP_ID,
			whatsappEnvelope(WABA_ID, [
				statusesChange(NUMBER_A, statusProgression('wamid.P', CUSTOMER.phone!, { failed: 131047 })),
				templateStatusChange('REJECTED', { id: 2, name: 'promo' }),
			]),
		);
		// The app subscribed only to `messages`: the template update reaches nobody.
		expect(result.undelivered).toBe(1);
		expect(
			waba.executions
				.flatMap((run) => run[0])
				.map((item) => [item.json.status, item.json.errorCode]),
		).toEqual([
			['sent', undefined],
			['failed', 131047],
		]);
		await router.setWabaOverride(APP_ID, WABA_ID);
		expect(router.wabaOverride(APP_ID, WABA_ID)).toBeUndefined();
	});

	it('status progressions follow Meta: read may come without delivered', () => {
		expect(statusProgression('w', '1', 'read').map((status) => status.status)).toEqual([
			'sent',
			'delivered',
			'read',
		]);
		expect(statusProgression('w', '1', 'readOnly').map((status) => status.status)).toEqual([
			'sent',
			'read',
		]);
		expect(statusProgression('w', '1', { failed: 131053 })[1]).toMatchObject({
			status: 'failed',
			errors: [expect.objectContaining({ code: 131053 })],
		});
		expect(statusProgression('w', '1', { failed: 131053 })[1]).not.toHaveProperty('pricing');
	});
});
