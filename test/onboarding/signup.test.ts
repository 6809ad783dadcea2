/**
 * WhatsApp Business Onboarding over real HTTP against the simulator: the popup finishes (simulated),
 * Complete Signup exchanges the 30-second code, checks the grant, assigns the partner's System
 * User; the business token never reaches an output or error. Every code-exchange error of Meta's
 * onboarding table is driven here with the fix a user can follow.
 */
import type { INodeParameters } from 'n8n-workflow';

import { getMetaErrorInfo } from '../../nodes/Meta/shared/errors';
import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import { expectNoSecrets } from '../helpers/secrets';
import {
	BAKERY,
	CAFE,
	NOT_SHARED,
	PARTNER_SYSTEM_USER,
	allSecrets,
	finishPopup,
	requestsTo,
	runOnboarding,
} from './fixtures';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startSimulator('onboarding');
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => sim.control.reset());

function completeSignup(code: string, wabaId: string, phoneNumberId = '', options = {}) {
	return {
		operation: 'completeSignup',
		signupCode: code,
		wabaId,
		phoneNumberId,
		businessId: '',
		options,
	};
}

describe('Complete Signup', () => {
	it('exchanges the code, checks the grant, assigns the System User and outputs only ids, scopes and expiry', async () => {
		const signup = await finishPopup(sim, 'cafe');
		const { outputs, error } = await runOnboarding(sim, {
			...completeSignup(signup.code, CAFE.waba, CAFE.phone),
			businessId: CAFE.business,
		});
		expect(error).toBeUndefined();
		const json = outputs[0][0].json;
		expect(json).toMatchObject({
			wabaId: CAFE.waba,
			phoneNumberId: CAFE.phone,
			businessId: CAFE.business,
			sharedWabaIds: [CAFE.waba],
			scopes: ['whatsapp_business_management', 'whatsapp_business_messaging'],
			businessTokenType: 'SYSTEM_USER',
			usedRedirectUri: false,
			systemUserAssigned: true,
		});
		expect(typeof json.businessTokenExpiresAt).toBe('string');
		expect(String(json.businessTokenStorage)).toContain('Not stored');
		expect(json.phoneNumbers).toEqual([
			expect.objectContaining({ id: CAFE.phone, status: 'PENDING' }),
		]);
		// The exchanged business token (minted by the simulator) is in no output.
		expectNoSecrets(outputs, allSecrets(sim));
		const exchange = requestsTo(sim, '/oauth/access_token', 'GET');
		expect(exchange).toHaveLength(1);
		expect(exchange[0].params.redirect_uri).toBeUndefined();
		expect(requestsTo(sim, `/${CAFE.waba}/assigned_users`)[0].params).toMatchObject({
			user: PARTNER_SYSTEM_USER,
		});
	});

	it('the partner credential then reaches the customer account (Get Shared Accounts), and refuses one that was not shared', async () => {
		const signup = await finishPopup(sim, 'cafe');
		await runOnboarding(sim, completeSignup(signup.code, CAFE.waba));
		const shared = await runOnboarding(sim, {
			operation: 'getSharedAccounts',
			wabaId: CAFE.waba,
			phoneNumberId: CAFE.phone,
		});
		expect(shared.error).toBeUndefined();
		expect(shared.outputs[0][0].json).toMatchObject({
			wabaId: CAFE.waba,
			name: 'Cafe Lindenblatt',
			ownerBusinessId: CAFE.business,
			phoneNumbers: [expect.objectContaining({ id: CAFE.phone })],
		});
		const refused = await runOnboarding(sim, {
			operation: 'getSharedAccounts',
			wabaId: BAKERY.waba,
			phoneNumberId: '',
		});
		expect(refused.error?.message).toContain(`${BAKERY.waba} is not shared with this credential`);
		expect(refused.error?.description).toContain('Run Complete Signup');
		const wrongPhone = await runOnboarding(sim, {
			operation: 'getSharedAccounts',
			wabaId: CAFE.waba,
			phoneNumberId: BAKERY.phone,
		});
		expect(wrongPhone.error?.message).toContain(`Phone number ${BAKERY.phone} is not in`);
	});

	it('36009: a code exchanged twice is refused with a fix that avoids a third attempt', async () => {
		const signup = await finishPopup(sim, 'cafe');
		await runOnboarding(sim, completeSignup(signup.code, CAFE.waba));
		const { error } = await runOnboarding(sim, completeSignup(signup.code, CAFE.waba));
		expect(getMetaErrorInfo(error)).toMatchObject({ code: 100, subcode: 36009 });
		expect(error?.description).toContain('codes work once');
		expect(error?.description).toContain('Get Shared Accounts');
		expectNoSecrets({ message: error?.message, description: error?.description }, allSecrets(sim));
	});

	it('an expired code (older than 30 s) says to run the exchange straight after the webhook', async () => {
		const signup = await finishPopup(sim, 'cafe');
		sim.control.advanceClock(31_000);
		const { error } = await runOnboarding(sim, completeSignup(signup.code, CAFE.waba));
		expect(getMetaErrorInfo(error)?.code).toBe(100);
		expect(error?.description).toContain('30 seconds');
		expect(error?.description).toContain('no Wait node');
		expect(requestsTo(sim, '/assigned_users')).toHaveLength(0);
	});

	it('36008: without a Redirect URI the fix asks for the page URL; with it, the second attempt sends it', async () => {
		const first = await finishPopup(sim, 'cafe-redirect');
		const missing = await runOnboarding(sim, completeSignup(first.code, CAFE.waba));
		expect(getMetaErrorInfo(missing.error)).toMatchObject({ code: 100, subcode: 36008 });
		expect(missing.error?.description).toContain('Redirect URI');

		sim.control.clearRequests();
		const second = await finishPopup(sim, 'cafe-redirect');
		const { outputs, error } = await runOnboarding(
			sim,
			completeSignup(second.code, CAFE.waba, '', {
				redirectUri: 'https://signup.example.com/whatsapp',
			}),
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json.usedRedirectUri).toBe(true);
		const attempts = requestsTo(sim, '/oauth/access_token', 'GET');
		expect(attempts.map((request) => request.params.redirect_uri)).toEqual([
			undefined,
			'https://signup.example.com/whatsapp',
		]);
	});

	it('refuses a session whose account is not among what the customer granted, before assigning anything', async () => {
		const signup = await finishPopup(sim, 'mismatch');
		const { error } = await runOnboarding(sim, completeSignup(signup.code, NOT_SHARED.waba));
		expect(error?.message).toBe('The signup session does not match what the customer granted');
		expect(error?.description).toContain(
			`${NOT_SHARED.waba} is not among the accounts the token was granted (${BAKERY.waba})`,
		);
		expect(requestsTo(sim, '/assigned_users')).toHaveLength(0);
		expectNoSecrets({ message: error?.message, description: error?.description }, allSecrets(sim));
	});

	it('without the session (popup blockers swallow it), the account comes from the grant', async () => {
		const signup = await finishPopup(sim, 'cafe');
		const { outputs, error } = await runOnboarding(sim, completeSignup(signup.code, ''));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			wabaId: CAFE.waba,
			wabaIdFrom: 'grant',
			systemUserAssigned: true,
		});
	});

	it('refuses a phone number from another signup after assigning, naming what to map', async () => {
		const signup = await finishPopup(sim, 'cafe');
		const { error } = await runOnboarding(
			sim,
			completeSignup(signup.code, CAFE.waba, BAKERY.phone),
		);
		expect(error?.message).toContain(
			`Phone number ${BAKERY.phone} is not in WhatsApp Business Account ${CAFE.waba}`,
		);
	});

	it('10: a System User without business_management cannot be assigned, and the fix names the permission', async () => {
		const signup = await finishPopup(sim, 'cafe');
		const { error } = await runOnboarding(sim, completeSignup(signup.code, CAFE.waba), {
			credential: { accessToken: 'EAAonboardingPartnerNoBusinessManagement' },
		});
		expect(getMetaErrorInfo(error)?.code).toBe(10);
		expect(error?.description).toContain('business_management');
		expectNoSecrets({ message: error?.message, description: error?.description }, allSecrets(sim));
	});

	it('a code exchange whose answer is lost is an unknown outcome: not repeated, nothing assigned', async () => {
		const signup = await finishPopup(sim, 'cafe');
		sim.control.injectFault({ kind: 'dropAfterProcessing', path: '/oauth/access_token$' });
		const { outputs } = await runOnboarding(sim, completeSignup(signup.code, CAFE.waba), {
			settings: { continueOnFail: true },
		});
		expect(outputs[0]).toHaveLength(1);
		expect((outputs[0][0].json.details as { status: string }).status).toBe('unknown');
		expect(requestsTo(sim, '/oauth/access_token', 'GET')).toHaveLength(1);
		expect(requestsTo(sim, '/assigned_users')).toHaveLength(0);
	});

	it('without an App Secret in the credential, stops before any request', async () => {
		const { error } = await runOnboarding(sim, completeSignup('AQxyz', CAFE.waba), {
			credential: { appSecret: '' },
		});
		expect(error?.message).toBe('The credential has no App Secret');
		expect(error?.description).toContain('App settings > Basic');
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('the account_update webhook the partner receives names the customer account in waba_info', async () => {
		const signup = await finishPopup(sim, 'cafe');
		expect(signup.session).toMatchObject({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH' });
		expect(signup.webhook).toMatchObject({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: '930000000000010',
					changes: [
						{
							field: 'account_update',
							value: {
								event: 'PARTNER_ADDED',
								waba_info: { waba_id: CAFE.waba, owner_business_id: CAFE.business },
							},
						},
					],
				},
			],
		});
	});
});

describe('values from expressions are refused before any request', () => {
	const cases: Array<[string, INodeParameters, string]> = [
		[
			'null WABA ID',
			{ operation: 'getSharedAccounts', wabaId: '={{ null }}' },
			'WhatsApp Business Account ID',
		],
		[
			'object WABA ID',
			{ operation: 'getSharedAccounts', wabaId: '={{ {a:1} }}' },
			'WhatsApp Business Account ID',
		],
		[
			'list WABA ID',
			{ operation: 'subscribeApp', wabaId: '={{ ["a","b"] }}' },
			'WhatsApp Business Account ID',
		],
		[
			'missing phone ID',
			{ operation: 'registerPhoneNumber', phoneNumberId: '={{ $json.missing }}', pin: '123456' },
			'Phone Number ID',
		],
		[
			'a phone number instead of its ID',
			{ operation: 'setTwoStepPin', phoneNumberId: '={{ "+49 30 5550" }}', pin: '123456' },
			'Phone Number ID',
		],
		[
			'5-digit PIN',
			{ operation: 'registerPhoneNumber', phoneNumberId: CAFE.phone, pin: '={{ 12345 }}' },
			'PIN',
		],
		[
			'undefined PIN',
			{ operation: 'setTwoStepPin', phoneNumberId: CAFE.phone, pin: '={{ undefined }}' },
			'PIN',
		],
		[
			'null signup code',
			{ operation: 'completeSignup', signupCode: '={{ null }}', wabaId: CAFE.waba },
			'Signup Code',
		],
		[
			'code with letters',
			{ operation: 'verifyCode', phoneNumberId: CAFE.phone, code: '={{ "12a456" }}' },
			'Code',
		],
		[
			'unknown region',
			{
				operation: 'registerPhoneNumber',
				phoneNumberId: CAFE.phone,
				pin: '123456',
				dataLocalizationRegion: '={{ "XX" }}',
			},
			'Data Localization Region',
		],
		[
			'http override URL',
			{
				operation: 'subscribeApp',
				wabaId: CAFE.waba,
				options: { overrideCallbackUrl: 'http://example.com/hook', verifyToken: 'v' },
			},
			'Override Callback URL',
		],
		// An added option whose expression gives nothing is refused, not taken as "not given".
		[
			'added Redirect URI that gives nothing',
			{
				operation: 'completeSignup',
				signupCode: 'AQxyz',
				wabaId: CAFE.waba,
				options: { redirectUri: '={{ undefined }}' },
			},
			'Redirect URI (item 1): was added but the expression gave no value',
		],
		[
			'added Override Callback URL that gives nothing',
			{
				operation: 'subscribeApp',
				wabaId: CAFE.waba,
				options: { overrideCallbackUrl: '={{ $json.missing }}' },
			},
			'Override Callback URL (item 1): was added but the expression gave no value',
		],
		[
			'object Verify Token without an override URL',
			{ operation: 'subscribeApp', wabaId: CAFE.waba, options: { verifyToken: '={{ {a:1} }}' } },
			'Verify Token (item 1): expected text but the expression gave an object',
		],
		[
			'added Max Registrations that gives nothing',
			{
				operation: 'registerPhoneNumber',
				phoneNumberId: CAFE.phone,
				pin: '123456',
				options: { maxRegistrations: '={{ undefined }}' },
			},
			'Max Registrations per 72 Hours (item 1): was added but the expression gave no value',
		],
	];
	it.each(cases)('%s', async (_name, parameters, label) => {
		const { error } = await runOnboarding(sim, parameters, { items: [{ json: {} }] });
		expect(error?.name).toBe('NodeOperationError');
		expect(`${error?.message} ${error?.description ?? ''}`).toContain(label);
		expect(error?.message).not.toMatch(/\[object Object\]|undefined/);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('an unknown operation from an expression gets a clear error', async () => {
		const { error } = await runOnboarding(sim, { operation: '={{ "deleteEverything" }}' });
		expect(error?.message).toMatch(/deleteEverything.*is not supported/);
	});
});
