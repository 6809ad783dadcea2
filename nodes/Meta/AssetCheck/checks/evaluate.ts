/**
 * Turns what discovery read into check results. The chain is evaluated in order; a link that
 * cannot be judged because an earlier one failed is `skipped` (with the reason), so every report
 * names the first real problem instead of its echoes.
 *
 * Without a target, a check over several assets passes when every asset passes, warns when some
 * do not, and fails when none does: "ready" means at least one complete chain works.
 */
import { getCheckDefinition } from './catalogue';
import type { Discovery, DiscoveredInstagramAccount, DiscoveredPage, DiscoveredPhoneNumber, GraphFailure, Targets } from './discovery';
import type { Capability, CheckId, CheckStatus, EvaluatedCheck } from './types';

export const REQUIRED_SCOPES: Record<Capability, string[]> = {
	token: [],
	instagramPublishing: [
		'instagram_basic',
		'instagram_content_publish',
		'pages_show_list',
		'pages_read_engagement',
	],
	whatsappMessaging: ['whatsapp_business_management', 'whatsapp_business_messaging'],
};

/** Scopes whose granular grant must include the selected target. */
const TARGET_SCOPES: Record<keyof Targets, string[]> = {
	pageId: ['pages_show_list', 'pages_read_engagement'],
	instagramAccountId: ['instagram_basic', 'instagram_content_publish'],
	wabaId: ['whatsapp_business_management', 'whatsapp_business_messaging'],
	phoneNumberId: [],
};

const TARGET_CAPABILITY: Record<keyof Targets, Capability> = {
	pageId: 'instagramPublishing',
	instagramAccountId: 'instagramPublishing',
	wabaId: 'whatsappMessaging',
	phoneNumberId: 'whatsappMessaging',
};

const PUBLISHING_TASKS = ['CREATE_CONTENT', 'MANAGE'];
const PROFESSIONAL_TYPES = ['BUSINESS', 'MEDIA_CREATOR'];
const APPROVED_NAME_STATUSES = ['APPROVED', 'AVAILABLE_WITHOUT_REVIEW'];
const UNVERIFIED_CODE_STATUSES = ['NOT_VERIFIED', 'EXPIRED'];
const DAY = 86400;

export interface EvaluationInput {
	discovery: Discovery;
	capabilities: Set<Capability>;
	targets: Targets;
	expiryWarningDays: number;
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

class Report {
	readonly checks: EvaluatedCheck[] = [];

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
			result: { id, status, title: definition.title, detail, fix, docsUrl: definition.docsUrl },
			blocks: status === 'fail' ? blocks : [],
		});
		return status;
	}

	skip(id: CheckId, reason: string): CheckStatus {
		return this.add(id, 'skipped', reason, []);
	}

	status(id: CheckId): CheckStatus | undefined {
		return this.checks.find((check) => check.result.id === id)?.result.status;
	}
}

function codeText(failure: GraphFailure): string {
	if (failure.code === undefined) return failure.message;
	return `Meta answered with error ${failure.code}${failure.subcode ? `/${failure.subcode}` : ''}`;
}

function isPermissionError(failure: GraphFailure | undefined): boolean {
	if (!failure?.code) return false;
	return failure.code === 10 || (failure.code >= 200 && failure.code <= 299);
}

/** Code 100 without subcode on a read whose parameters are known good: the proof was refused. */
function isProofError(failure: GraphFailure | undefined): boolean {
	return failure?.code === 100 && failure.subcode === undefined;
}

function tokenVariant(subcode: number | undefined): string | undefined {
	switch (subcode) {
		case 463:
			return 'expired';
		case 458:
		case 460:
		case 467:
			return 'revoked';
		case 459:
		case 464:
			return 'checkpoint';
		case 492:
			return 'pageRole';
		default:
			return undefined;
	}
}

const TOKEN_PROBLEM_TEXT: Record<string, string> = {
	expired: 'The access token has expired',
	revoked: 'The access token was revoked or the app was removed',
	checkpoint: 'Meta has put the Facebook account behind a security checkpoint',
	pageRole: 'The user behind this Page token no longer has a role on the Page',
};

function formatDate(unixSeconds: number): string {
	return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/** Whole days, rounded: a token issued for 60 days reads "60 days left", not 59. */
function daysLeft(unixSeconds: number, now: number): number {
	return Math.round((unixSeconds - now) / DAY);
}

function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function listNames(names: string[], max = 5): string {
	if (names.length <= max) return names.join(', ');
	return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

function pageLabel(page: DiscoveredPage): string {
	return page.name ? `"${page.name}" (${page.id})` : page.id;
}

function accountLabel(account: DiscoveredInstagramAccount): string {
	return account.username ? `@${account.username} (${account.id})` : account.id;
}

function phoneLabel(phone: DiscoveredPhoneNumber): string {
	return phone.displayPhoneNumber ? `${phone.displayPhoneNumber} (${phone.id})` : phone.id;
}

/** Status of a step that keeps `kept` of `candidates` assets. */
function narrowStatus(kept: number, candidates: number): CheckStatus {
	if (kept === 0) return 'fail';
	return kept < candidates ? 'warn' : 'pass';
}

export function evaluate(input: EvaluationInput): Evaluation {
	const { discovery, capabilities, targets, expiryWarningDays } = input;
	const report = new Report();
	const now = Math.floor(discovery.now / 1000);
	const all = [...capabilities];
	const debug = discovery.debugToken;
	const isInstagramLogin = discovery.authentication === 'instagramLogin';
	const evaluation: Evaluation = {
		checks: report.checks,
		now,
		scopes: { granted: [], declined: [], missing: [] },
		pageReadiness: [],
		phoneReadiness: [],
		appSubscribedByWaba: new Map(),
	};

	// ---- App secret proof ------------------------------------------------------------------
	const basicFailure = discovery.debugTokenError ?? (discovery.me && !discovery.me.ok ? discovery.me.error : undefined);
	const proofRefused =
		isProofError(discovery.debugTokenError) || (discovery.me !== undefined && !discovery.me.ok && isProofError(discovery.me.error));
	if (proofRefused) {
		report.add(
			'app.appsecret-proof',
			'fail',
			discovery.credentialHasAppSecret
				? 'Meta refused the appsecret_proof made with the App Secret in the credential (error 100), so every call fails.'
				: 'The app requires every call to carry appsecret_proof, and the credential has no App Secret, so every call fails (error 100).',
			all,
			discovery.credentialHasAppSecret ? 'wrongSecret' : undefined,
		);
	} else {
		report.add(
			'app.appsecret-proof',
			'pass',
			discovery.credentialHasAppSecret
				? 'The credential holds the App Secret; every call carries appsecret_proof.'
				: 'Meta accepted calls without appsecret_proof.',
			[],
		);
	}

	// ---- Token validity ----------------------------------------------------------------------
	let tokenUsable = false;
	if (proofRefused) {
		report.skip('token.valid', 'Skipped: Meta refused every call before looking at the token (see app.appsecret-proof).');
	} else if (isInstagramLogin) {
		if (discovery.me?.ok) {
			tokenUsable = true;
			report.add('token.valid', 'pass', `Instagram Login token for ${discovery.me.value.username ? '@' + discovery.me.value.username : discovery.me.value.id}.`, []);
		} else {
			const failure = discovery.me && !discovery.me.ok ? discovery.me.error : { message: 'No answer' };
			const variant = failure.code === 190 ? tokenVariant(failure.subcode) : undefined;
			report.add('token.valid', 'fail', `${variant ? TOKEN_PROBLEM_TEXT[variant] : 'Meta rejected the token'} (${codeText(failure)}).`, all, variant);
		}
	} else if (debug && !debug.isValid) {
		const subcode = debug.error?.subcode ?? (debug.expiresAt && debug.expiresAt <= now ? 463 : undefined);
		const variant = tokenVariant(subcode);
		report.add(
			'token.valid',
			'fail',
			`${variant ? TOKEN_PROBLEM_TEXT[variant] : 'Meta reports the token as not valid'}${debug.error?.code ? ` (error ${debug.error.code}${debug.error.subcode ? '/' + debug.error.subcode : ''})` : ''}.`,
			all,
			variant,
		);
	} else if (!debug && basicFailure?.code === 190) {
		const variant = tokenVariant(basicFailure.subcode);
		report.add(
			'token.valid',
			'fail',
			`${variant ? TOKEN_PROBLEM_TEXT[variant] : 'Meta cannot read the token (malformed, deleted or unknown)'} (${codeText(basicFailure)}).`,
			all,
			variant,
		);
	} else if (debug) {
		tokenUsable = true;
		report.add(
			'token.valid',
			'pass',
			`Valid ${debug.type ?? ''} token for app ${debug.application ? `"${debug.application}" ` : ''}(${debug.appId ?? 'unknown'}).`.replace('  ', ' '),
			[],
		);
	} else if (discovery.me?.ok) {
		tokenUsable = true;
		report.add('token.valid', 'pass', `The token works (debug_token was not available: ${codeText(discovery.debugTokenError!)}).`, []);
	} else {
		report.add('token.valid', 'fail', `Meta rejected the token (${codeText(basicFailure ?? { message: 'no answer' })}).`, all);
	}

	// ---- Expiry and data access ----------------------------------------------------------
	if (!tokenUsable) {
		report.skip('token.expiry', 'Skipped: the token is not usable.');
		report.skip('token.data-access', 'Skipped: the token is not usable.');
	} else if (!debug) {
		const reason = isInstagramLogin
			? 'Meta does not report the expiry of Instagram Login tokens; long-lived ones last 60 days from their last refresh.'
			: 'Meta did not say when the token expires (debug_token unavailable).';
		report.skip('token.expiry', reason);
		report.skip('token.data-access', reason);
	} else {
		if (!debug.expiresAt) {
			report.add('token.expiry', 'pass', 'The token never expires.', []);
		} else {
			const left = daysLeft(debug.expiresAt, now);
			report.add(
				'token.expiry',
				debug.expiresAt - now < expiryWarningDays * DAY ? 'warn' : 'pass',
				`The token expires on ${formatDate(debug.expiresAt)} (${plural(Math.max(left, 0), 'day')} left).`,
				[],
			);
		}
		if (!debug.dataAccessExpiresAt) {
			report.add('token.data-access', 'pass', 'Data access does not expire for this token.', []);
		} else if (debug.dataAccessExpiresAt <= now) {
			report.add(
				'token.data-access',
				'fail',
				`Data access expired on ${formatDate(debug.dataAccessExpiresAt)}: Meta no longer shares Pages, accounts or insights with this token.`,
				all,
			);
		} else {
			const left = daysLeft(debug.dataAccessExpiresAt, now);
			report.add(
				'token.data-access',
				debug.dataAccessExpiresAt - now < expiryWarningDays * DAY ? 'warn' : 'pass',
				`Data access expires on ${formatDate(debug.dataAccessExpiresAt)} (${plural(left, 'day')} left).`,
				[],
			);
		}
	}
	const dataAccessExpired = report.status('token.data-access') === 'fail';

	// ---- Scopes ------------------------------------------------------------------------------
	const required = new Map<string, Capability[]>();
	for (const capability of capabilities) {
		for (const scope of REQUIRED_SCOPES[capability]) {
			if (isInstagramLogin) continue;
			required.set(scope, [...(required.get(scope) ?? []), capability]);
		}
	}
	if (!tokenUsable || !debug) {
		const reason = !tokenUsable
			? 'Skipped: the token is not usable.'
			: isInstagramLogin
				? 'Instagram Login tokens carry instagram_business_basic and instagram_business_content_publish; Meta does not list them.'
				: 'Meta did not list the token\'s permissions (debug_token unavailable).';
		report.skip('token.scopes', reason);
		report.skip('token.scopes-declined', reason);
		report.skip('token.granular-target', reason);
	} else {
		const granted = new Set(debug.scopes);
		const declined = new Set<string>();
		if (discovery.permissions?.ok) {
			for (const entry of discovery.permissions.value) {
				if (entry.status === 'granted') granted.add(entry.permission);
				else if (entry.status === 'declined') declined.add(entry.permission);
			}
		}
		for (const scope of declined) granted.delete(scope);
		const requiredScopes = [...required.keys()];
		const declinedRequired = requiredScopes.filter((scope) => declined.has(scope));
		const missing = requiredScopes.filter((scope) => !granted.has(scope) && !declined.has(scope));
		evaluation.scopes = {
			granted: [...granted].sort(),
			declined: [...declined].sort(),
			missing: [...missing, ...declinedRequired].sort(),
		};
		const blockedBy = (scopes: string[]): Capability[] => [
			...new Set(scopes.flatMap((scope) => required.get(scope) ?? [])),
		];
		if (missing.length > 0) {
			report.add('token.scopes', 'fail', `Missing permissions: ${missing.join(', ')}.`, blockedBy(missing));
		} else {
			report.add(
				'token.scopes',
				'pass',
				requiredScopes.length
					? `All required permissions are granted: ${requiredScopes.join(', ')}.`
					: `No permission is required for this check. Granted: ${[...granted].join(', ') || 'none'}.`,
				[],
			);
		}
		if (declinedRequired.length > 0) {
			report.add(
				'token.scopes-declined',
				'fail',
				`Declined in the login dialog: ${declinedRequired.join(', ')}.`,
				blockedBy(declinedRequired),
			);
		} else {
			report.add(
				'token.scopes-declined',
				'pass',
				declined.size ? `Declined, but not needed here: ${[...declined].join(', ')}.` : 'No permission was declined.',
				[],
			);
		}

		// Granular grants: only meaningful against a selected target.
		const problems: string[] = [];
		const blocked = new Set<Capability>();
		const checkedTargets: string[] = [];
		for (const key of Object.keys(TARGET_SCOPES) as Array<keyof Targets>) {
			const targetId = targets[key];
			if (!targetId || !capabilities.has(TARGET_CAPABILITY[key])) continue;
			checkedTargets.push(targetId);
			for (const scope of TARGET_SCOPES[key]) {
				const grant = debug.granularScopes.find((entry) => entry.scope === scope);
				if (grant?.targetIds && !grant.targetIds.includes(targetId)) {
					problems.push(`${scope} does not include ${targetId} (it covers ${grant.targetIds.join(', ') || 'nothing'})`);
					blocked.add(TARGET_CAPABILITY[key]);
				}
			}
		}
		if (problems.length > 0) {
			report.add('token.granular-target', 'fail', `${problems.join('; ')}.`, [...blocked]);
		} else if (checkedTargets.length > 0) {
			report.add('token.granular-target', 'pass', `The token was granted access to ${checkedTargets.join(', ')}.`, []);
		} else {
			const covered = debug.granularScopes
				.filter((entry) => entry.targetIds)
				.map((entry) => `${entry.scope}: ${entry.targetIds!.join(', ')}`);
			report.add(
				'token.granular-target',
				'pass',
				covered.length
					? `No asset selected. The token covers only: ${covered.join('; ')}.`
					: 'No asset selected. The token\'s permissions are not limited to specific assets.',
				[],
			);
		}
	}
	const granularFailed = report.status('token.granular-target') === 'fail';
	const scopesFailed = report.status('token.scopes') === 'fail' || report.status('token.scopes-declined') === 'fail';

	// ---- App mode ------------------------------------------------------------------------------
	// Meta does not publish an app's mode to its users. What it does: a Development-mode app
	// answers permission errors (10, 200-299) to everyone without a role on the app, even for
	// permissions the token holds. So a permission error on a read whose permissions are all
	// granted (and not narrowed to other assets) is the Development-mode signature.
	const app = discovery.app?.ok ? discovery.app.value : undefined;
	const appLabel = app?.name ? `"${app.name}" ` : discovery.debugToken?.application ? `"${discovery.debugToken.application}" ` : '';
	const refusedReads = [discovery.pages, discovery.businesses].filter(
		(read) => read !== undefined && !read.ok && isPermissionError(read.error),
	);
	if (!tokenUsable) {
		report.skip('app.mode', 'Skipped: the token is not usable.');
	} else if (isInstagramLogin) {
		report.skip('app.mode', 'Meta does not show the app\'s mode to Instagram Login tokens.');
	} else if (dataAccessExpired) {
		report.skip('app.mode', 'Skipped: data access has expired (see token.data-access).');
	} else if (refusedReads.length > 0 && !scopesFailed && !granularFailed) {
		const failure = (refusedReads[0] as { ok: false; error: GraphFailure }).error;
		report.add(
			'app.mode',
			'fail',
			`Meta refuses this user's reads although every needed permission is granted (${codeText(failure)}): the app ${appLabel}is in Development mode and the user has no role on it.`,
			all,
		);
	} else {
		report.add('app.mode', 'pass', `Meta serves the app ${appLabel}to this user (it is live, or the user has a role on it).`, []);
	}
	const appRefused = report.status('app.mode') === 'fail';
	const upstreamProblem = !tokenUsable
		? 'Skipped: the token is not usable (see token.valid).'
		: dataAccessExpired
			? 'Skipped: data access has expired (see token.data-access).'
			: appRefused
				? 'Skipped: the app refuses this user (see app.mode).'
				: undefined;

	// ---- Instagram publishing ------------------------------------------------------------
	if (capabilities.has('instagramPublishing')) {
		evaluateInstagram(input, report, evaluation, upstreamProblem, granularFailed, scopesFailed);
	}

	// ---- WhatsApp messaging ----------------------------------------------------------------
	if (capabilities.has('whatsappMessaging')) {
		if (upstreamProblem) {
			report.skip('app.business-portfolio', upstreamProblem);
		} else if (!app) {
			report.skip(
				'app.business-portfolio',
				`Meta did not show the app${discovery.app && !discovery.app.ok ? ` (${codeText(discovery.app.error)})` : ''}.`,
			);
		} else if (app.businessId === null) {
			report.add(
				'app.business-portfolio',
				'fail',
				`The app ${appLabel}is not connected to any business portfolio.`,
				['whatsappMessaging'],
			);
		} else {
			report.add(
				'app.business-portfolio',
				'pass',
				`The app belongs to business portfolio ${app.businessName ? `"${app.businessName}" ` : ''}(${app.businessId}).`,
				[],
			);
		}
		evaluateWhatsApp(input, report, evaluation, upstreamProblem, granularFailed, scopesFailed);
	}

	return evaluation;
}

function evaluateInstagram(
	input: EvaluationInput,
	report: Report,
	evaluation: Evaluation,
	upstreamProblem: string | undefined,
	granularFailed: boolean,
	scopesFailed: boolean,
): void {
	const { discovery, targets } = input;
	const ids: CheckId[] = ['instagram.page-linked', 'instagram.account-type', 'instagram.page-role', 'instagram.quota'];
	const skipRest = (from: number, reason: string): void => {
		for (const id of ids.slice(from)) report.skip(id, reason);
	};
	const blocks: Capability[] = ['instagramPublishing'];
	if (upstreamProblem) return skipRest(0, upstreamProblem);

	if (discovery.authentication === 'instagramLogin') {
		const account = discovery.instagramLoginAccount;
		report.skip('instagram.page-linked', 'Instagram Login publishes without a Facebook Page.');
		if (!account) return skipRest(1, 'Skipped: the account could not be read.');
		const professional = !account.accountType || PROFESSIONAL_TYPES.includes(account.accountType);
		if (targets.instagramAccountId && targets.instagramAccountId !== account.id) {
			report.add('instagram.account-type', 'fail', `The token belongs to ${accountLabel(account)}, not to the selected account ${targets.instagramAccountId}.`, blocks);
			return skipRest(2, 'Skipped: the token belongs to another account.');
		}
		report.add(
			'instagram.account-type',
			professional ? 'pass' : 'fail',
			`${accountLabel(account)} is a ${account.accountType ?? 'professional'} account.`,
			blocks,
		);
		report.skip('instagram.page-role', 'Instagram Login publishes without a Facebook Page role.');
		if (!professional) return skipRest(3, 'Skipped: personal accounts cannot publish.');
		const quota = account.quota;
		if (!quota?.ok) {
			report.add('instagram.quota', 'warn', `Could not read the publishing quota (${quota ? codeText(quota.error) : 'no answer'}).`, []);
			evaluation.instagramLoginReady = true;
		} else {
			const left = quota.value.total - quota.value.used;
			report.add(
				'instagram.quota',
				left > 0 ? 'pass' : 'fail',
				`${quota.value.used} of ${quota.value.total} posts used in the last 24 hours.`,
				blocks,
			);
			evaluation.instagramLoginReady = left > 0;
		}
		return;
	}

	const pagesRead = discovery.pages;
	if (!pagesRead || !pagesRead.ok) {
		const failure = pagesRead && !pagesRead.ok ? pagesRead.error : undefined;
		if (scopesFailed && isPermissionError(failure)) {
			return skipRest(0, 'Skipped: the missing permissions are needed to list your Pages (see token.scopes).');
		}
		report.add('instagram.page-linked', 'fail', `Could not list your Facebook Pages (${failure ? codeText(failure) : 'no answer'}).`, blocks);
		return skipRest(1, 'Skipped: no Page could be read.');
	}
	let pages = pagesRead.value;
	if (targets.pageId) {
		pages = pages.filter((page) => page.id === targets.pageId);
		if (pages.length === 0) {
			if (granularFailed) return skipRest(0, 'Skipped: the token was not granted the selected Page (see token.granular-target).');
			report.skip('instagram.page-linked', 'Skipped: the selected Page is not among your Pages.');
			report.skip('instagram.account-type', 'Skipped: the selected Page is not among your Pages.');
			report.add('instagram.page-role', 'fail', `The selected Page ${targets.pageId} is not among the ${plural(pagesRead.value.length, 'Page')} this token manages.`, blocks, 'notReachable');
			report.skip('instagram.quota', 'Skipped: the selected Page is not among your Pages.');
			return;
		}
	}
	let linked = pages.filter((page) => page.instagramAccount);
	// Pages never show a personal account as their Instagram business account; the business
	// portfolio's own Instagram accounts do, with their type.
	const personalAccounts = (discovery.businesses?.ok ? discovery.businesses.value : [])
		.flatMap((business) => business.instagramAccounts)
		.filter((account) => account.accountType && !PROFESSIONAL_TYPES.includes(account.accountType))
		.filter((account) => !targets.instagramAccountId || account.id === targets.instagramAccountId);
	const linkedToTarget = targets.instagramAccountId
		? linked.filter((page) => page.instagramAccount!.id === targets.instagramAccountId)
		: linked;
	if (linkedToTarget.length === 0 && personalAccounts.length > 0) {
		report.skip(
			'instagram.page-linked',
			'Skipped: Meta links only Business and Creator accounts to a Page for publishing (see instagram.account-type).',
		);
		report.add(
			'instagram.account-type',
			'fail',
			`Personal account${personalAccounts.length === 1 ? '' : 's'}: ${listNames(personalAccounts.map(accountLabel))}.`,
			blocks,
		);
		return skipRest(2, 'Skipped: personal accounts cannot publish.');
	}
	if (targets.instagramAccountId) {
		linked = linked.filter((page) => page.instagramAccount!.id === targets.instagramAccountId);
		if (linked.length === 0) {
			if (granularFailed) return skipRest(0, 'Skipped: the token was not granted the selected account (see token.granular-target).');
			report.add(
				'instagram.page-linked',
				'fail',
				`The selected Instagram account ${targets.instagramAccountId} is not linked to any of the ${plural(pages.length, 'Page')} this token manages.`,
				blocks,
				'notReachable',
			);
			return skipRest(1, 'Skipped: no linked Instagram account to check.');
		}
	}
	if (linked.length === 0) {
		report.add(
			'instagram.page-linked',
			'fail',
			pages.length === 0
				? 'This token reaches no Facebook Page, so no Instagram account can be found.'
				: `None of your ${plural(pages.length, 'Page')} (${listNames(pages.map(pageLabel))}) has a linked Instagram account.`,
			blocks,
		);
		return skipRest(1, 'Skipped: no linked Instagram account to check.');
	}
	report.add(
		'instagram.page-linked',
		'pass',
		`${listNames(linked.map((page) => `${pageLabel(page)} -> ${accountLabel(page.instagramAccount!)}`))}.`,
		[],
	);

	const professional = linked.filter(
		(page) => !page.instagramAccount!.accountType || PROFESSIONAL_TYPES.includes(page.instagramAccount!.accountType),
	);
	const personal = linked.filter((page) => !professional.includes(page));
	report.add(
		'instagram.account-type',
		narrowStatus(professional.length, linked.length),
		personal.length
			? `Personal account${personal.length === 1 ? '' : 's'}: ${listNames(personal.map((page) => accountLabel(page.instagramAccount!)))}.`
			: `${listNames(professional.map((page) => `${accountLabel(page.instagramAccount!)} is ${page.instagramAccount!.accountType ?? 'a professional account'}`))}.`,
		blocks,
	);
	if (professional.length === 0) return skipRest(2, 'Skipped: personal accounts cannot publish.');

	const canCreate = (page: DiscoveredPage): boolean =>
		page.pageTokenAvailable && (page.tasks === undefined || page.tasks.some((task) => PUBLISHING_TASKS.includes(task)));
	const withRole = professional.filter(canCreate);
	const withoutRole = professional.filter((page) => !canCreate(page));
	report.add(
		'instagram.page-role',
		narrowStatus(withRole.length, professional.length),
		withoutRole.length
			? `${listNames(
					withoutRole.map(
						(page) =>
							`${pageLabel(page)}: your tasks are ${page.tasks?.length ? page.tasks.join(', ') : 'none'}${page.pageTokenAvailable ? '' : ', no Page token'}`,
					),
				)}.`
			: `You can create content on ${listNames(withRole.map(pageLabel))}.`,
		blocks,
	);
	if (withRole.length === 0) return skipRest(3, 'Skipped: no Page you can publish from.');

	const quotaProblems: string[] = [];
	const quotaOk: DiscoveredPage[] = [];
	let unknownQuota = 0;
	for (const page of withRole) {
		const account = page.instagramAccount!;
		if (!account.quota?.ok) {
			unknownQuota += 1;
			quotaOk.push(page);
			quotaProblems.push(`${accountLabel(account)}: quota not readable (${account.quota ? codeText(account.quota.error) : 'not read'})`);
		} else if (account.quota.value.used >= account.quota.value.total) {
			quotaProblems.push(`${accountLabel(account)}: ${account.quota.value.used} of ${account.quota.value.total} posts used in the last 24 hours`);
		} else {
			quotaOk.push(page);
		}
	}
	const quotaStatus = unknownQuota > 0 && quotaOk.length > 0 ? 'warn' : narrowStatus(quotaOk.length, withRole.length);
	report.add(
		'instagram.quota',
		quotaStatus,
		quotaProblems.length
			? `${quotaProblems.join('; ')}.`
			: `${listNames(
					withRole.map((page) => {
						const quota = page.instagramAccount!.quota as { ok: true; value: { used: number; total: number } };
						return `${accountLabel(page.instagramAccount!)}: ${quota.value.used} of ${quota.value.total} used`;
					}),
				)}.`,
		blocks,
	);
	const readyIds = new Set(quotaOk.map((page) => page.id));
	const withRoleIds = new Set(withRole.map((page) => page.id));
	evaluation.pageReadiness = pagesRead.value.map((page) => ({
		page,
		canCreateContent: withRoleIds.has(page.id) || canCreate(page),
		ready: readyIds.has(page.id),
	}));
}

function evaluateWhatsApp(
	input: EvaluationInput,
	report: Report,
	evaluation: Evaluation,
	upstreamProblem: string | undefined,
	granularFailed: boolean,
	scopesFailed: boolean,
): void {
	const { discovery, targets } = input;
	const ids: CheckId[] = [
		'whatsapp.waba',
		'whatsapp.webhooks',
		'whatsapp.templates',
		'whatsapp.phone-verification',
		'whatsapp.phone-status',
		'whatsapp.display-name',
		'whatsapp.quality',
	];
	const skipRest = (from: number, reason: string): void => {
		for (const id of ids.slice(from)) report.skip(id, reason);
	};
	const blocks: Capability[] = ['whatsappMessaging'];
	if (upstreamProblem) return skipRest(0, upstreamProblem);
	const appId = discovery.debugToken?.appId;

	const readable = discovery.wabas.filter((waba) => waba.read.ok);
	const unreadable = discovery.wabas.filter((waba) => !waba.read.ok);
	if (readable.length === 0) {
		if (targets.wabaId && granularFailed) {
			return skipRest(0, 'Skipped: the token was not granted the selected account (see token.granular-target).');
		}
		const firstFailure = unreadable[0] && !unreadable[0].read.ok ? unreadable[0].read.error : undefined;
		if (scopesFailed && (isPermissionError(firstFailure) || discovery.wabas.length === 0)) {
			return skipRest(0, 'Skipped: the missing permissions are needed to reach WhatsApp accounts (see token.scopes).');
		}
		let detail: string;
		if (targets.wabaId) {
			detail = `The selected WhatsApp Business Account ${targets.wabaId} cannot be read with this token${firstFailure ? ` (${codeText(firstFailure)})` : ''}.`;
		} else if (discovery.wabas.length > 0) {
			detail = `${plural(discovery.wabas.length, 'WhatsApp Business Account')} found but none can be read (${firstFailure ? codeText(firstFailure) : 'no answer'}).`;
		} else {
			const businesses = discovery.businesses;
			detail =
				businesses && !businesses.ok
					? `No WhatsApp Business Account was shared with the token, and its business portfolios could not be listed (${codeText(businesses.error)}).`
					: `No WhatsApp Business Account was shared with the token${businesses?.ok ? ` (business portfolios: ${businesses.value.length ? listNames(businesses.value.map((business) => business.name ?? business.id)) : 'none'})` : ''}.`;
		}
		report.add('whatsapp.waba', 'fail', detail, blocks, targets.wabaId ? 'notReachable' : undefined);
		return skipRest(1, 'Skipped: no WhatsApp Business Account to check.');
	}
	report.add(
		'whatsapp.waba',
		unreadable.length ? 'warn' : 'pass',
		`${listNames(readable.map((waba) => (waba.name ? `"${waba.name}" (${waba.id})` : waba.id)))}${
			unreadable.length ? `; not readable: ${listNames(unreadable.map((waba) => waba.id))}` : ''
		}.`,
		blocks,
		targets.wabaId ? 'notReachable' : undefined,
	);

	// Webhooks: the app must be in the account's subscribed apps.
	const notSubscribed: string[] = [];
	const unknownSubscription: string[] = [];
	for (const waba of readable) {
		const subscribed = waba.subscribedApps;
		if (!subscribed?.ok || !appId) {
			evaluation.appSubscribedByWaba.set(waba.id, undefined);
			unknownSubscription.push(`${waba.id} (${subscribed && !subscribed.ok ? codeText(subscribed.error) : 'app unknown'})`);
		} else {
			const isSubscribed = subscribed.value.includes(appId);
			evaluation.appSubscribedByWaba.set(waba.id, isSubscribed);
			if (!isSubscribed) notSubscribed.push(waba.name ? `"${waba.name}" (${waba.id})` : waba.id);
		}
	}
	const subscribedCount = readable.length - notSubscribed.length - unknownSubscription.length;
	report.add(
		'whatsapp.webhooks',
		notSubscribed.length === readable.length ? 'fail' : notSubscribed.length || unknownSubscription.length ? 'warn' : 'pass',
		notSubscribed.length || unknownSubscription.length
			? [
					notSubscribed.length ? `The app is not subscribed to ${listNames(notSubscribed)}` : '',
					unknownSubscription.length ? `Subscription unknown for ${listNames(unknownSubscription)}` : '',
				]
					.filter(Boolean)
					.join('; ') + '.'
			: `The app receives webhooks from ${plural(subscribedCount, 'account')}.`,
		blocks,
	);

	// Templates: at least one approved per account.
	const withoutTemplates = readable.filter((waba) => waba.read.ok && waba.read.value.approvedTemplateCount === 0);
	report.add(
		'whatsapp.templates',
		narrowStatus(readable.length - withoutTemplates.length, readable.length),
		withoutTemplates.length
			? `No approved template in ${listNames(withoutTemplates.map((waba) => (waba.name ? `"${waba.name}" (${waba.id})` : waba.id)))}.`
			: readable
					.map((waba) => `${waba.id}: ${waba.read.ok ? waba.read.value.approvedTemplateCount : 0} approved`)
					.join(', ') + '.',
		blocks,
	);

	// Phone numbers: verified -> connected -> display name -> quality.
	let numbers: Array<{ wabaId: string; phone: DiscoveredPhoneNumber }> = readable.flatMap((waba) =>
		waba.read.ok ? waba.read.value.phoneNumbers.map((phone) => ({ wabaId: waba.id, phone })) : [],
	);
	const allNumbers = numbers;
	if (targets.phoneNumberId) {
		numbers = numbers.filter((entry) => entry.phone.id === targets.phoneNumberId);
		if (numbers.length === 0) {
			report.skip('whatsapp.phone-verification', 'Skipped: the selected phone number was not found.');
			report.add(
				'whatsapp.phone-status',
				'fail',
				`The selected phone number ${targets.phoneNumberId} is not in ${listNames(readable.map((waba) => waba.id))}.`,
				blocks,
				'notReachable',
			);
			report.skip('whatsapp.display-name', 'Skipped: the selected phone number was not found.');
			report.skip('whatsapp.quality', 'Skipped: the selected phone number was not found.');
			return;
		}
	}
	if (numbers.length === 0) {
		report.skip('whatsapp.phone-verification', 'Skipped: no phone number.');
		report.add('whatsapp.phone-status', 'fail', `No phone number in ${listNames(readable.map((waba) => waba.id))}.`, blocks, 'noNumber');
		report.skip('whatsapp.display-name', 'Skipped: no phone number.');
		report.skip('whatsapp.quality', 'Skipped: no phone number.');
		return;
	}

	const verified = numbers.filter(
		(entry) => !entry.phone.codeVerificationStatus || !UNVERIFIED_CODE_STATUSES.includes(entry.phone.codeVerificationStatus),
	);
	report.add(
		'whatsapp.phone-verification',
		narrowStatus(verified.length, numbers.length),
		verified.length < numbers.length
			? `Pending verification: ${listNames(
					numbers.filter((entry) => !verified.includes(entry)).map((entry) => `${phoneLabel(entry.phone)} (${entry.phone.codeVerificationStatus})`),
				)}.`
			: `${plural(verified.length, 'number')} verified.`,
		blocks,
	);
	if (verified.length === 0) return skipRest(4, 'Skipped: no verified phone number.');

	const connected = verified.filter((entry) => (entry.phone.status ?? 'CONNECTED') === 'CONNECTED');
	report.add(
		'whatsapp.phone-status',
		narrowStatus(connected.length, verified.length),
		connected.length < verified.length
			? `Not connected: ${listNames(
					verified.filter((entry) => !connected.includes(entry)).map((entry) => `${phoneLabel(entry.phone)} (${entry.phone.status})`),
				)}.`
			: `Connected: ${listNames(connected.map((entry) => phoneLabel(entry.phone)))}.`,
		blocks,
	);
	if (connected.length === 0) return skipRest(5, 'Skipped: no connected phone number.');

	const named = connected.filter(
		(entry) => !entry.phone.nameStatus || APPROVED_NAME_STATUSES.includes(entry.phone.nameStatus),
	);
	report.add(
		'whatsapp.display-name',
		narrowStatus(named.length, connected.length),
		named.length < connected.length
			? `Display name not approved: ${listNames(
					connected
						.filter((entry) => !named.includes(entry))
						.map((entry) => `${phoneLabel(entry.phone)} "${entry.phone.verifiedName ?? ''}" (${entry.phone.nameStatus})`),
				)}.`
			: `${listNames(named.map((entry) => `"${entry.phone.verifiedName ?? entry.phone.id}" ${entry.phone.nameStatus ?? 'approved'}`))}.`,
		blocks,
	);
	if (named.length === 0) return skipRest(6, 'Skipped: no phone number with an approved display name.');

	const notRed = named.filter((entry) => entry.phone.qualityRating !== 'RED');
	const yellow = notRed.filter((entry) => entry.phone.qualityRating === 'YELLOW');
	const qualityStatus = notRed.length === 0 ? 'fail' : notRed.length < named.length || yellow.length ? 'warn' : 'pass';
	report.add(
		'whatsapp.quality',
		qualityStatus,
		listNames(named.map((entry) => `${phoneLabel(entry.phone)}: ${entry.phone.qualityRating ?? 'unknown'}`)) + '.',
		blocks,
	);

	const readyNumbers = new Set(notRed.map((entry) => entry.phone.id));
	const subscribedWabas = new Set(
		[...evaluation.appSubscribedByWaba.entries()].filter(([, value]) => value !== false).map(([id]) => id),
	);
	const templatedWabas = new Set(readable.filter((waba) => !withoutTemplates.includes(waba)).map((waba) => waba.id));
	evaluation.phoneReadiness = allNumbers.map((entry) => ({
		...entry,
		ready: readyNumbers.has(entry.phone.id) && subscribedWabas.has(entry.wabaId) && templatedWabas.has(entry.wabaId),
	}));
}
