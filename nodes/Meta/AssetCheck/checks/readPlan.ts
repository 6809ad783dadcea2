/**
 * Which reads discovery sends in each batch, and where each answer goes. Required and optional
 * edges are separate operations of one batch, so a refused optional edge fails alone.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BatchOperation, BatchResult } from '../../shared/transport';
import type {
	DiscoveredInstagramAccount,
	DiscoveredWaba,
	Discovery,
	Targets,
} from './discoveryTypes';
import {
	asString,
	edgeData,
	fromBatch,
	subscribedAppIds,
	subscribedAppOverrides,
	toApp,
	toAppOwner,
	toBusiness,
	toBusinessInstagramAccounts,
	toPage,
	toQuota,
	toWabaDetails,
	toWebhookConfiguration,
} from './responseParsing';
import type { Capability } from './types';

export const PAGE_FIELDS =
	'id,name,tasks,access_token,instagram_business_account{id,username,name,account_type}';
/** A Page token reads its own Page: no tasks, and the token is the caller's own. */
const PAGE_SELF_FIELDS = 'id,name,instagram_business_account{id,username,name,account_type}';
/** `messaging_limit_tier` is deprecated: the limit is read from its replacement field. */
export const WABA_FIELDS =
	'id,name,phone_numbers.limit(100){id,display_phone_number,verified_name,status,code_verification_status,name_status,quality_rating,whatsapp_business_manager_messaging_limit,throughput,platform_type,is_pin_enabled},message_templates.limit(250){id,name,status}';
/** The attached funding source (card or credit line); absent when Meta shows none. */
const WABA_PAYMENT_FIELDS = 'id,primary_funding_id';
const BUSINESS_FIELDS = 'id,name,verification_status';
const BUSINESS_WABA_FIELDS =
	'owned_whatsapp_business_accounts.limit(100){id,name},client_whatsapp_business_accounts.limit(100){id,name}';
const BUSINESS_INSTAGRAM_FIELDS =
	'id,owned_instagram_accounts.limit(100){id,username,account_type}';
export const APP_FIELDS = 'id,name';
/** https://developers.facebook.com/docs/graph-api/reference/application/ (owner_business). */
export const APP_OWNER_FIELDS = 'owner_business';

const WHATSAPP_SCOPES = ['whatsapp_business_management', 'whatsapp_business_messaging'];

/** One discovery run: what it checks, what it found so far, and the round trips it cost. */
export interface Session {
	itemIndex: number;
	discovery: Discovery;
	capabilities: Set<Capability>;
	targets: Targets;
	roundTrips: number;
}

/** One read of a batch, and where its answer goes. */
export interface PlannedRead {
	operation: BatchOperation;
	apply: (result: BatchResult<IDataObject> | undefined) => void;
}

function planned(
	relativeUrl: string,
	apply: (result: BatchResult<IDataObject> | undefined) => void,
): PlannedRead {
	return { operation: { method: 'GET', relativeUrl }, apply };
}

export function withFields(path: string, fields: string, extra = ''): string {
	return `${path}?fields=${encodeURIComponent(fields)}${extra}`;
}

/** Reads of the business portfolios: the WhatsApp accounts (required) and, apart, the Instagram accounts (optional). */
function planBusinessReads(session: Session): PlannedRead[] {
	const { discovery, capabilities } = session;
	const wantsInstagram = capabilities.has('instagramPublishing');
	const wantsWhatsApp = capabilities.has('whatsappMessaging');
	const reads: PlannedRead[] = [];
	if (wantsWhatsApp) {
		const fields = `${BUSINESS_FIELDS},${BUSINESS_WABA_FIELDS}`;
		reads.push(
			planned(withFields('me/businesses', fields, '&limit=100'), (result) => {
				discovery.businesses = fromBatch(result, (body) => edgeData(body).map(toBusiness));
			}),
		);
	}
	if (wantsInstagram) {
		reads.push(
			planned(withFields('me/businesses', BUSINESS_INSTAGRAM_FIELDS, '&limit=100'), (result) => {
				discovery.businessInstagramAccounts = fromBatch(result, toBusinessInstagramAccounts);
			}),
		);
	}
	return reads;
}

/**
 * Round trip 2: who the token is, its permissions, its Pages (with their Instagram accounts),
 * its business portfolios (with their WhatsApp and Instagram accounts) and the app, as one batch
 * of reads expanded with nested fields.
 */
export function planIdentityReads(
	session: Session,
	firstPages: { body?: IDataObject },
): PlannedRead[] {
	const { discovery, capabilities } = session;
	const tokenType = discovery.debugToken?.type;
	const appId = discovery.debugToken?.appId;
	const wantsInstagram = capabilities.has('instagramPublishing');
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
	if (canReadBusinesses && tokenType !== 'PAGE') reads.push(...planBusinessReads(session));
	if (appId) {
		reads.push(
			planned(withFields(appId, APP_FIELDS), (result) => {
				discovery.app = fromBatch(result, (body) => toApp(body, appId));
			}),
		);
		if (capabilities.has('whatsappMessaging')) {
			reads.push(
				planned(withFields(appId, APP_OWNER_FIELDS), (result) => {
					discovery.appOwner = fromBatch(result, toAppOwner);
				}),
			);
		}
	}
	return reads;
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
export function planAssetReads(session: Session): PlannedRead[] {
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
					if (result?.body && !result.error)
						waba.overrideByApp = subscribedAppOverrides(result.body);
				}),
				// Optional, so a refusal fails alone (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/).
				planned(withFields(wabaId, WABA_PAYMENT_FIELDS), (result) => {
					waba.paymentMethod = fromBatch(
						result,
						(body) => asString(body.primary_funding_id) ?? null,
					);
				}),
			);
		}
		// The selected number's webhook override rides in the same batch (its id is known).
		if (targets.phoneNumberId) reads.push(planPhoneWebhookRead(session, targets.phoneNumberId));
	}
	return reads;
}

/** GET /{phone-number-id}?fields=webhook_configuration (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override/). */
function planPhoneWebhookRead(session: Session, phoneNumberId: string): PlannedRead {
	const webhooks = (session.discovery.phoneWebhooks ??= new Map());
	return planned(withFields(phoneNumberId, 'webhook_configuration'), (result) => {
		webhooks.set(phoneNumberId, fromBatch(result, toWebhookConfiguration));
	});
}

/**
 * Without a selected number, the numbers found are known only after the account reads: their
 * webhook overrides cost one more batch (numbers of accounts the app is subscribed to only).
 */
export function planPhoneWebhookReads(session: Session, appId: string | undefined): PlannedRead[] {
	const { discovery, targets, capabilities } = session;
	if (!capabilities.has('whatsappMessaging') || targets.phoneNumberId || !appId) return [];
	return discovery.wabas
		.filter(
			(waba) =>
				waba.read.ok && waba.subscribedApps?.ok && waba.subscribedApps.value.includes(appId),
		)
		.flatMap((waba) => (waba.read.ok ? waba.read.value.phoneNumbers : []))
		.map((phone) => planPhoneWebhookRead(session, phone.id));
}
