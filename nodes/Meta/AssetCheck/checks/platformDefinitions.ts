/**
 * Definitions of the checks for Meta's 2026 platform changes: the Graph API version's end date,
 * the portfolio messaging limit and the payment method billing needs.
 */
import type { CheckId, CheckStatus } from './types';

/** The shape of checkDefinitions.ts's CheckDefinition (restated here: that file imports this one). */
interface PlatformDefinition {
	id: CheckId;
	titles: Record<CheckStatus, string>;
	docsUrl: string;
	fixes: { default: string } & Record<string, string>;
}

export const PLATFORM_DEFINITIONS: PlatformDefinition[] = [
	{
		id: 'token.graph-version',
		titles: {
			pass: 'The Graph API version is supported',
			fail: 'The Graph API version has expired',
			warn: 'The Graph API version expires soon',
			skipped: 'The Graph API version was not checked',
		},
		docsUrl: 'https://developers.facebook.com/docs/graph-api/changelog',
		fixes: {
			default:
				'Open the Meta credential in n8n and set Graph API Version to the newest version (see the detail), then run your workflows once to check nothing changed. After a version expires Meta does not refuse calls: it quietly answers them with a newer version, whose fields and errors can differ.',
			unknown:
				"The credential names a Graph API version this node does not know. Check the spelling (e.g. v26.0) against Meta's changelog, or leave the field at its default.",
		},
	},
	{
		id: 'whatsapp.messaging-limit',
		titles: {
			pass: 'The portfolio messaging limit was read',
			fail: 'The portfolio messaging limit is too low',
			warn: 'The portfolio messaging limit is below what you send',
			skipped: 'The portfolio messaging limit was not checked',
		},
		docsUrl:
			'https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits',
		fixes: {
			default:
				'The business portfolio can start conversations (templates outside the 24-hour window) with only this many different people in a rolling 24 hours, shared by all its numbers. Split the send over several days, or raise the limit: verify the business (Meta Business Suite > Security Center), or send high-quality templates to 2,000 unique people within 30 days.',
		},
	},
	{
		id: 'whatsapp.payment-method',
		titles: {
			pass: 'The WhatsApp account has a payment method',
			fail: 'The WhatsApp account has no payment method',
			warn: 'A WhatsApp account shows no payment method',
			skipped: 'The payment method was not checked',
		},
		docsUrl: 'https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing',
		fixes: {
			default:
				'Meta shows no payment method on this WhatsApp Business Account. From 1 October 2026 Meta charges service and in-window utility messages and stops delivering them without one. Add a card in Meta Business Suite > Billing & payments > WhatsApp Business accounts, or ask your Solution Partner to share its credit line.',
		},
	},
];
