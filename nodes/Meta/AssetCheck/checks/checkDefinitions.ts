import { PLATFORM_DEFINITIONS } from './platformDefinitions';
import { WEBHOOK_DEFINITIONS } from './webhookDefinitions';
import type { CheckId, CheckStatus } from './types';

/**
 * Every check the node can report: its stable id, its title per outcome, the fixes a
 * no-code user follows (one per way the check can fail) and the page that explains it. The
 * README's check table is written from this list.
 */
export interface CheckDefinition {
	id: CheckId;
	/** The title shown in the report, phrased for the outcome ("Access token is not valid"). */
	titles: Record<CheckStatus, string>;
	docsUrl: string;
	/** Fix texts by failure variant; `default` is used when the evaluator names no variant. */
	fixes: { default: string } & Record<string, string>;
}

const DEFINITIONS: CheckDefinition[] = [
	{
		id: 'token.valid',
		titles: {
			pass: 'Access token is valid',
			fail: 'Access token is not valid',
			warn: 'Access token works, with a caveat',
			skipped: 'Access token validity was not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/facebook-login/guides/access-tokens',
		fixes: {
			default:
				'Reconnect the credential: open the Meta credential in n8n and sign in again (OAuth2), or paste a new token generated in Meta Business Suite > Business settings > Users > System users > Generate new token.',
			expired:
				'The token has expired. Open the Meta credential in n8n and sign in again (OAuth2), or paste a new long-lived token. A System User token from Meta Business Suite > Business settings > Users > System users can be generated with no expiry date.',
			revoked:
				'The token was revoked (the user logged out, changed their password, removed the app or lost access). Open the Meta credential in n8n and sign in again, or paste a new token from Meta Business Suite > Business settings > Users > System users.',
			checkpoint:
				'Meta has locked the Facebook account behind a security checkpoint. The account owner must log in at facebook.com and complete the steps shown there, then reconnect the credential in n8n.',
			pageRole:
				'The person behind this Page token no longer has a role on the Page. Ask a Page admin to give them access again in Meta Business Suite > Settings > Page access, then reconnect the credential.',
			credential:
				'Open the Meta credential in n8n and correct what the detail names. With "Exchange for Long-Lived Token" on, the App ID and App Secret must be those of the app that issued the token (App Dashboard > App settings > Basic) and the pasted token must still be valid (short-lived tokens last about an hour): paste a fresh token, or turn the exchange off for a System User token.',
		},
	},
	{
		id: 'token.expiry',
		titles: {
			pass: 'Access token is not about to expire',
			fail: 'Access token has expired',
			warn: 'Access token expires soon',
			skipped: 'Access token expiry was not checked',
		},
		docsUrl:
			'https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived',
		fixes: {
			default:
				'Before it expires, reconnect the credential in n8n (sign in again), or replace it with a System User token from Meta Business Suite > Business settings > Users > System users, which can be generated with no expiry date.',
		},
	},
	{
		id: 'token.data-access',
		titles: {
			pass: 'Data access has not expired',
			fail: 'Data access has expired',
			warn: 'Data access expires soon',
			skipped: 'Data access expiry was not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/facebook-login/auth-vs-data',
		fixes: {
			default:
				'Meta stops sharing data 90 days after the person last used the app. Have them sign in again through the n8n credential (OAuth2: Reconnect), which renews data access for another 90 days; a pasted user token must be generated again. A System User token (Meta Business Suite > Business settings > Users > System users) has no data-access expiry.',
		},
	},
	{
		id: 'token.scopes',
		titles: {
			pass: 'Required permissions are granted',
			fail: 'Required permissions are missing',
			warn: 'Some permissions could not be confirmed',
			skipped: 'Permissions were not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/permissions',
		fixes: {
			default:
				'Add the missing permissions to the login: in the Meta app dashboard open Use cases (or Facebook Login for Business > Configurations) and add them, add them to the Scope of the n8n OAuth2 credential, then reconnect. Apps in Live mode need Advanced Access for them (App Review). With a System User token, generate a new token and tick them.',
		},
	},
	{
		id: 'token.scopes-declined',
		titles: {
			pass: 'No required permission was declined',
			fail: 'A required permission was declined',
			warn: 'A permission was declined',
			skipped: 'Declined permissions were not checked',
		},
		docsUrl:
			'https://developers.facebook.com/docs/facebook-login/guides/permissions/request-revoke',
		fixes: {
			default:
				'The person unticked these permissions in the Facebook login dialog. Reconnect the n8n credential and, in the dialog, click "Edit access" and leave every requested permission switched on.',
		},
	},
	{
		id: 'token.granular-target',
		titles: {
			pass: 'The token was granted access to the selected asset',
			fail: 'The token was not granted access to the selected asset',
			warn: 'The token was granted access to only some selected assets',
			skipped: 'Access to the selected asset was not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/graph-api/reference/debug_token',
		fixes: {
			default:
				'When signing in, only some Pages, Instagram accounts or WhatsApp accounts were shared with the app. Reconnect the n8n credential and, in the Facebook dialog, choose "Edit access" and tick the selected asset (or "Opt in to all current and future").',
		},
	},
	{
		id: 'app.appsecret-proof',
		titles: {
			pass: 'App secret proof requirement is met',
			fail: 'App secret proof requirement is not met',
			warn: 'App secret proof may be refused',
			skipped: 'App secret proof was not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/graph-api/securing-requests',
		fixes: {
			default:
				'The Meta app has "Require app secret" switched on. Copy the App secret from the app dashboard (App settings > Basic > App secret, click Show) into the App Secret field of the n8n credential.',
			wrongSecret:
				'Meta rejected the proof made with the App Secret in the credential. Copy the App secret again from the app dashboard (App settings > Basic > App secret) into the n8n credential; it must belong to the same app as the token.',
		},
	},
	{
		id: 'app.mode',
		titles: {
			pass: 'Meta app is live',
			fail: 'Meta app is in Development mode',
			warn: 'Meta app may be in Development mode',
			skipped: 'Meta app mode was not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/development/build-and-test/app-modes',
		fixes: {
			default:
				'The app is in Development mode, so it only works for people with a role on the app. Either add this person in the app dashboard (App roles > Roles > Add people, as Tester or Developer) or publish the app: switch App mode to Live at the top of the app dashboard (needs a privacy policy URL and, for most permissions, App Review).',
			roleHolder:
				'The app is in Development mode: it works for you because you hold a role on the app, but not for anyone else. Switch App mode to Live at the top of the app dashboard before other people connect.',
		},
	},
	{
		id: 'app.business-portfolio',
		titles: {
			pass: 'Meta app belongs to a business portfolio',
			fail: 'Meta app belongs to no business portfolio',
			warn: 'Meta app business portfolio is uncertain',
			skipped: 'Meta app business portfolio was not checked',
		},
		docsUrl:
			'https://developers.facebook.com/docs/development/create-an-app/app-dashboard/basic-settings',
		fixes: {
			default:
				'Connect the app to your business portfolio: in the app dashboard open App settings > Basic and choose your business under "Business portfolio" (or in Meta Business Suite > Business settings > Accounts > Apps > Add). WhatsApp Embedded Signup and managing customers\' WhatsApp accounts need it.',
		},
	},
	{
		id: 'instagram.page-linked',
		titles: {
			pass: 'Instagram account is linked to a Facebook Page',
			fail: 'No Instagram account is linked to a Facebook Page',
			warn: 'Only some Instagram accounts are linked to a Facebook Page',
			skipped: 'Instagram link to a Facebook Page was not checked',
		},
		docsUrl: 'https://www.facebook.com/business/help/898752960195806',
		fixes: {
			default:
				'Link the Instagram account to a Facebook Page you manage: in Meta Business Suite open Settings > Business assets > Instagram accounts > Connect (or on the Page: Settings > Linked accounts > Instagram). Only Business and Creator accounts can be linked for publishing, so switch a personal account to professional first. Then reconnect the n8n credential and allow the Page and the Instagram account.',
			notReachable:
				'The selected Instagram account is not linked to any Page this token can see. In Meta Business Suite open Settings > Business assets > Instagram accounts and connect it to a Page you manage, then reconnect the n8n credential and allow that Page.',
		},
	},
	{
		id: 'instagram.account-type',
		titles: {
			pass: 'Instagram account is a Business or Creator account',
			fail: 'Instagram account is a personal account',
			warn: 'Some Instagram accounts are personal accounts',
			skipped: 'Instagram account type was not checked',
		},
		docsUrl: 'https://help.instagram.com/502981923235522',
		fixes: {
			default:
				'Personal Instagram accounts cannot publish through the API. In the Instagram app open Settings > Account type and tools > Switch to professional account, choose Business or Creator, then link it to your Facebook Page.',
		},
	},
	{
		id: 'instagram.page-role',
		titles: {
			pass: 'You can create content on the linked Page',
			fail: 'You cannot create content on the linked Page',
			warn: 'You can create content on only some linked Pages',
			skipped: 'Your Page role was not checked',
		},
		docsUrl: 'https://www.facebook.com/business/help/442345745885606',
		fixes: {
			default:
				'Your role on the Page only lets you moderate or view insights, so Meta gives no Page token and publishing fails. Ask a Page admin to open Meta Business Suite > Settings > People (or Page access), select you and switch on "Content" (create content) or full control, then reconnect the n8n credential.',
			notReachable:
				'The selected Page is not among the Pages you manage with this token. Ask a Page admin to give you access with "Content" permission in Meta Business Suite > Settings > People, then reconnect the n8n credential and allow that Page.',
		},
	},
	{
		id: 'instagram.quota',
		titles: {
			pass: 'Instagram publishing quota is not used up',
			fail: 'Instagram publishing quota is used up',
			warn: 'Instagram publishing quota is used up or unknown for some accounts',
			skipped: 'Instagram publishing quota was not checked',
		},
		docsUrl:
			'https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit',
		fixes: {
			default:
				'The account has used all of its API posts for the last 24 hours. Wait until older posts leave the 24-hour window (the next run will pass), or publish fewer posts per day, for example by grouping images into a carousel, which counts as one post.',
		},
	},
	{
		id: 'whatsapp.waba',
		titles: {
			pass: 'A WhatsApp Business Account is reachable',
			fail: 'No WhatsApp Business Account is reachable',
			warn: 'Some WhatsApp Business Accounts are not readable',
			skipped: 'WhatsApp Business Account was not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/whatsapp/cloud-api/get-started',
		fixes: {
			default:
				'No WhatsApp Business Account is shared with this token. In Meta Business Suite open Business settings > Users > System users, select the system user, click "Assign assets" and give it full control of the WhatsApp account; then generate the token with whatsapp_business_management and whatsapp_business_messaging. With OAuth2, reconnect and tick the WhatsApp account in the dialog.',
			notReachable:
				'The selected WhatsApp Business Account is not reachable with this token. In Meta Business Suite open Business settings > Accounts > WhatsApp accounts, select it and assign this person or system user under "People" (full control), then reconnect the n8n credential.',
		},
	},
	{
		id: 'whatsapp.phone-status',
		titles: {
			pass: 'Phone number is connected',
			fail: 'Phone number is not connected',
			warn: 'Some phone numbers are not connected',
			skipped: 'Phone number connection was not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/whatsapp/cloud-api/phone-numbers',
		fixes: {
			default:
				'The phone number is not connected to the Cloud API. Open WhatsApp Manager (Meta Business Suite > WhatsApp accounts > Phone numbers), select the number and finish registration (set the two-step verification PIN); if it shows as flagged, restricted or banned, follow the steps shown there.',
			noNumber:
				'The WhatsApp Business Account has no phone number. Add one in the app dashboard (WhatsApp > API setup > Add phone number) or in WhatsApp Manager > Phone numbers > Add phone number.',
			notReachable:
				'The selected phone number does not belong to any WhatsApp Business Account this token reaches. Check the number in WhatsApp Manager > Phone numbers and assign its WhatsApp account to this user or system user.',
		},
	},
	{
		id: 'whatsapp.phone-verification',
		titles: {
			pass: 'Phone number ownership is verified',
			fail: 'Phone number ownership is not verified',
			warn: 'Some phone numbers are not verified',
			skipped: 'Phone number verification was not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/whatsapp/cloud-api/phone-numbers',
		fixes: {
			default:
				'The phone number is still pending verification. Open WhatsApp Manager > Phone numbers, select the number and request the verification code by SMS or voice call, then enter it.',
		},
	},
	{
		id: 'whatsapp.display-name',
		titles: {
			pass: 'Display name is approved',
			fail: 'Display name is not approved',
			warn: 'Some display names are not approved',
			skipped: 'Display name was not checked',
		},
		docsUrl: 'https://www.facebook.com/business/help/338047025165344',
		fixes: {
			default:
				"Meta has not approved the number's display name. Open WhatsApp Manager > Phone numbers, select the number and edit the display name so it follows the display name guidelines (it must relate to your business), then wait for the review (usually 1-2 days).",
		},
	},
	{
		id: 'whatsapp.quality',
		titles: {
			pass: 'Phone number quality is not RED',
			fail: 'Phone number quality is RED',
			warn: 'Phone number quality is low on some numbers',
			skipped: 'Phone number quality was not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/whatsapp/messaging-limits',
		fixes: {
			default:
				'Customers blocked or reported recent messages, so the quality rating is low (red) and Meta may limit sending. Open WhatsApp Manager > Insights to see why, send fewer marketing templates, only message people who opted in, and let them opt out easily.',
		},
	},
	{
		id: 'whatsapp.webhooks',
		titles: {
			pass: 'The app receives WhatsApp webhooks',
			fail: 'The app does not receive WhatsApp webhooks',
			warn: 'The app may not receive every WhatsApp webhook',
			skipped: 'WhatsApp webhooks were not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks',
		fixes: {
			fields:
				'Without the "messages" field Meta sends neither incoming messages nor delivery statuses, even to an override URL. In the app dashboard open WhatsApp > Configuration, set the callback URL (the Production URL of your Meta Trigger) and click "Manage" next to Webhook fields to subscribe "messages"; or activate the Meta Trigger with Register Webhook set to App Subscription.',
			default:
				'The app is not subscribed to this WhatsApp Business Account, so incoming messages and delivery statuses never reach its webhook (a WhatsApp Trigger in n8n stays silent). Subscribe it once: send POST /{waba-id}/subscribed_apps with this credential (for example from an HTTP Request node), or add the account again under WhatsApp > API setup in the app dashboard. Then check WhatsApp > Configuration in the app dashboard: the callback URL is your n8n WhatsApp Trigger URL and the "messages" field is subscribed.',
		},
	},
	{
		id: 'whatsapp.templates',
		titles: {
			pass: 'At least one message template is approved',
			fail: 'No message template is approved',
			warn: 'Some WhatsApp accounts have no approved template',
			skipped: 'Message templates were not checked',
		},
		docsUrl:
			'https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates',
		fixes: {
			default:
				'Without an approved template you can only answer people who wrote to you in the last 24 hours. Create a template in WhatsApp Manager > Message templates > Create template and wait for Meta to approve it (usually minutes, up to 24 hours).',
		},
	},
];

const ALL_DEFINITIONS = [...DEFINITIONS, ...WEBHOOK_DEFINITIONS, ...PLATFORM_DEFINITIONS];

export const CHECK_DEFINITIONS: ReadonlyMap<CheckId, CheckDefinition> = new Map(
	ALL_DEFINITIONS.map((definition) => [definition.id, definition]),
);

export const CHECK_IDS: CheckId[] = ALL_DEFINITIONS.map((definition) => definition.id);

export function getCheckDefinition(id: CheckId): CheckDefinition {
	return CHECK_DEFINITIONS.get(id)!;
}
