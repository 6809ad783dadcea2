/**
 * The Asset Check failure scenarios, each the healthy base world (healthy-scenario.json) with one
 * link of the chain broken. `npx tsx test/asset-check/failure-scenarios.ts` rewrites
 * simulator/scenarios/fail-*.json from this list; a test keeps the files and the list equal.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import type { Scenario } from '../../simulator/types';

const DAY = 86400;
const APP = '940000000000001';
const USER = '910000000000001';
const PAGE = '920000000000001';
const BUSINESS = '930000000000001';
const WABA = '102000000000001';
const ALL_TASKS = ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'] as const;

export interface FailureMode {
	name: string;
	description: string;
	expectedFailingChecks: string[];
	breakWorld: (scenario: Scenario) => void;
}

export function loadHealthyScenario(): Scenario {
	return JSON.parse(readFileSync(join(__dirname, 'healthy-scenario.json'), 'utf8')) as Scenario;
}

export const FAILURE_MODES: FailureMode[] = [
	{
		name: 'fail-token-expired',
		description: 'The user token expired two hours ago (190/463).',
		expectedFailingChecks: ['token.valid'],
		breakWorld: (s) => {
			s.tokens[0].expiresIn = -2 * 3600;
			s.tokens[0].issuedAgo = 61 * DAY;
		},
	},
	{
		name: 'fail-token-revoked',
		description: 'The user changed their password, which invalidated the token (190/460).',
		expectedFailingChecks: ['token.valid'],
		breakWorld: (s) => {
			s.tokens[0].isValid = false;
			s.tokens[0].invalidSubcode = 460;
		},
	},
	{
		name: 'fail-data-access-expired',
		description: 'The token is valid but its 90-day data access expired yesterday.',
		expectedFailingChecks: ['token.data-access'],
		breakWorld: (s) => {
			s.tokens[0].dataAccessExpiresIn = -DAY;
		},
	},
	{
		name: 'fail-scopes-missing',
		description: 'The login never asked for instagram_content_publish.',
		expectedFailingChecks: ['token.scopes'],
		breakWorld: (s) => {
			s.tokens[0].scopes = s.tokens[0].scopes.filter(
				(scope) => scope !== 'instagram_content_publish',
			);
		},
	},
	{
		name: 'fail-scopes-declined',
		description: 'The user unticked instagram_content_publish in the login dialog.',
		expectedFailingChecks: ['token.scopes-declined'],
		breakWorld: (s) => {
			s.tokens[0].scopes = s.tokens[0].scopes.filter(
				(scope) => scope !== 'instagram_content_publish',
			);
			s.tokens[0].declinedScopes = ['instagram_content_publish'];
		},
	},
	{
		name: 'fail-granular-target',
		description:
			'The user shared only @cafex with the app; the workflow targets @cafex.catering (Asset Check targets 17841400000000002).',
		expectedFailingChecks: ['token.granular-target'],
		breakWorld: (s) => {
			const page2 = '920000000000002';
			const ig = '17841400000000001';
			const ig2 = '17841400000000002';
			s.pages!.push({
				id: page2,
				name: 'Cafe X Catering',
				category: 'Caterer',
				tasks: { [USER]: [...ALL_TASKS] },
				instagramAccountId: ig2,
				businessId: BUSINESS,
				pageToken: 'EAAassetCheckPageTokenCatering',
			});
			s.instagramAccounts!.push({
				id: ig2,
				username: 'cafex.catering',
				name: 'Cafe X Catering',
				accountType: 'BUSINESS',
				linkedPageId: page2,
				quotaUsed: 0,
				quotaTotal: 100,
			});
			s.businesses![0].ownedPageIds!.push(page2);
			s.tokens[0].granularScopes = [
				{ scope: 'pages_show_list', targetIds: [PAGE, page2] },
				{ scope: 'pages_read_engagement', targetIds: [PAGE, page2] },
				{ scope: 'instagram_basic', targetIds: [ig] },
				{ scope: 'instagram_content_publish', targetIds: [ig] },
				{ scope: 'business_management', targetIds: [BUSINESS] },
				{ scope: 'whatsapp_business_management', targetIds: [WABA] },
				{ scope: 'whatsapp_business_messaging', targetIds: [WABA] },
			];
		},
	},
	{
		name: 'fail-app-development-mode',
		description: 'The app is in Development mode and the user holds no role on it.',
		expectedFailingChecks: ['app.mode'],
		breakWorld: (s) => {
			s.apps[0].mode = 'development';
			s.apps[0].roleUserIds = [];
		},
	},
	{
		name: 'fail-appsecret-proof-required',
		description: 'The app has "Require app secret" on; the credential has no App Secret.',
		expectedFailingChecks: ['app.appsecret-proof'],
		breakWorld: (s) => {
			s.apps[0].requireAppSecret = true;
		},
	},
	{
		name: 'fail-instagram-personal',
		description: 'The Instagram account linked to the Page is a personal account.',
		expectedFailingChecks: ['instagram.account-type'],
		breakWorld: (s) => {
			s.instagramAccounts![0].accountType = 'PERSONAL';
		},
	},
	{
		name: 'fail-instagram-not-linked',
		description: 'The Page has no linked Instagram account.',
		expectedFailingChecks: ['instagram.page-linked'],
		breakWorld: (s) => {
			s.pages![0].instagramAccountId = null;
			s.instagramAccounts![0].linkedPageId = null;
		},
	},
	{
		name: 'fail-page-role-no-token',
		description: 'The user only moderates the Page, so /me/accounts returns no Page token.',
		expectedFailingChecks: ['instagram.page-role'],
		breakWorld: (s) => {
			s.pages![0].tasks[USER] = ['ANALYZE', 'MODERATE'];
		},
	},
	{
		name: 'fail-instagram-quota-exhausted',
		description: 'The Instagram account published 100 of 100 API posts in the last 24 hours.',
		expectedFailingChecks: ['instagram.quota'],
		breakWorld: (s) => {
			s.instagramAccounts![0].quotaUsed = 100;
		},
	},
	{
		name: 'fail-app-no-business',
		description:
			'The app is not associated with any business portfolio (Embedded Signup / Model B blocked).',
		expectedFailingChecks: ['app.business-portfolio'],
		breakWorld: (s) => {
			s.apps[0].businessId = null;
		},
	},
	{
		name: 'fail-no-waba',
		description: 'The business portfolio has no WhatsApp Business Account.',
		expectedFailingChecks: ['whatsapp.waba'],
		breakWorld: (s) => {
			s.businesses![0].ownedWabaIds = [];
			s.wabas = [];
			s.phoneNumbers = [];
			s.templates = [];
		},
	},
	{
		name: 'fail-phone-not-connected',
		description: 'The business phone number is DISCONNECTED.',
		expectedFailingChecks: ['whatsapp.phone-status'],
		breakWorld: (s) => {
			s.phoneNumbers![0].status = 'DISCONNECTED';
		},
	},
	{
		name: 'fail-phone-pending-verification',
		description:
			'The business phone number still waits for its verification code (PENDING, NOT_VERIFIED).',
		expectedFailingChecks: ['whatsapp.phone-verification'],
		breakWorld: (s) => {
			s.phoneNumbers![0].status = 'PENDING';
			s.phoneNumbers![0].codeVerificationStatus = 'NOT_VERIFIED';
		},
	},
	{
		name: 'fail-display-name-not-approved',
		description: 'The display name of the number is still in review.',
		expectedFailingChecks: ['whatsapp.display-name'],
		breakWorld: (s) => {
			s.phoneNumbers![0].nameStatus = 'PENDING_REVIEW';
		},
	},
	{
		name: 'fail-quality-red',
		description: 'The phone number quality rating is RED.',
		expectedFailingChecks: ['whatsapp.quality'],
		breakWorld: (s) => {
			s.phoneNumbers![0].qualityRating = 'RED';
		},
	},
	{
		name: 'fail-webhook-not-subscribed',
		description: "The app is not in the WhatsApp Business Account's subscribed apps.",
		expectedFailingChecks: ['whatsapp.webhooks'],
		breakWorld: (s) => {
			s.wabas![0].subscribedAppIds = [];
		},
	},
	{
		name: 'fail-pin-not-set',
		description:
			'The business phone number is connected but has no two-step verification PIN (is_pin_enabled false).',
		expectedFailingChecks: ['whatsapp.two-step-pin'],
		breakWorld: (s) => {
			(s.phoneNumbers![0] as { isPinEnabled?: boolean }).isPinEnabled = false;
		},
	},
	{
		name: 'fail-page-token-role-lost',
		description: 'A Page token whose user lost their role on the Page (190/492).',
		expectedFailingChecks: ['token.valid'],
		breakWorld: (s) => {
			s.tokens.unshift({
				token: 'EAAassetCheckPageTokenLostRole',
				type: 'PAGE',
				appId: APP,
				userId: USER,
				pageId: PAGE,
				scopes: [
					'pages_show_list',
					'pages_read_engagement',
					'instagram_basic',
					'instagram_content_publish',
				],
				expiresIn: 0,
				issuedAgo: 10 * DAY,
				isValid: false,
				invalidSubcode: 492,
			});
		},
	},
	{
		name: 'fail-no-phone-number',
		description: 'The WhatsApp Business Account has no phone number yet.',
		expectedFailingChecks: ['whatsapp.phone-status'],
		breakWorld: (s) => {
			s.phoneNumbers = [];
		},
	},
	{
		name: 'fail-no-approved-template',
		description: 'The WhatsApp Business Account has only a pending and a rejected template.',
		expectedFailingChecks: ['whatsapp.templates'],
		breakWorld: (s) => {
			s.templates![0].status = 'PENDING';
			s.templates!.push({
				id: '1200000000000002',
				wabaId: WABA,
				name: 'spring_offer',
				language: 'en_US',
				status: 'REJECTED',
				category: 'MARKETING',
				components: [{ type: 'BODY', text: 'Spring offer: 20% off this week.' }],
			});
		},
	},
	{
		name: 'fail-graph-version-expired',
		description:
			"The credential calls Graph API v19.0, which stopped working on 21 May 2026 (Meta silently answers with a newer version). The version is the credential's: `credentialGraphApiVersion` tells the test which one to set.",
		expectedFailingChecks: ['token.graph-version'],
		breakWorld: (s) => {
			(s as Scenario & { credentialGraphApiVersion?: string }).credentialGraphApiVersion = 'v19.0';
		},
	},
];

/** The scenario file content of one failure mode. */
export function buildFailureScenario(mode: FailureMode): Scenario {
	const { name: _name, description: _description, ...world } = loadHealthyScenario();
	const scenario: Scenario = {
		name: mode.name,
		description: `Asset Check failure mode: ${mode.description}`,
		expectedFailingChecks: mode.expectedFailingChecks,
		...world,
	};
	scenario.expectedFailingChecks = mode.expectedFailingChecks;
	mode.breakWorld(scenario);
	return scenario;
}

export const SCENARIO_DIR = join(__dirname, '..', '..', 'simulator', 'scenarios');

if (require.main === module) {
	for (const mode of FAILURE_MODES) {
		const file = join(SCENARIO_DIR, `${mode.name}.json`);
		writeFileSync(file, `${JSON.stringify(buildFailureScenario(mode), null, '\t')}\n`);
	}
	process.stdout.write(`Wrote ${FAILURE_MODES.length} failure scenarios to ${SCENARIO_DIR}\n`);
}
