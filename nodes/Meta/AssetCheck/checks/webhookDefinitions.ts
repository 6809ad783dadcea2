/**
 * Definitions of the webhook health and onboarding checks: where Meta sends the `messages`
 * webhooks, which fields the app subscribed to, and the two-step verification PIN.
 */
import type { CheckId, CheckStatus } from './types';

/** The shape of checkDefinitions.ts's CheckDefinition (restated here: that file imports this one). */
interface WebhookDefinition {
	id: CheckId;
	titles: Record<CheckStatus, string>;
	docsUrl: string;
	fixes: { default: string } & Record<string, string>;
}

export const WEBHOOK_DEFINITIONS: WebhookDefinition[] = [
	{
		id: 'whatsapp.webhook-url',
		titles: {
			pass: 'WhatsApp webhooks go to the expected URL',
			fail: 'WhatsApp webhooks go to another URL',
			warn: 'Some WhatsApp webhooks may go to another URL',
			skipped: 'The WhatsApp webhook URL was not checked',
		},
		docsUrl:
			'https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override/',
		fixes: {
			default:
				"Meta sends this number's messages and statuses to another address than the one you expect (a number's own override wins over the account's, which wins over the app's callback URL). Activate the workflow with the Meta Trigger again so it registers its URL (Register Webhook: per phone number or per WhatsApp Business Account), or clear the other override; then run this check again. Make sure Expected Webhook URL is the Production URL of your Meta Trigger, not its Test URL.",
			unknown:
				"Meta did not show where this number's webhooks go. Check that the token has whatsapp_business_management on the account, or look in the app dashboard under WhatsApp > Configuration.",
		},
	},
	{
		id: 'whatsapp.two-step-pin',
		titles: {
			pass: 'Two-step verification PIN is set',
			fail: 'Two-step verification PIN is not set',
			warn: 'Some phone numbers have no two-step verification PIN',
			skipped: 'Two-step verification PIN was not checked',
		},
		docsUrl:
			'https://developers.facebook.com/docs/whatsapp/cloud-api/reference/two-step-verification',
		fixes: {
			default:
				'The number has no two-step verification PIN, so its registration on the Cloud API is not finished and anyone who verifies the number elsewhere can take it over. In WhatsApp Manager open Phone numbers, select the number, then Settings > Two-step verification and set a 6-digit PIN (or register the number with a PIN through the onboarding operations). Keep the PIN: Meta asks for it when the number is registered again.',
		},
	},
];
