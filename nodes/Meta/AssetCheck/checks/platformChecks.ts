/**
 * Checks for what Meta changed in 2025-2026 that silently breaks automations: the Graph API
 * version's end date (an expired version is answered by a newer one, not refused), the business
 * portfolio's messaging limit (unique people per rolling 24 hours, shared by all numbers), and a
 * payment method on the account (charged service messages from 1 October 2026).
 * https://developers.facebook.com/docs/graph-api/changelog,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing
 */
import { graphVersionState, newestVersion } from './graphVersions';
import type { CheckReport, EvaluationInput } from './shared';
import { codeText, formatDate, listNames, phoneLabel, plural, wabaLabel } from './shared';
import type { Capability } from './types';

export const DEFAULT_VERSION_WARNING_DAYS = 90;

/** Messaging limit tiers (`whatsapp_business_manager_messaging_limit`) as unique people per 24 h. */
const TIER_LIMITS: Record<string, number> = {
	TIER_50: 50,
	TIER_250: 250,
	TIER_1K: 1000,
	TIER_2K: 2000,
	TIER_10K: 10000,
	TIER_100K: 100000,
	TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

export function tierLimit(tier: string | undefined): number | undefined {
	return tier === undefined ? undefined : TIER_LIMITS[tier];
}

function limitText(limit: number): string {
	return Number.isFinite(limit) ? `${limit.toLocaleString('en-US')} people` : 'unlimited people';
}

export function checkGraphVersion(
	input: EvaluationInput,
	report: CheckReport,
	all: Capability[],
): void {
	const version = input.discovery.graphApiVersion;
	if (!version) {
		report.skip('token.graph-version', 'The credential names no Graph API version.');
		return;
	}
	const now = Math.floor(input.discovery.now / 1000);
	const state = graphVersionState(
		version,
		now,
		input.versionWarningDays ?? DEFAULT_VERSION_WARNING_DAYS,
	);
	const newest = newestVersion();
	switch (state.kind) {
		case 'current':
			report.add(
				'token.graph-version',
				'pass',
				state.entry.availableUntil
					? `${version} works until ${state.entry.availableUntil}.`
					: `${version} has no end date yet (Meta's changelog says "TBD").`,
				[],
			);
			return;
		case 'expiring':
			report.add(
				'token.graph-version',
				'warn',
				`${version} stops working on ${state.entry.availableUntil} (${plural(state.daysLeft, 'day')} left). Newest: ${newest}.`,
				[],
			);
			return;
		case 'expired':
			report.add(
				'token.graph-version',
				'fail',
				`${version} stopped working${state.entry?.availableUntil ? ` on ${state.entry.availableUntil}` : ''}: Meta now answers its calls with a newer version. Newest: ${newest}.`,
				all,
			);
			return;
		default:
			report.add(
				'token.graph-version',
				'warn',
				`${version} is not in this node's version table.`,
				[],
				'unknown',
			);
	}
}

/** The lowest limit among the numbers checked (the portfolio's limit; every number reports it). */
export function checkMessagingLimit(input: EvaluationInput, report: CheckReport): void {
	const phones = input.discovery.wabas.flatMap((waba) =>
		waba.read.ok
			? waba.read.value.phoneNumbers.filter(
					(phone) => !input.targets.phoneNumberId || phone.id === input.targets.phoneNumberId,
				)
			: [],
	);
	const limits = phones
		.map((phone) => ({ phone, limit: tierLimit(phone.messagingLimitTier) }))
		.filter(
			(entry): entry is { phone: (typeof phones)[number]; limit: number } =>
				entry.limit !== undefined,
		);
	if (limits.length === 0) {
		report.skip('whatsapp.messaging-limit', 'No phone number reported a messaging limit.');
		return;
	}
	const lowest = limits.reduce((low, entry) => (entry.limit < low.limit ? entry : low));
	const wanted = input.dailyRecipients ?? 0;
	const detail = `Up to ${limitText(lowest.limit)} per rolling 24 hours outside the service window (${lowest.phone.messagingLimitTier} on ${phoneLabel(lowest.phone)}).`;
	if (wanted > 0 && wanted > lowest.limit) {
		report.add(
			'whatsapp.messaging-limit',
			'warn',
			`${detail} You plan ${wanted.toLocaleString('en-US')} a day: a bulk template send stops at the limit.`,
			[],
		);
		return;
	}
	report.add('whatsapp.messaging-limit', 'pass', detail, []);
}

export function checkPaymentMethod(input: EvaluationInput, report: CheckReport): void {
	const wabas = input.discovery.wabas.filter((waba) => waba.paymentMethod !== undefined);
	const unreadable = wabas.filter((waba) => waba.paymentMethod && !waba.paymentMethod.ok);
	const missing = wabas.filter(
		(waba) => waba.paymentMethod?.ok && waba.paymentMethod.value === null,
	);
	const readable = wabas.length - unreadable.length;
	if (readable === 0) {
		const failure = unreadable[0]?.paymentMethod;
		report.skip(
			'whatsapp.payment-method',
			failure && !failure.ok
				? `Meta did not show the payment method (${codeText(failure.error)}).`
				: 'No WhatsApp Business Account to check.',
		);
		return;
	}
	if (missing.length > 0) {
		report.add(
			'whatsapp.payment-method',
			'warn',
			`No payment method on ${listNames(missing.map(wabaLabel))} (primary_funding_id is empty). Charged messages stop being delivered from ${formatDate(Date.parse('2026-10-01T00:00:00Z') / 1000)}.`,
			[],
		);
		return;
	}
	report.add(
		'whatsapp.payment-method',
		'pass',
		`Every WhatsApp Business Account checked has a payment method (${plural(readable, 'account')}).`,
		[],
	);
}
