/**
 * Where Meta sends each webhook, and the registrations that decide it: the app-level subscription
 * (one callback URL per app and object), the per-WABA and per-phone-number overrides. For the
 * fields that follow overrides Meta picks the phone number's URL, then the account's, then the
 * app's; every other field always goes to the app's URL. Registering a URL runs Meta's handshake
 * first and keeps the URL only when it succeeds.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override/
 * https://developers.facebook.com/docs/graph-api/reference/app/subscriptions
 */
import type { DeliverOptions, DeliveryResult, HandshakeResult, WebhookEmitter } from './emitter';
import type { WebhookChange, WebhookEnvelope } from './payloads';

/** Fields that follow a phone-number or WABA override (all others use the app URL). */
export const OVERRIDE_FIELDS = new Set([
	'messages',
	'message_echoes',
	'calls',
	'consumer_profile',
	'messaging_handovers',
	'standby',
	'group_lifecycle_update',
	'group_participants_update',
	'group_settings_update',
	'group_status_update',
	'smb_message_echoes',
	'smb_app_state_sync',
	'history',
	'account_settings_update',
]);

/** Meta limits override URLs to 200 characters. */
export const MAX_OVERRIDE_URL_LENGTH = 200;

export interface AppSubscription {
	callbackUrl: string;
	verifyToken: string;
	/** Subscribed fields; empty = every field. */
	fields: string[];
}

export interface Registration {
	callbackUrl: string;
	verifyToken: string;
}

export class WebhookRouter {
	/** `${appId}:${object}` -> subscription. */
	private readonly appSubscriptions = new Map<string, AppSubscription>();
	/** `${appId}:${wabaId}` -> override (an override belongs to the app subscribed to the WABA). */
	private readonly wabaOverrides = new Map<string, Registration>();
	private readonly phoneOverrides = new Map<string, Registration>();

	constructor(private readonly emitter: WebhookEmitter) {}

	/** POST /{app-id}/subscriptions: kept only when the handshake succeeds (one URL per object). */
	async subscribeApp(
		appId: string,
		object: string,
		subscription: AppSubscription,
	): Promise<HandshakeResult> {
		const handshake = await this.emitter.handshake(
			subscription.callbackUrl,
			subscription.verifyToken,
		);
		if (handshake.ok) this.appSubscriptions.set(`${appId}:${object}`, { ...subscription });
		return handshake;
	}

	/** DELETE /{app-id}/subscriptions?object=... */
	unsubscribeApp(appId: string, object: string): boolean {
		return this.appSubscriptions.delete(`${appId}:${object}`);
	}

	appSubscription(appId: string, object: string): AppSubscription | undefined {
		return this.appSubscriptions.get(`${appId}:${object}`);
	}

	/**
	 * POST /{waba-id}/subscribed_apps with override_callback_uri + verify_token (handshake first);
	 * `undefined` (a POST without body) clears the override.
	 */
	async setWabaOverride(
		appId: string,
		wabaId: string,
		registration?: Registration,
	): Promise<HandshakeResult | undefined> {
		return await this.setOverride(this.wabaOverrides, `${appId}:${wabaId}`, registration);
	}

	wabaOverride(appId: string, wabaId: string): string | undefined {
		return this.wabaOverrides.get(`${appId}:${wabaId}`)?.callbackUrl;
	}

	/** POST /{phone-number-id} webhook_configuration; an empty URL clears it. */
	async setPhoneOverride(
		phoneNumberId: string,
		registration?: Registration,
	): Promise<HandshakeResult | undefined> {
		return await this.setOverride(
			this.phoneOverrides,
			phoneNumberId,
			registration?.callbackUrl ? registration : undefined,
		);
	}

	phoneOverride(phoneNumberId: string): string | undefined {
		return this.phoneOverrides.get(phoneNumberId)?.callbackUrl;
	}

	/** GET /{phone-number-id}?fields=webhook_configuration (absent keys are left out, as Meta does). */
	webhookConfiguration(
		appId: string,
		wabaId: string,
		phoneNumberId: string,
	): Record<string, string> {
		const configuration: Record<string, string> = {};
		const phone = this.phoneOverride(phoneNumberId);
		const waba = this.wabaOverride(appId, wabaId);
		const app = this.appSubscription(appId, 'whatsapp_business_account')?.callbackUrl;
		if (phone) configuration.phone_number = phone;
		if (waba) configuration.whatsapp_business_account = waba;
		if (app) configuration.application = app;
		return configuration;
	}

	/** The URL one change goes to, or undefined when the app does not receive it. */
	destination(
		appId: string,
		object: string,
		entryId: string,
		change: WebhookChange,
	): string | undefined {
		const subscription = this.appSubscription(appId, object);
		if (
			subscription &&
			subscription.fields.length > 0 &&
			!subscription.fields.includes(change.field)
		) {
			return undefined;
		}
		if (object === 'whatsapp_business_account' && OVERRIDE_FIELDS.has(change.field)) {
			const metadata = (change.value.metadata ?? {}) as { phone_number_id?: string };
			const phone = metadata.phone_number_id
				? this.phoneOverride(metadata.phone_number_id)
				: undefined;
			const override = phone ?? this.wabaOverride(appId, entryId);
			if (override) return override;
		}
		return subscription?.callbackUrl;
	}

	/**
	 * Delivers an envelope the way Meta would: each change (or messaging event) to its own
	 * destination, one POST per destination holding all of its entries. Changes nobody receives
	 * are dropped (they are returned in `undelivered`).
	 */
	async emit(
		appId: string,
		envelope: WebhookEnvelope,
		options?: DeliverOptions,
	): Promise<{ deliveries: Array<{ url: string; result: DeliveryResult }>; undelivered: number }> {
		const byUrl = new Map<string, WebhookEnvelope>();
		let undelivered = 0;
		const add = (url: string, entry: WebhookEnvelope['entry'][number]) => {
			const target = byUrl.get(url) ?? { object: envelope.object, entry: [] };
			target.entry.push(entry);
			byUrl.set(url, target);
		};
		for (const entry of envelope.entry) {
			const { changes, messaging, ...rest } = entry;
			const grouped = new Map<string, WebhookChange[]>();
			for (const change of changes ?? []) {
				const url = this.destination(appId, envelope.object, entry.id, change);
				if (!url) {
					undelivered++;
					continue;
				}
				grouped.set(url, [...(grouped.get(url) ?? []), change]);
			}
			for (const [url, routed] of grouped) add(url, { ...rest, changes: routed });
			if (messaging?.length) {
				const url = this.appSubscription(appId, envelope.object)?.callbackUrl;
				if (url) add(url, { ...rest, messaging });
				else undelivered += messaging.length;
			}
		}
		const deliveries: Array<{ url: string; result: DeliveryResult }> = [];
		for (const [url, routed] of byUrl) {
			deliveries.push({ url, result: await this.emitter.deliver(url, routed, options) });
		}
		return { deliveries, undelivered };
	}

	/** Every registration of this router (URLs only; verify tokens are left out). */
	snapshot(): {
		app: Record<string, { callbackUrl: string; fields: string[] }>;
		wabaOverrides: Record<string, string>;
		phoneOverrides: Record<string, string>;
	} {
		const urls = (store: Map<string, Registration>) =>
			Object.fromEntries([...store].map(([key, value]) => [key, value.callbackUrl]));
		return {
			app: Object.fromEntries(
				[...this.appSubscriptions].map(([key, value]) => [
					key,
					{ callbackUrl: value.callbackUrl, fields: value.fields },
				]),
			),
			wabaOverrides: urls(this.wabaOverrides),
			phoneOverrides: urls(this.phoneOverrides),
		};
	}

	private async setOverride(
		store: Map<string, Registration>,
		key: string,
		registration: Registration | undefined,
	): Promise<HandshakeResult | undefined> {
		if (!registration) {
			store.delete(key);
			return undefined;
		}
		if (registration.callbackUrl.length > MAX_OVERRIDE_URL_LENGTH) {
			return {
				ok: false,
				status: 0,
				body: `override_callback_uri is longer than ${MAX_OVERRIDE_URL_LENGTH} characters`,
				challenge: '',
			};
		}
		const handshake = await this.emitter.handshake(
			registration.callbackUrl,
			registration.verifyToken,
		);
		if (handshake.ok) store.set(key, { ...registration });
		return handshake;
	}
}
