/**
 * The webhook side of the simulated Graph API: where a Meta app registers its callbacks, and the
 * status webhooks that follow every accepted WhatsApp send.
 *
 * - `GET|POST|DELETE /{app-id}/subscriptions` (app token): the app-level callback per object,
 *   kept only after Meta's verification handshake succeeds.
 *   https://developers.facebook.com/docs/graph-api/reference/app/subscriptions
 * - `POST /{waba-id}/subscribed_apps` with `override_callback_uri` + `verify_token`: the WABA
 *   override (handshake first); a POST without them clears it; DELETE clears it too. The app
 *   subscription itself is the WhatsApp domain's (this route hands the request on to it).
 *   `GET /{waba-id}/subscribed_apps` shows `override_callback_uri` when one is set.
 * - `POST /{phone-number-id}` with `webhook_configuration` (empty URL clears);
 *   `GET /{phone-number-id}?fields=webhook_configuration` (a route of its own: other modules
 *   register phone numbers under their own node types).
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override/
 * - After each accepted send, once the HTTP answer is written: the status progression to every app
 *   subscribed to the WABA (sent, delivered; or sent, failed with the asynchronous error).
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status
 *
 * 131047 and 131053 are asynchronous by default (settings.whatsappFailureMode), as Meta reports
 * them: the send answers 200 and the failure arrives as a `failed` status.
 */
import { getWhatsAppState, whatsappDomain } from '../domains/whatsapp';
import type {
	DomainModule,
	GraphErrorSpec,
	RouteContext,
	RouteDef,
	RouteHandler,
	ScenarioApp,
	SimResponse,
	World,
} from '../types';
import type { HandshakeResult } from './emitter';
import type { StatusOptions } from './payloads';
import { statusProgression, statusesChange, whatsappEnvelope } from './payloads';

const SUBSCRIPTION_OBJECTS = ['whatsapp_business_account', 'instagram', 'page', 'user'];

function delegate(method: RouteDef['method'], pattern: string): RouteHandler {
	const route = whatsappDomain.routes.find(
		(def) => def.method === method && def.pattern === pattern,
	);
	if (!route) throw new Error(`The WhatsApp domain has no ${method} ${pattern}`);
	return route.handler;
}

const whatsappSubscribe = delegate('POST', '/:wabaId/subscribed_apps');
const whatsappUnsubscribe = delegate('DELETE', '/:wabaId/subscribed_apps');
const whatsappSend = delegate('POST', '/:phoneNumberId/messages');

/** Body values arrive as JSON objects or, in form posts, as JSON text. */
function objectParam(value: unknown): Record<string, unknown> | undefined {
	if (typeof value === 'string') {
		try {
			const parsed = JSON.parse(value) as unknown;
			return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
		} catch {
			return undefined;
		}
	}
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Meta's answer when the callback does not pass the verification GET. */
function verificationFailed(ctx: RouteContext, handshake: HandshakeResult): never {
	const spec: GraphErrorSpec = {
		code: 2200,
		type: 'OAuthException',
		message: `(#2200) Callback verification failed with the following errors: HTTP Status Code = ${handshake.status}; HTTP Message = ${handshake.ok ? 'OK' : handshake.status === 200 ? 'Challenge mismatch' : 'Failed'}`,
	};
	ctx.fail(spec);
}

function requireOverrideFields(ctx: RouteContext, url: string, verifyToken: string): void {
	if (url && !verifyToken) {
		ctx.fail({ code: 100, message: '(#100) The parameter verify_token is required' });
	}
	if (url && !/^https?:\/\//.test(url)) {
		ctx.fail({ code: 100, message: '(#100) Param override_callback_uri must be a valid URL' });
	}
}

// ---- /{waba-id}/subscribed_apps --------------------------------------------------------------

async function subscribeWithOverride(ctx: RouteContext): Promise<unknown> {
	const answer = await whatsappSubscribe(ctx);
	const params = ctx.req.params;
	const url = text(params.override_callback_uri);
	const verifyToken = text(params.verify_token);
	requireOverrideFields(ctx, url, verifyToken);
	const appId = ctx.principal().app.id;
	const router = ctx.world.webhooks.router(appId);
	if (!url) {
		await router.setWabaOverride(appId, ctx.match.wabaId);
		return answer;
	}
	const handshake = await router.setWabaOverride(appId, ctx.match.wabaId, {
		callbackUrl: url,
		verifyToken,
	});
	if (handshake && !handshake.ok) verificationFailed(ctx, handshake);
	return answer;
}

async function unsubscribeWithOverride(ctx: RouteContext): Promise<unknown> {
	const answer = await whatsappUnsubscribe(ctx);
	const appId = ctx.principal().app.id;
	await ctx.world.webhooks.router(appId).setWabaOverride(appId, ctx.match.wabaId);
	return answer;
}

/** `override_callback_uri` on a WABA's subscribed app (the path names the WABA). */
function overrideOfSubscribedApp(app: { id: string }, ctx: RouteContext): string | undefined {
	const wabaId = ctx.req.path.split('/').filter(Boolean)[0] ?? '';
	return ctx.world.webhooks.router(app.id).wabaOverride(app.id, wabaId);
}

// ---- /{phone-number-id} webhook_configuration --------------------------------------------------

async function configurePhoneWebhook(ctx: RouteContext): Promise<SimResponse> {
	const phone = ctx.world.phoneNumbers.get(ctx.match.phoneNumberId);
	if (!phone) ctx.fail({ code: 100, message: '(#100) Unknown phone number' });
	ctx.requireScope('whatsapp_business_management', phone.wabaId, 200);
	const configuration = objectParam(ctx.req.params.webhook_configuration);
	if (!configuration) {
		ctx.fail({
			code: 100,
			message: '(#100) Param webhook_configuration must be a JSON object',
		});
	}
	const url = text(configuration.override_callback_uri);
	const verifyToken = text(configuration.verify_token);
	requireOverrideFields(ctx, url, verifyToken);
	const router = ctx.world.webhooks.router(ctx.principal().app.id);
	const handshake = await router.setPhoneOverride(
		phone.id,
		url ? { callbackUrl: url, verifyToken } : undefined,
	);
	if (handshake && !handshake.ok) verificationFailed(ctx, handshake);
	return { body: { success: true } };
}

/** GET /{phone-number-id}?fields=webhook_configuration[,id]: Meta's answer is these two only. */
async function readPhoneWebhook(ctx: RouteContext): Promise<SimResponse> {
	const phone = ctx.world.phoneNumbers.get(ctx.match.phoneNumberId);
	if (!phone) ctx.fail({ code: 100, message: '(#100) Unknown phone number' });
	ctx.requireScope('whatsapp_business_management', phone.wabaId, 200);
	const appId = ctx.principal().app.id;
	const configuration = ctx.world.webhooks
		.router(appId)
		.webhookConfiguration(appId, phone.wabaId, phone.id);
	return { body: { webhook_configuration: configuration, id: phone.id } };
}

const asksWebhookConfiguration = (params: Record<string, unknown>): boolean =>
	String(params.fields ?? '')
		.split(',')
		.map((field) => field.trim())
		.filter((field) => field !== 'id')
		.join(',') === 'webhook_configuration';

// ---- /{app-id}/subscriptions -----------------------------------------------------------------

function appFor(ctx: RouteContext): ScenarioApp {
	const principal = ctx.principal();
	const app = ctx.world.apps.get(ctx.match.appId);
	if (!app || principal.tokenRecord.type !== 'APP' || principal.app.id !== app.id) {
		ctx.fail({
			code: 15,
			type: 'OAuthException',
			message: '(#15) This method must be called with an app access_token.',
		});
	}
	return app;
}

function fieldList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String).filter(Boolean);
	return text(value)
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
}

async function readSubscriptions(ctx: RouteContext): Promise<SimResponse> {
	const app = appFor(ctx);
	const router = ctx.world.webhooks.router(app.id);
	const data = SUBSCRIPTION_OBJECTS.map((object) => ({
		object,
		subscription: router.appSubscription(app.id, object),
	}))
		.filter((entry) => entry.subscription)
		.map(({ object, subscription }) => ({
			object,
			callback_url: subscription?.callbackUrl,
			active: true,
			fields: (subscription?.fields ?? []).map((name) => ({ name, version: 'v26.0' })),
		}));
	return { body: { data } };
}

async function createSubscription(ctx: RouteContext): Promise<SimResponse> {
	const app = appFor(ctx);
	const params = ctx.req.params;
	const object = text(params.object);
	const callbackUrl = text(params.callback_url);
	const verifyToken = text(params.verify_token);
	if (!object || !callbackUrl || !verifyToken) {
		ctx.fail({
			code: 100,
			message: '(#100) object, callback_url and verify_token are required',
		});
	}
	const handshake = await ctx.world.webhooks.router(app.id).subscribeApp(app.id, object, {
		callbackUrl,
		verifyToken,
		fields: fieldList(params.fields),
	});
	if (!handshake.ok) verificationFailed(ctx, handshake);
	return { body: { success: true } };
}

async function deleteSubscription(ctx: RouteContext): Promise<SimResponse> {
	const app = appFor(ctx);
	const object = text(ctx.req.params.object);
	const router = ctx.world.webhooks.router(app.id);
	if (object) router.unsubscribeApp(app.id, object);
	else for (const name of SUBSCRIPTION_OBJECTS) router.unsubscribeApp(app.id, name);
	return { body: { success: true } };
}

// ---- Status webhooks after each send ---------------------------------------------------------

/** Apps subscribed to a WABA: Meta sends the account's events to each of them. */
export function appsOnWaba(world: World, wabaId: string): string[] {
	return [...(world.wabas.get(wabaId)?.subscribedAppIds ?? [])];
}

async function sendThenReport(ctx: RouteContext): Promise<unknown> {
	const answer = await whatsappSend(ctx);
	const world = ctx.world;
	const outcome = world.settings.webhookStatusOutcome ?? 'delivered';
	const phone = world.phoneNumbers.get(ctx.match.phoneNumberId);
	const body = (answer as SimResponse | undefined)?.body as
		{ messages?: Array<{ id?: string }> } | undefined;
	const id = body?.messages?.[0]?.id;
	const sent = id ? getWhatsAppState(world).sent.find((message) => message.id === id) : undefined;
	if (!phone || !sent) return answer; // mark-as-read and typing indicators report nothing
	const failed = sent.asyncError !== undefined;
	if (outcome === 'none' && !failed) return answer;
	const options: Partial<StatusOptions> = {
		category: String(
			(sent.payload.template as { category?: string } | undefined)?.category ??
				(sent.type === 'template' ? 'marketing' : 'service'),
		).toLowerCase(),
		// Sent to a business-scoped user id: statuses name it in recipient_user_id.
		...(typeof sent.payload.recipient === 'string' && sent.input === sent.payload.recipient
			? { recipientUserId: sent.input }
			: {}),
		...(typeof sent.payload.biz_opaque_callback_data === 'string'
			? { bizOpaqueCallbackData: sent.payload.biz_opaque_callback_data }
			: {}),
	};
	const statuses = statusProgression(
		sent.id,
		sent.to,
		failed ? { failed: sent.asyncError as number } : outcome === 'none' ? 'sent' : outcome,
		options,
	);
	if (failed && sent.asyncErrorDetails) {
		const error = (statuses.at(-1)?.errors as Array<{ error_data: { details: string } }>)[0];
		error.error_data.details = sent.asyncErrorDetails;
	}
	const number = { phoneNumberId: phone.id, displayPhoneNumber: phone.displayPhoneNumber };
	const apps = appsOnWaba(world, phone.wabaId);
	// One POST per status, in order, as Meta sends them; after the answer to this send is written.
	world.webhooks.after(async () => {
		for (const status of statuses) {
			await world.webhooks.emitToApps(
				apps,
				whatsappEnvelope(phone.wabaId, [statusesChange(number, [status])]),
			);
		}
	});
	return answer;
}

// ---- Module ----------------------------------------------------------------------------------

const isWaba = (match: Record<string, string>, world: World): boolean =>
	world.wabas.has(match.wabaId);
const isPhone = (match: Record<string, string>, world: World): boolean =>
	world.phoneNumbers.has(match.phoneNumberId);
const isApp = (match: Record<string, string>, world: World): boolean => world.apps.has(match.appId);

/** Registered BEFORE the other domains: its routes take the requests they accept first. */
export const webhooksDomain: DomainModule = {
	name: 'webhooks',
	nodeTypes: [],
	routes: [
		{
			method: 'POST',
			pattern: '/:wabaId/subscribed_apps',
			handler: subscribeWithOverride,
			accepts: isWaba,
		},
		{
			method: 'DELETE',
			pattern: '/:wabaId/subscribed_apps',
			handler: unsubscribeWithOverride,
			accepts: isWaba,
		},
		{
			method: 'POST',
			pattern: '/:phoneNumberId',
			handler: configurePhoneWebhook,
			accepts: (match, world, req) =>
				isPhone(match, world) && req.params.webhook_configuration !== undefined,
		},
		{
			method: 'GET',
			pattern: '/:phoneNumberId',
			handler: readPhoneWebhook,
			accepts: (match, world, req) => isPhone(match, world) && asksWebhookConfiguration(req.params),
		},
		{
			method: 'POST',
			pattern: '/:phoneNumberId/messages',
			handler: sendThenReport,
			accepts: isPhone,
		},
		{ method: 'GET', pattern: '/:appId/subscriptions', handler: readSubscriptions, accepts: isApp },
		{
			method: 'POST',
			pattern: '/:appId/subscriptions',
			handler: createSubscription,
			accepts: isApp,
		},
		{
			method: 'DELETE',
			pattern: '/:appId/subscriptions',
			handler: deleteSubscription,
			accepts: isApp,
		},
	],
	extendFields: {
		WASubscribedApp: {
			fields: { override_callback_uri: overrideOfSubscribedApp },
			defaultFields: ['override_callback_uri'],
		},
	},
};

/**
 * Registered AFTER the other domains: once the WhatsApp state exists, applies the failure mode
 * (131047 and 131053 asynchronous unless the scenario or settings ask for 'sync').
 */
export const webhooksSettingsDomain: DomainModule = {
	name: 'webhooks-settings',
	nodeTypes: [],
	routes: [],
	init(world: World) {
		applyFailureMode(world);
	},
};

/**
 * Meta's behaviour: the send answers 200 and 131047/131053 arrive later as a `failed` status.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */
export const DEFAULT_FAILURE_MODE: 'async' | 'sync' = 'async';

/** settings.whatsappFailureMode -> the WhatsApp domain's modes (also on control.setSettings). */
export function applyFailureMode(world: World): void {
	const mode = world.settings.whatsappFailureMode ?? DEFAULT_FAILURE_MODE;
	const state = getWhatsAppState(world);
	state.reEngagementMode = mode;
	state.mediaErrorMode = mode;
}
