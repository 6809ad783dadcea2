/**
 * What discovery reads, as the checks see it: parsed records (never a token), and every failed
 * read kept as data (Meta's code and subcode) instead of thrown.
 */
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
	/** `is_pin_enabled`: whether two-step verification (the registration PIN) is set. */
	pinEnabled?: boolean;
}

/** `webhook_configuration` of a phone number: the URL each level would send `messages` to. */
export interface WebhookConfiguration {
	phoneNumber?: string;
	whatsappBusinessAccount?: string;
	application?: string;
}

/** The app's `whatsapp_business_account` subscription (/{app-id}/subscriptions); null: none. */
export interface DiscoveredAppSubscription {
	callbackUrl?: string;
	fields: string[];
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
	/** `override_callback_uri` of each subscribed app (app id -> URL), read with subscribedApps. */
	overrideByApp?: Record<string, string>;
	/** `primary_funding_id` (a card or credit line), read on its own; null: none shown. */
	paymentMethod?: Read<string | null>;
}

export interface DiscoveredBusiness {
	id: string;
	name?: string;
	verificationStatus?: string;
	wabaIds: string[];
}

export interface DiscoveredApp {
	id: string;
	name?: string;
}

/** The business portfolio the app belongs to (`owner_business`); null: none. */
export interface DiscoveredAppOwner {
	businessId: string | null;
	businessName?: string;
}

export interface Discovery {
	authentication: string;
	credentialHasAppSecret: boolean;
	/** The Graph API version the credential names (every call goes to it). */
	graphApiVersion?: string;
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
	/**
	 * Instagram accounts the business portfolios own, with their type (finds personal accounts,
	 * which Pages never show as their Instagram business account). An optional read of its own:
	 * Meta refuses this edge to tokens without Instagram permissions, and a refusal must not take
	 * the WhatsApp accounts of the portfolios with it.
	 */
	businessInstagramAccounts?: Read<DiscoveredInstagramAccount[]>;
	app?: Read<DiscoveredApp>;
	/** `owner_business` of the app, read on its own for the same reason. */
	appOwner?: Read<DiscoveredAppOwner>;
	wabas: DiscoveredWaba[];
	/** Phone number id -> its `webhook_configuration`. */
	phoneWebhooks?: Map<string, Read<WebhookConfiguration>>;
	/** The app's WhatsApp subscription, read with the app token (needs the App Secret). */
	appSubscription?: Read<DiscoveredAppSubscription | null>;
	/** Why the app subscription was not read (no App Secret in the credential, no app id). */
	appSubscriptionSkipped?: string;
	/** Instagram Login: the account that signed in. */
	instagramLoginAccount?: DiscoveredInstagramAccount;
	roundTrips: number;
}
