/**
 * WhatsApp messaging chain: the app's business portfolio; a reachable WhatsApp Business Account
 * with the app subscribed to its webhooks and an approved template; a phone number that is
 * verified -> connected -> named -> not RED (each step narrows the numbers the next one sees).
 */
import type { CheckReport, Evaluation, EvaluationInput, UpstreamState } from './shared';
import {
	codeText,
	isPermissionError,
	listNames,
	narrowStatus,
	phoneLabel,
	plural,
	wabaLabel,
} from './shared';
import type { DiscoveredPhoneNumber, DiscoveredWaba } from './discoveryTypes';
import { CHECK_CHAINS, type Capability } from './types';
import { appFieldsVerdict, checkTwoStepPin, checkWebhookUrl } from './webhookChecks';

const APPROVED_NAME_STATUSES = ['APPROVED', 'AVAILABLE_WITHOUT_REVIEW'];
const UNVERIFIED_CODE_STATUSES = ['NOT_VERIFIED', 'EXPIRED'];
const CHAIN = CHECK_CHAINS.whatsappMessaging;
const BLOCKS: Capability[] = ['whatsappMessaging'];

interface NumberEntry {
	wabaId: string;
	phone: DiscoveredPhoneNumber;
}

function checkBusinessPortfolio(
	input: EvaluationInput,
	report: CheckReport,
	upstream: UpstreamState,
): void {
	const { discovery } = input;
	const owner = discovery.appOwner;
	const checkYourself =
		'Check it in the app dashboard under App settings > Basic > Business portfolio.';
	if (upstream.problem) {
		report.skip('app.business-portfolio', upstream.problem);
	} else if (!discovery.debugToken?.appId) {
		const why = discovery.debugTokenError ? `: ${codeText(discovery.debugTokenError)}` : '';
		report.skip(
			'app.business-portfolio',
			`Skipped: the app is unknown, because Meta did not inspect the token (debug_token was not available${why}). ${checkYourself}`,
		);
	} else if (!owner || !owner.ok) {
		const why = owner && !owner.ok ? codeText(owner.error) : 'no answer';
		report.skip(
			'app.business-portfolio',
			`Skipped: Meta did not let this token read which business portfolio owns the app ${upstream.appLabel}(owner_business: ${why}). ${checkYourself}`,
		);
	} else if (owner.value.businessId === null) {
		report.add(
			'app.business-portfolio',
			'fail',
			`The app ${upstream.appLabel}is not connected to any business portfolio.`,
			BLOCKS,
		);
	} else {
		const name = owner.value.businessName ? `"${owner.value.businessName}" ` : '';
		report.add(
			'app.business-portfolio',
			'pass',
			`The app belongs to business portfolio ${name}(${owner.value.businessId}).`,
			[],
		);
	}
}

/** Why no WhatsApp Business Account could be read, in the user's terms. */
function noWabaDetail(input: EvaluationInput, firstFailure: string | undefined): string {
	const { discovery, targets } = input;
	if (targets.wabaId) {
		return `The selected WhatsApp Business Account ${targets.wabaId} cannot be read with this token${firstFailure ? ` (${firstFailure})` : ''}.`;
	}
	if (discovery.wabas.length > 0) {
		return `${plural(discovery.wabas.length, 'WhatsApp Business Account')} found but none can be read (${firstFailure ?? 'no answer'}).`;
	}
	const businesses = discovery.businesses;
	if (businesses && !businesses.ok) {
		return `No WhatsApp Business Account was shared with the token, and its business portfolios could not be listed (${codeText(businesses.error)}).`;
	}
	if (!businesses) return 'No WhatsApp Business Account was shared with the token.';
	const names = businesses.value.map((business) => business.name ?? business.id);
	return `No WhatsApp Business Account was shared with the token (business portfolios: ${names.length ? listNames(names) : 'none'}).`;
}

function checkWebhooks(
	input: EvaluationInput,
	report: CheckReport,
	evaluation: Evaluation,
	readable: DiscoveredWaba[],
): void {
	const appId = input.discovery.debugToken?.appId;
	const notSubscribed: string[] = [];
	const unknown: string[] = [];
	for (const waba of readable) {
		const subscribed = waba.subscribedApps;
		if (!subscribed?.ok || !appId) {
			evaluation.appSubscribedByWaba.set(waba.id, undefined);
			const why = subscribed && !subscribed.ok ? codeText(subscribed.error) : 'app unknown';
			unknown.push(`${waba.id} (${why})`);
		} else {
			const isSubscribed = subscribed.value.includes(appId);
			evaluation.appSubscribedByWaba.set(waba.id, isSubscribed);
			if (!isSubscribed) notSubscribed.push(wabaLabel(waba));
		}
	}
	let status: 'pass' | 'warn' | 'fail' = 'pass';
	if (notSubscribed.length === readable.length) status = 'fail';
	else if (notSubscribed.length || unknown.length) status = 'warn';
	// Fields matter only once the app is subscribed to an account.
	const fields = notSubscribed.length < readable.length ? appFieldsVerdict(input) : { note: '' };
	if (fields.problem) status = 'fail';
	else if (fields.warning && status === 'pass') status = 'warn';
	const problems = [
		notSubscribed.length ? `The app is not subscribed to ${listNames(notSubscribed)}` : '',
		unknown.length ? `Subscription unknown for ${listNames(unknown)}` : '',
		fields.problem ?? '',
		fields.warning ?? '',
	].filter(Boolean);
	const subscribedCount = readable.length - notSubscribed.length - unknown.length;
	const detail = problems.length
		? `${problems.join('; ')}.`
		: `The app receives webhooks from ${plural(subscribedCount, 'account')}.`;
	report.add(
		'whatsapp.webhooks',
		status,
		fields.note ? `${detail} ${fields.note}` : detail,
		BLOCKS,
		fields.problem && notSubscribed.length === 0 ? 'fields' : undefined,
	);
}

/** Returns the accounts that have at least one approved template. */
function checkTemplates(report: CheckReport, readable: DiscoveredWaba[]): DiscoveredWaba[] {
	const approved = (waba: DiscoveredWaba): number =>
		waba.read.ok ? waba.read.value.approvedTemplateCount : 0;
	const withTemplates = readable.filter((waba) => approved(waba) > 0);
	const without = readable.filter((waba) => approved(waba) === 0);
	report.add(
		'whatsapp.templates',
		narrowStatus(withTemplates.length, readable.length),
		without.length
			? `No approved template in ${listNames(without.map(wabaLabel))}.`
			: `${readable.map((waba) => `${waba.id}: ${approved(waba)} approved`).join(', ')}.`,
		BLOCKS,
	);
	return withTemplates;
}

/** verified -> connected -> named -> not RED (+ PIN set); returns the numbers that pass all. */
function checkPhoneNumbers(report: CheckReport, numbers: NumberEntry[]): NumberEntry[] {
	const describe = (entries: NumberEntry[], extra: (phone: DiscoveredPhoneNumber) => string) =>
		listNames(entries.map((entry) => `${phoneLabel(entry.phone)}${extra(entry.phone)}`));

	const verified = numbers.filter(
		(entry) =>
			!entry.phone.codeVerificationStatus ||
			!UNVERIFIED_CODE_STATUSES.includes(entry.phone.codeVerificationStatus),
	);
	const pending = numbers.filter((entry) => !verified.includes(entry));
	report.add(
		'whatsapp.phone-verification',
		narrowStatus(verified.length, numbers.length),
		pending.length
			? `Pending verification: ${describe(pending, (phone) => ` (${phone.codeVerificationStatus})`)}.`
			: `${plural(verified.length, 'number')} verified.`,
		BLOCKS,
	);
	if (verified.length === 0) {
		report.skipFrom(CHAIN, 'whatsapp.phone-status', 'Skipped: no verified phone number.');
		return [];
	}

	const connected = verified.filter((entry) => (entry.phone.status ?? 'CONNECTED') === 'CONNECTED');
	const disconnected = verified.filter((entry) => !connected.includes(entry));
	report.add(
		'whatsapp.phone-status',
		narrowStatus(connected.length, verified.length),
		disconnected.length
			? `Not connected: ${describe(disconnected, (phone) => ` (${phone.status})`)}.`
			: `Connected: ${describe(connected, () => '')}.`,
		BLOCKS,
	);
	if (connected.length === 0) {
		report.skipFrom(CHAIN, 'whatsapp.display-name', 'Skipped: no connected phone number.');
		return [];
	}

	const named = connected.filter(
		(entry) => !entry.phone.nameStatus || APPROVED_NAME_STATUSES.includes(entry.phone.nameStatus),
	);
	const unnamed = connected.filter((entry) => !named.includes(entry));
	report.add(
		'whatsapp.display-name',
		narrowStatus(named.length, connected.length),
		unnamed.length
			? `Display name not approved: ${describe(unnamed, (phone) => ` "${phone.verifiedName ?? ''}" (${phone.nameStatus})`)}.`
			: `${listNames(named.map((entry) => `"${entry.phone.verifiedName ?? entry.phone.id}" ${entry.phone.nameStatus ?? 'approved'}`))}.`,
		BLOCKS,
	);
	const connectedPhones = connected.map((entry) => entry.phone);
	if (named.length === 0) {
		report.skip('whatsapp.quality', 'Skipped: no phone number with an approved display name.');
		checkTwoStepPin(report, connectedPhones);
		return [];
	}

	const notRed = named.filter((entry) => entry.phone.qualityRating !== 'RED');
	const yellow = notRed.filter((entry) => entry.phone.qualityRating === 'YELLOW');
	let quality: 'pass' | 'warn' | 'fail' = 'pass';
	if (notRed.length === 0) quality = 'fail';
	else if (notRed.length < named.length || yellow.length) quality = 'warn';
	report.add(
		'whatsapp.quality',
		quality,
		`${describe(named, (phone) => `: ${phone.qualityRating ?? 'unknown'}`)}.`,
		BLOCKS,
	);
	checkTwoStepPin(report, connectedPhones);
	return notRed.filter((entry) => entry.phone.pinEnabled !== false);
}

export function evaluateWhatsApp(
	input: EvaluationInput,
	report: CheckReport,
	evaluation: Evaluation,
	upstream: UpstreamState,
): void {
	const { discovery, targets } = input;
	checkBusinessPortfolio(input, report, upstream);
	if (upstream.problem) return report.skipFrom(CHAIN, 'whatsapp.waba', upstream.problem);

	const readable = discovery.wabas.filter((waba) => waba.read.ok);
	const unreadable = discovery.wabas.filter((waba) => !waba.read.ok);
	if (readable.length === 0) {
		if (targets.wabaId && upstream.granularFailed) {
			const reason =
				'Skipped: the token was not granted the selected account (see token.granular-target).';
			return report.skipFrom(CHAIN, 'whatsapp.waba', reason);
		}
		const first = unreadable[0]?.read;
		const firstFailure = first && !first.ok ? first.error : undefined;
		if (
			upstream.scopesFailed &&
			(isPermissionError(firstFailure) || discovery.wabas.length === 0)
		) {
			const reason =
				'Skipped: the missing permissions are needed to reach WhatsApp accounts (see token.scopes).';
			return report.skipFrom(CHAIN, 'whatsapp.waba', reason);
		}
		const detail = noWabaDetail(input, firstFailure ? codeText(firstFailure) : undefined);
		report.add(
			'whatsapp.waba',
			'fail',
			detail,
			BLOCKS,
			targets.wabaId ? 'notReachable' : undefined,
		);
		return report.skipFrom(
			CHAIN,
			'whatsapp.webhooks',
			'Skipped: no WhatsApp Business Account to check.',
		);
	}
	const notReadable = unreadable.length
		? `; not readable: ${listNames(unreadable.map((waba) => waba.id))}`
		: '';
	report.add(
		'whatsapp.waba',
		unreadable.length ? 'warn' : 'pass',
		`${listNames(readable.map(wabaLabel))}${notReadable}.`,
		BLOCKS,
		targets.wabaId ? 'notReachable' : undefined,
	);

	checkWebhooks(input, report, evaluation, readable);
	const subscribed = readable.filter(
		(waba) => evaluation.appSubscribedByWaba.get(waba.id) === true,
	);
	checkWebhookUrl(input, report, subscribed);
	const withTemplates = checkTemplates(report, readable);

	const allNumbers: NumberEntry[] = readable.flatMap((waba) =>
		waba.read.ok ? waba.read.value.phoneNumbers.map((phone) => ({ wabaId: waba.id, phone })) : [],
	);
	const numbers = targets.phoneNumberId
		? allNumbers.filter((entry) => entry.phone.id === targets.phoneNumberId)
		: allNumbers;
	if (numbers.length === 0) {
		const reason = targets.phoneNumberId
			? 'Skipped: the selected phone number was not found.'
			: 'Skipped: no phone number.';
		const wabas = listNames(readable.map((waba) => waba.id));
		report.skip('whatsapp.phone-verification', reason);
		report.add(
			'whatsapp.phone-status',
			'fail',
			targets.phoneNumberId
				? `The selected phone number ${targets.phoneNumberId} is not in ${wabas}.`
				: `No phone number in ${wabas}.`,
			BLOCKS,
			targets.phoneNumberId ? 'notReachable' : 'noNumber',
		);
		report.skipAll(['whatsapp.display-name', 'whatsapp.quality', 'whatsapp.two-step-pin'], reason);
		return;
	}

	const readyNumbers = new Set(checkPhoneNumbers(report, numbers).map((entry) => entry.phone.id));
	const usableWabas = new Set(
		withTemplates
			.filter((waba) => evaluation.appSubscribedByWaba.get(waba.id) !== false)
			.map((waba) => waba.id),
	);
	evaluation.phoneReadiness = allNumbers.map((entry) => ({
		...entry,
		ready: readyNumbers.has(entry.phone.id) && usableWabas.has(entry.wabaId),
	}));
}
