/**
 * The output item: `ready`, the plain-language `summary` and `firstFailedCheck` first (what a person
 * reads and what IF and Switch branch on), then per-capability booleans, the checks and the
 * discovered assets. Built only from parsed fields: no token, secret or proof can reach it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Discovery } from './discoveryTypes';
import type { Evaluation } from './evaluate';
import type { Capability, CheckResult } from './types';

const CAPABILITY_LABEL: Record<Capability, string> = {
	token: 'The token',
	instagramPublishing: 'Instagram publishing',
	whatsappMessaging: 'WhatsApp messaging',
};

function isoOrNull(unixSeconds: number | undefined): string | null {
	return unixSeconds ? new Date(unixSeconds * 1000).toISOString() : null;
}

function daysLeft(unixSeconds: number | undefined, now: number): number | null {
	return unixSeconds ? Math.round((unixSeconds - now) / 86400) : null;
}

export function capabilityReadiness(
	evaluation: Evaluation,
	capabilities: Set<Capability>,
): Record<Capability, boolean> {
	const readiness = {} as Record<Capability, boolean>;
	for (const capability of capabilities) {
		readiness[capability] = !evaluation.checks.some((check) => check.blocks.includes(capability));
	}
	return readiness;
}

/** "Access token is not valid: The access token has expired (error 190/463)." */
function sentenceFor(check: CheckResult): string {
	return `${check.title.replace(/\.$/, '')}: ${check.detail.replace(/\.$/, '')}.`;
}

export function buildSummary(
	checks: CheckResult[],
	readiness: Record<Capability, boolean>,
	discovery: Discovery,
	evaluation: Evaluation,
): string {
	const failed = checks.filter((check) => check.status === 'fail');
	const warned = checks.filter((check) => check.status === 'warn');
	const parts: string[] = [];
	const capabilities = Object.keys(readiness) as Capability[];
	const ready = capabilities.every((capability) => readiness[capability]);
	const judged = checks.filter((check) => check.status !== 'skipped').length;
	const skipped = checks.length - judged;
	const named = capabilities.filter((capability) => capability !== 'token');
	if (ready) {
		parts.push(
			`Ready: ${
				named.length
					? `${named.map((capability) => CAPABILITY_LABEL[capability]).join(' and ')} can run`
					: 'the token works'
			} (${judged} checks passed${warned.length ? `, ${warned.length} with a warning` : ''}).`,
		);
	} else {
		const blocked: Capability[] = named.filter((capability) => !readiness[capability]);
		if (blocked.length === 0) blocked.push('token');
		parts.push(
			`Not ready: ${blocked
				.map((capability) => CAPABILITY_LABEL[capability])
				.join(
					' and ',
				)} will fail. ${failed.length === 1 ? '1 check' : `${failed.length} checks`} failed${
				skipped ? ` (${skipped} more can only run once that is fixed)` : ''
			}.`,
		);
		for (const check of failed) parts.push(sentenceFor(check));
		if (failed[0]?.fix) parts.push(`First fix: ${failed[0].fix}`);
	}
	for (const check of warned) parts.push(`Warning: ${sentenceFor(check)}`);
	const debug = discovery.debugToken;
	if (debug?.isValid) {
		const expiry = debug.expiresAt
			? `expires in ${Math.max(0, Math.round((debug.expiresAt - evaluation.now) / 86400))} days`
			: 'does not expire';
		parts.push(
			`The ${debug.type ?? ''} token of app ${debug.application ? `"${debug.application}"` : (debug.appId ?? '')} ${expiry}.`.replace(
				/ {2,}/g,
				' ',
			),
		);
	}
	return parts.join(' ');
}

export function buildOutput(
	operation: string,
	capabilities: Set<Capability>,
	discovery: Discovery,
	evaluation: Evaluation,
): IDataObject {
	const checks = evaluation.checks.map((check) => check.result);
	const readiness = capabilityReadiness(evaluation, capabilities);
	const ready = Object.values(readiness).every(Boolean);
	const debug = discovery.debugToken;
	const now = evaluation.now;

	const failedChecks = checks.filter((check) => check.status === 'fail').map((check) => check.id);
	// What a person reads first in the table: ready, the plain-language summary and the root cause
	// (checks run in chain order, so the first failure is the one to fix; a Switch can route on it).
	const output: IDataObject = {
		ready,
		summary: buildSummary(checks, readiness, discovery, evaluation),
		firstFailedCheck: failedChecks[0] ?? null,
		operation,
	};
	if (capabilities.has('instagramPublishing')) {
		output.instagramPublishing = readiness.instagramPublishing;
	}
	if (capabilities.has('whatsappMessaging')) output.whatsappMessaging = readiness.whatsappMessaging;
	output.tokenValid = checks.find((check) => check.id === 'token.valid')?.status === 'pass';
	output.failedChecks = failedChecks;
	output.warnings = checks.filter((check) => check.status === 'warn').map((check) => check.id);
	output.checks = checks;

	const me = discovery.me?.ok ? discovery.me.value : undefined;
	output.token = {
		type: debug?.type ?? (discovery.authentication === 'instagramLogin' ? 'INSTAGRAM' : null),
		valid: output.tokenValid,
		appId: debug?.appId ?? null,
		appName: debug?.application ?? null,
		userId: debug?.userId ?? me?.id ?? null,
		userName: me?.name ?? me?.username ?? null,
		issuedAt: isoOrNull(debug?.issuedAt),
		expiresAt: isoOrNull(debug?.expiresAt),
		expiresInDays: daysLeft(debug?.expiresAt, now),
		neverExpires: debug ? !debug.expiresAt : null,
		dataAccessExpiresAt: isoOrNull(debug?.dataAccessExpiresAt),
		dataAccessExpiresInDays: daysLeft(debug?.dataAccessExpiresAt, now),
		scopes: evaluation.scopes,
		granularScopes: (debug?.granularScopes ?? []).map((grant) => ({
			scope: grant.scope,
			targetIds: grant.targetIds ?? null,
			coversAllAssets: !grant.targetIds,
		})),
		credentialHasAppSecret: discovery.credentialHasAppSecret,
	};
	const app = discovery.app?.ok ? discovery.app.value : undefined;
	const owner = discovery.appOwner?.ok ? discovery.appOwner.value : undefined;
	if (app || debug?.appId) {
		output.app = {
			id: app?.id ?? debug?.appId ?? null,
			name: app?.name ?? debug?.application ?? null,
			businessId: owner?.businessId ?? null,
			businessName: owner?.businessName ?? null,
		};
	}

	if (capabilities.has('instagramPublishing')) {
		const readyByPage = new Map(evaluation.pageReadiness.map((entry) => [entry.page.id, entry]));
		const pages = discovery.pages?.ok ? discovery.pages.value : [];
		output.pages = pages.map((page) => {
			const account = page.instagramAccount;
			const quota = account?.quota?.ok ? account.quota.value : undefined;
			return {
				id: page.id,
				name: page.name ?? null,
				tasks: page.tasks ?? null,
				canCreateContent: readyByPage.get(page.id)?.canCreateContent ?? false,
				pageTokenAvailable: page.pageTokenAvailable,
				instagramAccount: account
					? {
							id: account.id,
							username: account.username ?? null,
							accountType: account.accountType ?? null,
							publishingQuotaUsed: quota?.used ?? null,
							publishingQuotaTotal: quota?.total ?? null,
							publishingQuotaRemaining: quota ? Math.max(0, quota.total - quota.used) : null,
						}
					: null,
				ready: readyByPage.get(page.id)?.ready ?? false,
			};
		});
		const igLogin = discovery.instagramLoginAccount;
		if (igLogin) {
			const quota = igLogin.quota?.ok ? igLogin.quota.value : undefined;
			output.instagramAccount = {
				id: igLogin.id,
				username: igLogin.username ?? null,
				accountType: igLogin.accountType ?? null,
				publishingQuotaUsed: quota?.used ?? null,
				publishingQuotaTotal: quota?.total ?? null,
				publishingQuotaRemaining: quota ? Math.max(0, quota.total - quota.used) : null,
				ready: evaluation.instagramLoginReady ?? false,
			};
		}
	}

	if (capabilities.has('whatsappMessaging')) {
		const businesses = discovery.businesses?.ok ? discovery.businesses.value : [];
		output.businesses = businesses.map((business) => ({
			id: business.id,
			name: business.name ?? null,
			verificationStatus: business.verificationStatus ?? null,
			whatsappBusinessAccountIds: business.wabaIds,
		}));
		const readyPhones = new Map(
			evaluation.phoneReadiness.map((entry) => [entry.phone.id, entry.ready]),
		);
		output.whatsappBusinessAccounts = discovery.wabas.map((waba) => {
			const details = waba.read.ok ? waba.read.value : undefined;
			return {
				id: waba.id,
				name: waba.name ?? null,
				ownerBusinessId: waba.ownerBusinessId ?? null,
				readable: waba.read.ok,
				appSubscribedToWebhooks: evaluation.appSubscribedByWaba.get(waba.id) ?? null,
				approvedTemplateCount: details?.approvedTemplateCount ?? null,
				templateCount: details?.templateCount ?? null,
				phoneNumbers: (details?.phoneNumbers ?? []).map((phone) => ({
					id: phone.id,
					displayPhoneNumber: phone.displayPhoneNumber ?? null,
					verifiedName: phone.verifiedName ?? null,
					status: phone.status ?? null,
					codeVerificationStatus: phone.codeVerificationStatus ?? null,
					nameStatus: phone.nameStatus ?? null,
					qualityRating: phone.qualityRating ?? null,
					messagingLimitTier: phone.messagingLimitTier ?? null,
					throughputLevel: phone.throughputLevel ?? null,
					ready: readyPhones.get(phone.id) ?? false,
				})),
			};
		});
	}

	output.graphRoundTrips = discovery.roundTrips;
	output.checkedAt = new Date(discovery.now).toISOString();
	return output;
}
