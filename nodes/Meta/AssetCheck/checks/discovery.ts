/**
 * Reads everything the checks need, in as few Graph round trips as possible: debug_token alone
 * (it tells which further reads make sense), then one batch of identity reads expanded with nested
 * fields (Pages with their Instagram accounts, businesses with their WhatsApp accounts, the app),
 * then batches of per-asset reads (publishing quotas, WhatsApp accounts with numbers and templates,
 * webhook subscriptions), 50 operations per batch. A user with 50 Pages and 5 WhatsApp accounts
 * costs 4 round trips.
 *
 * Every failure is kept as data (Meta's code and subcode) for the evaluators; nothing here throws
 * on a Graph error, and no token (user or Page) is ever copied out of a response.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { classifyMetaError, getMetaErrorInfo } from '../../shared/errors';
import type { BatchOperation, BatchResult, MetaGraphErrorBody } from '../../shared/transport';
import { graphBatch, graphRequest, resolveCredential } from '../../shared/transport';
import type { Capability } from './types';

export interface GraphFailure {
	code?: number;
	subcode?: number;
	/** Meta's message, only ever shown as context in a detail line (never branched on). */
	message: string;
	/** n8n could not prepare the request with the credential (nothing reached Meta). */
	credentialUnusable?: boolean;
}

export type Read<T> = { ok: true; value: T } | { ok: false; error: GraphFailure };

export interface Targets {
	pageId?: string;
	instagramAccountId?: string;
	wabaId?: string;
	phoneNumberId?: string;
}

export interface DebugTokenData {
	appId?: string;
	application?: string;
	type?: string;
	userId?: string;
	profileId?: string;
	isValid: boolean;
	issuedAt?: number;
	expiresAt?: number;
	dataAccessExpiresAt?: number;
	scopes: string[];
	granularScopes: Array<{ scope: string; targetIds?: string[] }>;
	error?: GraphFailure;
}

export interface DiscoveredInstagramAccount {
	id: string;
	username?: string;
	name?: string;
	/** BUSINESS | MEDIA_CREATOR | PERSONAL, when Meta tells. */
	accountType?: string;
	quota?: Read<{ used: number; total: number }>;
}

export interface DiscoveredPage {
	id: string;
	name?: string;
	tasks?: string[];
	/** Whether /me/accounts returned a Page token. The token itself is dropped on read. */
	pageTokenAvailable: boolean;
	instagramAccount?: DiscoveredInstagramAccount;
}

export interface DiscoveredPhoneNumber {
	id: string;
	displayPhoneNumber?: string;
	verifiedName?: string;
	status?: string;
	codeVerificationStatus?: string;
	nameStatus?: string;
	qualityRating?: string;
	messagingLimitTier?: string;
	/** STANDARD (80 messages/s), HIGH (1,000), NOT_APPLICABLE. */
	throughputLevel?: string;
	platformType?: string;
}

export interface DiscoveredWaba {
	id: string;
	name?: string;
	ownerBusinessId?: string;
	read: Read<{
		phoneNumbers: DiscoveredPhoneNumber[];
		templateCount: number;
		approvedTemplateCount: number;
	}>;
	subscribedApps?: Read<string[]>;
}

export interface DiscoveredBusiness {
	id: string;
	name?: string;
	verificationStatus?: string;
	wabaIds: string[];
	/** Instagram accounts the business owns, with their type (finds personal accounts, which
	 *  Pages never show as their Instagram business account). */
	instagramAccounts: DiscoveredInstagramAccount[];
}

export interface DiscoveredApp {
	id: string;
	name?: string;
	/** The business portfolio the app belongs to; null: none. */
	businessId: string | null;
	businessName?: string;
}

export interface Discovery {
	authentication: string;
	credentialHasAppSecret: boolean;
	now: number;
	/** debug_token: absent when the call itself failed (see `debugTokenError`). */
	debugToken?: DebugTokenData;
	debugTokenError?: GraphFailure;
	/** A basic read with the token (GET /me): proves the token and the proof requirement. */
	me?: Read<{
		id: string;
		name?: string;
		username?: string;
		userId?: string;
		accountType?: string;
	}>;
	permissions?: Read<Array<{ permission: string; status: string }>>;
	pages?: Read<DiscoveredPage[]>;
	businesses?: Read<DiscoveredBusiness[]>;
	app?: Read<DiscoveredApp>;
	wabas: DiscoveredWaba[];
	/** Instagram Login: the account that signed in. */
	instagramLoginAccount?: DiscoveredInstagramAccount;
	roundTrips: number;
}

export const PAGE_FIELDS =
	'id,name,tasks,access_token,instagram_business_account{id,username,name,account_type}';
/** A Page token reads its own Page: no tasks, and the token is the caller's own. */
const PAGE_SELF_FIELDS = 'id,name,instagram_business_account{id,username,name,account_type}';
/** `messaging_limit_tier` is deprecated: the limit is read from its replacement field. */
export const WABA_FIELDS =
	'id,name,phone_numbers.limit(100){id,display_phone_number,verified_name,status,code_verification_status,name_status,quality_rating,whatsapp_business_manager_messaging_limit,throughput,platform_type},message_templates.limit(250){id,name,status}';
const BUSINESS_FIELDS = 'id,name,verification_status';
const BUSINESS_WABA_FIELDS =
	'owned_whatsapp_business_accounts.limit(100){id,name},client_whatsapp_business_accounts.limit(100){id,name}';
const BUSINESS_INSTAGRAM_FIELDS = 'owned_instagram_accounts.limit(100){id,username,account_type}';
/** Meta omits a field whose value is empty: no `owner_business` means no business portfolio. */
export const APP_FIELDS = 'id,name,owner_business';

const WHATSAPP_SCOPES = ['whatsapp_business_management', 'whatsapp_business_messaging'];

function failureFromBody(error: MetaGraphErrorBody | undefined, fallback: string): GraphFailure {
	return {
		code: error?.code,
		subcode: error?.error_subcode,
		message: error?.message ?? fallback,
	};
}

/**
 * No verdict is possible when Meta did not answer (network) or only said "try later" (transient or
 * throttled, after the transport's retries): that is an error of the run, not a failed check.
 */
function rethrowIfUnanswered(error: unknown): void {
	if (isCredentialUnusable(error)) return;
	const info = getMetaErrorInfo(error);
	if (!info || info.code === undefined) throw error;
	if (classifyMetaError(info.code, info.subcode, info.isTransient) !== 'never') throw error;
}

/**
 * The request never left n8n: the credential could not be turned into one (for example its
 * long-lived token exchange was refused). That is a verdict on the token, not a network problem.
 */
function isCredentialUnusable(error: unknown): boolean {
	const info = getMetaErrorInfo(error);
	return (
		info !== undefined &&
		info.code === undefined &&
		info.networkCode === undefined &&
		info.httpStatus === undefined &&
		info.outcome === 'failed'
	);
}

function failureFromThrown(error: unknown): GraphFailure {
	const info = getMetaErrorInfo(error);
	if (info) {
		const failure: GraphFailure = { code: info.code, subcode: info.subcode, message: info.message };
		if (isCredentialUnusable(error)) failure.credentialUnusable = true;
		return failure;
	}
	return { message: (error as Error)?.message ?? 'The request to Meta failed' };
}

function fromBatch<T>(
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
function nextCursor(paging: IDataObject | undefined): string | undefined {
	if (!paging?.next) return undefined;
	return asString((paging.cursors as IDataObject | undefined)?.after);
}

function edgeData(value: unknown): IDataObject[] {
	const data = (value as { data?: unknown } | undefined)?.data;
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

function asString(value: unknown): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

function toInstagramAccount(raw: IDataObject | undefined): DiscoveredInstagramAccount | undefined {
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

function toDebugToken(data: IDataObject): DebugTokenData {
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

function toWabaDetails(body: IDataObject): {
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
	}));
	const templates = edgeData(body.message_templates);
	return {
		phoneNumbers,
		templateCount: templates.length,
		approvedTemplateCount: templates.filter((template) => template.status === 'APPROVED').length,
	};
}

function subscribedAppIds(body: IDataObject): string[] {
	return edgeData(body)
		.map((entry) => {
			const app = (entry.whatsapp_business_api_data ?? entry) as IDataObject;
			return asString(app.id);
		})
		.filter((id): id is string => id !== undefined);
}

class RoundTripCounter {
	count = 0;
}

async function runBatch(
	context: IExecuteFunctions,
	operations: BatchOperation[],
	counter: RoundTripCounter,
	itemIndex: number,
): Promise<Read<Array<BatchResult<IDataObject>>>> {
	if (operations.length === 0) return { ok: true, value: [] };
	counter.count += Math.ceil(operations.length / 50);
	try {
		const results = await graphBatch.call(context, operations, itemIndex);
		return { ok: true, value: results as Array<BatchResult<IDataObject>> };
	} catch (error) {
		rethrowIfUnanswered(error);
		return { ok: false, error: failureFromThrown(error) };
	}
}

async function read<T>(
	context: IExecuteFunctions,
	counter: RoundTripCounter,
	path: string,
	qs: IDataObject,
	itemIndex: number,
	map: (body: IDataObject) => T,
): Promise<Read<T>> {
	counter.count += 1;
	try {
		const body = (await graphRequest.call(context, {
			method: 'GET',
			path,
			qs,
			itemIndex,
		})) as IDataObject;
		return { ok: true, value: map(body) };
	} catch (error) {
		rethrowIfUnanswered(error);
		return { ok: false, error: failureFromThrown(error) };
	}
}

/** Instagram API with Instagram Login: no debug_token, no Pages; the account reads itself. */
async function discoverWithInstagramLogin(
	context: IExecuteFunctions,
	discovery: Discovery,
	counter: RoundTripCounter,
	itemIndex: number,
): Promise<void> {
	discovery.me = await read(
		context,
		counter,
		'/me',
		{ fields: 'id,user_id,username,name,account_type' },
		itemIndex,
		(body) => ({
			id: String(body.id),
			userId: asString(body.user_id),
			username: asString(body.username),
			name: asString(body.name),
			accountType: asString(body.account_type),
		}),
	);
	if (!discovery.me.ok) return;
	const me = discovery.me.value;
	const account: DiscoveredInstagramAccount = {
		id: me.userId ?? me.id,
		username: me.username,
		name: me.name,
		accountType: me.accountType,
	};
	account.quota = await read(
		context,
		counter,
		`/${account.id}/content_publishing_limit`,
		{ fields: 'quota_usage,config' },
		itemIndex,
		toQuota,
	);
	discovery.instagramLoginAccount = account;
}

function toQuota(body: IDataObject): { used: number; total: number } {
	const entry = (edgeData(body)[0] ?? body) as IDataObject;
	const config = (entry.config ?? {}) as IDataObject;
	return { used: Number(entry.quota_usage ?? 0), total: Number(config.quota_total ?? 0) };
}

/** One read of a batch, and where its answer goes. */
interface PlannedRead {
	operation: BatchOperation;
	apply: (result: BatchResult<IDataObject> | undefined) => void;
}

interface Session {
	context: IExecuteFunctions;
	counter: RoundTripCounter;
	itemIndex: number;
	discovery: Discovery;
	capabilities: Set<Capability>;
	targets: Targets;
}

function planned(
	relativeUrl: string,
	apply: (result: BatchResult<IDataObject> | undefined) => void,
): PlannedRead {
	return { operation: { method: 'GET', relativeUrl }, apply };
}

function withFields(path: string, fields: string, extra = ''): string {
	return `${path}?fields=${encodeURIComponent(fields)}${extra}`;
}

/**
 * Runs the reads as batches of 50. When Meta refuses a whole batch (for example a missing
 * appsecret_proof), every read gets that failure. Returns whether the batch went through.
 */
async function runPlanned(session: Session, reads: PlannedRead[]): Promise<boolean> {
	const batch = await runBatch(
		session.context,
		reads.map((read) => read.operation),
		session.counter,
		session.itemIndex,
	);
	reads.forEach((read, index) => {
		if (batch.ok) {
			read.apply(batch.value[index]);
		} else {
			const { message, code, subcode } = batch.error;
			read.apply({ code: 0, error: { message, code, error_subcode: subcode } });
		}
	});
	return batch.ok;
}

function toBusiness(business: IDataObject): DiscoveredBusiness {
	return {
		id: String(business.id),
		name: asString(business.name),
		verificationStatus: asString(business.verification_status),
		wabaIds: [
			...edgeData(business.owned_whatsapp_business_accounts),
			...edgeData(business.client_whatsapp_business_accounts),
		].map((waba) => String(waba.id)),
		instagramAccounts: edgeData(business.owned_instagram_accounts)
			.map(toInstagramAccount)
			.filter((account): account is DiscoveredInstagramAccount => account !== undefined),
	};
}

function toApp(body: IDataObject, appId: string): DiscoveredApp {
	const business = body.owner_business as IDataObject | null | undefined;
	return {
		id: String(body.id ?? appId),
		name: asString(body.name),
		businessId: asString(business?.id) ?? null,
		businessName: asString(business?.name),
	};
}

/**
 * Round trip 2: who the token is, its permissions, its Pages (with their Instagram accounts),
 * its business portfolios (with their WhatsApp and Instagram accounts) and the app, as one batch
 * of reads expanded with nested fields.
 */
function planIdentityReads(session: Session, firstPages: { body?: IDataObject }): PlannedRead[] {
	const { discovery, capabilities } = session;
	const tokenType = discovery.debugToken?.type;
	const appId = discovery.debugToken?.appId;
	const wantsInstagram = capabilities.has('instagramPublishing');
	const wantsWhatsApp = capabilities.has('whatsappMessaging');
	const reads: PlannedRead[] = [
		planned('me?fields=id,name', (result) => {
			discovery.me = fromBatch(result, (body) => ({
				id: String(body.id),
				name: asString(body.name),
			}));
		}),
	];
	if (tokenType === undefined || tokenType === 'USER') {
		reads.push(
			planned('me/permissions?limit=500', (result) => {
				discovery.permissions = fromBatch(result, (body) =>
					edgeData(body).map((entry) => ({
						permission: String(entry.permission),
						status: String(entry.status),
					})),
				);
			}),
		);
	}
	if (wantsInstagram && tokenType === 'PAGE') {
		reads.push(
			planned(withFields('me', PAGE_SELF_FIELDS), (result) => {
				discovery.pages = fromBatch(result, (body) => [
					{ ...toPage(body), pageTokenAvailable: true },
				]);
			}),
		);
	} else if (wantsInstagram) {
		reads.push(
			planned(withFields('me/accounts', PAGE_FIELDS, '&limit=100'), (result) => {
				firstPages.body = result?.body;
				discovery.pages = fromBatch(result, (body) => edgeData(body).map(toPage));
			}),
		);
	}
	// Business portfolios need business_management; without it WhatsApp accounts still come
	// from the token's granular grants, so the read is not even attempted.
	const canReadBusinesses =
		!discovery.debugToken || discovery.debugToken.scopes.includes('business_management');
	if ((wantsWhatsApp || wantsInstagram) && canReadBusinesses && tokenType !== 'PAGE') {
		const fields = [
			BUSINESS_FIELDS,
			...(wantsWhatsApp ? [BUSINESS_WABA_FIELDS] : []),
			...(wantsInstagram ? [BUSINESS_INSTAGRAM_FIELDS] : []),
		].join(',');
		reads.push(
			planned(withFields('me/businesses', fields, '&limit=100'), (result) => {
				discovery.businesses = fromBatch(result, (body) => edgeData(body).map(toBusiness));
			}),
		);
	}
	if (appId) {
		reads.push(
			planned(withFields(appId, APP_FIELDS), (result) => {
				discovery.app = fromBatch(result, (body) => toApp(body, appId));
			}),
		);
	}
	return reads;
}

/** More than 100 Pages: the rest of /me/accounts, one page of 100 per round trip. */
async function readRemainingPages(
	session: Session,
	firstPage: IDataObject | undefined,
): Promise<void> {
	const pages = session.discovery.pages;
	if (!pages?.ok) return;
	let after = nextCursor(firstPage?.paging as IDataObject | undefined);
	while (after) {
		const more = await read(
			session.context,
			session.counter,
			'/me/accounts',
			{ fields: PAGE_FIELDS, limit: 100, after },
			session.itemIndex,
			(body) => body,
		);
		if (!more.ok) break;
		pages.value.push(...edgeData(more.value).map(toPage));
		after = nextCursor(more.value.paging as IDataObject | undefined);
	}
}

/** WhatsApp accounts: from the business portfolios, the granular grants and the target. */
function wabaOwners(session: Session): Map<string, string | undefined> {
	const { discovery, targets } = session;
	const owners = new Map<string, string | undefined>();
	const add = (wabaId: string, businessId?: string): void => {
		if (!owners.has(wabaId)) owners.set(wabaId, businessId);
	};
	if (discovery.businesses?.ok) {
		for (const business of discovery.businesses.value) {
			for (const wabaId of business.wabaIds) add(wabaId, business.id);
		}
	}
	for (const grant of discovery.debugToken?.granularScopes ?? []) {
		if (!WHATSAPP_SCOPES.includes(grant.scope)) continue;
		for (const wabaId of grant.targetIds ?? []) add(wabaId);
	}
	if (targets.wabaId) add(targets.wabaId);
	return owners;
}

/** Round trips 3+: publishing quotas and WhatsApp accounts (numbers, templates, webhooks). */
function planAssetReads(session: Session): PlannedRead[] {
	const { discovery, capabilities, targets } = session;
	const reads: PlannedRead[] = [];
	if (capabilities.has('instagramPublishing') && discovery.pages?.ok) {
		const accounts = new Map<string, DiscoveredInstagramAccount>();
		for (const page of discovery.pages.value) {
			const account = page.instagramAccount;
			if (!account || (targets.instagramAccountId && account.id !== targets.instagramAccountId)) {
				continue;
			}
			accounts.set(account.id, account);
		}
		for (const account of accounts.values()) {
			reads.push(
				planned(`${account.id}/content_publishing_limit?fields=quota_usage,config`, (result) => {
					account.quota = fromBatch(result, toQuota);
				}),
			);
		}
	}
	if (capabilities.has('whatsappMessaging')) {
		for (const [wabaId, ownerBusinessId] of wabaOwners(session)) {
			if (targets.wabaId && wabaId !== targets.wabaId) continue;
			const waba: DiscoveredWaba = {
				id: wabaId,
				ownerBusinessId,
				read: { ok: false, error: { message: 'Not read' } },
			};
			discovery.wabas.push(waba);
			reads.push(
				planned(withFields(wabaId, WABA_FIELDS), (result) => {
					waba.read = fromBatch(result, toWabaDetails);
					if (result?.body?.name) waba.name = String(result.body.name);
				}),
				planned(`${wabaId}/subscribed_apps`, (result) => {
					waba.subscribedApps = fromBatch(result, subscribedAppIds);
				}),
			);
		}
	}
	return reads;
}

export async function discover(
	context: IExecuteFunctions,
	capabilities: Set<Capability>,
	targets: Targets,
	itemIndex: number,
	now: number,
): Promise<Discovery> {
	const credential = await resolveCredential.call(context);
	const authentication = context.getNodeParameter(
		'authentication',
		itemIndex,
		'accessToken',
	) as string;
	const session: Session = {
		context,
		counter: new RoundTripCounter(),
		itemIndex,
		capabilities,
		targets,
		discovery: {
			authentication,
			credentialHasAppSecret: Boolean(credential.appSecret),
			now,
			wabas: [],
			roundTrips: 0,
		},
	};
	const { discovery, counter } = session;
	const finish = (): Discovery => {
		discovery.roundTrips = counter.count;
		return discovery;
	};

	if (authentication === 'instagramLogin') {
		await discoverWithInstagramLogin(context, discovery, counter, itemIndex);
		return finish();
	}

	// Round trip 1: what is this token? The token inspects itself (allowed for its own app).
	const debug = await read(
		context,
		counter,
		'/debug_token',
		{ input_token: credential.accessToken },
		itemIndex,
		(body) => toDebugToken((body.data ?? {}) as IDataObject),
	);
	if (debug.ok) discovery.debugToken = debug.value;
	else discovery.debugTokenError = debug.error;
	// A token Meta calls invalid (or n8n cannot use) reads nothing else: the report says why.
	if (debug.ok ? !debug.value.isValid : debug.error.code === 190 || debug.error.credentialUnusable) {
		return finish();
	}

	const firstPages: { body?: IDataObject } = {};
	if (!(await runPlanned(session, planIdentityReads(session, firstPages)))) return finish();
	await readRemainingPages(session, firstPages.body);

	await runPlanned(session, planAssetReads(session));
	return finish();
}
