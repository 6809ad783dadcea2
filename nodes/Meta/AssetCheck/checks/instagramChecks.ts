/**
 * Instagram publishing chain: a Page with a linked Instagram account -> a Business or Creator
 * account -> a Page role that can create content (and a Page token) -> quota left. Each step
 * narrows the candidates the next one looks at.
 */
import type { CheckReport, Evaluation, EvaluationInput, UpstreamState } from './shared';
import {
	accountLabel,
	codeText,
	isPermissionError,
	listNames,
	narrowStatus,
	pageLabel,
	plural,
} from './shared';
import type { DiscoveredInstagramAccount, DiscoveredPage } from './discoveryTypes';
import { CHECK_CHAINS, type Capability } from './types';

const PUBLISHING_TASKS = ['CREATE_CONTENT', 'MANAGE'];
const PROFESSIONAL_TYPES = ['BUSINESS', 'MEDIA_CREATOR'];
const CHAIN = CHECK_CHAINS.instagramPublishing;
const BLOCKS: Capability[] = ['instagramPublishing'];

function isProfessional(account: DiscoveredInstagramAccount): boolean {
	return !account.accountType || PROFESSIONAL_TYPES.includes(account.accountType);
}

function canCreateContent(page: DiscoveredPage): boolean {
	const taskAllows =
		page.tasks === undefined || page.tasks.some((task) => PUBLISHING_TASKS.includes(task));
	return page.pageTokenAvailable && taskAllows;
}

/** Instagram API with Instagram Login: no Page, no Page role; the account reads itself. */
function evaluateInstagramLogin(
	input: EvaluationInput,
	report: CheckReport,
	evaluation: Evaluation,
): void {
	const { discovery, targets } = input;
	const account = discovery.instagramLoginAccount;
	report.skip('instagram.page-linked', 'Instagram Login publishes without a Facebook Page.');
	if (!account) {
		return report.skipFrom(
			CHAIN,
			'instagram.account-type',
			'Skipped: the account could not be read.',
		);
	}
	if (targets.instagramAccountId && targets.instagramAccountId !== account.id) {
		report.add(
			'instagram.account-type',
			'fail',
			`The token belongs to ${accountLabel(account)}, not to the selected account ${targets.instagramAccountId}.`,
			BLOCKS,
		);
		return report.skipFrom(
			CHAIN,
			'instagram.page-role',
			'Skipped: the token belongs to another account.',
		);
	}
	const professional = isProfessional(account);
	report.add(
		'instagram.account-type',
		professional ? 'pass' : 'fail',
		`${accountLabel(account)} is a ${account.accountType ?? 'professional'} account.`,
		BLOCKS,
	);
	report.skip('instagram.page-role', 'Instagram Login publishes without a Facebook Page role.');
	if (!professional) {
		return report.skipFrom(CHAIN, 'instagram.quota', 'Skipped: personal accounts cannot publish.');
	}
	const quota = account.quota;
	if (!quota?.ok) {
		const why = quota ? codeText(quota.error) : 'no answer';
		report.add('instagram.quota', 'warn', `Could not read the publishing quota (${why}).`, []);
		evaluation.instagramLoginReady = true;
		return;
	}
	const left = quota.value.total - quota.value.used;
	report.add(
		'instagram.quota',
		left > 0 ? 'pass' : 'fail',
		`${quota.value.used} of ${quota.value.total} posts used in the last 24 hours.`,
		BLOCKS,
	);
	evaluation.instagramLoginReady = left > 0;
}

/** Step 4: quota left on the accounts of the Pages you can publish from. */
function checkQuota(report: CheckReport, withRole: DiscoveredPage[]): DiscoveredPage[] {
	const problems: string[] = [];
	const usable: DiscoveredPage[] = [];
	let unknown = 0;
	for (const page of withRole) {
		const account = page.instagramAccount!;
		const quota = account.quota;
		if (!quota?.ok) {
			// Not readable is not used up: publishing may well work.
			unknown += 1;
			usable.push(page);
			const why = quota ? codeText(quota.error) : 'not read';
			problems.push(`${accountLabel(account)}: quota not readable (${why})`);
		} else if (quota.value.used >= quota.value.total) {
			problems.push(
				`${accountLabel(account)}: ${quota.value.used} of ${quota.value.total} posts used in the last 24 hours`,
			);
		} else {
			usable.push(page);
		}
	}
	const status =
		unknown > 0 && usable.length > 0 ? 'warn' : narrowStatus(usable.length, withRole.length);
	const used = (page: DiscoveredPage): string => {
		const account = page.instagramAccount!;
		const quota = account.quota as { ok: true; value: { used: number; total: number } };
		return `${accountLabel(account)}: ${quota.value.used} of ${quota.value.total} used`;
	};
	report.add(
		'instagram.quota',
		status,
		problems.length ? `${problems.join('; ')}.` : `${listNames(withRole.map(used))}.`,
		BLOCKS,
	);
	return usable;
}

export function evaluateInstagram(
	input: EvaluationInput,
	report: CheckReport,
	evaluation: Evaluation,
	upstream: UpstreamState,
): void {
	const { discovery, targets } = input;
	if (upstream.problem) return report.skipFrom(CHAIN, 'instagram.page-linked', upstream.problem);
	if (discovery.authentication === 'instagramLogin') {
		return evaluateInstagramLogin(input, report, evaluation);
	}

	const pagesRead = discovery.pages;
	const scopesBlockInstagram = upstream.scopesBlocked.includes('instagramPublishing');
	// Without pages_show_list Meta lists no Page at all instead of refusing: the missing
	// permission is the cause, not the Pages.
	if (scopesBlockInstagram && pagesRead?.ok && pagesRead.value.length === 0) {
		const reason =
			'Skipped: the missing permissions are needed to list your Pages (see token.scopes).';
		return report.skipFrom(CHAIN, 'instagram.page-linked', reason);
	}
	if (!pagesRead || !pagesRead.ok) {
		const failure = pagesRead && !pagesRead.ok ? pagesRead.error : undefined;
		if (upstream.scopesFailed && isPermissionError(failure)) {
			const reason =
				'Skipped: the missing permissions are needed to list your Pages (see token.scopes).';
			return report.skipFrom(CHAIN, 'instagram.page-linked', reason);
		}
		const why = failure ? codeText(failure) : 'no answer';
		report.add(
			'instagram.page-linked',
			'fail',
			`Could not list your Facebook Pages (${why}).`,
			BLOCKS,
		);
		return report.skipFrom(CHAIN, 'instagram.account-type', 'Skipped: no Page could be read.');
	}

	// Step 1: Pages with a linked Instagram account (the selected Page or account, if any).
	let pages = pagesRead.value;
	if (targets.pageId) {
		pages = pages.filter((page) => page.id === targets.pageId);
		if (pages.length === 0) {
			if (upstream.granularFailed) {
				const reason =
					'Skipped: the token was not granted the selected Page (see token.granular-target).';
				return report.skipFrom(CHAIN, 'instagram.page-linked', reason);
			}
			const reason = 'Skipped: the selected Page is not among your Pages.';
			report.skipAll(['instagram.page-linked', 'instagram.account-type'], reason);
			report.add(
				'instagram.page-role',
				'fail',
				`The selected Page ${targets.pageId} is not among the ${plural(pagesRead.value.length, 'Page')} this token manages.`,
				BLOCKS,
				'notReachable',
			);
			report.skip('instagram.quota', reason);
			return;
		}
	}
	const target = targets.instagramAccountId;
	const linked = pages.filter(
		(page) => page.instagramAccount && (!target || page.instagramAccount.id === target),
	);
	// Pages never show a personal account as their Instagram business account; the business
	// portfolio's own Instagram accounts do, with their type.
	const owned = discovery.businessInstagramAccounts;
	const personalAccounts = (owned?.ok ? owned.value : [])
		.filter((account) => !isProfessional(account))
		.filter((account) => !target || account.id === target);
	if (linked.length === 0 && personalAccounts.length > 0) {
		report.skip(
			'instagram.page-linked',
			'Skipped: Meta links only Business and Creator accounts to a Page for publishing (see instagram.account-type).',
		);
		const suffix = personalAccounts.length === 1 ? '' : 's';
		report.add(
			'instagram.account-type',
			'fail',
			`Personal account${suffix}: ${listNames(personalAccounts.map(accountLabel))}.`,
			BLOCKS,
		);
		return report.skipFrom(
			CHAIN,
			'instagram.page-role',
			'Skipped: personal accounts cannot publish.',
		);
	}
	if (linked.length === 0) {
		if (target && upstream.granularFailed) {
			const reason =
				'Skipped: the token was not granted the selected account (see token.granular-target).';
			return report.skipFrom(CHAIN, 'instagram.page-linked', reason);
		}
		let detail: string;
		if (target) {
			detail = `The selected Instagram account ${target} is not linked to any of the ${plural(pages.length, 'Page')} this token manages.`;
		} else if (pages.length === 0) {
			detail = 'This token reaches no Facebook Page, so no Instagram account can be found.';
		} else {
			detail = `None of your ${plural(pages.length, 'Page')} (${listNames(pages.map(pageLabel))}) has a linked Instagram account.`;
		}
		report.add(
			'instagram.page-linked',
			'fail',
			detail,
			BLOCKS,
			target ? 'notReachable' : undefined,
		);
		// The portfolios' own accounts would have shown a personal account (the usual reason for
		// no link): say when that read was refused, so nobody takes "not linked" for the whole story.
		const unread =
			owned && !owned.ok
				? ` Meta refused to list the Instagram accounts of your business portfolios (owned_instagram_accounts: ${codeText(owned.error)}), so a personal account could not be looked for.`
				: '';
		return report.skipFrom(
			CHAIN,
			'instagram.account-type',
			`Skipped: no linked Instagram account to check.${unread}`,
		);
	}
	const links = linked.map(
		(page) => `${pageLabel(page)} -> ${accountLabel(page.instagramAccount!)}`,
	);
	report.add('instagram.page-linked', 'pass', `${listNames(links)}.`, []);

	// Step 2: Business or Creator accounts.
	const professional = linked.filter((page) => isProfessional(page.instagramAccount!));
	const personal = linked.filter((page) => !professional.includes(page));
	const typeDetail = personal.length
		? `Personal account${personal.length === 1 ? '' : 's'}: ${listNames(personal.map((page) => accountLabel(page.instagramAccount!)))}.`
		: `${listNames(
				professional.map(
					(page) =>
						`${accountLabel(page.instagramAccount!)} is ${page.instagramAccount!.accountType ?? 'a professional account'}`,
				),
			)}.`;
	report.add(
		'instagram.account-type',
		narrowStatus(professional.length, linked.length),
		typeDetail,
		BLOCKS,
	);
	if (professional.length === 0) {
		return report.skipFrom(
			CHAIN,
			'instagram.page-role',
			'Skipped: personal accounts cannot publish.',
		);
	}

	// Step 3: a Page role that can create content.
	const withRole = professional.filter(canCreateContent);
	const withoutRole = professional.filter((page) => !canCreateContent(page));
	const roleProblems = withoutRole.map((page) => {
		const tasks = page.tasks?.length ? page.tasks.join(', ') : 'none';
		return `${pageLabel(page)}: your tasks are ${tasks}${page.pageTokenAvailable ? '' : ', no Page token'}`;
	});
	report.add(
		'instagram.page-role',
		narrowStatus(withRole.length, professional.length),
		roleProblems.length
			? `${listNames(roleProblems)}.`
			: `You can create content on ${listNames(withRole.map(pageLabel))}.`,
		BLOCKS,
	);
	if (withRole.length === 0) {
		return report.skipFrom(CHAIN, 'instagram.quota', 'Skipped: no Page you can publish from.');
	}

	// Step 4: quota.
	const ready = new Set(checkQuota(report, withRole).map((page) => page.id));
	evaluation.pageReadiness = pagesRead.value.map((page) => ({
		page,
		canCreateContent: canCreateContent(page),
		ready: ready.has(page.id),
	}));
}
