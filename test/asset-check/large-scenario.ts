/**
 * A big healthy account built in code: `pageCount` Pages, each with a Business Instagram account,
 * and `wabaCount` WhatsApp Business Accounts with two numbers and two templates each. Used by the
 * round-trip test and by bench/asset-check.bench.ts.
 */
import type { Scenario } from '../../simulator/types';

export const LARGE_APP_ID = '940000000009001';
export const LARGE_USER_TOKEN = 'EAAassetCheckLargeUser';

export interface LargeScenarioCounts {
	pages: number;
	instagramAccounts: number;
	businesses: number;
	wabas: number;
	phoneNumbers: number;
}

export function buildLargeScenario(
	pageCount = 50,
	wabaCount = 5,
): { scenario: Scenario; counts: LargeScenarioCounts } {
	const userId = '910000000009001';
	const businessId = '930000000009001';
	const allTasks = ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'] as const;
	const pages = Array.from({ length: pageCount }, (_, index) => ({
		id: String(920000000100000 + index),
		name: `Branch ${index + 1}`,
		category: 'Restaurant',
		tasks: { [userId]: [...allTasks] },
		instagramAccountId: `178414000${String(100000 + index).padStart(8, '0')}`,
		businessId,
	}));
	const instagramAccounts = pages.map((page, index) => ({
		id: page.instagramAccountId,
		username: `branch.${index + 1}`,
		accountType: 'BUSINESS' as const,
		linkedPageId: page.id,
		quotaUsed: index % 7,
		quotaTotal: 100,
	}));
	const wabas = Array.from({ length: wabaCount }, (_, index) => ({
		id: String(102000000100000 + index),
		name: `Region ${index + 1} WhatsApp`,
		ownerBusinessId: businessId,
		subscribedAppIds: [LARGE_APP_ID],
	}));
	const phoneNumbers = wabas.flatMap((waba, index) =>
		[0, 1].map((offset) => ({
			id: String(106000000100000 + index * 10 + offset),
			wabaId: waba.id,
			displayPhoneNumber: `+1 555-020-${String(index * 10 + offset).padStart(4, '0')}`,
			verifiedName: `Region ${index + 1}`,
			status: 'CONNECTED',
			isPinEnabled: true,
			codeVerificationStatus: 'VERIFIED',
			nameStatus: 'APPROVED',
			qualityRating: 'GREEN' as const,
			messagingLimitTier: 'TIER_10K',
		})),
	);
	const templates = wabas.flatMap((waba, index) =>
		['order_ready', 'appointment_reminder'].map((name, offset) => ({
			id: String(1200000000100000 + index * 10 + offset),
			wabaId: waba.id,
			name,
			language: 'en_US',
			status: 'APPROVED' as const,
			category: 'UTILITY' as const,
			components: [{ type: 'BODY', text: 'Hi {{1}}, this is a reminder.' }],
		})),
	);
	const scenario: Scenario = {
		name: 'asset-check-large',
		description: `Generated: ${pageCount} Pages with Instagram accounts and ${wabaCount} WhatsApp Business Accounts.`,
		apps: [
			{
				id: LARGE_APP_ID,
				name: 'Franchise Automations',
				mode: 'live',
				secret: 'ac-large-app-secret-5b1d',
				businessId,
				roleUserIds: [userId],
			},
		],
		users: [{ id: userId, name: 'Franchise Owner' }],
		tokens: [
			{
				token: LARGE_USER_TOKEN,
				type: 'USER',
				appId: LARGE_APP_ID,
				userId,
				scopes: [
					'public_profile',
					'pages_show_list',
					'pages_read_engagement',
					'instagram_basic',
					'instagram_content_publish',
					'business_management',
					'whatsapp_business_management',
					'whatsapp_business_messaging',
				],
				expiresIn: 50 * 86400,
				dataAccessExpiresIn: 80 * 86400,
			},
		],
		pages,
		instagramAccounts,
		businesses: [
			{
				id: businessId,
				name: 'Franchise Group',
				verificationStatus: 'verified',
				userIds: [userId],
				ownedWabaIds: wabas.map((waba) => waba.id),
				ownedPageIds: pages.map((page) => page.id),
			},
		],
		wabas,
		phoneNumbers,
		templates,
	};
	return {
		scenario,
		counts: {
			pages: pages.length,
			instagramAccounts: instagramAccounts.length,
			businesses: 1,
			wabas: wabas.length,
			phoneNumbers: phoneNumbers.length,
		},
	};
}

/**
 * Graph calls a one-call-per-asset check needs: debug_token, /me, /me/permissions, /me/accounts,
 * /me/businesses and the app (6); per Page its details; per Instagram account its type and its
 * quota; per business its owned and client WhatsApp accounts; per WhatsApp account its details,
 * phone numbers, templates and subscribed apps.
 */
export function naiveCallCount(counts: LargeScenarioCounts): number {
	return 6 + counts.pages + counts.instagramAccounts * 2 + counts.businesses * 2 + counts.wabas * 4;
}
