import type { IDataObject } from 'n8n-workflow';

/** What a check result says about the chain. `skipped`: an earlier link failed or nothing to check. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skipped';

/** The things a workflow can rely on; each operation checks one or more of them. */
export type Capability = 'token' | 'instagramPublishing' | 'whatsappMessaging';

/** Stable check ids: workflows branch on them, never rename one. */
export type CheckId =
	| 'token.valid'
	| 'token.expiry'
	| 'token.data-access'
	| 'token.scopes'
	| 'token.scopes-declined'
	| 'token.granular-target'
	| 'app.appsecret-proof'
	| 'app.mode'
	| 'app.business-portfolio'
	| 'instagram.page-linked'
	| 'instagram.account-type'
	| 'instagram.page-role'
	| 'instagram.quota'
	| 'whatsapp.waba'
	| 'whatsapp.phone-status'
	| 'whatsapp.phone-verification'
	| 'whatsapp.display-name'
	| 'whatsapp.quality'
	| 'whatsapp.webhooks'
	| 'whatsapp.templates'
	| 'token.graph-version'
	| 'whatsapp.messaging-limit'
	| 'whatsapp.payment-method'
	| 'whatsapp.webhook-url'
	| 'whatsapp.two-step-pin';

/**
 * The links of each asset chain, in the order they are judged: when one breaks, the later ones
 * are skipped (they cannot be judged), so a report names the first real problem.
 */
export const CHECK_CHAINS: Record<Exclude<Capability, 'token'>, readonly CheckId[]> = {
	instagramPublishing: [
		'instagram.page-linked',
		'instagram.account-type',
		'instagram.page-role',
		'instagram.quota',
	],
	whatsappMessaging: [
		'whatsapp.waba',
		'whatsapp.webhooks',
		'whatsapp.webhook-url',
		'whatsapp.templates',
		'whatsapp.phone-verification',
		'whatsapp.phone-status',
		'whatsapp.display-name',
		'whatsapp.quality',
		'whatsapp.two-step-pin',
	],
};

/** One row of the report, exactly as it appears in the output item. */
export interface CheckResult extends IDataObject {
	id: CheckId;
	status: CheckStatus;
	title: string;
	detail: string;
	/** What to do, in words a no-code user follows; empty when the check passed. */
	fix: string;
	docsUrl: string;
}

/** A result plus the capabilities a failure blocks (internal; not part of the output). */
export interface EvaluatedCheck {
	result: CheckResult;
	blocks: Capability[];
}
