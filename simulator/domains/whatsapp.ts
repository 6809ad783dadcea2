/**
 * WhatsApp Cloud API domain of the Meta Graph simulator
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
 *
 * Node types: WABA, PhoneNumber, Template, WAMedia, WASubscribedApp.
 * Routes: POST /{phone-number-id}/messages (every message type, mark as read), media upload,
 * media delete, the authenticated media download URL, and /{waba-id}/subscribed_apps writes.
 * Reads of WABAs, phone numbers, templates and media go through the engine's generic
 * `GET /{id}` and `GET /{id}/{edge}` with the resolvers below.
 *
 * 131047 (24-hour window closed) is ASYNCHRONOUS by default, as Meta reports it: the send answers
 * 200, the log entry carries `asyncError: 131047`, and the webhook module (simulator/webhooks/
 * domain.ts) sends the `failed` status. That module sets both modes below from
 * `settings.whatsappFailureMode` (default 'async') once this module's state exists; 'sync' (or
 * `getWhatsAppState(world).reEngagementMode = 'sync'`) makes the send itself fail instead.
 *
 * Media sent by `link` (message media, template and interactive header media) is fetched like
 * Meta's crawler does (`ctx.fetchMedia`, cached 10 minutes per URL) and checked against reference
 * C.2: an unreachable URL, a MIME type the message type does not take, bytes that do not match
 * the declared MIME type, or a file over the size limit give 131053 (Media upload error). Like
 * 131047 this is asynchronous by default (the log entry carries `asyncError: 131053` and
 * `asyncErrorDetails`, the `failed` status follows); 'sync' makes the send fail.
 *
 * The media limits below are this simulator's own reading of Meta's rules, deliberately NOT shared
 * with the node's tables, so that tests catch a mistake in the node's limits.
 */
import { createHash, createHmac, randomBytes } from 'crypto';

import { instagramDomain } from './instagram';
import type {
	DomainModule,
	FetchedMedia,
	GraphErrorSpec,
	GraphNodeType,
	GraphRef,
	RouteContext,
	ScenarioPhoneNumber,
	ScenarioTemplate,
	ScenarioWaba,
	SimResponse,
	World,
} from '../types';

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

export interface WhatsAppMediaRecord {
	id: string;
	phoneNumberId: string;
	mimeType: string;
	fileSize: number;
	sha256: string;
	filename?: string;
	data: Buffer;
	uploadedAt: number;
	deleted?: boolean;
}

/** One message Meta accepted (what the recipient will get). Tests assert exactly-once on it. */
export interface WhatsAppSentMessage {
	id: string;
	phoneNumberId: string;
	/** Recipient, digits only. */
	to: string;
	/** The `to` exactly as the request carried it. */
	input: string;
	type: string;
	payload: Record<string, unknown>;
	at: number;
	/** Templates: Meta's `message_status`. */
	messageStatus?: string;
	/** An error Meta would report later in a status webhook (e.g. 131047 in async mode). */
	asyncError?: number;
	/** Meta's `error_data.details` of `asyncError`, when there is one. */
	asyncErrorDetails?: string;
	/** Sent outside the recipient's customer service window (counts against the portfolio limit). */
	outsideWindow?: boolean;
}

export interface WhatsAppReadReceipt {
	phoneNumberId: string;
	messageId: string;
	typingIndicator: boolean;
	at: number;
}

export interface WhatsAppInboundMessage {
	id: string;
	phoneNumberId: string;
	from: string;
	at: number;
	text?: string;
}

export interface WhatsAppState {
	media: Map<string, WhatsAppMediaRecord>;
	sent: WhatsAppSentMessage[];
	reads: WhatsAppReadReceipt[];
	inbound: Map<string, WhatsAppInboundMessage>;
	/** waId -> ms of the last inbound message (overrides the scenario's lastInboundAgo). */
	lastInboundAt: Map<string, number>;
	/** Token bucket per phone number (throughput, 130429). */
	buckets: Map<string, { tokens: number; last: number }>;
	/** phoneNumberId:waId -> send times within the pair-rate window (131056). */
	pairs: Map<string, number[]>;
	reEngagementMode: 'sync' | 'async';
	/** 131053 for media links Meta cannot use: on the send (sync, default) or in a webhook (async). */
	mediaErrorMode: 'sync' | 'async';
	/** Media links Meta fetched: url -> result and when (Meta caches a link about 10 minutes). */
	fetchedLinks: Map<string, { at: number; media: FetchedMedia }>;
	/** Secret signing media download URLs. */
	urlSecret: string;
	/** Phone number id -> two-step verification PIN (`is_pin_enabled`; the onboarding domain sets it). */
	twoStepPins: Map<string, string>;
}

export function getWhatsAppState(world: World): WhatsAppState {
	if (!world.state.whatsapp) initState(world);
	return world.state.whatsapp as WhatsAppState;
}

/** Messages Meta accepted, oldest first. */
export function whatsappSentMessages(world: World): WhatsAppSentMessage[] {
	return getWhatsAppState(world).sent;
}

/**
 * Simulates a user writing to a business number: opens the 24-hour window and returns the
 * inbound message's id (usable for Mark as Read, reactions and replies).
 */
export function addInboundMessage(
	world: World,
	options: { phoneNumberId: string; from: string; text?: string; agoMs?: number },
): string {
	const state = getWhatsAppState(world);
	const from = options.from.replace(/\D/g, '');
	const at = world.now() - (options.agoMs ?? 0);
	const id = newWamid(from);
	state.inbound.set(id, { id, phoneNumberId: options.phoneNumberId, from, at, text: options.text });
	const previous = state.lastInboundAt.get(from);
	if (previous === undefined || previous < at) state.lastInboundAt.set(from, at);
	return id;
}

/** The id of the seeded inbound message of a scenario contact (one per contact with lastInboundAgo). */
export function seededInboundMessageId(waId: string): string {
	return `wamid.${Buffer.from(`inbound:${waId.replace(/\D/g, '')}`)
		.toString('base64')
		.replace(/=+$/, '')}`;
}

function initState(world: World): void {
	const state: WhatsAppState = {
		media: new Map(),
		sent: [],
		reads: [],
		inbound: new Map(),
		lastInboundAt: new Map(),
		buckets: new Map(),
		pairs: new Map(),
		reEngagementMode: 'sync',
		mediaErrorMode: 'sync',
		fetchedLinks: new Map(),
		urlSecret: randomBytes(16).toString('hex'),
		twoStepPins: new Map(),
	};
	world.state.whatsapp = state;
	for (const phone of world.phoneNumbers.values()) {
		const seed = phone as PlatformPhoneNumber;
		if (seed.twoStepPin ?? seed.isPinEnabled)
			state.twoStepPins.set(phone.id, seed.twoStepPin ?? '000000');
	}
	const firstPhone = [...world.phoneNumbers.values()][0];
	for (const contact of world.contacts.values()) {
		if (contact.lastInboundAgo === null || contact.lastInboundAgo === undefined) continue;
		const at = (world.startedAt - contact.lastInboundAgo) * 1000;
		const waId = contact.waId.replace(/\D/g, '');
		state.lastInboundAt.set(waId, at);
		const id = seededInboundMessageId(waId);
		state.inbound.set(id, { id, phoneNumberId: firstPhone?.id ?? '', from: waId, at });
	}
	for (const waba of world.wabas.values()) registerObject(world, waba.id, 'WABA', waba);
	for (const phone of world.phoneNumbers.values())
		registerObject(world, phone.id, 'PhoneNumber', phone);
	for (const template of world.templates.values()) {
		registerObject(world, template.id, 'Template', template);
	}
}

function registerObject(world: World, id: string, kind: string, obj: unknown): void {
	if (!world.objects.has(id)) world.objects.set(id, { kind, obj });
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;
const MEDIA_URL_TTL_MS = 5 * 60 * 1000;

function newWamid(recipientDigits: string): string {
	const raw = `\u0018\u000b${recipientDigits}\u0015\u0002\u0000\u0011\u0018\u0012${randomBytes(9).toString('hex').toUpperCase()}\u0000`;
	return `wamid.${Buffer.from(raw, 'binary').toString('base64')}`;
}

function digits(value: string): string {
	return value.replace(/\D/g, '');
}

function waFail(
	ctx: RouteContext,
	code: number,
	title: string,
	details?: string,
	status?: number,
): never {
	const spec: GraphErrorSpec = {
		code,
		message: `(#${code}) ${title}`,
		type: 'OAuthException',
		details,
		status,
	};
	return ctx.fail(spec);
}

function invalidParameter(ctx: RouteContext, details: string): never {
	return waFail(ctx, 100, 'Invalid parameter', details);
}

/** Business-scoped user ids: `US.13491208655302741918`, parent ids `US.ENT.11815799212886844830`. */
const BSUID = /^[A-Z]{2}\.(ENT\.)?\d{8,}$/;

/** BSUID -> the user's phone digits (who a BSUID send reaches); the webhook control fills it. */
export function businessScopedUserIds(world: World): Map<string, string> {
	world.state.businessScopedUserIds ??= new Map<string, string>();
	return world.state.businessScopedUserIds as Map<string, string>;
}

function missingParameter(ctx: RouteContext, details: string): never {
	return waFail(ctx, 131008, 'Required parameter is missing', details);
}

function invalidValue(ctx: RouteContext, details: string): never {
	return waFail(ctx, 131009, 'Parameter value is not valid', details);
}

function isObject(value: unknown): value is Record<string, any> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isValidUri(value: unknown): boolean {
	if (typeof value !== 'string') return false;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

function phoneDigits(phone: ScenarioPhoneNumber): string {
	return digits(phone.displayPhoneNumber);
}

/** The body of a POST as an object: JSON body, or the merged params for form posts. */
function bodyOf(ctx: RouteContext): Record<string, any> {
	const body = ctx.req.body;
	if (isObject(body)) return body;
	return ctx.req.params as Record<string, any>;
}

/** Parses a value that form posts carry as a JSON string. */
function objectParam(value: unknown): unknown {
	if (typeof value === 'string') {
		try {
			return JSON.parse(value);
		} catch {
			return value;
		}
	}
	return value;
}

function hasWhatsAppAccess(ctx: RouteContext, wabaId: string, scopes: string[]): boolean {
	const record = ctx.principal().tokenRecord;
	return scopes.some((scope) => {
		if (!record.scopes.includes(scope)) return false;
		const granular = record.granularScopes?.find((entry) => entry.scope === scope);
		if (!granular || !granular.targetIds) return true;
		return granular.targetIds.includes(wabaId);
	});
}

/** Meta answers code 200 when the token's user cannot reach this WhatsApp asset. */
function requireWhatsAppAccess(ctx: RouteContext, wabaId: string, scopes: string[]): void {
	if (hasWhatsAppAccess(ctx, wabaId, scopes)) return;
	ctx.fail({
		code: 200,
		message: `(#200) Permissions error`,
		details: `The access token needs ${scopes.join(' or ')} for WhatsApp Business Account ${wabaId}.`,
		status: 403,
	});
}

const MANAGEMENT = ['whatsapp_business_management'];
const MESSAGING = ['whatsapp_business_messaging'];
const EITHER = ['whatsapp_business_management', 'whatsapp_business_messaging'];

// ---------------------------------------------------------------------------------------------
// Node types
// ---------------------------------------------------------------------------------------------

function isEdgeRequest(ctx: RouteContext, edge: string): boolean {
	return ctx.req.path.replace(/\/+$/, '').endsWith(`/${edge}`);
}

function splitList(value: unknown): string[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const parsed = objectParam(value);
	if (Array.isArray(parsed)) return parsed.map((entry) => String(entry).toUpperCase());
	return String(value)
		.split(',')
		.map((entry) => entry.trim().toUpperCase())
		.filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Meta's 2026 platform fields: payment method, portfolio messaging limit, two-step PIN
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits,
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/two-step-verification)
// ---------------------------------------------------------------------------------------------

/** Scenario keys for the 2026 fields (types.ts keeps the common shape). */
interface PlatformScenario {
	/** WABAs that show no payment method (no `primary_funding_id`). */
	paymentMethodMissing?: string[];
	/** WABA id -> `whatsapp_business_manager_messaging_limit` (default: its first number's tier). */
	messagingLimitByWaba?: Record<string, string>;
}

/** Scenario keys a number may carry for the 2026 fields. */
type PlatformPhoneNumber = ScenarioPhoneNumber & { twoStepPin?: string; isPinEnabled?: boolean };

/** Unique people per rolling 24 h outside the service window, per tier. */
const TIER_PEOPLE: Record<string, number> = {
	TIER_50: 50,
	TIER_250: 250,
	TIER_1K: 1000,
	TIER_2K: 2000,
	TIER_10K: 10000,
	TIER_100K: 100000,
};

/** The two-step verification PIN of a number, if one is set. */
export function twoStepPinOf(world: World, phoneNumberId: string): string | undefined {
	return getWhatsAppState(world).twoStepPins.get(phoneNumberId);
}

/** Sets (or with undefined removes) the two-step verification PIN of a number. */
export function setTwoStepPin(world: World, phoneNumberId: string, pin: string | undefined): void {
	const pins = getWhatsAppState(world).twoStepPins;
	if (pin === undefined) pins.delete(phoneNumberId);
	else pins.set(phoneNumberId, pin);
}

function wabaMessagingLimit(waba: ScenarioWaba, ctx: RouteContext): string {
	const configured = (ctx.world.scenario as PlatformScenario).messagingLimitByWaba?.[waba.id];
	if (configured) return configured;
	const phone = [...ctx.world.phoneNumbers.values()].find((entry) => entry.wabaId === waba.id);
	return phone?.messagingLimitTier ?? 'TIER_250';
}

/**
 * The business portfolio messaging limit: different people reached outside their service window
 * in a rolling 24 h, shared by every number of the portfolio (the sender's tier applies). Meta
 * names no error for going over it; the simulator accepts the send and reports it `failed`
 * (131000 with details) in the status webhook, or refuses it with `portfolioLimitMode: 'sync'`.
 */
function portfolioLimitProblem(
	ctx: RouteContext,
	phone: ScenarioPhoneNumber,
	to: string,
): string | undefined {
	const limit = TIER_PEOPLE[phone.messagingLimitTier ?? 'TIER_250'];
	if (limit === undefined) return undefined;
	const owner = ctx.world.wabas.get(phone.wabaId)?.ownerBusinessId;
	const samePortfolio = new Set(
		[...ctx.world.phoneNumbers.values()]
			.filter((entry) => ctx.world.wabas.get(entry.wabaId)?.ownerBusinessId === owner)
			.map((entry) => entry.id),
	);
	const since = ctx.now() - DAY_MS;
	const reached = new Set<string>();
	for (const sent of getWhatsAppState(ctx.world).sent) {
		if (
			sent.outsideWindow &&
			sent.asyncError === undefined &&
			sent.at > since &&
			samePortfolio.has(sent.phoneNumberId)
		) {
			reached.add(sent.to);
		}
	}
	if (reached.has(to) || reached.size < limit) return undefined;
	return `The business portfolio reached its messaging limit (${limit} people per rolling 24 hours, ${phone.messagingLimitTier ?? 'TIER_250'}).`;
}

const wabaType: GraphNodeType<ScenarioWaba> = {
	kind: 'WABA',
	defaultFields: ['id', 'name'],
	fields: {
		id: (waba) => waba.id,
		name: (waba) => waba.name,
		currency: (waba) => waba.currency ?? 'USD',
		timezone_id: (waba) => waba.timezoneId ?? '1',
		message_template_namespace: (waba) =>
			waba.messageTemplateNamespace ?? createHash('md5').update(waba.id).digest('hex').slice(0, 36),
		account_review_status: (waba) => waba.accountReviewStatus ?? 'APPROVED',
		// Every WABA shows a funding id unless the scenario lists it as having no payment method.
		primary_funding_id: (waba, ctx) =>
			(ctx.world.scenario as PlatformScenario).paymentMethodMissing?.includes(waba.id)
				? undefined
				: `20${waba.id.slice(-13)}`,
		whatsapp_business_manager_messaging_limit: wabaMessagingLimit,
		owner_business_info: (waba, ctx) => {
			const business = ctx.world.businesses.get(waba.ownerBusinessId);
			return business ? { id: business.id, name: business.name } : { id: waba.ownerBusinessId };
		},
		phone_numbers: (waba, ctx): GraphRef[] => {
			requireWhatsAppAccess(ctx, waba.id, EITHER);
			return [...ctx.world.phoneNumbers.values()]
				.filter((phone) => phone.wabaId === waba.id)
				.map((phone) => ctx.ref('PhoneNumber', phone));
		},
		message_templates: (waba, ctx): GraphRef[] => {
			requireWhatsAppAccess(ctx, waba.id, EITHER);
			let templates = [...ctx.world.templates.values()].filter(
				(template) => template.wabaId === waba.id,
			);
			if (isEdgeRequest(ctx, 'message_templates')) {
				const params = ctx.req.params;
				const name = params.name ? String(params.name).toLowerCase() : undefined;
				const statuses = splitList(params.status);
				const categories = splitList(params.category);
				const languages = params.language
					? String(params.language)
							.split(',')
							.map((l) => l.trim())
					: undefined;
				templates = templates.filter(
					(template) =>
						(!name || template.name.toLowerCase().includes(name)) &&
						(!statuses || statuses.includes(template.status)) &&
						(!categories || categories.includes(template.category)) &&
						(!languages || languages.includes(template.language)),
				);
			}
			return templates.map((template) => ctx.ref('Template', template));
		},
		subscribed_apps: (waba, ctx): GraphRef[] => {
			requireWhatsAppAccess(ctx, waba.id, MANAGEMENT);
			return (waba.subscribedAppIds ?? [])
				.map((appId) => ctx.world.apps.get(appId) ?? { id: appId, name: appId })
				.map((app) => ctx.ref('WASubscribedApp', app));
		},
	},
};

const phoneNumberType: GraphNodeType<ScenarioPhoneNumber> = {
	kind: 'PhoneNumber',
	defaultFields: [
		'verified_name',
		'code_verification_status',
		'display_phone_number',
		'quality_rating',
		'platform_type',
		'throughput',
		'id',
	],
	fields: {
		id: (phone) => phone.id,
		display_phone_number: (phone) => phone.displayPhoneNumber,
		verified_name: (phone) => phone.verifiedName,
		quality_rating: (phone) => phone.qualityRating ?? 'GREEN',
		code_verification_status: (phone) => phone.codeVerificationStatus ?? 'VERIFIED',
		name_status: (phone) => phone.nameStatus ?? 'APPROVED',
		status: (phone) => phone.status ?? 'CONNECTED',
		platform_type: (phone) => phone.platformType ?? 'CLOUD_API',
		throughput: (phone) => ({ level: phone.throughputLevel ?? 'STANDARD' }),
		messaging_limit_tier: (phone) => phone.messagingLimitTier ?? 'TIER_250',
		whatsapp_business_manager_messaging_limit: (phone) => phone.messagingLimitTier ?? 'TIER_250',
		is_official_business_account: () => false,
		account_mode: (phone) => (phone.isTestNumber ? 'SANDBOX' : 'LIVE'),
		is_pin_enabled: (phone, ctx) => twoStepPinOf(ctx.world, phone.id) !== undefined,
		certificate: (phone) =>
			phone.status === 'CONNECTED' || phone.status === undefined ? undefined : 'CmEKHQ...',
		new_name_status: () => 'NONE',
		last_onboarded_time: (phone, ctx) =>
			new Date(ctx.world.startedAt * 1000 - 90 * DAY_MS)
				.toISOString()
				.replace(/\.\d{3}Z$/, '+0000'),
		whatsapp_business_account: (phone, ctx) => {
			const waba = ctx.world.wabas.get(phone.wabaId);
			return waba ? ctx.ref('WABA', waba) : undefined;
		},
	},
};

const templateType: GraphNodeType<ScenarioTemplate> = {
	kind: 'Template',
	defaultFields: ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'id'],
	fields: {
		id: (template) => template.id,
		name: (template) => template.name,
		language: (template) => template.language,
		status: (template) => template.status,
		category: (template) => template.category,
		parameter_format: (template) => template.parameterFormat ?? 'POSITIONAL',
		components: (template) => template.components,
		quality_score: () => ({ score: 'UNKNOWN', date: 0 }),
		rejected_reason: (template) => (template.status === 'REJECTED' ? 'INVALID_FORMAT' : 'NONE'),
	},
};

const mediaType: GraphNodeType<WhatsAppMediaRecord> = {
	kind: 'WAMedia',
	defaultFields: ['messaging_product', 'url', 'mime_type', 'sha256', 'file_size', 'id'],
	fields: {
		messaging_product: (media, ctx) => {
			mediaAccessCheck(media, ctx);
			return 'whatsapp';
		},
		url: (media, ctx) => {
			mediaAccessCheck(media, ctx);
			return mediaUrl(ctx, media);
		},
		mime_type: (media) => media.mimeType,
		sha256: (media) => media.sha256,
		file_size: (media) => media.fileSize,
		id: (media) => media.id,
	},
};

const subscribedAppType: GraphNodeType<{ id: string; name: string }> = {
	kind: 'WASubscribedApp',
	defaultFields: ['whatsapp_business_api_data'],
	fields: {
		whatsapp_business_api_data: (app) => ({
			id: app.id,
			link: `https://www.facebook.com/games/?app_id=${app.id}`,
			name: app.name,
		}),
	},
};

function mediaAccessCheck(media: WhatsAppMediaRecord, ctx: RouteContext): void {
	if (media.deleted) {
		ctx.fail({
			code: 100,
			subcode: 33,
			type: 'GraphMethodException',
			message: `Unsupported get request. Object with ID '${media.id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
		});
	}
	const phone = ctx.world.phoneNumbers.get(media.phoneNumberId);
	if (phone) requireWhatsAppAccess(ctx, phone.wabaId, EITHER);
	const askedFor = ctx.req.params.phone_number_id;
	if (askedFor !== undefined && String(askedFor) !== media.phoneNumberId) {
		invalidParameter(ctx, `Media ${media.id} does not belong to phone number ${String(askedFor)}.`);
	}
}

function signMedia(secret: string, mediaId: string, expires: number): string {
	return createHmac('sha256', secret).update(`${mediaId}:${expires}`).digest('hex').slice(0, 32);
}

/**
 * The origin the client called (its Host header), so a media URL points back at the address the
 * credential's Graph API Base URL uses (localhost, 127.0.0.1 or a proxy name): the node only sends
 * the token to that origin or to Meta's hosts.
 */
function requestOrigin(ctx: RouteContext): string {
	const host = ctx.req.headers.host;
	if (!host || !/^[A-Za-z0-9.\-\[\]:]+$/.test(host)) return ctx.baseUrl;
	const protocol = new URL(ctx.baseUrl).protocol;
	return `${protocol}//${host}`;
}

function mediaUrl(ctx: RouteContext, media: WhatsAppMediaRecord): string {
	const state = getWhatsAppState(ctx.world);
	const expires = ctx.now() + MEDIA_URL_TTL_MS;
	const ext = media.mimeType.split('/')[1]?.split(';')[0] ?? 'bin';
	const hash = signMedia(state.urlSecret, media.id, expires);
	return `${requestOrigin(ctx)}/whatsapp_business/attachments?mid=${media.id}&ext=${expires}&hash=${hash}&type=${encodeURIComponent(ext)}`;
}

// ---------------------------------------------------------------------------------------------
// Sending: validation per message type (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages)
// ---------------------------------------------------------------------------------------------

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];
const SUPPORTED_TYPES = [
	'text',
	'template',
	'interactive',
	'location',
	'contacts',
	'reaction',
	...MEDIA_TYPES,
];

/** A media link to fetch once the rest of the request is valid. */
interface MediaLink {
	type: string;
	link: string;
}

function validateMediaObject(
	ctx: RouteContext,
	type: string,
	value: unknown,
	phoneNumberId: string,
	links: MediaLink[],
): void {
	if (!isObject(value)) missingParameter(ctx, `Parameter ${type} is required for type ${type}.`);
	const hasId = value.id !== undefined && value.id !== '';
	const hasLink = value.link !== undefined && value.link !== '';
	if (!hasId && !hasLink) missingParameter(ctx, `${type} requires either id or link.`);
	if (hasId && hasLink) invalidParameter(ctx, `${type} takes either id or link, not both.`);
	if (hasId) {
		const media = getWhatsAppState(ctx.world).media.get(String(value.id));
		if (!media || media.deleted || media.phoneNumberId !== phoneNumberId) {
			invalidParameter(
				ctx,
				`${String(value.id)} is not a valid whatsapp business account media attachment ID`,
			);
		}
	} else if (!isValidUri(value.link)) {
		invalidParameter(ctx, `${String(value.link)} is not a valid URI.`);
	} else {
		links.push({ type, link: String(value.link) });
	}
	if ((type === 'audio' || type === 'sticker') && value.caption !== undefined) {
		invalidParameter(ctx, `Param ${type}['caption'] is not supported for ${type} messages.`);
	}
	if (value.caption !== undefined && String(value.caption).length > 1024) {
		invalidParameter(ctx, `Param ${type}['caption'] must be at most 1024 characters long.`);
	}
}

// Media links (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types):
// what Meta's crawler gets must be usable as the message type.

const LINK_CACHE_MS = 10 * 60 * 1000;
/** Bytes of a fetched link kept in the cache: enough for every header check below. */
const LINK_HEAD_BYTES = 4096;
const STATIC_STICKER_MAX_BYTES = 100 * 1024;
const ANIMATED_STICKER_MAX_BYTES = 500 * 1024;

/** MIME types each recognised file format may be declared as. */
const FORMAT_MIME_TYPES: Record<string, string[]> = {
	jpeg: ['image/jpeg'],
	png: ['image/png'],
	webp: ['image/webp'],
	gif: ['image/gif'],
	mp4: ['video/mp4', 'video/3gpp', 'audio/mp4'],
	mov: ['video/quicktime'],
	pdf: ['application/pdf'],
	ogg: ['audio/ogg'],
	mp3: ['audio/mpeg', 'audio/aac'],
};

/** Types whose every accepted format the crawler recognises (unrecognised bytes = mismatch). */
const FULLY_RECOGNISED_TYPES = ['image', 'video', 'sticker'];

async function fetchLink(ctx: RouteContext, link: string): Promise<FetchedMedia> {
	const state = getWhatsAppState(ctx.world);
	const cached = state.fetchedLinks.get(link);
	if (cached && ctx.now() - cached.at < LINK_CACHE_MS) return cached.media;
	const media = await ctx.fetchMedia(link);
	if (media.ok) {
		state.fetchedLinks.set(link, {
			at: ctx.now(),
			media: { ...media, data: media.data.subarray(0, LINK_HEAD_BYTES) },
		});
	}
	return media;
}

/** Why Meta cannot send this link as `type` (131053's details), or undefined when it can. */
function mediaLinkProblem(type: string, link: string, media: FetchedMedia): string | undefined {
	if (!media.ok) {
		return media.status
			? `Downloading media from weblink failed with http code ${media.status}. URL: ${link}`
			: `Downloading media from weblink failed: no answer from the server. URL: ${link}`;
	}
	const rule = MEDIA_RULES.find((candidate) => candidate.kind === type);
	if (!rule) return undefined;
	const mimeType = (media.contentType ?? '').split(';')[0].trim().toLowerCase();
	if (!rule.mimeTypes.includes(mimeType)) {
		return `Unsupported ${type} mime type ${mimeType || '(none)'}. Please use one of ${rule.mimeTypes.join(', ')}.`;
	}
	const formatMimes = media.format ? FORMAT_MIME_TYPES[media.format] : undefined;
	if (media.format ? !formatMimes?.includes(mimeType) : FULLY_RECOGNISED_TYPES.includes(type)) {
		return `The media's content (${media.format ?? 'unrecognised'}) does not match its mime type ${mimeType}.`;
	}
	if (mimeType === 'audio/ogg' && !media.data.includes('OpusHead')) {
		return 'OGG audio must use the Opus codec.';
	}
	let maxBytes = rule.maxBytes;
	if (type === 'sticker') {
		// VP8X flags byte, animation bit (static stickers are limited to 100 KB).
		const animated =
			media.data.toString('latin1', 12, 16) === 'VP8X' && (media.data[20] & 0x02) !== 0;
		maxBytes = animated ? ANIMATED_STICKER_MAX_BYTES : STATIC_STICKER_MAX_BYTES;
	}
	if (media.bytes > maxBytes) {
		return `The ${type} is ${media.bytes} bytes; the maximum for this type is ${maxBytes} bytes.`;
	}
	return undefined;
}

/** Fetches every link; the first one Meta cannot use gives its 131053 details. */
async function firstMediaLinkProblem(
	ctx: RouteContext,
	links: MediaLink[],
): Promise<string | undefined> {
	for (const { type, link } of links) {
		const problem = mediaLinkProblem(type, link, await fetchLink(ctx, link));
		if (problem) return problem;
	}
	return undefined;
}

function checkLength(ctx: RouteContext, value: unknown, max: number, name: string): void {
	if (value !== undefined && String(value).length > max) {
		invalidParameter(ctx, `Param ${name} must be at most ${max} characters long.`);
	}
}

/**
 * Header of a reply-button message: text, or image / video / document media
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages).
 */
function validateMediaHeader(
	ctx: RouteContext,
	header: unknown,
	phoneNumberId: string,
	links: MediaLink[],
): void {
	if (!isObject(header) || !['text', 'image', 'video', 'document'].includes(header.type)) {
		invalidParameter(
			ctx,
			"Param interactive['header']['type'] must be text, image, video or document.",
		);
	}
	if (header.type === 'text') {
		if (!header.text) missingParameter(ctx, "Param interactive['header']['text'] is required.");
		checkLength(ctx, header.text, 60, "interactive['header']['text']");
		return;
	}
	validateMediaObject(ctx, header.type, header[header.type], phoneNumberId, links);
	if (header[header.type].caption !== undefined) {
		invalidParameter(
			ctx,
			`Param interactive['header']['${String(header.type)}']['caption'] is not supported.`,
		);
	}
}

function validateInteractive(
	ctx: RouteContext,
	value: unknown,
	phoneNumberId: string,
	links: MediaLink[],
): void {
	if (!isObject(value))
		missingParameter(ctx, 'Parameter interactive is required for type interactive.');
	const kind = value.type;
	if (!['button', 'list', 'cta_url'].includes(kind)) {
		invalidParameter(ctx, `Param interactive['type'] must be one of {BUTTON, LIST, CTA_URL}.`);
	}
	if (!isObject(value.body) || !value.body.text) {
		missingParameter(ctx, "Param interactive['body']['text'] is required.");
	}
	checkLength(ctx, value.footer?.text, 60, "interactive['footer']['text']");
	const action = value.action;
	if (!isObject(action)) missingParameter(ctx, "Param interactive['action'] is required.");
	if (kind === 'button') {
		checkLength(ctx, value.body.text, 1024, "interactive['body']['text']");
		const buttons = action.buttons;
		if (!Array.isArray(buttons) || buttons.length === 0) {
			missingParameter(ctx, "Param interactive['action']['buttons'] is required.");
		}
		if (buttons.length > 3)
			invalidParameter(ctx, "Param interactive['action']['buttons'] must have at most 3 elements.");
		const ids = new Set<string>();
		buttons.forEach((button: any, index: number) => {
			const reply = button?.reply;
			if (!isObject(reply) || !reply.id || !reply.title) {
				missingParameter(
					ctx,
					`Param interactive['action']['buttons'][${index}]['reply'] needs id and title.`,
				);
			}
			checkLength(
				ctx,
				reply.title,
				20,
				`interactive['action']['buttons'][${index}]['reply']['title']`,
			);
			checkLength(ctx, reply.id, 256, `interactive['action']['buttons'][${index}]['reply']['id']`);
			if (ids.has(String(reply.id))) invalidParameter(ctx, 'Button ids must be unique.');
			ids.add(String(reply.id));
		});
		if (value.header !== undefined) validateMediaHeader(ctx, value.header, phoneNumberId, links);
	} else if (kind === 'list') {
		checkLength(ctx, value.body.text, 4096, "interactive['body']['text']");
		if (value.header !== undefined && value.header?.type !== 'text') {
			invalidParameter(ctx, "Param interactive['header']['type'] must be text for list messages.");
		}
		checkLength(ctx, value.header?.text, 60, "interactive['header']['text']");
		if (!action.button) missingParameter(ctx, "Param interactive['action']['button'] is required.");
		checkLength(ctx, action.button, 20, "interactive['action']['button']");
		const sections = action.sections;
		if (!Array.isArray(sections) || sections.length === 0) {
			missingParameter(ctx, "Param interactive['action']['sections'] is required.");
		}
		if (sections.length > 10)
			invalidParameter(
				ctx,
				"Param interactive['action']['sections'] must have at most 10 elements.",
			);
		let rows = 0;
		const ids = new Set<string>();
		sections.forEach((section: any, s: number) => {
			if (sections.length > 1 && !section?.title) {
				missingParameter(
					ctx,
					`Param interactive['action']['sections'][${s}]['title'] is required with several sections.`,
				);
			}
			checkLength(ctx, section?.title, 24, `interactive['action']['sections'][${s}]['title']`);
			const sectionRows = section?.rows;
			if (!Array.isArray(sectionRows) || sectionRows.length === 0) {
				missingParameter(ctx, `Param interactive['action']['sections'][${s}]['rows'] is required.`);
			}
			sectionRows.forEach((row: any, r: number) => {
				rows++;
				const name = `interactive['action']['sections'][${s}]['rows'][${r}]`;
				if (!row?.id || !row?.title) missingParameter(ctx, `Param ${name} needs id and title.`);
				checkLength(ctx, row.id, 200, `${name}['id']`);
				checkLength(ctx, row.title, 24, `${name}['title']`);
				checkLength(ctx, row.description, 72, `${name}['description']`);
				if (ids.has(String(row.id))) invalidParameter(ctx, 'Row ids must be unique.');
				ids.add(String(row.id));
			});
		});
		if (rows > 10) invalidParameter(ctx, 'A list message can have at most 10 rows in total.');
	} else {
		checkLength(ctx, value.body.text, 1024, "interactive['body']['text']");
		const parameters = action.parameters;
		if (action.name !== 'cta_url' || !isObject(parameters)) {
			missingParameter(ctx, "Param interactive['action'] needs name 'cta_url' and parameters.");
		}
		if (!parameters.display_text || !parameters.url) {
			missingParameter(
				ctx,
				"Param interactive['action']['parameters'] needs display_text and url.",
			);
		}
		checkLength(
			ctx,
			parameters.display_text,
			20,
			"interactive['action']['parameters']['display_text']",
		);
		if (!isValidUri(parameters.url))
			invalidParameter(ctx, `${String(parameters.url)} is not a valid URI.`);
	}
}

function validateLocation(ctx: RouteContext, value: unknown): void {
	if (!isObject(value)) missingParameter(ctx, 'Parameter location is required for type location.');
	if (value.latitude === undefined || value.longitude === undefined) {
		missingParameter(ctx, 'location requires latitude and longitude.');
	}
	const latitude = Number(value.latitude);
	const longitude = Number(value.longitude);
	if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
		invalidParameter(ctx, "Param location['latitude'] must be between -90 and 90.");
	}
	if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
		invalidParameter(ctx, "Param location['longitude'] must be between -180 and 180.");
	}
}

function validateContacts(ctx: RouteContext, value: unknown): void {
	if (!Array.isArray(value) || value.length === 0) {
		missingParameter(ctx, 'Parameter contacts is required for type contacts.');
	}
	value.forEach((contact: any, index: number) => {
		if (!isObject(contact?.name) || !contact.name.formatted_name) {
			missingParameter(ctx, `Param contacts[${index}]['name']['formatted_name'] is required.`);
		}
	});
}

function validateReaction(ctx: RouteContext, value: unknown): void {
	if (!isObject(value)) missingParameter(ctx, 'Parameter reaction is required for type reaction.');
	if (!value.message_id) missingParameter(ctx, "Param reaction['message_id'] is required.");
	if (value.emoji === undefined) missingParameter(ctx, "Param reaction['emoji'] is required.");
}

/** Placeholders of a template text: positional {{1}} or named {{first_name}}. */
export function templatePlaceholders(text: unknown): string[] {
	if (typeof text !== 'string') return [];
	const found: string[] = [];
	for (const match of text.matchAll(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g)) {
		if (!found.includes(match[1])) found.push(match[1]);
	}
	return found;
}

function componentOf(template: ScenarioTemplate, type: string): Record<string, any> | undefined {
	return template.components.find((component) => String(component.type).toUpperCase() === type) as
		Record<string, any> | undefined;
}

function countMismatch(ctx: RouteContext, component: string, got: number, expected: number): never {
	return waFail(
		ctx,
		132000,
		'Number of parameters does not match the expected number of params',
		`${component}: number of localizable_params (${got}) does not match the expected number of params (${expected})`,
	);
}

function checkTextParameters(
	ctx: RouteContext,
	template: ScenarioTemplate,
	componentName: string,
	expected: string[],
	parameters: any[],
): void {
	const named = (template.parameterFormat ?? 'POSITIONAL') === 'NAMED';
	if (parameters.length !== expected.length)
		countMismatch(ctx, componentName, parameters.length, expected.length);
	for (const parameter of parameters) {
		if (!isObject(parameter) || !parameter.type) {
			missingParameter(ctx, `${componentName}: every parameter needs a type.`);
		}
		if (!['text', 'currency', 'date_time'].includes(parameter.type)) {
			waFail(
				ctx,
				132012,
				'Parameter format does not match format in the created template',
				`${componentName}: expected text parameters.`,
			);
		}
		if (parameter.type === 'text' && (parameter.text === undefined || parameter.text === '')) {
			missingParameter(ctx, `${componentName}: parameter text is required.`);
		}
		if (named) {
			if (!parameter.parameter_name || !expected.includes(parameter.parameter_name)) {
				waFail(
					ctx,
					132000,
					'Number of parameters does not match the expected number of params',
					`${componentName}: named parameters expected: ${expected.join(', ')}; got parameter_name ${String(parameter.parameter_name ?? '(none)')}`,
				);
			}
		}
	}
}

function validateTemplate(
	ctx: RouteContext,
	value: unknown,
	phone: ScenarioPhoneNumber,
	links: MediaLink[],
): string {
	if (!isObject(value)) missingParameter(ctx, 'Parameter template is required for type template.');
	if (!value.name) missingParameter(ctx, "Param template['name'] is required.");
	const languageCode = isObject(value.language) ? value.language.code : value.language;
	if (!languageCode) missingParameter(ctx, "Param template['language']['code'] is required.");
	const template = [...ctx.world.templates.values()].find(
		(candidate) =>
			candidate.wabaId === phone.wabaId &&
			candidate.name === value.name &&
			candidate.language === languageCode,
	);
	if (!template || !['APPROVED', 'PAUSED', 'DISABLED'].includes(template.status)) {
		waFail(
			ctx,
			132001,
			'Template name does not exist in the translation',
			`template name (${String(value.name)}) does not exist in ${String(languageCode)}`,
		);
	}
	if (template.status === 'PAUSED') {
		waFail(
			ctx,
			132015,
			'Template is paused',
			`Template ${template.name} is paused because of low quality.`,
		);
	}
	if (template.status === 'DISABLED') {
		waFail(ctx, 132016, 'Template is disabled', `Template ${template.name} has been disabled.`);
	}
	const components: any[] = value.components === undefined ? [] : value.components;
	if (!Array.isArray(components))
		invalidParameter(ctx, "Param template['components'] must be an array.");
	const sent = (type: string) =>
		components.filter((component) => String(component?.type).toLowerCase() === type);

	// Header
	const header = componentOf(template, 'HEADER');
	const sentHeader = sent('header')[0];
	const headerParams: any[] = sentHeader?.parameters ?? [];
	const headerFormat = String(header?.format ?? 'TEXT').toUpperCase();
	if (header && headerFormat === 'TEXT') {
		checkTextParameters(ctx, template, 'header', templatePlaceholders(header.text), headerParams);
	} else if (header && ['IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'].includes(headerFormat)) {
		if (headerParams.length !== 1) countMismatch(ctx, 'header', headerParams.length, 1);
		const parameter = headerParams[0];
		const expectedType = headerFormat.toLowerCase();
		if (parameter?.type !== expectedType) {
			waFail(
				ctx,
				132012,
				'Parameter format does not match format in the created template',
				`header: format mismatch, expected ${headerFormat}, received ${String(parameter?.type).toUpperCase()}`,
			);
		}
		if (expectedType === 'location') validateLocation(ctx, parameter.location);
		else validateMediaObject(ctx, expectedType, parameter[expectedType], phone.id, links);
	} else if (!header && headerParams.length > 0) {
		countMismatch(ctx, 'header', headerParams.length, 0);
	}

	// Body
	const body = componentOf(template, 'BODY');
	const bodyParams: any[] = sent('body')[0]?.parameters ?? [];
	checkTextParameters(ctx, template, 'body', templatePlaceholders(body?.text), bodyParams);

	// Buttons
	const definedButtons: any[] = (componentOf(template, 'BUTTONS')?.buttons as any[]) ?? [];
	const sentButtons = sent('button');
	for (const button of sentButtons) {
		const index = Number(button.index);
		const defined = definedButtons[index];
		if (!defined) {
			invalidParameter(
				ctx,
				`Template ${template.name} has no button at index ${String(button.index)}.`,
			);
		}
		const expectedSubType = String(defined.type).toLowerCase();
		if (String(button.sub_type).toLowerCase() !== expectedSubType) {
			waFail(
				ctx,
				132012,
				'Parameter format does not match format in the created template',
				`button at index ${index}: expected sub_type ${expectedSubType}, received ${String(button.sub_type)}`,
			);
		}
		const parameters: any[] = button.parameters ?? [];
		if (expectedSubType === 'url') {
			const expected = templatePlaceholders(defined.url).length;
			if (parameters.length !== expected)
				countMismatch(ctx, `button at index ${index}`, parameters.length, expected);
		} else if (expectedSubType === 'quick_reply') {
			if (parameters.length > 0 && parameters[0]?.type !== 'payload') {
				waFail(
					ctx,
					132012,
					'Parameter format does not match format in the created template',
					`button at index ${index}: expected a payload parameter.`,
				);
			}
		} else if (expectedSubType === 'copy_code') {
			if (parameters.length !== 1)
				countMismatch(ctx, `button at index ${index}`, parameters.length, 1);
			if (parameters[0]?.type !== 'coupon_code' || !parameters[0]?.coupon_code) {
				waFail(
					ctx,
					132012,
					'Parameter format does not match format in the created template',
					`button at index ${index}: expected a coupon_code parameter.`,
				);
			}
		}
	}
	definedButtons.forEach((defined, index) => {
		const type = String(defined.type).toUpperCase();
		const needsParameter =
			(type === 'URL' && templatePlaceholders(defined.url).length > 0) || type === 'COPY_CODE';
		if (needsParameter && !sentButtons.some((button) => Number(button.index) === index)) {
			countMismatch(ctx, `button at index ${index}`, 0, 1);
		}
	});
	return 'accepted';
}

function throttle(ctx: RouteContext, phone: ScenarioPhoneNumber): void {
	const state = getWhatsAppState(ctx.world);
	const rate = phone.throughputPerSecond ?? ctx.world.settings.throughputPerSecond;
	if (!rate || rate <= 0) return;
	const now = ctx.now();
	const bucket = state.buckets.get(phone.id) ?? { tokens: rate, last: now };
	bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.last) * rate) / 1000);
	bucket.last = now;
	state.buckets.set(phone.id, bucket);
	if (bucket.tokens < 1) {
		waFail(
			ctx,
			130429,
			'Rate limit hit',
			'Cloud API message throughput has been reached.',
			ctx.world.settings.whatsappThrottleHttpStatus,
		);
	}
	bucket.tokens -= 1;
}

function pairRate(ctx: RouteContext, phone: ScenarioPhoneNumber, to: string): void {
	const state = getWhatsAppState(ctx.world);
	const burst = ctx.world.settings.pairRateBurst;
	const windowMs = ctx.world.settings.pairRateWindowMs;
	if (!burst || !windowMs) return;
	const key = `${phone.id}:${to}`;
	const now = ctx.now();
	const times = (state.pairs.get(key) ?? []).filter((at) => now - at < windowMs);
	if (times.length >= burst) {
		state.pairs.set(key, times);
		waFail(
			ctx,
			131056,
			'(Business Account, Consumer Account) pair rate limit hit',
			'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
			ctx.world.settings.whatsappThrottleHttpStatus,
		);
	}
	times.push(now);
	state.pairs.set(key, times);
}

function windowOpen(ctx: RouteContext, to: string): boolean {
	const last = getWhatsAppState(ctx.world).lastInboundAt.get(to);
	return last !== undefined && ctx.now() - last < DAY_MS;
}

function knownMessage(world: World, phoneNumberId: string, messageId: string): boolean {
	const state = getWhatsAppState(world);
	const inbound = state.inbound.get(messageId);
	if (inbound) return true;
	return state.sent.some(
		(message) => message.id === messageId && message.phoneNumberId === phoneNumberId,
	);
}

function phoneFor(ctx: RouteContext): ScenarioPhoneNumber {
	const phone = ctx.world.phoneNumbers.get(ctx.match.phoneNumberId);
	if (!phone) {
		ctx.principal();
		ctx.fail({
			code: 100,
			subcode: 33,
			type: 'GraphMethodException',
			message: `Unsupported post request. Object with ID '${ctx.match.phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
		});
	}
	return phone;
}

function checkPhoneCanSend(ctx: RouteContext, phone: ScenarioPhoneNumber): void {
	const status = phone.status ?? 'CONNECTED';
	if (['PENDING', 'DISCONNECTED', 'UNVERIFIED', 'DELETED', 'MIGRATED'].includes(status)) {
		waFail(
			ctx,
			133010,
			'Account not registered',
			`Phone number ${phone.id} is not registered on the Cloud API (status ${status}).`,
		);
	}
	if (['BANNED', 'RESTRICTED'].includes(status)) {
		waFail(
			ctx,
			368,
			'Temporarily blocked for policies violations',
			`Phone number ${phone.id} is ${status}.`,
		);
	}
}

async function sendMessage(ctx: RouteContext): Promise<SimResponse> {
	const phone = phoneFor(ctx);
	ctx.principal();
	requireWhatsAppAccess(ctx, phone.wabaId, MESSAGING);
	const state = getWhatsAppState(ctx.world);
	const body = bodyOf(ctx);
	if (body.messaging_product === undefined) {
		missingParameter(ctx, 'The parameter messaging_product is required.');
	}
	if (body.messaging_product !== 'whatsapp') {
		invalidParameter(ctx, "Param messaging_product must be 'whatsapp'.");
	}
	checkPhoneCanSend(ctx, phone);

	// Mark as read (optionally with the typing indicator)
	if (body.status !== undefined) {
		if (body.status !== 'read') invalidParameter(ctx, "Param status must be 'read'.");
		if (!body.message_id) missingParameter(ctx, 'The parameter message_id is required.');
		throttle(ctx, phone);
		const inbound = state.inbound.get(String(body.message_id));
		if (!inbound || ctx.now() - inbound.at > 30 * DAY_MS) {
			invalidValue(
				ctx,
				`Message ${String(body.message_id)} is not a message this number received in the last 30 days.`,
			);
		}
		const typing = objectParam(body.typing_indicator);
		if (typing !== undefined && (!isObject(typing) || typing.type !== 'text')) {
			invalidParameter(ctx, "Param typing_indicator['type'] must be 'text'.");
		}
		state.reads.push({
			phoneNumberId: phone.id,
			messageId: String(body.message_id),
			typingIndicator: typing !== undefined,
			at: ctx.now(),
		});
		return { body: { success: true } };
	}

	throttle(ctx, phone);
	if (body.recipient_type !== undefined && !['individual', 'group'].includes(body.recipient_type)) {
		invalidParameter(ctx, "Param recipient_type must be 'individual' or 'group'.");
	}
	// A business-scoped user id goes in `recipient`; `to` wins when both are given. A BSUID put in
	// `to` is taken as a phone number by Meta: 200, and the message never arrives (see below).
	// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
	const bsuid =
		(body.to === undefined || body.to === '') && typeof body.recipient === 'string'
			? body.recipient
			: undefined;
	if (bsuid !== undefined && !BSUID.test(bsuid))
		invalidValue(ctx, `Recipient ${bsuid} is not a valid business-scoped user ID.`);
	if (bsuid === undefined && (body.to === undefined || body.to === ''))
		missingParameter(ctx, 'The parameter to is required.');
	const input = bsuid ?? String(body.to);
	const bsuidInTo = bsuid === undefined && BSUID.test(input);
	const to =
		bsuid !== undefined
			? (businessScopedUserIds(ctx.world).get(bsuid) ?? '')
			: bsuidInTo
				? digits(input.replace(/^[A-Z]{2}\./, ''))
				: digits(input);
	if (bsuid !== undefined && !to) {
		waFail(
			ctx,
			131026,
			'Message undeliverable',
			`No WhatsApp user has the business-scoped user ID ${bsuid} in this portfolio.`,
		);
	}
	if (
		bsuid === undefined &&
		!bsuidInTo &&
		(!/^\+?[\d\s\-().]+$/.test(input) || to.length < 7 || to.length > 15)
	) {
		invalidValue(ctx, `Recipient phone number ${input} is not a valid phone number.`);
	}
	if (to === phoneDigits(phone)) {
		waFail(
			ctx,
			131021,
			'Recipient cannot be sender',
			'Sender and recipient phone number is the same.',
		);
	}
	if (phone.isTestNumber && !(phone.allowedRecipients ?? []).map(digits).includes(to)) {
		waFail(
			ctx,
			131030,
			'Recipient phone number not in allowed list',
			'Add the recipient phone number to the recipient list in the App Dashboard (WhatsApp > API Setup) and try again.',
		);
	}
	const type = body.type === undefined ? 'text' : String(body.type);
	if (!SUPPORTED_TYPES.includes(type)) {
		waFail(ctx, 131051, 'Unsupported message type', `Message type ${type} is not supported.`);
	}
	const payload = objectParam(body[type]);
	const links: MediaLink[] = [];
	let messageStatus: string | undefined;
	switch (type) {
		case 'text': {
			if (!isObject(payload) || payload.body === undefined || payload.body === '') {
				missingParameter(ctx, "The parameter text['body'] is required.");
			}
			checkLength(ctx, payload.body, 4096, "text['body']");
			break;
		}
		case 'template':
			messageStatus = validateTemplate(ctx, payload, phone, links);
			break;
		case 'interactive':
			validateInteractive(ctx, payload, phone.id, links);
			break;
		case 'location':
			validateLocation(ctx, payload);
			break;
		case 'contacts':
			validateContacts(ctx, payload);
			break;
		case 'reaction':
			validateReaction(ctx, payload);
			break;
		default:
			validateMediaObject(ctx, type, payload, phone.id, links);
	}
	let asyncError: number | undefined;
	let asyncErrorDetails: string | undefined;
	pairRate(ctx, phone, to);
	if (type !== 'template' && !windowOpen(ctx, to)) {
		if (state.reEngagementMode === 'sync') {
			waFail(
				ctx,
				131047,
				'Re-engagement message',
				'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
			);
		}
		asyncError = 131047;
	}
	// Media links are fetched only for a message that could otherwise go out.
	const mediaProblem = await firstMediaLinkProblem(ctx, links);
	if (mediaProblem) {
		if (state.mediaErrorMode === 'sync') waFail(ctx, 131053, 'Media upload error', mediaProblem);
		if (asyncError === undefined) {
			asyncError = 131053;
			asyncErrorDetails = mediaProblem;
		}
	}
	if (
		type === 'reaction' &&
		!knownMessage(ctx.world, phone.id, String((payload as any).message_id))
	) {
		// Meta accepts the call and reports an unknown target later, in a status webhook.
		asyncError ??= 131009;
	}
	const outsideWindow = !windowOpen(ctx, to);
	if (outsideWindow && asyncError === undefined) {
		const limitProblem = portfolioLimitProblem(ctx, phone, to);
		if (limitProblem) {
			const mode = (ctx.world.settings as { portfolioLimitMode?: 'async' | 'sync' })
				.portfolioLimitMode;
			if (mode === 'sync') waFail(ctx, 131000, 'Something went wrong', limitProblem);
			asyncError = 131000;
			asyncErrorDetails = limitProblem;
		}
	}
	const id = newWamid(to);
	state.sent.push({
		id,
		phoneNumberId: phone.id,
		to,
		input,
		type,
		payload: { ...body },
		at: ctx.now(),
		messageStatus,
		asyncError,
		asyncErrorDetails,
		outsideWindow,
	});
	const message: Record<string, string> = { id };
	if (messageStatus) message.message_status = messageStatus;
	return {
		body: {
			messaging_product: 'whatsapp',
			contacts: [bsuid !== undefined ? { input, user_id: bsuid } : { input, wa_id: to }],
			messages: [message],
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Media (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media)
// ---------------------------------------------------------------------------------------------

// Kept apart from the node's helpers/limits.ts on purpose: an independent reading of Meta's rules catches node mistakes.
const MEDIA_RULES: Array<{ kind: string; mimeTypes: string[]; maxBytes: number }> = [
	{ kind: 'image', mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * 1024 * 1024 },
	{ kind: 'video', mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * 1024 * 1024 },
	{
		kind: 'audio',
		mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
		maxBytes: 16 * 1024 * 1024,
	},
	{
		kind: 'document',
		mimeTypes: [
			'text/plain',
			'application/pdf',
			'application/msword',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'application/vnd.ms-excel',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'application/vnd.ms-powerpoint',
			'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		],
		maxBytes: 100 * 1024 * 1024,
	},
	{ kind: 'sticker', mimeTypes: ['image/webp'], maxBytes: 500 * 1024 },
];

/**
 * `POST /{id}/media` is both WhatsApp's upload (id = phone number) and Instagram's container
 * creation (id = Instagram account). This module is registered before Instagram's, so it answers
 * for phone numbers and hands every other id to Instagram's handler.
 */
async function mediaEdgePost(ctx: RouteContext): Promise<unknown> {
	if (ctx.world.phoneNumbers.has(ctx.match.phoneNumberId)) return await uploadMedia(ctx);
	const instagram = instagramDomain.routes.find(
		(route) => route.method === 'POST' && route.pattern === '/:igUserId/media',
	);
	if (!instagram) return phoneFor(ctx);
	return await instagram.handler({ ...ctx, match: { igUserId: ctx.match.phoneNumberId } });
}

async function uploadMedia(ctx: RouteContext): Promise<SimResponse> {
	const phone = phoneFor(ctx);
	ctx.principal();
	requireWhatsAppAccess(ctx, phone.wabaId, MESSAGING);
	const params = ctx.req.params as Record<string, unknown>;
	const fieldOf = (name: string): string | undefined => {
		if (params[name] !== undefined) return String(params[name]);
		const part = ctx.req.files?.find((file) => file.field === name && file.filename === undefined);
		return part ? part.data.toString('utf8') : undefined;
	};
	if (fieldOf('messaging_product') !== 'whatsapp') {
		missingParameter(ctx, "The parameter messaging_product is required and must be 'whatsapp'.");
	}
	const file = ctx.req.files?.find((part) => part.field === 'file');
	if (!file) missingParameter(ctx, 'The parameter file is required.');
	const mimeType = (fieldOf('type') ?? file.contentType ?? '').split(';')[0].trim().toLowerCase();
	if (!mimeType) missingParameter(ctx, 'The parameter type is required.');
	const rule = MEDIA_RULES.find((candidate) => candidate.mimeTypes.includes(mimeType));
	if (!rule) {
		invalidParameter(
			ctx,
			`Param file must be a file with one of the following types: ${MEDIA_RULES.flatMap((r) => r.mimeTypes).join(', ')}. Received file of type '${mimeType}'.`,
		);
	}
	if (file.data.length === 0) invalidParameter(ctx, 'Param file must not be empty.');
	if (file.data.length > rule.maxBytes) {
		waFail(
			ctx,
			131053,
			'Media upload error',
			`The ${rule.kind} is ${file.data.length} bytes; ${rule.kind} files can be at most ${rule.maxBytes} bytes.`,
		);
	}
	const id = ctx.world.newId();
	const record: WhatsAppMediaRecord = {
		id,
		phoneNumberId: phone.id,
		mimeType,
		fileSize: file.data.length,
		sha256: createHash('sha256').update(file.data).digest('hex'),
		filename: file.filename,
		data: file.data,
		uploadedAt: ctx.now(),
	};
	getWhatsAppState(ctx.world).media.set(id, record);
	ctx.world.objects.set(id, { kind: 'WAMedia', obj: record });
	return { body: { id } };
}

async function deleteObject(ctx: RouteContext): Promise<SimResponse> {
	ctx.principal();
	const media = getWhatsAppState(ctx.world).media.get(ctx.match.objectId);
	if (!media || media.deleted) {
		ctx.fail({
			code: 100,
			subcode: 33,
			type: 'GraphMethodException',
			message: `Unsupported delete request. Object with ID '${ctx.match.objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
		});
	}
	mediaAccessCheck(media, ctx);
	media.deleted = true;
	media.data = Buffer.alloc(0);
	ctx.world.objects.delete(media.id);
	return { body: { success: true } };
}

async function downloadMedia(ctx: RouteContext): Promise<SimResponse> {
	const notFound: SimResponse = {
		status: 404,
		raw: Buffer.from('Not Found'),
		contentType: 'text/plain',
	};
	const authorization = ctx.req.headers.authorization ?? ctx.req.headers.Authorization;
	if (!authorization || !/^Bearer\s+\S+/i.test(String(authorization))) return notFound;
	try {
		ctx.principal();
	} catch {
		return notFound;
	}
	const query = ctx.req.query;
	const media = getWhatsAppState(ctx.world).media.get(String(query.mid ?? ''));
	const expires = Number(query.ext);
	const state = getWhatsAppState(ctx.world);
	if (
		!media ||
		media.deleted ||
		!Number.isFinite(expires) ||
		ctx.now() > expires ||
		signMedia(state.urlSecret, media.id, expires) !== query.hash
	) {
		return notFound;
	}
	return { status: 200, raw: media.data, contentType: media.mimeType };
}

// ---------------------------------------------------------------------------------------------
// WABA webhook subscription (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/subscribed_apps)
// ---------------------------------------------------------------------------------------------

function wabaFor(ctx: RouteContext): ScenarioWaba {
	const waba = ctx.world.wabas.get(ctx.match.wabaId);
	if (!waba) {
		ctx.principal();
		ctx.fail({
			code: 100,
			subcode: 33,
			type: 'GraphMethodException',
			message: `Unsupported request. Object with ID '${ctx.match.wabaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
		});
	}
	return waba;
}

async function subscribeApp(ctx: RouteContext): Promise<SimResponse> {
	const waba = wabaFor(ctx);
	const principal = ctx.principal();
	requireWhatsAppAccess(ctx, waba.id, MANAGEMENT);
	const apps = new Set(waba.subscribedAppIds ?? []);
	apps.add(principal.app.id);
	waba.subscribedAppIds = [...apps];
	return { body: { success: true } };
}

async function unsubscribeApp(ctx: RouteContext): Promise<SimResponse> {
	const waba = wabaFor(ctx);
	const principal = ctx.principal();
	requireWhatsAppAccess(ctx, waba.id, MANAGEMENT);
	waba.subscribedAppIds = (waba.subscribedAppIds ?? []).filter(
		(appId) => appId !== principal.app.id,
	);
	return { body: { success: true } };
}

export const whatsappDomain: DomainModule = {
	name: 'whatsapp',
	nodeTypes: [wabaType, phoneNumberType, templateType, mediaType, subscribedAppType],
	routes: [
		{ method: 'POST', pattern: '/:phoneNumberId/messages', handler: sendMessage },
		{ method: 'POST', pattern: '/:phoneNumberId/media', handler: mediaEdgePost },
		{
			method: 'GET',
			pattern: '/whatsapp_business/attachments',
			handler: downloadMedia,
			auth: 'none',
		},
		{ method: 'POST', pattern: '/:wabaId/subscribed_apps', handler: subscribeApp },
		{ method: 'DELETE', pattern: '/:wabaId/subscribed_apps', handler: unsubscribeApp },
		{ method: 'DELETE', pattern: '/:objectId', handler: deleteObject },
	],
	init(world: World) {
		initState(world);
	},
};
