/**
 * After Complete Signup: Subscribe App, Register Phone Number, Request and Verify Code, Set
 * Two-Step PIN and Get Onboarding Status over real HTTP against the simulator. Each re-run
 * changes nothing; every registration error of Meta's onboarding table comes back with a fix a
 * user can follow; the 10-per-72-hours limit is refused before it is burned.
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';

import { getMetaErrorInfo } from '../../nodes/Meta/shared/errors';
import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import { expectNoSecrets } from '../helpers/secrets';
import {
	BAKERY,
	CAFE,
	FAILING_PHONE,
	PARTNER_WABA,
	allSecrets,
	finishPopup,
	requestsTo,
	runOnboarding,
} from './fixtures';

let sim: RunningSimulator;

/** A callback URL that answers Meta's verification GET when the verify token matches. */
async function startHandshakeEndpoint(verifyToken: string) {
	let handshakes = 0;
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		if (url.searchParams.get('hub.verify_token') === verifyToken) {
			handshakes++;
			response.end(url.searchParams.get('hub.challenge') ?? '');
			return;
		}
		response.statusCode = 403;
		response.end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		get handshakes() {
			return handshakes;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

beforeAll(async () => {
	sim = await startSimulator('onboarding');
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => sim.control.reset());

async function onboard(signup: 'cafe' | 'bakery', wabaId: string): Promise<void> {
	const { code } = await finishPopup(sim, signup);
	const { error } = await runOnboarding(sim, {
		operation: 'completeSignup',
		signupCode: code,
		wabaId,
		options: {},
	});
	if (error) throw error;
	sim.control.clearRequests();
}

const register = (phoneNumberId: string, pin = '581063', extra = {}) => ({
	operation: 'registerPhoneNumber',
	phoneNumberId,
	pin,
	dataLocalizationRegion: '',
	options: {},
	...extra,
});

describe('the onboarding chain, run twice', () => {
	it('subscribes, registers, sets the PIN and reports complete; the second run sends no write', async () => {
		await onboard('cafe', CAFE.waba);
		const before = await runOnboarding(sim, {
			operation: 'getOnboardingStatus',
			wabaId: CAFE.waba,
			phoneNumberId: CAFE.phone,
		});
		expect(before.outputs[0][0].json).toMatchObject({
			complete: false,
			nextStep: 'appSubscribed',
			nextFix: 'Run Subscribe App.',
		});

		for (const run of [1, 2]) {
			const subscribed = await runOnboarding(sim, {
				operation: 'subscribeApp',
				wabaId: CAFE.waba,
				options: {},
			});
			expect(subscribed.outputs[0][0].json).toMatchObject({ subscribed: true, changed: run === 1 });
			const registered = await runOnboarding(
				sim,
				register(CAFE.phone, '581063', { dataLocalizationRegion: 'DE' }),
			);
			expect(registered.error).toBeUndefined();
			expect(registered.outputs[0][0].json).toMatchObject({
				registered: true,
				changed: run === 1,
				status: 'CONNECTED',
			});
		}
		expect(requestsTo(sim, `/${CAFE.waba}/subscribed_apps`)).toHaveLength(1);
		const registrations = requestsTo(sim, `/${CAFE.phone}/register`);
		expect(registrations).toHaveLength(1);
		expect(registrations[0].params).toMatchObject({
			messaging_product: 'whatsapp',
			data_localization_region: 'DE',
		});

		const status = await runOnboarding(sim, {
			operation: 'getOnboardingStatus',
			wabaId: CAFE.waba,
			phoneNumberId: CAFE.phone,
		});
		expect(status.outputs[0][0].json).toMatchObject({
			complete: true,
			nextStep: null,
			currency: 'EUR',
			messagingLimit: 'TIER_250',
			steps: [
				{ step: 'accountShared', done: true },
				{ step: 'appSubscribed', done: true },
				{ step: 'numberVerified', done: true },
				{ step: 'numberRegistered', done: true },
				{ step: 'twoStepPin', done: true },
				{ step: 'paymentMethod', done: true },
			],
		});
		const pin = await runOnboarding(sim, {
			operation: 'setTwoStepPin',
			phoneNumberId: CAFE.phone,
			pin: '246810',
		});
		expect(pin.outputs[0][0].json).toEqual({ phoneNumberId: CAFE.phone, twoStepPinSet: true });
		// The PIN is never echoed.
		expectNoSecrets(pin.outputs, ['246810', '581063', ...allSecrets(sim)]);
	});

	it('Subscribe App with an override: Meta verifies the URL first, the account then shows it, a re-run changes nothing', async () => {
		await onboard('cafe', CAFE.waba);
		const hook = await startHandshakeEndpoint('cafe-verify');
		try {
			const parameters = {
				operation: 'subscribeApp',
				wabaId: CAFE.waba,
				options: { overrideCallbackUrl: `${hook.url}/webhook/cafe`, verifyToken: 'cafe-verify' },
			};
			for (const run of [1, 2]) {
				const { outputs, error } = await runOnboarding(sim, parameters);
				expect(error).toBeUndefined();
				expect(outputs[0][0].json).toMatchObject({
					changed: run === 1,
					overrideCallbackUrl: `${hook.url}/webhook/cafe`,
				});
			}
			expect(hook.handshakes).toBe(1);
			expect(requestsTo(sim, `/${CAFE.waba}/subscribed_apps`)).toHaveLength(1);
			const wrongToken = await runOnboarding(sim, {
				...parameters,
				options: { overrideCallbackUrl: `${hook.url}/webhook/other`, verifyToken: 'not-it' },
			});
			expect(getMetaErrorInfo(wrongToken.error)?.code).toBe(2200);
		} finally {
			await hook.close();
		}
	});

	it('an unverified number: request a code, a wrong code fails, the right one verifies, then it registers', async () => {
		await onboard('bakery', BAKERY.waba);
		const refused = await runOnboarding(sim, register(BAKERY.phone));
		expect(getMetaErrorInfo(refused.error)?.code).toBe(133006);
		expect(refused.error?.description).toContain('Run Request Verification Code');

		const requested = await runOnboarding(sim, {
			operation: 'requestCode',
			phoneNumberId: BAKERY.phone,
			codeMethod: 'SMS',
			language: 'de_DE',
		});
		expect(requested.outputs[0][0].json).toMatchObject({ codeRequested: true, codeMethod: 'SMS' });
		const wrong = await runOnboarding(sim, {
			operation: 'verifyCode',
			phoneNumberId: BAKERY.phone,
			code: '000-000',
		});
		expect(getMetaErrorInfo(wrong.error)?.code).toBe(100);
		const verified = await runOnboarding(sim, {
			operation: 'verifyCode',
			phoneNumberId: BAKERY.phone,
			code: '123-830',
		});
		expect(verified.outputs[0][0].json).toEqual({ phoneNumberId: BAKERY.phone, verified: true });
		expect(requestsTo(sim, '/verify_code').pop()?.params).toMatchObject({ code: '123830' });
		const again = await runOnboarding(sim, {
			operation: 'requestCode',
			phoneNumberId: BAKERY.phone,
			codeMethod: 'SMS',
			language: 'de_DE',
		});
		expect(again.outputs[0][0].json).toMatchObject({
			codeRequested: false,
			codeVerificationStatus: 'VERIFIED',
		});
		expect(requestsTo(sim, '/request_code')).toHaveLength(1);
		const registered = await runOnboarding(sim, register(BAKERY.phone));
		expect(registered.outputs[0][0].json).toMatchObject({ registered: true, changed: true });
	});

	it('Get Onboarding Status for an account not shared yet points at Complete Signup', async () => {
		const { outputs } = await runOnboarding(sim, {
			operation: 'getOnboardingStatus',
			wabaId: BAKERY.waba,
			phoneNumberId: '',
		});
		expect(outputs[0][0].json).toMatchObject({ complete: false, nextStep: 'accountShared' });
		expect(String(outputs[0][0].json.nextFix)).toContain('Complete Signup');
	});

	it('no payment method on the account is reported with the fix', async () => {
		await onboard('bakery', BAKERY.waba);
		const { outputs } = await runOnboarding(sim, {
			operation: 'getOnboardingStatus',
			wabaId: BAKERY.waba,
			phoneNumberId: '',
		});
		const steps = outputs[0][0].json.steps as Array<{ step: string; done: boolean; fix?: string }>;
		expect(steps.find((step) => step.step === 'paymentMethod')).toMatchObject({
			done: false,
			fix: expect.stringContaining('Billing & payments'),
		});
	});
});

describe("every registration error in Meta's onboarding table, with a fix", () => {
	const cases: Array<[number, string, string]> = [
		[133005, FAILING_PHONE.pinMismatch, 'Send the existing PIN'],
		[133016, FAILING_PHONE.limitReached, 'blocked for 72 hours'],
		[133000, FAILING_PHONE.incompleteDeregistration, 'Deregister the number'],
		[133004, FAILING_PHONE.unavailable, 'Run the item again in a few minutes'],
		[133015, FAILING_PHONE.recentlyDeleted, 'Wait 5 minutes'],
		[131031, FAILING_PHONE.locked, 'Account health'],
		[133009, FAILING_PHONE.tooFast, 'register once'],
	];
	it.each(cases)('%s', async (code, phoneNumberId, fix) => {
		const { error, outputs } = await runOnboarding(sim, register(phoneNumberId), {
			settings: { continueOnFail: true },
		});
		expect(error).toBeUndefined();
		const item = outputs[0][0].json as {
			error: string;
			message: string;
			details: { code: number; status: string };
		};
		expect(item.details).toMatchObject({ code, status: 'failed' });
		expect(item.message).toContain(fix);
		expectNoSecrets(outputs, [...allSecrets(sim), '581063']);
	});

	it('133008: too many wrong PINs says to wait the time Meta gives', async () => {
		const items = Array.from({ length: 6 }, () => ({ json: {} }));
		const { outputs } = await runOnboarding(
			sim,
			register(FAILING_PHONE.pinMismatch, '000000', { options: { maxRegistrations: 10 } }),
			{
				items,
				settings: { continueOnFail: true },
			},
		);
		const last = outputs[0][5].json as { message: string; details: { code: number } };
		expect(last.details.code).toBe(133008);
		expect(last.message).toContain('12 hours');
	});

	it('200: a number in an account not shared with the credential points at Complete Signup', async () => {
		const { error } = await runOnboarding(sim, register(BAKERY.phone));
		expect(getMetaErrorInfo(error)?.code).toBe(200);
		expect(error?.description).toContain('Run Complete Signup');
	});

	it('an unreadable answer to /register is an unknown outcome, never a success, and is not repeated', async () => {
		sim.control.injectFault({ kind: 'malformedJson', path: `/${CAFE.phone}/register$` });
		await onboard('cafe', CAFE.waba);
		const { outputs } = await runOnboarding(sim, register(CAFE.phone), {
			settings: { continueOnFail: true },
		});
		expect(outputs[0][0].json).toMatchObject({ details: { status: 'unknown' } });
		expect(String(outputs[0][0].json.message)).toContain('not known whether');
		expect(requestsTo(sim, `/${CAFE.phone}/register`)).toHaveLength(1);
	});

	it('133016 from Meta is remembered: the next item is refused without calling Meta', async () => {
		const { outputs } = await runOnboarding(sim, register(FAILING_PHONE.limitReached), {
			items: [{ json: {} }, { json: {} }],
			settings: { continueOnFail: true },
		});
		expect((outputs[0][0].json.details as { code: number }).code).toBe(133016);
		expect(String(outputs[0][1].json.error)).toContain('refused before calling Meta');
		expect(String(outputs[0][1].json.message)).toContain('133016');
		expect(requestsTo(sim, `/${FAILING_PHONE.limitReached}/register`)).toHaveLength(1);
	});

	it("stops at this node's budget (default 8 calls in 72 h) before Meta's 10 are burned", async () => {
		const items = Array.from({ length: 10 }, () => ({ json: {} }));
		const { outputs } = await runOnboarding(sim, register(FAILING_PHONE.unavailable), {
			items,
			settings: { continueOnFail: true },
		});
		expect(outputs[0]).toHaveLength(10);
		expect(requestsTo(sim, `/${FAILING_PHONE.unavailable}/register`)).toHaveLength(8);
		const refused = outputs[0][8].json as { error: string; message: string };
		expect(refused.error).toContain('refused before calling Meta');
		expect(refused.message).toContain('already made 8 register calls');
		expect(refused.message).toContain("Meta's is 10");
	});

	it('the partner test number registers with a region, and a registered number is not registered again', async () => {
		const phone = '970000000000033';
		sim.control.reset();
		// 133000 once, then success: the fix is to run again; the second run registers.
		const first = await runOnboarding(sim, register(phone), { settings: { continueOnFail: true } });
		expect((first.outputs[0][0].json.details as { code: number }).code).toBe(133000);
		const second = await runOnboarding(
			sim,
			register(phone, '581063', { dataLocalizationRegion: 'GB' }),
		);
		expect(second.outputs[0][0].json).toMatchObject({
			registered: true,
			changed: true,
			dataLocalizationRegion: 'GB',
		});
		const third = await runOnboarding(
			sim,
			register(phone, '581063', { dataLocalizationRegion: 'GB' }),
		);
		expect(third.outputs[0][0].json).toMatchObject({ changed: false });
		expect(String(third.outputs[0][0].json.note)).toContain('region was not changed');
		expect(sim.control.world().phoneNumbers.get(phone)?.wabaId).toBe(PARTNER_WABA);
	});
});
