/**
 * Contracts of the Meta Graph simulator. The engine (server, routing, auth, field selection,
 * paging, batch, controls) and the domain modules (identity, instagram, whatsapp) all build on
 * these types; change them only with care, every part of the simulator reads them.
 *
 * Times in scenarios are RELATIVE to the simulated clock's start (seconds), so a scenario stays
 * true whatever day it runs. The engine resolves them to absolute unix seconds at load time.
 */

import type {
	DeliverOptions,
	EmitOutcome,
	InboundOptions,
	InboundType,
	LoggedDelivery,
	WebhookEnvelope,
	WebhookHub,
} from './webhooks';

// ---------------------------------------------------------------------------------------------
// Scenario files (simulator/scenarios/<name>.json)
// ---------------------------------------------------------------------------------------------

export type TokenType = 'USER' | 'PAGE' | 'SYSTEM_USER' | 'APP' | 'INSTAGRAM';

/** 190 subcodes a token can be invalid with (https://developers.facebook.com/docs/graph-api/guides/error-handling#errorcodes). `undefined` = malformed/unknown. */
export type TokenInvalidSubcode = 458 | 459 | 460 | 463 | 464 | 467 | 492;

export interface ScenarioApp {
	id: string;
	name: string;
	/** Development-mode apps only work for users that hold a role on the app. */
	mode: 'live' | 'development';
	secret: string;
	/** "Require App Secret" in the app's advanced settings: calls without appsecret_proof fail. */
	requireAppSecret?: boolean;
	/** Business portfolio the app is associated with (null: none; blocks Model B / Embedded Signup). */
	businessId?: string | null;
	/** User ids holding a role (admin, developer, tester) on the app. */
	roleUserIds?: string[];
}

export interface ScenarioUser {
	id: string;
	name: string;
	kind?: 'user' | 'system_user';
}

export interface ScenarioGranularScope {
	scope: string;
	/** Absent: the grant covers every asset of that type. */
	targetIds?: string[];
}

export interface ScenarioToken {
	/** The literal bearer token a credential holds, e.g. "EAAdemoUser". */
	token: string;
	type: TokenType;
	appId: string;
	/** USER / SYSTEM_USER: the user. PAGE: the user the Page token was derived from. */
	userId?: string;
	/** PAGE tokens: the Page. */
	pageId?: string;
	/** INSTAGRAM (Instagram Login) tokens: the Instagram account. */
	instagramAccountId?: string;
	scopes: string[];
	declinedScopes?: string[];
	granularScopes?: ScenarioGranularScope[];
	/** Seconds from scenario start until expiry; 0 or absent = never; negative = already expired. */
	expiresIn?: number;
	/** Seconds from scenario start until data access expires; 0 or absent = never. */
	dataAccessExpiresIn?: number;
	/** Seconds before scenario start the token was issued (default 3600). */
	issuedAgo?: number;
	/** false: every call with it fails with 190 and `invalidSubcode`. */
	isValid?: boolean;
	invalidSubcode?: TokenInvalidSubcode;
}

export type PageTask =
	'ANALYZE' | 'ADVERTISE' | 'MESSAGING' | 'MODERATE' | 'CREATE_CONTENT' | 'MANAGE';

export interface ScenarioPage {
	id: string;
	name: string;
	category?: string;
	/** userId -> tasks that user holds on the Page. No entry: no role. */
	tasks: Record<string, PageTask[]>;
	/** The linked Instagram professional account, if any. */
	instagramAccountId?: string | null;
	/** Whether the Page has location data (usable as `location_id`). */
	hasLocation?: boolean;
	businessId?: string | null;
	/** Page token minted for users with a role; derived tokens are registered automatically. */
	pageToken?: string;
}

export interface ScenarioInstagramAccount {
	id: string;
	username: string;
	name?: string;
	accountType: 'BUSINESS' | 'MEDIA_CREATOR' | 'PERSONAL';
	/** The Facebook Page it is linked to (null: none). */
	linkedPageId?: string | null;
	profilePictureUrl?: string;
	followersCount?: number;
	/** Publishing quota in the moving 24 h window. */
	quotaUsed?: number;
	quotaTotal?: number;
	/** Restricted / checkpointed accounts fail publishing with 25/2207050. */
	restricted?: boolean;
}

export interface ScenarioBusiness {
	id: string;
	name: string;
	verificationStatus?: 'verified' | 'not_verified' | 'pending';
	/** Users (incl. system users) that see this business in /me/businesses. */
	userIds: string[];
	ownedWabaIds?: string[];
	clientWabaIds?: string[];
	ownedPageIds?: string[];
	clientPageIds?: string[];
}

export interface ScenarioWaba {
	id: string;
	name: string;
	ownerBusinessId: string;
	currency?: string;
	timezoneId?: string;
	accountReviewStatus?: 'APPROVED' | 'PENDING' | 'REJECTED';
	messageTemplateNamespace?: string;
	/** Apps subscribed to this WABA's webhooks (/{waba-id}/subscribed_apps). */
	subscribedAppIds?: string[];
}

export interface ScenarioPhoneNumber {
	id: string;
	wabaId: string;
	displayPhoneNumber: string;
	verifiedName: string;
	status?: string; // CONNECTED, PENDING, DISCONNECTED, FLAGGED, RESTRICTED, BANNED, ...
	codeVerificationStatus?: string; // VERIFIED, NOT_VERIFIED, EXPIRED
	nameStatus?: string; // APPROVED, AVAILABLE_WITHOUT_REVIEW, DECLINED, EXPIRED, PENDING_REVIEW, NONE
	qualityRating?: 'GREEN' | 'YELLOW' | 'RED' | 'NA' | 'UNKNOWN';
	messagingLimitTier?: string; // TIER_250, TIER_2K, ...
	throughputLevel?: 'STANDARD' | 'HIGH' | 'NOT_APPLICABLE';
	platformType?: 'CLOUD_API' | 'ON_PREMISE' | 'NOT_APPLICABLE';
	/** Test numbers can only message `allowedRecipients` (131030 otherwise). */
	isTestNumber?: boolean;
	/** Digits only, E.164 without '+'. */
	allowedRecipients?: string[];
	/** Messages per second before 130429 (default: settings.throughputPerSecond). */
	throughputPerSecond?: number;
}

export interface ScenarioTemplate {
	id: string;
	wabaId: string;
	name: string;
	language: string;
	status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'IN_APPEAL';
	category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
	parameterFormat?: 'POSITIONAL' | 'NAMED';
	/** Meta's component shape: [{type:'HEADER',format:'TEXT',text:'...'},{type:'BODY',text:'Hi {{1}}'},{type:'BUTTONS',buttons:[...]}] */
	components: Array<Record<string, unknown>>;
}

export interface ScenarioContact {
	/** Digits only. */
	waId: string;
	name?: string;
	/** Seconds before scenario start of the last inbound message; null/absent = never wrote. */
	lastInboundAgo?: number | null;
}

export interface SimulatorSettings {
	/** Added to every response. */
	latencyMs: number;
	jitterMs: number;
	/** Per phone number, messages per second before 130429. */
	throughputPerSecond: number;
	/** Burst allowed to one recipient within `pairRateWindowMs` before 131056. */
	pairRateBurst: number;
	pairRateWindowMs: number;
	/** Simulated processing time of Instagram containers. */
	instagramImageProcessingMs: number;
	instagramVideoProcessingMs: number;
	/** HTTP status of 130429 / 131056 replies (Meta's pages have said 429 in the past; answers observed today use 400). */
	whatsappThrottleHttpStatus: 400 | 429;
	/** Publishing quota when an account does not set one (Meta's pages have said 100 and 50 posts per 24 h: https://developers.facebook.com/docs/instagram-platform/content-publishing#limitations). */
	instagramQuotaTotalDefault: number;
	/** Timeout of `ctx.fetchMedia` (Meta's crawler), default 5000 ms. */
	mediaFetchTimeoutMs?: number;
	/** Page `access_token` is returned when the user holds any task on the Page (default), or,
	 *  when this is set, only with one of these tasks (e.g. ["MANAGE","CREATE_CONTENT"]). */
	pageTokenTasks?: PageTask[];
	/** 131047 (window closed) and 131053 (media unusable): 'async' (default, as Meta does: the send
	 *  answers 200 and a `failed` status webhook follows) or 'sync' (the send itself fails). */
	whatsappFailureMode?: 'async' | 'sync';
	/** Sends over the portfolio messaging limit: 'async' (default: accepted, then a failed status
	 *  with 131000) or 'sync' (the send itself is refused). */
	portfolioLimitMode?: 'async' | 'sync';
	/** Statuses emitted after each accepted send (default 'delivered': sent, then delivered;
	 *  a send with an asynchronous error always gets sent, then failed). */
	webhookStatusOutcome?: 'none' | 'sent' | 'delivered' | 'read' | 'readOnly';
	/** Webhook attempts per delivery, first included (default 5), and the first retry wait
	 *  (default 500 ms, doubling). */
	webhookMaxAttempts?: number;
	webhookBaseDelayMs?: number;
}

/** Authorization codes the OAuth endpoints accept (single use). Added by the simulator engineer. */
export interface ScenarioOAuthCode {
	code: string;
	/** The scenario token whose user, app, scopes (and IG account) the exchanged token copies. */
	tokenFrom: string;
	/** When set, the exchange must send the same redirect_uri. */
	redirectUri?: string;
}

export interface Scenario {
	name: string;
	description: string;
	/** Which Asset Check checks are expected to fail (ids), for failure-mode scenarios. */
	expectedFailingChecks?: string[];
	settings?: Partial<SimulatorSettings>;
	apps: ScenarioApp[];
	users: ScenarioUser[];
	tokens: ScenarioToken[];
	pages?: ScenarioPage[];
	instagramAccounts?: ScenarioInstagramAccount[];
	businesses?: ScenarioBusiness[];
	wabas?: ScenarioWaba[];
	phoneNumbers?: ScenarioPhoneNumber[];
	templates?: ScenarioTemplate[];
	contacts?: ScenarioContact[];
	/** Codes for `/oauth/access_token` (code exchange, Facebook and Instagram Login). */
	oauthCodes?: ScenarioOAuthCode[];
	/** User the simulated login dialog (`GET /dialog/oauth`) signs in (default: first user). */
	oauthUserId?: string;
}

// ---------------------------------------------------------------------------------------------
// Runtime: requests, errors, handlers
// ---------------------------------------------------------------------------------------------

export interface SimRequest {
	method: 'GET' | 'POST' | 'DELETE';
	/** Path without the version prefix, e.g. "/17841400008460056/media". */
	path: string;
	/** "v26.0", or undefined when the call was unversioned. */
	version?: string;
	/** Query parameters merged with form/JSON body parameters (body wins), as Meta does. */
	params: Record<string, unknown>;
	query: Record<string, string>;
	/** Parsed JSON body, form body as an object, or undefined. */
	body: unknown;
	rawBody: Buffer;
	headers: Record<string, string | undefined>;
	/** multipart/form-data parts, when the request was multipart. */
	files?: Array<{ field: string; filename?: string; contentType?: string; data: Buffer }>;
}

/** Throw this from any handler or resolver; the engine renders Meta's error envelope. */
export interface GraphErrorSpec {
	code: number;
	subcode?: number;
	message: string;
	type?: 'OAuthException' | 'GraphMethodException' | 'IGApiException' | 'FacebookApiException';
	/** HTTP status, default 400. */
	status?: number;
	userTitle?: string;
	userMsg?: string;
	isTransient?: boolean;
	/** WhatsApp: error_data.details. */
	details?: string;
}

/** The caller, resolved from the token (after validity, expiry and appsecret_proof checks). */
export interface Principal {
	token: string;
	tokenRecord: ScenarioToken;
	app: ScenarioApp;
	/** USER/SYSTEM_USER: the user; PAGE: the user it was derived from. */
	user?: ScenarioUser;
	page?: ScenarioPage;
	instagramAccount?: ScenarioInstagramAccount;
}

export interface SimResponse {
	status?: number;
	/** JSON-serialised unless `raw` is set. */
	body?: unknown;
	raw?: Buffer;
	contentType?: string;
	headers?: Record<string, string>;
}

/**
 * A Graph object type (Page, IGUser, IGContainer, IGMedia, WABA, PhoneNumber, WAMedia, User,
 * Business, Template). The engine's generic `GET /{id}` and `GET /{id}/{edge}` select fields from
 * these resolvers, with nested expansion (`a{b,c}`), `.limit(n)` and cursor paging of edges.
 */
export interface GraphNodeType<T = any> {
	kind: string;
	/** Fields returned when `fields=` is absent (Meta returns little more than `id`). */
	defaultFields: string[];
	/**
	 * Field resolvers. Return a scalar/plain object, a `GraphRef` (nested object, expandable) or a
	 * `GraphRef[]` (an edge: rendered as {data, paging}). Return `undefined` to omit the field
	 * (e.g. a Page `access_token` for a user without tasks). Throw a GraphErrorSpec via
	 * `ctx.fail()` for a permission error.
	 */
	fields: Record<string, (obj: T, ctx: RouteContext) => unknown>;
	/** Optional gate run before any field of this object is read (generic reads and nested
	 *  expansion): throw via `ctx.fail()` when the caller may not see the object. */
	authorize?(obj: T, ctx: RouteContext): void;
}

/** An edge value (`ctx.edge(...)`): rendered as {data, paging}, even when empty. Items may be
 *  GraphRefs (rendered with the field selection) or plain objects (returned as they are). */
export interface GraphEdge extends Array<unknown> {
	__edge: { kind?: string; paging: boolean };
}

export interface GraphRef {
	__ref: true;
	kind: string;
	obj: unknown;
}

export interface RouteContext {
	req: SimRequest;
	/** Path parameters from the route pattern, e.g. { igUserId: '1784...' }. */
	match: Record<string, string>;
	world: World;
	/** The authenticated caller (throws 190/2500/100 as Meta does when unusable). */
	principal(): Principal;
	/** Throws an error rendered as Meta's envelope. Never returns. */
	fail(spec: GraphErrorSpec): never;
	/** Throws Meta's permission error unless the principal holds `scope` (and, with granular
	 *  scopes, `targetId` is among its target ids). Code 10 by default, 200 for WhatsApp. */
	requireScope(scope: string, targetId?: string, code?: 10 | 200): void;
	ref(kind: string, obj: unknown): GraphRef;
	/** Marks a list as an edge (renders {data, paging}; `paging:false` for edges like
	 *  /me/permissions that Meta returns without paging). */
	edge(kind: string | undefined, items: unknown[], options?: { paging?: boolean }): GraphEdge;
	/** Simulated clock, milliseconds since epoch. */
	now(): number;
	/** Origin the client called, e.g. http://127.0.0.1:43121 (for URLs the simulator returns). */
	baseUrl: string;
	/** HTTPS origin that serves media fixtures (Meta only fetches https URLs in our tests). */
	fixturesBaseUrl: string;
	/** Fetches a media URL the way Meta's crawler does (real HTTP, follows the fixture rules). */
	fetchMedia(url: string): Promise<FetchedMedia>;
}

export interface FetchedMedia {
	ok: boolean;
	status: number;
	contentType?: string;
	bytes: number;
	/** Parsed from the bytes: jpeg/png/webp/mp4/mov/...; undefined when unrecognised. */
	format?: string;
	width?: number;
	height?: number;
	durationSeconds?: number;
	data: Buffer;
}

export type RouteHandler = (
	ctx: RouteContext,
) => Promise<SimResponse | unknown> | SimResponse | unknown;

export interface RouteDef {
	method: 'GET' | 'POST' | 'DELETE';
	/** Express-like pattern after the version prefix: "/:igUserId/media_publish". Specific
	 *  routes win over the engine's generic object/edge reads. */
	pattern: string;
	handler: RouteHandler;
	/** 'required' (default): the engine authenticates before the handler runs (token, expiry,
	 *  appsecret_proof, usage throttling). 'none': the handler calls ctx.principal() itself. */
	auth?: 'required' | 'none';
	/** Optional guard: when it returns false the engine tries the next matching route (or the
	 *  generic reads), e.g. two domains sharing `POST /:id/media` split by which id it is. */
	accepts?(match: Record<string, string>, world: World, req: SimRequest): boolean;
}

/** A domain module (identity, instagram, whatsapp) contributes node types, routes and state. */
export interface DomainModule {
	name: string;
	nodeTypes: GraphNodeType[];
	routes: RouteDef[];
	/** Called once per world (scenario load / reset) to build the module's mutable state. */
	init?(world: World): void;
	/** Fields added to node types of other modules (kind -> field -> resolver), e.g. the webhook
	 *  module's `webhook_configuration` on PhoneNumber. `defaultFields` are appended. */
	extendFields?: Record<string, { fields: GraphNodeType['fields']; defaultFields?: string[] }>;
}

/**
 * The simulated world: the scenario (read-only seed) plus mutable state. Domain modules keep
 * their own mutable state under `world.state[moduleName]`.
 */
export interface World {
	scenario: Scenario;
	settings: SimulatorSettings;
	/** Unix seconds at which the scenario's clock started. */
	startedAt: number;
	apps: Map<string, ScenarioApp>;
	users: Map<string, ScenarioUser>;
	tokens: Map<string, ScenarioToken>;
	pages: Map<string, ScenarioPage>;
	instagramAccounts: Map<string, ScenarioInstagramAccount>;
	businesses: Map<string, ScenarioBusiness>;
	wabas: Map<string, ScenarioWaba>;
	phoneNumbers: Map<string, ScenarioPhoneNumber>;
	templates: Map<string, ScenarioTemplate>;
	contacts: Map<string, ScenarioContact>;
	/** Object id -> its Graph node type and record, for the generic GET /{id}. Domain modules
	 *  register objects they create (containers, media, uploads) here. */
	objects: Map<string, { kind: string; obj: unknown }>;
	state: Record<string, any>;
	/** A fresh numeric-string id, unique in this world. */
	newId(prefixDigits?: string): string;
	/** Simulated clock, milliseconds since epoch. */
	now(): number;
	/** Webhook registrations, deliveries and the after-the-answer queue of this world. */
	webhooks: WebhookHub;
}

// ---------------------------------------------------------------------------------------------
// Controls (in process, and over the admin HTTP API under /__admin for out-of-process users)
// ---------------------------------------------------------------------------------------------

export type FaultKind =
	| 'http500'
	| 'http503'
	/** The socket is destroyed before any response. */
	| 'reset'
	/** Never answers (until stop). */
	| 'hang'
	/** 200 with a body that is not JSON. */
	| 'malformedJson'
	/** The request is fully processed (state changes, e.g. a message is sent), then the socket is
	 *  destroyed before the response: the "outcome unknown" case. */
	| 'dropAfterProcessing';

export interface FaultRule {
	kind: FaultKind;
	method?: 'GET' | 'POST' | 'DELETE';
	/** Regular expression tested against the version-less path. */
	path?: string;
	/** How many matching requests it hits (default 1). */
	times?: number;
}

export interface LoggedRequest {
	at: number;
	method: string;
	path: string;
	version?: string;
	/** Parameters and body with every token, secret and proof redacted. */
	params: Record<string, unknown>;
	body: unknown;
	status: number;
	/** Graph error code, when the reply was an error. */
	errorCode?: number;
	/** Graph error subcode, when the reply was an error. */
	errorSubcode?: number;
	/** Batch requests (POST / with batch=): one entry per operation. */
	batch?: Array<{ method: string; path: string; status: number; errorCode?: number }>;
	/** Fault injected into this request, if any. */
	fault?: FaultKind;
	/** Request headers (Authorization reduced to its scheme, e.g. "Bearer [REDACTED]"). */
	headers?: Record<string, string>;
}

export interface SimulatorControl {
	world(): World;
	/** Requests received, oldest first (tokens redacted). */
	requests(): LoggedRequest[];
	clearRequests(): void;
	setLatency(latencyMs: number, jitterMs?: number): void;
	setSettings(settings: Partial<SimulatorSettings>): void;
	injectFault(rule: FaultRule): void;
	clearFaults(): void;
	/** Moves the simulated clock forward (expires containers, tokens, windows). */
	advanceClock(ms: number): void;
	/** Marks a token invalid mid-run (190 with the subcode). */
	revokeToken(token: string, subcode?: TokenInvalidSubcode): void;
	/** App-level and Business-Use-Case usage (percent); >= 100 throttles with estimated_time_to_regain_access. */
	setUsage(usage: {
		appCallCount?: number;
		businessUseCase?: {
			objectId: string;
			type: string;
			callCount: number;
			estimatedTimeToRegainAccess?: number;
		};
	}): void;
	/** Reloads the scenario (or another one) and clears state, faults and the log. */
	reset(scenario?: string | Scenario): void;
	/** Delivers an envelope through the app's registrations (app subscription, overrides), signed
	 *  with the app's secret (`signature: 'forged' | 'missing'` to test refusals). Without appId:
	 *  every app subscribed to the WABA (WhatsApp) or the scenario's first app. */
	emitWebhook(
		appId: string | undefined,
		envelope: WebhookEnvelope,
		options?: DeliverOptions,
	): Promise<EmitOutcome>;
	/** A user writes to a business number: opens the 24-hour window in the simulated world and
	 *  delivers the `messages` webhook. Returns the inbound message id and the deliveries. */
	inboundWhatsApp(input: InboundWhatsApp): Promise<EmitOutcome & { messageId: string }>;
	/** Webhook POSTs made, oldest first (bodies parsed, signature headers kept). */
	webhookDeliveries(): LoggedDelivery[];
	clearWebhookDeliveries(): void;
	/** Waits until every queued or in-flight webhook delivery (status progressions) is done. */
	webhooksIdle(): Promise<void>;
	/** Every app's subscriptions and overrides (URLs). */
	webhookRegistrations(): Record<string, unknown>;
}

export interface InboundWhatsApp {
	phoneNumberId: string;
	/** Sender phone (wa_id). */
	from: string;
	name?: string;
	/** Business-scoped user id, sent as from_user_id / user_id. */
	userId?: string;
	/** Default 'text'. */
	type?: InboundType;
	text?: string;
	/** Other fields of the message (media id, caption, reply ids, ...). */
	options?: InboundOptions;
	appId?: string;
	signature?: DeliverOptions['signature'];
}

export interface RunningSimulator {
	/** e.g. http://127.0.0.1:43121 — use as the credential's Graph API Base URL. */
	baseUrl: string;
	/** https origin serving media fixtures, e.g. https://127.0.0.1:43122. */
	fixturesBaseUrl: string;
	port: number;
	control: SimulatorControl;
	stop(): Promise<void>;
}
