/**
 * Reads everything the checks need, in as few Graph round trips as possible: debug_token alone
 * (it tells which further reads make sense), then one batch of identity reads expanded with nested
 * fields (Pages with their Instagram accounts, businesses with their WhatsApp accounts, the app),
 * then batches of per-asset reads (publishing quotas, WhatsApp accounts with numbers and templates,
 * webhook subscriptions), 50 operations per batch
 * (https://developers.facebook.com/docs/graph-api/batch-requests). A user with 50 Pages and 5
 * WhatsApp accounts costs 4 round trips.
 *
 * Meta checks the permission of every edge of a field expansion separately
 * (https://developers.facebook.com/docs/graph-api/guides/field-expansion), and a refused nested
 * edge has been seen to fail the whole read. So an optional edge (a portfolio's Instagram
 * accounts, the app's owner_business) is read as its own operation of the same batch: refused, it
 * fails alone, costs no extra round trip, and the required reads keep their data.
 *
 * Every failure is kept as data (Meta's code and subcode) for the evaluators; nothing here throws
 * on a Graph error, and no token (user or Page) is ever copied out of a response.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { classifyMetaError, getMetaErrorInfo } from '../../shared/errors';
import type { BatchOperation, BatchResult } from '../../shared/transport';
import { graphBatch, graphRequest, resolveCredential } from '../../shared/transport';
import type { DiscoveredInstagramAccount, Discovery, Read, Targets } from './discoveryTypes';
import type { PlannedRead, Session } from './readPlan';
import { PAGE_FIELDS, planAssetReads, planIdentityReads, planPhoneWebhookReads } from './readPlan';
import {
	asString,
	edgeData,
	failureFromThrown,
	isCredentialUnusable,
	nextCursor,
	toAppSubscription,
	toDebugToken,
	toPage,
	toQuota,
} from './responseParsing';
import type { Capability } from './types';

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

async function runBatch(
	this: IExecuteFunctions,
	session: Session,
	operations: BatchOperation[],
): Promise<Read<Array<BatchResult<IDataObject>>>> {
	if (operations.length === 0) return { ok: true, value: [] };
	session.roundTrips += Math.ceil(operations.length / 50);
	try {
		const results = await graphBatch.call(this, operations, session.itemIndex);
		return { ok: true, value: results as Array<BatchResult<IDataObject>> };
	} catch (error) {
		rethrowIfUnanswered(error);
		return { ok: false, error: failureFromThrown(error) };
	}
}

/** One GET on its own (not batched): the body, or Meta's failure kept as data. */
async function read(
	this: IExecuteFunctions,
	session: Session,
	path: string,
	qs: IDataObject,
): Promise<Read<IDataObject>> {
	session.roundTrips += 1;
	try {
		const body = (await graphRequest.call(this, {
			method: 'GET',
			path,
			qs,
			itemIndex: session.itemIndex,
		})) as IDataObject;
		return { ok: true, value: body };
	} catch (error) {
		rethrowIfUnanswered(error);
		return { ok: false, error: failureFromThrown(error) };
	}
}

function mapRead<T>(result: Read<IDataObject>, map: (body: IDataObject) => T): Read<T> {
	return result.ok ? { ok: true, value: map(result.value) } : result;
}

/** Instagram API with Instagram Login: no debug_token, no Pages; the account reads itself. */
async function discoverWithInstagramLogin(
	this: IExecuteFunctions,
	session: Session,
): Promise<void> {
	const { discovery } = session;
	const me = mapRead(
		await read.call(this, session, '/me', { fields: 'id,user_id,username,name,account_type' }),
		(body) => ({
			id: String(body.id),
			userId: asString(body.user_id),
			username: asString(body.username),
			name: asString(body.name),
			accountType: asString(body.account_type),
		}),
	);
	discovery.me = me;
	if (!me.ok) return;
	const account: DiscoveredInstagramAccount = {
		id: me.value.userId ?? me.value.id,
		username: me.value.username,
		name: me.value.name,
		accountType: me.value.accountType,
	};
	account.quota = mapRead(
		await read.call(this, session, `/${account.id}/content_publishing_limit`, {
			fields: 'quota_usage,config',
		}),
		toQuota,
	);
	discovery.instagramLoginAccount = account;
}

/**
 * Runs the reads as batches of 50. When Meta refuses a whole batch (for example a missing
 * appsecret_proof), every read gets that failure. Returns whether the batch went through.
 */
async function runPlanned(
	this: IExecuteFunctions,
	session: Session,
	reads: PlannedRead[],
): Promise<boolean> {
	const batch = await runBatch.call(
		this,
		session,
		reads.map((entry) => entry.operation),
	);
	reads.forEach((entry, index) => {
		if (batch.ok) {
			entry.apply(batch.value[index]);
		} else {
			const { message, code, subcode } = batch.error;
			entry.apply({ code: 0, error: { message, code, error_subcode: subcode } });
		}
	});
	return batch.ok;
}

/** More than 100 Pages: the rest of /me/accounts, one page of 100 per round trip. */
async function readRemainingPages(
	this: IExecuteFunctions,
	session: Session,
	firstPage: IDataObject | undefined,
): Promise<void> {
	const pages = session.discovery.pages;
	if (!pages?.ok) return;
	let after = nextCursor(firstPage?.paging as IDataObject | undefined);
	while (after) {
		const more = await read.call(this, session, '/me/accounts', {
			fields: PAGE_FIELDS,
			limit: 100,
			after,
		});
		if (!more.ok) break;
		pages.value.push(...edgeData(more.value).map(toPage));
		after = nextCursor(more.value.paging as IDataObject | undefined);
	}
}

export async function discover(
	this: IExecuteFunctions,
	itemIndex: number,
	authentication: string,
	capabilities: Set<Capability>,
	targets: Targets,
	now: number,
): Promise<Discovery> {
	const credential = await resolveCredential.call(this);
	const session: Session = {
		itemIndex,
		capabilities,
		targets,
		roundTrips: 0,
		discovery: {
			authentication,
			credentialHasAppSecret: Boolean(credential.appSecret),
			graphApiVersion: credential.version,
			now,
			wabas: [],
			roundTrips: 0,
		},
	};
	const { discovery } = session;
	const finish = (): Discovery => {
		discovery.roundTrips = session.roundTrips;
		return discovery;
	};

	if (authentication === 'instagramLogin') {
		await discoverWithInstagramLogin.call(this, session);
		return finish();
	}

	// Round trip 1: what is this token? The token inspects itself (allowed for its own app).
	const debug = mapRead(
		await read.call(this, session, '/debug_token', { input_token: credential.accessToken }),
		(body) => toDebugToken((body.data ?? {}) as IDataObject),
	);
	if (debug.ok) discovery.debugToken = debug.value;
	else discovery.debugTokenError = debug.error;
	// A token Meta calls invalid (or n8n cannot use) reads nothing else: the report says why.
	if (
		debug.ok ? !debug.value.isValid : debug.error.code === 190 || debug.error.credentialUnusable
	) {
		return finish();
	}

	const firstPages: { body?: IDataObject } = {};
	if (!(await runPlanned.call(this, session, planIdentityReads(session, firstPages)))) {
		return finish();
	}
	await readRemainingPages.call(this, session, firstPages.body);

	await runPlanned.call(this, session, planAssetReads(session));
	if (capabilities.has('whatsappMessaging')) {
		const appId = discovery.debugToken?.appId;
		await runPlanned.call(this, session, planPhoneWebhookReads(session, appId));
		await readAppSubscription.call(this, session, appId, credential.appSecret);
	}
	return finish();
}

/**
 * The app's own webhook subscription (callback URL and fields) is readable only with the app
 * token, `{app-id}|{app-secret}` (https://developers.facebook.com/docs/graph-api/reference/app/subscriptions):
 * read only when the credential carries the App Secret, otherwise the reason is kept.
 */
async function readAppSubscription(
	this: IExecuteFunctions,
	session: Session,
	appId: string | undefined,
	appSecret: string | undefined,
): Promise<void> {
	const { discovery } = session;
	if (!appId) {
		discovery.appSubscriptionSkipped = 'Meta did not name the app of this token';
		return;
	}
	if (!appSecret) {
		discovery.appSubscriptionSkipped =
			'reading it needs the app token, made from the App Secret, which this credential does not hold';
		return;
	}
	discovery.appSubscription = mapRead(
		await read.call(this, session, `/${appId}/subscriptions`, {
			access_token: `${appId}|${appSecret}`,
		}),
		toAppSubscription,
	);
}
