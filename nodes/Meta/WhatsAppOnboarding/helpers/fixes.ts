/**
 * What to do about each error Meta returns during onboarding, in words a no-code user can follow.
 * The error catalogue gives the general meaning; these texts lead with the onboarding step
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/errors,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getMetaErrorInfo } from '../../shared/errors';

const BY_SUBCODE: Record<number, string> = {
	36007:
		'The signup code expired or is not valid. Codes live 30 seconds: the customer must finish the Embedded Signup popup again, and the webhook must run Complete Signup straight away (no Wait node or queue in between).',
	36008:
		"Meta wants the redirect_uri of the page the customer signed up on. Put that page's exact URL (the same scheme, host, path and trailing slash) in Redirect URI. It is only needed when the popup fell back to a full-page redirect, which happens on mobile browsers that block popups.",
	36009:
		'This signup code was already exchanged (codes work once). Do not run Complete Signup twice for one signup: if the first run failed after the exchange, use Get Shared Accounts with the same WhatsApp Business Account; otherwise ask the customer to finish the popup again.',
};

const BY_CODE: Record<number, string> = {
	10: "The partner's System User lacks a permission or the asset. In Business Settings > System Users, give it whatsapp_business_management, whatsapp_business_messaging and business_management, and make sure the customer's WhatsApp Business Account is shared with your portfolio (the customer finished Embedded Signup).",
	200: "The partner's System User cannot reach this WhatsApp Business Account yet. Run Complete Signup (it assigns the System User to the shared account), or in Business Settings > Accounts > WhatsApp accounts assign the System User to it.",
	131031:
		'The account is locked or the two-step PIN does not match what Meta holds. Check the account in WhatsApp Manager > Account tools > Account health, then register with the PIN set in WhatsApp Manager.',
	133000:
		'A previous deregistration did not finish. Deregister the number (WhatsApp Manager, or POST /<phone-number-id>/deregister), then run Register Phone Number again. Both calls count towards the 10 registrations per 72 hours.',
	133004:
		"WhatsApp's registration service is briefly unavailable. Run the item again in a few minutes; the number is checked first, so a registration that went through is not repeated.",
	133005:
		'Two-step verification is already on for this number, and the PIN sent is not that PIN. Send the existing PIN, or reset it in WhatsApp Manager > Phone numbers > Settings > Two-step verification, then register again.',
	133006:
		'The number must be verified again. Run Request Verification Code (SMS or voice), then Verify Code with the digits the customer received, then Register Phone Number.',
	133008:
		'Too many wrong PINs were tried. Wait for the time Meta gives in the error details (often about 12 hours) before registering again, and use the PIN set in WhatsApp Manager.',
	133009:
		'PINs were sent too quickly. Wait the time Meta gives in the error details, then register once.',
	133010:
		'The number is not registered on the Cloud API. Run Register Phone Number with a 6-digit PIN.',
	133015:
		'The number was deleted moments ago and Meta is still finishing. Wait 5 minutes, then register again.',
	133016:
		'Meta allows 10 register or deregister calls per number in 72 hours, and they are used up. Registration is blocked for 72 hours: wait, do not retry (each retry is refused the same way).',
	131042:
		'The account has no working payment method. The customer adds a card in Meta Business Suite > Billing & payments (Tech Providers), or a Solution Partner shares its credit line; check the WhatsApp Business Account has its currency and time zone set.',
};

/** The onboarding fix for Meta's code and subcode, if there is one. */
export function onboardingFix(
	code: number | undefined,
	subcode: number | undefined,
): string | undefined {
	if (subcode !== undefined && BY_SUBCODE[subcode]) return BY_SUBCODE[subcode];
	if (code !== undefined && BY_CODE[code]) return BY_CODE[code];
	return undefined;
}

/** The error with the onboarding fix leading its description (Meta's numbers stay as they are). */
export function withOnboardingFix<T extends NodeApiError | NodeOperationError>(error: T): T {
	const meta = getMetaErrorInfo(error);
	const fix = onboardingFix(meta?.code, meta?.subcode);
	if (!fix) return error;
	const details = meta?.details ? ` Meta's details: ${meta.details}` : '';
	error.description = `${fix}${details}`;
	return error;
}

/** Meta's code and subcode on an error from the transport. */
export function metaCodes(error: unknown): { code?: number; subcode?: number } {
	const meta = getMetaErrorInfo(error);
	return { code: meta?.code, subcode: meta?.subcode };
}

/** For `.catch()`: a Meta error gets its onboarding fix; anything else is rethrown as it is. */
export function rethrowWithFix(error: unknown): never {
	if (error instanceof NodeApiError || error instanceof NodeOperationError)
		throw withOnboardingFix(error);
	throw error;
}
