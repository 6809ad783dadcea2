/**
 * Webhook health and the onboarding PIN. Meta sends a number's `messages` webhooks (incoming
 * messages and statuses) to the number's override, else its account's override, else the app's
 * callback URL (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override/),
 * and only for the fields the app subscribed to
 * (https://developers.facebook.com/docs/graph-api/reference/app/subscriptions).
 */
import type { DiscoveredPhoneNumber, DiscoveredWaba } from './discoveryTypes';
import type { CheckReport, EvaluationInput } from './shared';
import { codeText, listNames, phoneLabel, plural, wabaLabel } from './shared';
import type { Capability } from './types';

const BLOCKS: Capability[] = ['whatsappMessaging'];

interface Destination {
	label: string;
	url?: string;
	source?: string;
}

/** Where one account's (and each of its checked numbers') `messages` webhooks go. */
function destinations(input: EvaluationInput, waba: DiscoveredWaba, appId: string): Destination[] {
	const { discovery, targets } = input;
	const wabaOverride = waba.overrideByApp?.[appId];
	const appSubscription = discovery.appSubscription;
	const appUrl =
		appSubscription?.ok && appSubscription.value ? appSubscription.value.callbackUrl : undefined;
	const fallback = (): Destination =>
		wabaOverride
			? { label: '', url: wabaOverride, source: 'account override' }
			: { label: '', url: appUrl, source: appUrl ? 'app callback URL' : undefined };
	const phones: DiscoveredPhoneNumber[] = waba.read.ok
		? waba.read.value.phoneNumbers.filter(
				(phone) => !targets.phoneNumberId || phone.id === targets.phoneNumberId,
			)
		: [];
	if (phones.length === 0) return [{ ...fallback(), label: wabaLabel(waba) }];
	return phones.map((phone) => {
		const configuration = discovery.phoneWebhooks?.get(phone.id);
		if (!configuration?.ok) return { ...fallback(), label: phoneLabel(phone) };
		const { phoneNumber, whatsappBusinessAccount, application } = configuration.value;
		if (phoneNumber)
			return { label: phoneLabel(phone), url: phoneNumber, source: 'number override' };
		if (whatsappBusinessAccount) {
			return { label: phoneLabel(phone), url: whatsappBusinessAccount, source: 'account override' };
		}
		const url = application ?? appUrl;
		return { label: phoneLabel(phone), url, source: url ? 'app callback URL' : undefined };
	});
}

const describe = (entry: Destination): string =>
	`${entry.label} -> ${entry.url ?? 'unknown'}${entry.source ? ` (${entry.source})` : ''}`;

/** Override URL present and pointing where the user expects (the Expected Webhook URL option). */
export function checkWebhookUrl(
	input: EvaluationInput,
	report: CheckReport,
	subscribed: DiscoveredWaba[],
): void {
	const appId = input.discovery.debugToken?.appId;
	if (!appId || subscribed.length === 0) {
		report.skip(
			'whatsapp.webhook-url',
			'Skipped: the app is not subscribed to any checked account (see whatsapp.webhooks).',
		);
		return;
	}
	const entries = subscribed.flatMap((waba) => destinations(input, waba, appId));
	const known = entries.filter((entry) => entry.url !== undefined);
	const expected = input.expectedWebhookUrl;
	if (!expected) {
		if (known.length === 0) {
			report.add(
				'whatsapp.webhook-url',
				'pass',
				"No override is set: Meta sends messages webhooks to the app's callback URL (WhatsApp > Configuration in the app dashboard; this token cannot read it). Set Expected Webhook URL to check it.",
				[],
			);
			return;
		}
		report.add(
			'whatsapp.webhook-url',
			'pass',
			`Meta sends messages webhooks to: ${listNames(entries.map(describe))}. Set Expected Webhook URL to check them.`,
			[],
		);
		return;
	}
	const matching = entries.filter((entry) => entry.url === expected);
	const elsewhere = entries.filter((entry) => entry.url !== undefined && entry.url !== expected);
	const unknown = entries.filter((entry) => entry.url === undefined);
	if (matching.length === entries.length) {
		report.add(
			'whatsapp.webhook-url',
			'pass',
			`${plural(matching.length, 'destination')} send to ${expected}: ${listNames(matching.map(describe))}.`,
			[],
		);
		return;
	}
	const problems = [
		elsewhere.length ? `Not ${expected}: ${listNames(elsewhere.map(describe))}` : '',
		unknown.length
			? `Unknown (no override, app callback URL not readable): ${listNames(unknown.map((entry) => entry.label))}`
			: '',
	].filter(Boolean);
	const status = matching.length === 0 && elsewhere.length > 0 ? 'fail' : 'warn';
	report.add(
		'whatsapp.webhook-url',
		status,
		`${problems.join('; ')}.`,
		BLOCKS,
		elsewhere.length === 0 ? 'unknown' : undefined,
	);
}

/**
 * The app's `whatsapp_business_account` subscription lists `messages`: `problem` when it does not,
 * else a `note` for the detail (the fields, or why they were not read: a System User or user token
 * cannot read them without the App Secret).
 */
export function appFieldsVerdict(input: EvaluationInput): {
	problem?: string;
	warning?: string;
	note: string;
} {
	const { discovery } = input;
	const subscription = discovery.appSubscription;
	if (!subscription) {
		return {
			note: `Subscribed fields not checked: ${discovery.appSubscriptionSkipped ?? 'not read'}.`,
		};
	}
	if (!subscription.ok) {
		return {
			note: `Subscribed fields not checked: Meta did not show the app's subscriptions (${codeText(subscription.error)}).`,
		};
	}
	if (!subscription.value) {
		// Sending works without it; only statuses and incoming messages never arrive. A warning, so
		// a send-only workflow stays ready.
		return {
			warning:
				'The app has no webhook subscription for WhatsApp Business Accounts (no callback URL, no fields): messages can be sent, but no delivery status or incoming message will reach a Meta Trigger',
			note: '',
		};
	}
	const { fields, callbackUrl } = subscription.value;
	const where = callbackUrl ? ` (callback URL ${callbackUrl})` : '';
	if (!fields.includes('messages')) {
		return {
			problem: `The app's WhatsApp subscription${where} lists ${fields.length ? listNames(fields, 8) : 'no field'}, not "messages"`,
			note: '',
		};
	}
	return { note: `Subscribed fields${where}: ${listNames(fields, 8)}.` };
}

/** `is_pin_enabled` on the connected numbers: registration is finished with a PIN. */
export function checkTwoStepPin(report: CheckReport, phones: DiscoveredPhoneNumber[]): void {
	const withPin = phones.filter((phone) => phone.pinEnabled === true);
	const without = phones.filter((phone) => phone.pinEnabled === false);
	const unknown = phones.filter((phone) => phone.pinEnabled === undefined);
	if (phones.length === 0 || unknown.length === phones.length) {
		report.skip(
			'whatsapp.two-step-pin',
			phones.length === 0
				? 'Skipped: no connected phone number.'
				: 'Skipped: Meta did not report is_pin_enabled for the numbers.',
		);
		return;
	}
	if (without.length === 0 && unknown.length === 0) {
		report.add(
			'whatsapp.two-step-pin',
			'pass',
			`${plural(withPin.length, 'number')} with a PIN: ${listNames(withPin.map(phoneLabel))}.`,
			[],
		);
		return;
	}
	const problems = [
		without.length ? `No PIN on ${listNames(without.map(phoneLabel))}` : '',
		unknown.length ? `PIN unknown for ${listNames(unknown.map(phoneLabel))}` : '',
	].filter(Boolean);
	report.add(
		'whatsapp.two-step-pin',
		withPin.length === 0 && without.length > 0 ? 'fail' : 'warn',
		`${problems.join('; ')}.`,
		BLOCKS,
	);
}
