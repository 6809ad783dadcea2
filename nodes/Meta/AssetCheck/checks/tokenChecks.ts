/**
 * The links every capability depends on: the app secret proof, the token (validity, expiry, data
 * access), its permissions and granular grants, and the app's mode.
 */
import type { CheckReport, Evaluation, EvaluationInput, UpstreamState } from './shared';
import {
	codeText,
	DAY,
	daysLeft,
	formatDate,
	isPermissionError,
	isProofError,
	plural,
} from './shared';
import type { GraphFailure } from './discoveryTypes';
import { checkGranularTargets, checkScopes } from './scopeChecks';
import type { Capability } from './types';

/** Code 190 subcodes (https://developers.facebook.com/docs/facebook-login/guides/access-tokens/debugging-and-error-handling) -> fix variant of token.valid. */
const TOKEN_VARIANTS: Record<number, string> = {
	463: 'expired',
	458: 'revoked',
	460: 'revoked',
	467: 'revoked',
	459: 'checkpoint',
	464: 'checkpoint',
	492: 'pageRole',
};

const TOKEN_PROBLEM_TEXT: Record<string, string> = {
	expired: 'The access token has expired',
	revoked: 'The access token was revoked or the app was removed',
	checkpoint: 'Meta has put the Facebook account behind a security checkpoint',
	pageRole: 'The user behind this Page token no longer has a role on the Page',
};

function tokenVariant(subcode: number | undefined): string | undefined {
	return subcode === undefined ? undefined : TOKEN_VARIANTS[subcode];
}

function problemText(variant: string | undefined, fallback: string): string {
	return variant ? TOKEN_PROBLEM_TEXT[variant] : fallback;
}

function checkProof(input: EvaluationInput, report: CheckReport, all: Capability[]): boolean {
	const { discovery } = input;
	const meFailure = discovery.me && !discovery.me.ok ? discovery.me.error : undefined;
	const refused = isProofError(discovery.debugTokenError) || isProofError(meFailure);
	if (refused) {
		report.add(
			'app.appsecret-proof',
			'fail',
			discovery.credentialHasAppSecret
				? 'Meta refused the appsecret_proof made with the App Secret in the credential (error 100), so every call fails.'
				: 'The app requires every call to carry appsecret_proof and the credential has no App Secret, so every call fails (error 100).',
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
	return refused;
}

/** Returns whether the token can be used for the reads that follow. */
function checkValidity(
	input: EvaluationInput,
	report: CheckReport,
	all: Capability[],
	now: number,
): boolean {
	const { discovery } = input;
	const debug = discovery.debugToken;
	const meFailure = discovery.me && !discovery.me.ok ? discovery.me.error : undefined;
	const basicFailure: GraphFailure | undefined = discovery.debugTokenError ?? meFailure;

	if (basicFailure?.credentialUnusable) {
		report.add(
			'token.valid',
			'fail',
			`n8n could not use the credential, so nothing was sent to Meta: ${basicFailure.message.replace(/\.$/, '')}.`,
			all,
			'credential',
		);
		return false;
	}
	if (discovery.authentication === 'instagramLogin') {
		if (discovery.me?.ok) {
			const me = discovery.me.value;
			report.add(
				'token.valid',
				'pass',
				`Instagram Login token for ${me.username ? `@${me.username}` : me.id}.`,
				[],
			);
			return true;
		}
		const failure = meFailure ?? { message: 'no answer' };
		const variant = failure.code === 190 ? tokenVariant(failure.subcode) : undefined;
		const text = problemText(variant, 'Meta rejected the token');
		report.add('token.valid', 'fail', `${text} (${codeText(failure)}).`, all, variant);
		return false;
	}
	if (debug && !debug.isValid) {
		const expired = debug.expiresAt !== undefined && debug.expiresAt > 0 && debug.expiresAt <= now;
		const variant = tokenVariant(debug.error?.subcode ?? (expired ? 463 : undefined));
		const code = debug.error?.code
			? ` (error ${debug.error.code}${debug.error.subcode ? `/${debug.error.subcode}` : ''})`
			: '';
		const text = problemText(variant, 'Meta reports the token as not valid');
		report.add('token.valid', 'fail', `${text}${code}.`, all, variant);
		return false;
	}
	if (!debug && basicFailure?.code === 190) {
		const variant = tokenVariant(basicFailure.subcode);
		const text = problemText(variant, 'Meta cannot read the token (malformed, deleted or unknown)');
		report.add('token.valid', 'fail', `${text} (${codeText(basicFailure)}).`, all, variant);
		return false;
	}
	if (debug) {
		const app = debug.application ? `"${debug.application}" ` : '';
		const type = debug.type ? `${debug.type} ` : '';
		report.add(
			'token.valid',
			'pass',
			`Valid ${type}token for app ${app}(${debug.appId ?? 'unknown'}).`,
			[],
		);
		return true;
	}
	if (discovery.me?.ok) {
		const why = discovery.debugTokenError ? codeText(discovery.debugTokenError) : 'no answer';
		report.add(
			'token.valid',
			'pass',
			`The token works (debug_token was not available: ${why}).`,
			[],
		);
		return true;
	}
	const failure = basicFailure ?? { message: 'no answer' };
	report.add('token.valid', 'fail', `Meta rejected the token (${codeText(failure)}).`, all);
	return false;
}

function checkLifetime(
	input: EvaluationInput,
	report: CheckReport,
	all: Capability[],
	now: number,
): void {
	const { discovery, expiryWarningDays } = input;
	const debug = discovery.debugToken;
	if (!debug) {
		const reason =
			discovery.authentication === 'instagramLogin'
				? 'Meta does not report the expiry of Instagram Login tokens; long-lived ones last 60 days from their last refresh.'
				: 'Meta did not say when the token expires (debug_token unavailable).';
		report.skipAll(['token.expiry', 'token.data-access'], reason);
		return;
	}
	const warnBefore = expiryWarningDays * DAY;
	if (!debug.expiresAt) {
		report.add('token.expiry', 'pass', 'The token never expires.', []);
	} else {
		const left = Math.max(daysLeft(debug.expiresAt, now), 0);
		report.add(
			'token.expiry',
			debug.expiresAt - now < warnBefore ? 'warn' : 'pass',
			`The token expires on ${formatDate(debug.expiresAt)} (${plural(left, 'day')} left).`,
			[],
		);
	}
	const dataExpiry = debug.dataAccessExpiresAt;
	if (!dataExpiry) {
		report.add('token.data-access', 'pass', 'Data access does not expire for this token.', []);
	} else if (dataExpiry <= now) {
		report.add(
			'token.data-access',
			'fail',
			`Data access expired on ${formatDate(dataExpiry)}: Meta no longer shares Pages, accounts or insights with this token.`,
			all,
		);
	} else {
		report.add(
			'token.data-access',
			dataExpiry - now < warnBefore ? 'warn' : 'pass',
			`Data access expires on ${formatDate(dataExpiry)} (${plural(daysLeft(dataExpiry, now), 'day')} left).`,
			[],
		);
	}
}

/**
 * Meta does not publish an app's mode to its users. What it does: a Development-mode app answers
 * permission errors (10, 200-299) to everyone without a role on the app, even for permissions the
 * token holds. So a permission error on a read whose permissions are all granted (and not
 * narrowed to other assets) is the Development-mode signature.
 */
function checkAppMode(
	input: EvaluationInput,
	report: CheckReport,
	all: Capability[],
	state: UpstreamState,
	dataAccessExpired: boolean,
): void {
	const { discovery } = input;
	const refused = [discovery.pages, discovery.businesses]
		.map((read) => (read && !read.ok ? read.error : undefined))
		.find((failure) => isPermissionError(failure));
	if (discovery.authentication === 'instagramLogin') {
		report.skip('app.mode', "Meta does not show the app's mode to Instagram Login tokens.");
	} else if (dataAccessExpired) {
		report.skip('app.mode', 'Skipped: data access has expired (see token.data-access).');
	} else if (refused && !state.scopesFailed && !state.granularFailed) {
		report.add(
			'app.mode',
			'fail',
			`Meta refuses this user's reads although every needed permission is granted (${codeText(refused)}): the app ${state.appLabel}is in Development mode and the user has no role on it.`,
			all,
		);
	} else {
		report.add(
			'app.mode',
			'pass',
			`Meta serves the app ${state.appLabel}to this user (it is live, or the user has a role on it).`,
			[],
		);
	}
}

export function evaluateTokenAndApp(
	input: EvaluationInput,
	report: CheckReport,
	evaluation: Evaluation,
): UpstreamState {
	const { discovery } = input;
	const all = [...input.capabilities];
	const now = evaluation.now;
	const app = discovery.app?.ok ? discovery.app.value : undefined;
	const appName = app?.name ?? discovery.debugToken?.application;
	const state: UpstreamState = {
		granularFailed: false,
		scopesFailed: false,
		scopesBlocked: [],
		appLabel: appName ? `"${appName}" ` : '',
	};

	const proofRefused = checkProof(input, report, all);
	let tokenUsable = false;
	if (proofRefused) {
		const reason =
			'Skipped: Meta refused every call before looking at the token (see app.appsecret-proof).';
		report.skip('token.valid', reason);
	} else {
		tokenUsable = checkValidity(input, report, all, now);
	}

	const notUsable = 'Skipped: the token is not usable.';
	if (!tokenUsable) {
		report.skipAll(
			[
				'token.expiry',
				'token.data-access',
				'token.scopes',
				'token.scopes-declined',
				'token.granular-target',
				'app.mode',
			],
			notUsable,
		);
		state.problem = 'Skipped: the token is not usable (see token.valid).';
		return state;
	}
	checkLifetime(input, report, all, now);
	const dataAccessExpired = report.status('token.data-access') === 'fail';

	if (!discovery.debugToken) {
		report.skipAll(
			['token.scopes', 'token.scopes-declined', 'token.granular-target'],
			discovery.authentication === 'instagramLogin'
				? 'Instagram Login tokens carry instagram_business_basic and instagram_business_content_publish; Meta does not list them.'
				: "Meta did not list the token's permissions (debug_token unavailable).",
		);
	} else {
		checkScopes(input, report, evaluation);
		checkGranularTargets(input, report);
	}
	state.granularFailed = report.status('token.granular-target') === 'fail';
	state.scopesFailed =
		report.status('token.scopes') === 'fail' || report.status('token.scopes-declined') === 'fail';
	state.scopesBlocked = [
		...new Set(
			report.checks
				.filter((check) => ['token.scopes', 'token.scopes-declined'].includes(check.result.id))
				.flatMap((check) => check.blocks),
		),
	];

	checkAppMode(input, report, all, state, dataAccessExpired);
	if (dataAccessExpired) {
		state.problem = 'Skipped: data access has expired (see token.data-access).';
	} else if (report.status('app.mode') === 'fail') {
		state.problem = 'Skipped: the app refuses this user (see app.mode).';
	}
	return state;
}
