/**
 * Graph answers turned into the records the checks read. Only named fields are copied, so no token
 * (a Page's `access_token` included) can leave a response; a failure becomes a `GraphFailure`.
 */
import type { IDataObject } from 'n8n-workflow';

import { getMetaErrorInfo } from '../../shared/errors';
import type { BatchResult, MetaGraphErrorBody } from '../../shared/transport';
import type {
	DebugTokenData,
	DiscoveredApp,
	DiscoveredAppOwner,
	DiscoveredBusiness,
	DiscoveredInstagramAccount,
	DiscoveredPage,
	DiscoveredAppSubscription,
	DiscoveredPhoneNumber,
	GraphFailure,
	Read,
	WebhookConfiguration,
} from './discoveryTypes';

export function failureFromBody(
	error: MetaGraphErrorBody | undefined,
	fallback: string,
): GraphFailure {
	return {
		code: error?.code,
		subcode: error?.error_subcode,
		message: error?.message ?? fallback,
	};
}

/**
 * The request never left n8n: the credential could not be turned into one (for example its
 * long-lived token exchange was refused). That is a verdict on the token, not a network problem.
 */
export function isCredentialUnusable(error: unknown): boolean {
	const info = getMetaErrorInfo(error);
	return (
		info !== undefined &&
		info.code === undefined &&
		info.networkCode === undefined &&
		info.httpStatus === undefined &&
		info.outcome === 'failed'
	);
}

export function failureFromThrown(error: unknown): GraphFailure {
	const info = getMetaErrorInfo(error);
	if (info) {
		const failure: GraphFailure = { code: info.code, subcode: info.subcode, message: info.message };
		if (isCredentialUnusable(error)) failure.credentialUnusable = true;
		return failure;
	}
	return { message: (error as Error)?.message ?? 'The request to Meta failed' };
}

/** One operation of a batch as a read: its body mapped, or Meta's failure. */
export function fromBatch<T>(
	result: BatchResult<IDataObject> | undefined,
	map: (body: IDataObject) => T,
): Read<T> {
	if (!result) return { ok: false, error: { message: 'Meta returned no answer for this read' } };
	if (result.incomplete) {
		return { ok: false, error: { message: 'Meta did not complete this read (timeout)' } };
	}
	if (result.error || !result.body) {
		return { ok: false, error: failureFromBody(result.error, 'Meta returned an error') };
	}
	return { ok: true, value: map(result.body) };
}

/** The `after` cursor when Meta says there is a next page. */
export function nextCursor(paging: IDataObject | undefined): string | undefined {
	if (!paging?.next) return undefined;
	return asString((paging.cursors as IDataObject | undefined)?.after);
}

/** The `data` list of an edge, `[]` when absent (Meta omits empty edges). */
export function edgeData(value: unknown): IDataObject[] {
	const data = (value as { data?: unknown } | undefined)?.data;
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

export function asString(value: unknown): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

export function toInstagramAccount(
	raw: IDataObject | undefined,
): DiscoveredInstagramAccount | undefined {
	if (!raw || !raw.id) return undefined;
	return {
		id: String(raw.id),
		username: asString(raw.username),
		name: asString(raw.name),
		accountType: asString(raw.account_type),
	};
}

/** Reads a Page record and drops its token, keeping only whether there was one. */
export function toPage(raw: IDataObject): DiscoveredPage {
	return {
		id: String(raw.id),
		name: asString(raw.name),
		tasks: Array.isArray(raw.tasks) ? (raw.tasks as string[]).map(String) : undefined,
		pageTokenAvailable: typeof raw.access_token === 'string' && raw.access_token.length > 0,
		instagramAccount: toInstagramAccount(raw.instagram_business_account as IDataObject | undefined),
	};
}

export function toDebugToken(data: IDataObject): DebugTokenData {
	const error = data.error as IDataObject | undefined;
	return {
		appId: asString(data.app_id),
		application: asString(data.application),
		type: asString(data.type),
		userId: asString(data.user_id),
		profileId: asString(data.profile_id),
		isValid: data.is_valid === true,
		issuedAt: typeof data.issued_at === 'number' ? data.issued_at : undefined,
		expiresAt: typeof data.expires_at === 'number' ? data.expires_at : undefined,
		dataAccessExpiresAt:
			typeof data.data_access_expires_at === 'number' ? data.data_access_expires_at : undefined,
		scopes: Array.isArray(data.scopes) ? (data.scopes as string[]).map(String) : [],
		granularScopes: Array.isArray(data.granular_scopes)
			? (data.granular_scopes as IDataObject[]).map((entry) => ({
					scope: String(entry.scope),
					targetIds: Array.isArray(entry.target_ids)
						? (entry.target_ids as unknown[]).map(String)
						: undefined,
				}))
			: [],
		error: error
			? {
					code: typeof error.code === 'number' ? error.code : undefined,
					subcode: typeof error.subcode === 'number' ? error.subcode : undefined,
					message: String(error.message ?? 'The token is not valid'),
				}
			: undefined,
	};
}

export function toWabaDetails(body: IDataObject): {
	phoneNumbers: DiscoveredPhoneNumber[];
	templateCount: number;
	approvedTemplateCount: number;
} {
	const phoneNumbers = edgeData(body.phone_numbers).map((raw) => ({
		id: String(raw.id),
		displayPhoneNumber: asString(raw.display_phone_number),
		verifiedName: asString(raw.verified_name),
		status: asString(raw.status),
		codeVerificationStatus: asString(raw.code_verification_status),
		nameStatus: asString(raw.name_status),
		qualityRating: asString(raw.quality_rating),
		messagingLimitTier: asString(raw.whatsapp_business_manager_messaging_limit),
		throughputLevel: asString((raw.throughput as IDataObject | undefined)?.level),
		platformType: asString(raw.platform_type),
		pinEnabled: typeof raw.is_pin_enabled === 'boolean' ? raw.is_pin_enabled : undefined,
	}));
	const templates = edgeData(body.message_templates);
	return {
		phoneNumbers,
		templateCount: templates.length,
		approvedTemplateCount: templates.filter((template) => template.status === 'APPROVED').length,
	};
}

export function subscribedAppIds(body: IDataObject): string[] {
	return edgeData(body)
		.map((entry) => {
			const app = (entry.whatsapp_business_api_data ?? entry) as IDataObject;
			return asString(app.id);
		})
		.filter((id): id is string => id !== undefined);
}

/** App id -> `override_callback_uri`, for the subscribed apps that have one. */
export function subscribedAppOverrides(body: IDataObject): Record<string, string> {
	const overrides: Record<string, string> = {};
	for (const entry of edgeData(body)) {
		const app = (entry.whatsapp_business_api_data ?? entry) as IDataObject;
		const id = asString(app.id);
		const url = asString(entry.override_callback_uri);
		if (id && url) overrides[id] = url;
	}
	return overrides;
}

export function toWebhookConfiguration(body: IDataObject): WebhookConfiguration {
	const raw = (body.webhook_configuration ?? {}) as IDataObject;
	return {
		phoneNumber: asString(raw.phone_number),
		whatsappBusinessAccount: asString(raw.whatsapp_business_account),
		application: asString(raw.application),
	};
}

/** The `whatsapp_business_account` entry of /{app-id}/subscriptions, or null when absent. */
export function toAppSubscription(body: IDataObject): DiscoveredAppSubscription | null {
	const entry = edgeData(body).find(
		(subscription) => subscription.object === 'whatsapp_business_account',
	);
	if (!entry || entry.active === false) return null;
	const fields = Array.isArray(entry.fields) ? (entry.fields as unknown[]) : [];
	return {
		callbackUrl: asString(entry.callback_url),
		fields: fields
			.map((field) =>
				typeof field === 'object' && field !== null
					? asString((field as IDataObject).name)
					: asString(field),
			)
			.filter((name): name is string => name !== undefined),
	};
}

export function toQuota(body: IDataObject): { used: number; total: number } {
	const entry = (edgeData(body)[0] ?? body) as IDataObject;
	const config = (entry.config ?? {}) as IDataObject;
	return { used: Number(entry.quota_usage ?? 0), total: Number(config.quota_total ?? 0) };
}

export function toBusiness(business: IDataObject): DiscoveredBusiness {
	return {
		id: String(business.id),
		name: asString(business.name),
		verificationStatus: asString(business.verification_status),
		wabaIds: [
			...edgeData(business.owned_whatsapp_business_accounts),
			...edgeData(business.client_whatsapp_business_accounts),
		].map((waba) => String(waba.id)),
	};
}

/** The Instagram accounts every listed business portfolio owns. */
export function toBusinessInstagramAccounts(body: IDataObject): DiscoveredInstagramAccount[] {
	return edgeData(body)
		.flatMap((business) => edgeData(business.owned_instagram_accounts))
		.map(toInstagramAccount)
		.filter((account): account is DiscoveredInstagramAccount => account !== undefined);
}

export function toApp(body: IDataObject, appId: string): DiscoveredApp {
	return { id: String(body.id ?? appId), name: asString(body.name) };
}

/** Meta omits a field whose value is empty: no `owner_business` means no business portfolio. */
export function toAppOwner(body: IDataObject): DiscoveredAppOwner {
	const business = body.owner_business as IDataObject | null | undefined;
	return { businessId: asString(business?.id) ?? null, businessName: asString(business?.name) };
}
