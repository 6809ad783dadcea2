/**
 * WhatsApp Business onboarding ("Model B", Embedded Signup) as Meta serves it after the popup:
 * - `POST /dialog/embedded_signup?signup=<id>` stands in for the popup finishing: it shares the
 *   customer's WhatsApp Business Account with the partner's portfolio, mints a single-use code that
 *   lives 30 s (exchanged by identity.ts's `/oauth/access_token`, 36008 / 36009 / expired), returns
 *   the session `message` payload and the `account_update` webhook the partner receives
 *   (https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/implementation,
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/account_update).
 * - `/{waba-id}/assigned_users`: the partner's System User assigned to a shared account.
 * - `/{phone-number-id}/register` and `/deregister` with PIN checks, data localisation and the
 *   10-calls-per-72-hours limit (133016); `/request_code`, `/verify_code`; `POST /{phone-number-id}`
 *   with `pin` (two-step verification)
 *   (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/registration,
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/two-step-verification).
 * The fields of Meta's 2026 platform (`primary_funding_id`, `whatsapp_business_manager_messaging_limit`,
 * `is_pin_enabled`) are whatsapp.ts's; the PIN this domain sets is the one whatsapp.ts reports.
 */
import type {
	DomainModule,
	GraphErrorSpec,
	RouteContext,
	Scenario,
	ScenarioPhoneNumber,
	ScenarioToken,
	ScenarioWaba,
	World,
} from '../types';
import { accountUpdateChange, whatsappEnvelope } from '../webhooks/payloads';
import type { WebhookEnvelope } from '../webhooks/payloads';
import { setTwoStepPin, twoStepPinOf } from './whatsapp';

/** One customer finishing the Embedded Signup popup. */
export interface OnboardingSignup {
	/** Named in `POST /dialog/embedded_signup?signup=<id>`. */
	id: string;
	/** Scenario token (SYSTEM_USER, granular scopes = the shared WABA) the code exchange mints from. */
	tokenFrom: string;
	wabaId: string;
	phoneNumberId?: string;
	/** The customer's business portfolio. */
	businessId: string;
	/** The popup fell back to a full-page redirect: the exchange must send this redirect_uri. */
	redirectUri?: string;
	event?: string;
}

export interface OnboardingPhoneSeed {
	phoneNumberId: string;
	/** Two-step verification PIN already set on the number. */
	twoStepPin?: string;
	/** Register/deregister calls already made, seconds before scenario start. */
	registerCallsAgo?: number[];
	/** Code `request_code` sends (default 123456). */
	verificationCode?: string;
	/** Meta refuses the next `times` register calls with this code (133000, 133004, 133015, 131031...). */
	registerFailure?: { code: number; times?: number; details?: string };
}

export interface OnboardingScenario extends Scenario {
	onboarding?: {
		/** The partner's (the app's) business portfolio. */
		partnerBusinessId: string;
		/** Seconds a signup code lives (Meta: 30). */
		codeLifetimeSeconds?: number;
		signups?: OnboardingSignup[];
		phones?: OnboardingPhoneSeed[];
	};
}

interface PhoneState {
	/** Register and deregister calls, ms. */
	calls: number[];
	pinFailures: number;
	verificationCode: string;
	codeRequested: boolean;
	region?: string;
	failure?: { code: number; remaining: number; details?: string };
}

interface OnboardingState {
	phones: Map<string, PhoneState>;
	/** account_update deliveries a partner would have received, oldest first. */
	webhooks: WebhookEnvelope[];
	/** WABA id -> system user ids assigned to it. */
	assigned: Map<string, Set<string>>;
}

const HOURS_72_MS = 72 * 3600 * 1000;
export const REGISTER_LIMIT = 10;
const PIN_GUESSES = 5;
const REGIONS = [
	'AU',
	'ID',
	'IN',
	'JP',
	'SG',
	'KR',
	'DE',
	'CH',
	'GB',
	'BR',
	'BH',
	'ZA',
	'AE',
	'CA',
];
const MANAGEMENT = 'whatsapp_business_management';

function config(world: World): NonNullable<OnboardingScenario['onboarding']> | undefined {
	return (world.scenario as OnboardingScenario).onboarding;
}

function state(world: World): OnboardingState {
	return world.state.onboarding as OnboardingState;
}

/** The account_update deliveries the partner received (for tests and the CLI). */
export function onboardingWebhooks(world: World): WebhookEnvelope[] {
	return state(world).webhooks;
}

/** The `account_update` envelope a partner receives when a customer shares an account. */
export function accountUpdateEnvelope(
	partnerBusinessId: string,
	event: string,
	wabaInfo: { waba_id: string; owner_business_id: string },
	time: number,
): WebhookEnvelope {
	// Meta's example puts the partner's business id in entry[].id, not the customer's WABA id.
	return whatsappEnvelope(
		partnerBusinessId,
		[
			accountUpdateChange(event, {
				waba_info: { ...wabaInfo, solution_partner_business_ids: [partnerBusinessId] },
			}),
		],
		time,
	);
}

function waFail(
	ctx: RouteContext,
	code: number,
	title: string,
	details?: string,
	status?: number,
): never {
	const spec: GraphErrorSpec = {
		code,
		message: `(#${code}) ${title}`,
		type: 'OAuthException',
		details,
		status,
	};
	return ctx.fail(spec);
}

function param(ctx: RouteContext, name: string): string | undefined {
	const value = ctx.req.params[name];
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function phoneState(world: World, phoneId: string): PhoneState {
	const phones = state(world).phones;
	let entry = phones.get(phoneId);
	if (!entry) {
		entry = { calls: [], pinFailures: 0, verificationCode: '123456', codeRequested: false };
		phones.set(phoneId, entry);
	}
	return entry;
}

/** The same access rule whatsapp.ts applies: the scope, narrowed by granular target ids. */
function requireManagement(ctx: RouteContext, wabaId: string): void {
	const record = ctx.principal().tokenRecord;
	const granted =
		record.scopes.includes(MANAGEMENT) &&
		(() => {
			const granular = record.granularScopes?.find((entry) => entry.scope === MANAGEMENT);
			return !granular?.targetIds || granular.targetIds.includes(wabaId);
		})();
	if (granted) return;
	ctx.fail({
		code: 200,
		message: '(#200) Permissions error',
		details: `The access token needs ${MANAGEMENT} for WhatsApp Business Account ${wabaId}.`,
		status: 403,
	});
}

function phoneFor(ctx: RouteContext): ScenarioPhoneNumber {
	ctx.principal();
	const phone = ctx.world.phoneNumbers.get(ctx.match.phoneNumberId) as ScenarioPhoneNumber;
	requireManagement(ctx, phone.wabaId);
	return phone;
}

// ---------------------------------------------------------------------------------------------
// The popup finishing, and the partner's System User on the shared account
// ---------------------------------------------------------------------------------------------

function finishSignup(ctx: RouteContext): unknown {
	const world = ctx.world;
	const settings = config(world);
	const signup = settings?.signups?.find((entry) => entry.id === param(ctx, 'signup'));
	if (!settings || !signup)
		ctx.fail({ code: 100, message: '(#100) Unknown signup (scenario onboarding.signups)' });
	const template = world.tokens.get(signup.tokenFrom);
	if (!template)
		ctx.fail({ code: 100, message: `(#100) Signup ${signup.id} names an unknown token` });
	const code = `AQsignup${world.newId('7')}`;
	const codes = (world.state.identity as { codes: Map<string, unknown> }).codes;
	codes.set(code, {
		template: template as ScenarioToken,
		redirectUri: signup.redirectUri,
		used: false,
		expiresAtMs: world.now() + (settings.codeLifetimeSeconds ?? 30) * 1000,
	});
	const partner = world.businesses.get(settings.partnerBusinessId);
	if (partner && !(partner.clientWabaIds ?? []).includes(signup.wabaId)) {
		partner.clientWabaIds = [...(partner.clientWabaIds ?? []), signup.wabaId];
	}
	const envelope = accountUpdateEnvelope(
		settings.partnerBusinessId,
		'PARTNER_ADDED',
		{ waba_id: signup.wabaId, owner_business_id: signup.businessId },
		Math.floor(world.now() / 1000),
	);
	state(world).webhooks.push(envelope);
	return {
		code,
		session: {
			type: 'WA_EMBEDDED_SIGNUP',
			event: signup.event ?? 'FINISH',
			data: {
				waba_id: signup.wabaId,
				business_id: signup.businessId,
				...(signup.phoneNumberId ? { phone_number_id: signup.phoneNumberId } : {}),
			},
		},
		webhook: envelope,
	};
}

function wabaFor(ctx: RouteContext): ScenarioWaba {
	return ctx.world.wabas.get(ctx.match.wabaId) as ScenarioWaba;
}

/** The partner may assign its own System User once the account is shared with its portfolio. */
function assignUser(ctx: RouteContext): unknown {
	const waba = wabaFor(ctx);
	const principal = ctx.principal();
	const record = principal.tokenRecord;
	if (!record.scopes.includes('business_management')) {
		ctx.fail({
			code: 10,
			message: '(#10) This endpoint requires the business_management permission',
		});
	}
	const userId = param(ctx, 'user');
	if (!userId) ctx.fail({ code: 100, message: '(#100) The parameter user is required' });
	const partnerBusiness = [...ctx.world.businesses.values()].find(
		(business) =>
			business.userIds.includes(principal.user?.id ?? '') &&
			((business.clientWabaIds ?? []).includes(waba.id) ||
				(business.ownedWabaIds ?? []).includes(waba.id)),
	);
	if (!partnerBusiness) {
		ctx.fail({
			code: 200,
			message: '(#200) Permissions error',
			details: `WhatsApp Business Account ${waba.id} is not shared with a business portfolio this user belongs to.`,
			status: 403,
		});
	}
	if (!partnerBusiness.userIds.includes(userId)) {
		ctx.fail({
			code: 100,
			message: `(#100) User ${userId} is not a system user of business ${partnerBusiness.id}`,
		});
	}
	const assigned = state(ctx.world).assigned;
	const users = assigned.get(waba.id) ?? new Set<string>();
	users.add(userId);
	assigned.set(waba.id, users);
	// The user's tokens now reach the account (granular target ids grow, as debug_token shows).
	for (const token of ctx.world.tokens.values()) {
		if (token.userId !== userId) continue;
		for (const grant of token.granularScopes ?? []) {
			if (
				grant.targetIds &&
				grant.scope.startsWith('whatsapp_business') &&
				!grant.targetIds.includes(waba.id)
			) {
				grant.targetIds.push(waba.id);
			}
		}
	}
	return { success: true };
}

function listAssignedUsers(ctx: RouteContext): unknown {
	const waba = wabaFor(ctx);
	ctx.principal();
	if (!param(ctx, 'business'))
		ctx.fail({ code: 100, message: '(#100) The parameter business is required' });
	const users = [...(state(ctx.world).assigned.get(waba.id) ?? [])];
	return {
		data: users.map((id) => ({ id, name: ctx.world.users.get(id)?.name ?? id, tasks: ['MANAGE'] })),
	};
}

// ---------------------------------------------------------------------------------------------
// Registration, verification, two-step PIN
// ---------------------------------------------------------------------------------------------

const FAILURE_TEXT: Record<number, { title: string; status: number }> = {
	100: { title: 'Invalid parameter', status: 400 },
	131031: { title: 'Business Account locked', status: 403 },
	133000: { title: 'Incomplete deregistration', status: 500 },
	133004: { title: 'Server temporarily unavailable', status: 503 },
	133009: { title: 'Two step verification PIN guessed too fast', status: 400 },
	133015: {
		title: 'Please wait a few minutes before attempting to register this phone number',
		status: 400,
	},
};

/** Counts one register/deregister call; 133016 once 10 were made in 72 h. */
function countCall(ctx: RouteContext, entry: PhoneState): void {
	const now = ctx.world.now();
	entry.calls = entry.calls.filter((at) => now - at < HOURS_72_MS);
	if (entry.calls.length >= REGISTER_LIMIT) {
		const freeAt = new Date(entry.calls[0] + HOURS_72_MS).toISOString();
		waFail(
			ctx,
			133016,
			'Account register deregister rate limit exceeded',
			`Registration is blocked until ${freeAt}.`,
		);
	}
	entry.calls.push(now);
}

function register(ctx: RouteContext): unknown {
	const phone = phoneFor(ctx);
	const entry = phoneState(ctx.world, phone.id);
	if (param(ctx, 'messaging_product') !== 'whatsapp') {
		waFail(ctx, 100, 'Invalid parameter', 'messaging_product must be "whatsapp".');
	}
	const pin = param(ctx, 'pin');
	if (!pin || !/^\d{6}$/.test(pin))
		waFail(ctx, 100, 'Invalid parameter', 'pin must be a 6-digit number.');
	const region = param(ctx, 'data_localization_region');
	if (region !== undefined && !REGIONS.includes(region)) {
		waFail(ctx, 100, 'Invalid parameter', `data_localization_region ${region} is not supported.`);
	}
	countCall(ctx, entry);
	if (entry.failure && entry.failure.remaining > 0) {
		entry.failure.remaining--;
		const text = FAILURE_TEXT[entry.failure.code] ?? { title: 'Registration failed', status: 400 };
		waFail(ctx, entry.failure.code, text.title, entry.failure.details, text.status);
	}
	if ((phone.codeVerificationStatus ?? 'VERIFIED') !== 'VERIFIED') {
		waFail(
			ctx,
			133006,
			'Phone number re-verification needed',
			'Request a code, verify it, then register.',
		);
	}
	const currentPin = twoStepPinOf(ctx.world, phone.id);
	if (currentPin !== undefined && currentPin !== pin) {
		if (entry.pinFailures >= PIN_GUESSES) {
			waFail(
				ctx,
				133008,
				'Too many two step verification PIN guesses for this phone number',
				'Try again in 12 hours.',
			);
		}
		entry.pinFailures++;
		waFail(
			ctx,
			133005,
			'Two step verification PIN Mismatch',
			'The PIN does not match the two-step verification PIN of this number.',
		);
	}
	entry.pinFailures = 0;
	setTwoStepPin(ctx.world, phone.id, pin);
	if (region !== undefined) entry.region = region;
	phone.status = 'CONNECTED';
	phone.platformType = 'CLOUD_API';
	return { success: true };
}

function deregister(ctx: RouteContext): unknown {
	const phone = phoneFor(ctx);
	countCall(ctx, phoneState(ctx.world, phone.id));
	phone.status = 'DISCONNECTED';
	return { success: true };
}

function requestCode(ctx: RouteContext): unknown {
	const phone = phoneFor(ctx);
	const method = param(ctx, 'code_method');
	if (method !== 'SMS' && method !== 'VOICE')
		waFail(ctx, 100, 'Invalid parameter', 'code_method must be SMS or VOICE.');
	if (!param(ctx, 'language'))
		waFail(ctx, 100, 'Invalid parameter', 'language is required, e.g. en_US.');
	phoneState(ctx.world, phone.id).codeRequested = true;
	return { success: true };
}

function verifyCode(ctx: RouteContext): unknown {
	const phone = phoneFor(ctx);
	const entry = phoneState(ctx.world, phone.id);
	const code = param(ctx, 'code');
	if (!code || !/^\d+$/.test(code))
		waFail(ctx, 100, 'Invalid parameter', 'code must contain digits only.');
	// Meta's code for a wrong verification code is not in its error tables; 136025 is seen in
	// the wild and undocumented, so the simulator answers the documented "invalid parameter".
	if (!entry.codeRequested || code !== entry.verificationCode) {
		waFail(
			ctx,
			100,
			'Invalid parameter',
			'The verification code does not match the last code requested.',
		);
	}
	phone.codeVerificationStatus = 'VERIFIED';
	entry.codeRequested = false;
	return { success: true };
}

function setPin(ctx: RouteContext): unknown {
	const phone = phoneFor(ctx);
	const pin = param(ctx, 'pin');
	if (!pin || !/^\d{6}$/.test(pin))
		waFail(ctx, 100, 'Invalid parameter', 'pin must be a 6-digit number.');
	setTwoStepPin(ctx.world, phone.id, pin);
	return { success: true };
}

const isPhone = (match: Record<string, string>, world: World): boolean =>
	world.phoneNumbers.has(match.phoneNumberId);
const isWaba = (match: Record<string, string>, world: World): boolean =>
	world.wabas.has(match.wabaId);

export const onboardingDomain: DomainModule = {
	name: 'onboarding',
	nodeTypes: [],
	routes: [
		{ method: 'POST', pattern: '/dialog/embedded_signup', handler: finishSignup, auth: 'none' },
		{
			method: 'GET',
			pattern: '/:wabaId/assigned_users',
			handler: listAssignedUsers,
			accepts: isWaba,
		},
		{ method: 'POST', pattern: '/:wabaId/assigned_users', handler: assignUser, accepts: isWaba },
		{ method: 'POST', pattern: '/:phoneNumberId/register', handler: register, accepts: isPhone },
		{
			method: 'POST',
			pattern: '/:phoneNumberId/deregister',
			handler: deregister,
			accepts: isPhone,
		},
		{
			method: 'POST',
			pattern: '/:phoneNumberId/request_code',
			handler: requestCode,
			accepts: isPhone,
		},
		{
			method: 'POST',
			pattern: '/:phoneNumberId/verify_code',
			handler: verifyCode,
			accepts: isPhone,
		},
		{ method: 'POST', pattern: '/:phoneNumberId', handler: setPin, accepts: isPhone },
	],
	init(world) {
		const phones = new Map<string, PhoneState>();
		const startMs = world.startedAt * 1000;
		for (const seed of config(world)?.phones ?? []) {
			if (seed.twoStepPin !== undefined) setTwoStepPin(world, seed.phoneNumberId, seed.twoStepPin);
			phones.set(seed.phoneNumberId, {
				calls: (seed.registerCallsAgo ?? []).map((ago) => startMs - ago * 1000),
				pinFailures: 0,
				verificationCode: seed.verificationCode ?? '123456',
				codeRequested: false,
				failure: seed.registerFailure
					? {
							code: seed.registerFailure.code,
							remaining: seed.registerFailure.times ?? 1,
							details: seed.registerFailure.details,
						}
					: undefined,
			});
		}
		world.state.onboarding = {
			phones,
			webhooks: [],
			assigned: new Map(),
		} satisfies OnboardingState;
	},
};
