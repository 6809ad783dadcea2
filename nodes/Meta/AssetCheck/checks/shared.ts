/**
 * The pieces every group of checks shares: the report being written (title and fix chosen from
 * the check definitions), the evaluation's shape, and the wording helpers for details.
 */
import { getCheckDefinition } from './checkDefinitions';
import type {
	Discovery,
	DiscoveredInstagramAccount,
	DiscoveredPage,
	DiscoveredPhoneNumber,
	GraphFailure,
	Targets,
} from './discoveryTypes';
import type { Capability, CheckId, CheckStatus, EvaluatedCheck } from './types';

export const DAY = 86400;

export interface EvaluationInput {
	discovery: Discovery;
	capabilities: Set<Capability>;
	targets: Targets;
	expiryWarningDays: number;
	/** Warn this many days before the credential's Graph API version stops working. */
	versionWarningDays?: number;
	/** Different people a day the workflow starts conversations with (0: not judged). */
	dailyRecipients?: number;
	/** The Expected Webhook URL option: the callback Meta must send `messages` to. */
	expectedWebhookUrl?: string;
}

export interface PageReadiness {
	page: DiscoveredPage;
	canCreateContent: boolean;
	ready: boolean;
}

export interface PhoneReadiness {
	wabaId: string;
	phone: DiscoveredPhoneNumber;
	ready: boolean;
}

export interface Evaluation {
	checks: EvaluatedCheck[];
	/** Unix seconds used as "now". */
	now: number;
	scopes: { granted: string[]; declined: string[]; missing: string[] };
	pageReadiness: PageReadiness[];
	instagramLoginReady?: boolean;
	phoneReadiness: PhoneReadiness[];
	appSubscribedByWaba: Map<string, boolean | undefined>;
}

/** What the token and app checks found, for the asset checks that follow them. */
export interface UpstreamState {
	/** Why the asset checks cannot run at all (token unusable, data access gone, app refuses). */
	problem?: string;
	granularFailed: boolean;
	scopesFailed: boolean;
	/** The capabilities the missing or declined permissions block. */
	scopesBlocked: Capability[];
	/** `"App name" ` (with a trailing space) or '' for details. */
	appLabel: string;
}

export class CheckReport {
	readonly checks: EvaluatedCheck[] = [];

	/** Adds a result; `blocks` counts only for a failure, `variant` picks the definition's fix. */
	add(
		id: CheckId,
		status: CheckStatus,
		detail: string,
		blocks: Capability[],
		variant?: string,
	): CheckStatus {
		const definition = getCheckDefinition(id);
		const fix =
			status === 'fail' || status === 'warn'
				? (variant && definition.fixes[variant]) || definition.fixes.default
				: '';
		this.checks.push({
			result: {
				id,
				status,
				title: definition.titles[status],
				detail,
				fix,
				docsUrl: definition.docsUrl,
			},
			blocks: status === 'fail' ? blocks : [],
		});
		return status;
	}

	skip(id: CheckId, reason: string): CheckStatus {
		return this.add(id, 'skipped', reason, []);
	}

	skipAll(ids: CheckId[], reason: string): void {
		for (const id of ids) this.skip(id, reason);
	}

	/** Skips `from` and every later link of `chain`: they cannot be judged after `from` broke. */
	skipFrom(chain: readonly CheckId[], from: CheckId, reason: string): void {
		this.skipAll(chain.slice(chain.indexOf(from)), reason);
	}

	status(id: CheckId): CheckStatus | undefined {
		return this.checks.find((check) => check.result.id === id)?.result.status;
	}
}

/** "Meta answered with error 190/463": codes only; Meta's wording is never interpreted. */
export function codeText(failure: GraphFailure): string {
	if (failure.code === undefined) return failure.message;
	return `Meta answered with error ${failure.code}${failure.subcode ? `/${failure.subcode}` : ''}`;
}

export function isPermissionError(failure: GraphFailure | undefined): boolean {
	if (!failure?.code) return false;
	return failure.code === 10 || (failure.code >= 200 && failure.code <= 299);
}

/** Code 100 without subcode on a read whose parameters are known good: the proof was refused. */
export function isProofError(failure: GraphFailure | undefined): boolean {
	return failure?.code === 100 && failure.subcode === undefined;
}

export function formatDate(unixSeconds: number): string {
	return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/** Whole days, rounded: a token issued for 60 days reads "60 days left", not 59. */
export function daysLeft(unixSeconds: number, now: number): number {
	return Math.round((unixSeconds - now) / DAY);
}

export function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function listNames(names: string[], max = 5): string {
	if (names.length <= max) return names.join(', ');
	return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export function pageLabel(page: DiscoveredPage): string {
	return page.name ? `"${page.name}" (${page.id})` : page.id;
}

export function accountLabel(account: DiscoveredInstagramAccount): string {
	return account.username ? `@${account.username} (${account.id})` : account.id;
}

export function phoneLabel(phone: DiscoveredPhoneNumber): string {
	return phone.displayPhoneNumber ? `${phone.displayPhoneNumber} (${phone.id})` : phone.id;
}

export function wabaLabel(waba: { id: string; name?: string }): string {
	return waba.name ? `"${waba.name}" (${waba.id})` : waba.id;
}

/** Status of a chain step that keeps `kept` of `candidates` assets. */
export function narrowStatus(kept: number, candidates: number): CheckStatus {
	if (kept === 0) return 'fail';
	return kept < candidates ? 'warn' : 'pass';
}
