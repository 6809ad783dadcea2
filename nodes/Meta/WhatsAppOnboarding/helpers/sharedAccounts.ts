/**
 * What a token was granted, read from `debug_token`: its scopes, expiry and the WhatsApp Business
 * Accounts in `granular_scopes[].target_ids`
 * (https://developers.facebook.com/docs/graph-api/reference/debug_token,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-customers-as-a-tech-provider).
 * Pure functions: no request here.
 */
import type { IDataObject } from 'n8n-workflow';

export interface TokenGrant {
	valid: boolean;
	appId?: string;
	type?: string;
	userId?: string;
	scopes: string[];
	/** WABA ids from the whatsapp_business_management and _messaging grants; undefined = all. */
	wabaIds?: string[];
	/** ISO time, or null for a token that does not expire. */
	expiresAt: string | null;
	dataAccessExpiresAt: string | null;
}

const WHATSAPP_SCOPES = ['whatsapp_business_management', 'whatsapp_business_messaging'];

function isoOrNull(seconds: unknown): string | null {
	const value = Number(seconds);
	return Number.isFinite(value) && value > 0 ? new Date(value * 1000).toISOString() : null;
}

function textList(value: unknown): string[] {
	return Array.isArray(value) ? value.map((entry) => String(entry)) : [];
}

/** `debug_token`'s `data` as a grant. */
export function parseTokenGrant(data: IDataObject | undefined): TokenGrant {
	const scopes = textList(data?.scopes);
	const granular = Array.isArray(data?.granular_scopes)
		? (data?.granular_scopes as IDataObject[])
		: [];
	let wabaIds: string[] | undefined;
	for (const grant of granular) {
		if (!WHATSAPP_SCOPES.includes(String(grant.scope))) continue;
		if (!Array.isArray(grant.target_ids)) continue;
		wabaIds = [...new Set([...(wabaIds ?? []), ...textList(grant.target_ids)])];
	}
	return {
		valid: data?.is_valid === true,
		appId: data?.app_id !== undefined ? String(data.app_id) : undefined,
		type: typeof data?.type === 'string' ? data.type : undefined,
		userId: data?.user_id !== undefined ? String(data.user_id) : undefined,
		scopes,
		wabaIds,
		expiresAt: isoOrNull(data?.expires_at),
		dataAccessExpiresAt: isoOrNull(data?.data_access_expires_at),
	};
}

/** Why the session's account is not among the token's grants, or undefined when it is. */
export function sessionMismatch(grant: TokenGrant, wabaId: string): string | undefined {
	if (!WHATSAPP_SCOPES.some((scope) => grant.scopes.includes(scope))) {
		return 'the token was granted neither whatsapp_business_management nor whatsapp_business_messaging';
	}
	if (grant.wabaIds && !grant.wabaIds.includes(wabaId)) {
		return `WhatsApp Business Account ${wabaId} is not among the accounts the token was granted (${grant.wabaIds.join(', ') || 'none'})`;
	}
	return undefined;
}
