/**
 * The token's permissions: every one the checked capabilities need is granted and none declined
 * (https://developers.facebook.com/docs/permissions), and a granular grant covers the selected
 * asset (https://developers.facebook.com/docs/graph-api/reference/debug_token, granular_scopes).
 */
import type { CheckReport, Evaluation, EvaluationInput } from './shared';
import type { Targets } from './discoveryTypes';
import type { Capability } from './types';

/**
 * Facebook Login permissions each capability needs
 * (https://developers.facebook.com/docs/instagram-platform/content-publishing,
 * https://developers.facebook.com/docs/whatsapp/permissions).
 */
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

export function checkScopes(
	input: EvaluationInput,
	report: CheckReport,
	evaluation: Evaluation,
): void {
	const { discovery, capabilities } = input;
	const debug = discovery.debugToken!;
	const required = new Map<string, Capability[]>();
	for (const capability of capabilities) {
		for (const scope of REQUIRED_SCOPES[capability]) {
			required.set(scope, [...(required.get(scope) ?? []), capability]);
		}
	}
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
		report.add(
			'token.scopes',
			'fail',
			`Missing permissions: ${missing.join(', ')}.`,
			blockedBy(missing),
		);
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
			declined.size
				? `Declined, but not needed here: ${[...declined].join(', ')}.`
				: 'No permission was declined.',
			[],
		);
	}
}

/** Granular grants only mean something against a selected target. */
export function checkGranularTargets(input: EvaluationInput, report: CheckReport): void {
	const { discovery, capabilities, targets } = input;
	const debug = discovery.debugToken!;
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
				const covers = grant.targetIds.join(', ') || 'nothing';
				problems.push(`${scope} does not include ${targetId} (it covers ${covers})`);
				blocked.add(TARGET_CAPABILITY[key]);
			}
		}
	}
	if (problems.length > 0) {
		report.add('token.granular-target', 'fail', `${problems.join('; ')}.`, [...blocked]);
		return;
	}
	if (checkedTargets.length > 0) {
		const detail = `The token was granted access to ${checkedTargets.join(', ')}.`;
		report.add('token.granular-target', 'pass', detail, []);
		return;
	}
	const covered = debug.granularScopes
		.filter((entry) => entry.targetIds)
		.map((entry) => `${entry.scope}: ${entry.targetIds!.join(', ')}`);
	report.add(
		'token.granular-target',
		'pass',
		covered.length
			? `No asset selected. The token covers only: ${covered.join('; ')}.`
			: "No asset selected. The token's permissions are not limited to specific assets.",
		[],
	);
}
