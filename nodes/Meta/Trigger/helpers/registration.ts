/**
 * Activation and deactivation: point Meta at this workflow's production URL and take it back.
 * Per-number and per-account overrides let several workflows share one Meta app (one number or
 * account each); the app-level subscription is used only when the user picks it. Nothing that
 * points elsewhere is overwritten unless the user allows it, and deactivation removes only what
 * this workflow registered (remembered in the node's static data).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override/
 * https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/subscribed_apps/
 * https://developers.facebook.com/docs/graph-api/reference/app/subscriptions
 * https://developers.facebook.com/docs/instagram-platform/webhooks
 */
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { expectOption, expectText } from '../../shared/parameters';
import { graphRequest, META_CREDENTIAL_TYPES } from '../../shared/transport';
import type { GraphRequestOptions } from '../../shared/transport';
import type { Registration } from '../descriptions/properties';
import { REGISTRATIONS } from '../descriptions/properties';
import { readVerifyToken } from './settings';

/** What this workflow set up at Meta, so deactivation undoes exactly that. */
interface Registered {
	registration?: Registration;
	target?: string;
	callbackUrl?: string;
	/** The app subscription to the WABA was made by this workflow (not there before). */
	subscribedApp?: boolean;
}

/** Meta limits an override URL to 200 characters. */
const MAX_OVERRIDE_URL_LENGTH = 200;

/** The shared transport, called from the trigger's activation and deactivation hooks. */
async function graph(this: IHookFunctions, options: GraphRequestOptions): Promise<IDataObject> {
	const answer: unknown = await graphRequest.call(this, options);
	return answer !== null && typeof answer === 'object' ? (answer as IDataObject) : {};
}

function registrationOf(this: IHookFunctions): Registration {
	return expectOption(
		this.getNode(),
		this.getNodeParameter('registration', 'none'),
		{
			label: 'Register Webhook',
			itemIndex: 0,
		},
		REGISTRATIONS,
	);
}

function locator(this: IHookFunctions, name: string, label: string): string {
	const hint = `Pick the ${label} in the node, or set Register Webhook to None.`;
	let value: unknown;
	try {
		value = this.getNodeParameter(name, '', { extractValue: true });
	} catch (error) {
		// Activation has no input item: an expression reading $json cannot resolve here.
		throw new NodeOperationError(
			this.getNode(),
			`${label} could not be read: ${(error as Error).message}`,
			{
				description: `${hint} Expressions here cannot use input data ($json), as no item exists when the workflow is activated.`,
			},
		);
	}
	return expectText(this.getNode(), value, { label, itemIndex: 0, hint }, { required: true });
}

function callbackUrl(this: IHookFunctions): string {
	const url = this.getNodeWebhookUrl('default') ?? '';
	if (!url)
		throw new NodeOperationError(this.getNode(), 'n8n did not provide a webhook URL for this node');
	return url;
}

function memory(this: IHookFunctions): Registered {
	return this.getWorkflowStaticData('node') as Registered;
}

function refuseOverwrite(this: IHookFunctions, where: string, existing: string): never {
	throw new NodeOperationError(
		this.getNode(),
		`${where} already sends its webhooks to another URL: ${existing}`,
		{
			description:
				'Another workflow or tool receives these events. Deactivate it first, pick another phone number or account, or turn on "Replace Another Callback URL" to take them over.',
		},
	);
}

/** The credential's App ID when it has one (Access Token credential), else ''. */
async function credentialAppId(this: IHookFunctions): Promise<string> {
	if (String(this.getNodeParameter('authentication', 'accessToken')) !== 'accessToken') return '';
	const credentials = (await this.getCredentials(META_CREDENTIAL_TYPES.accessToken)) as IDataObject;
	return typeof credentials.appId === 'string' ? credentials.appId.trim() : '';
}

/**
 * This app's entry in the WABA's subscribed apps, if the app is subscribed. Several apps can sit on
 * one account: the entry is matched by the credential's App ID when it has one; without it, an
 * account with a single app (the common case) is assumed to be this app's.
 */
async function appOnWaba(this: IHookFunctions, wabaId: string): Promise<IDataObject | undefined> {
	const answer = await graph.call(this, { method: 'GET', path: `/${wabaId}/subscribed_apps` });
	const apps = Array.isArray(answer.data) ? (answer.data as IDataObject[]) : [];
	const appId = await credentialAppId.call(this);
	if (appId) {
		return apps.find(
			(app) =>
				String((app.whatsapp_business_api_data as IDataObject | undefined)?.id ?? '') === appId,
		);
	}
	return apps.length === 1
		? apps[0]
		: apps.find((app) => typeof app.override_callback_uri === 'string');
}

async function phoneOverride(this: IHookFunctions, phoneNumberId: string): Promise<string> {
	const answer = await graph.call(this, {
		method: 'GET',
		path: `/${phoneNumberId}`,
		qs: { fields: 'webhook_configuration' },
	});
	const configuration = (answer.webhook_configuration ?? {}) as IDataObject;
	return typeof configuration.phone_number === 'string' ? configuration.phone_number : '';
}

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const registration = registrationOf.call(this);
	if (registration === 'none') return true;
	const url = callbackUrl.call(this);
	const registered = memory.call(this);
	if (registered.registration !== registration || registered.callbackUrl !== url) return false;
	try {
		if (registration === 'phoneNumberOverride') {
			return (
				(await phoneOverride.call(this, locator.call(this, 'phoneNumberId', 'Phone Number'))) ===
				url
			);
		}
		if (registration === 'whatsAppBusinessAccountOverride') {
			const app = await appOnWaba.call(
				this,
				locator.call(this, 'wabaId', 'WhatsApp Business Account'),
			);
			return app?.override_callback_uri === url;
		}
	} catch {
		return false;
	}
	// App and Instagram subscriptions are re-posted on every activation: the calls are idempotent.
	return false;
}

async function ensureAppOnWaba(this: IHookFunctions, wabaId: string): Promise<boolean> {
	if (await appOnWaba.call(this, wabaId)) return false;
	await graph.call(this, {
		method: 'POST',
		path: `/${wabaId}/subscribed_apps`,
		retry: 'idempotent',
	});
	return true;
}

function checkOverrideUrl(this: IHookFunctions, url: string): void {
	if (url.length > MAX_OVERRIDE_URL_LENGTH) {
		throw new NodeOperationError(
			this.getNode(),
			`The webhook URL is longer than Meta's ${MAX_OVERRIDE_URL_LENGTH} characters for an override`,
			{
				description:
					"Shorten n8n's WEBHOOK_URL or the workflow's webhook path, or register the webhook at app level.",
			},
		);
	}
}

export async function create(this: IHookFunctions): Promise<boolean> {
	const registration = registrationOf.call(this);
	if (registration === 'none') return true;
	const url = callbackUrl.call(this);
	const verifyToken = readVerifyToken.call(this);
	if (!verifyToken) {
		throw new NodeOperationError(this.getNode(), 'Verify Token is empty', {
			description:
				'Meta checks the callback URL with the Verify Token before it sends anything. Enter any text in Verify Token.',
		});
	}
	const replace = this.getNodeParameter('replaceExisting', false) === true;
	const registered: Registered = { registration, callbackUrl: url };
	if (
		registration === 'phoneNumberOverride' ||
		registration === 'whatsAppBusinessAccountOverride'
	) {
		checkOverrideUrl.call(this, url);
		const wabaId = locator.call(this, 'wabaId', 'WhatsApp Business Account');
		registered.subscribedApp = await ensureAppOnWaba.call(this, wabaId);
		if (registration === 'phoneNumberOverride') {
			const phoneNumberId = locator.call(this, 'phoneNumberId', 'Phone Number');
			const existing = await phoneOverride.call(this, phoneNumberId);
			if (existing && existing !== url && !replace)
				refuseOverwrite.call(this, `Phone number ${phoneNumberId}`, existing);
			await graph.call(this, {
				method: 'POST',
				path: `/${phoneNumberId}`,
				body: { webhook_configuration: { override_callback_uri: url, verify_token: verifyToken } },
				retry: 'idempotent',
			});
			registered.target = phoneNumberId;
		} else {
			const app = await appOnWaba.call(this, wabaId);
			const existing =
				typeof app?.override_callback_uri === 'string' ? app.override_callback_uri : '';
			if (existing && existing !== url && !replace)
				refuseOverwrite.call(this, `WhatsApp Business Account ${wabaId}`, existing);
			await graph.call(this, {
				method: 'POST',
				path: `/${wabaId}/subscribed_apps`,
				body: { override_callback_uri: url, verify_token: verifyToken },
				retry: 'idempotent',
			});
			registered.target = wabaId;
		}
	} else if (registration === 'appSubscription') {
		await createAppSubscription.call(this, url, verifyToken, replace, registered);
	} else {
		registered.target = await subscribeInstagramAccount.call(this);
	}
	Object.assign(memory.call(this), registered);
	return true;
}

/**
 * Instagram Login: the account subscribes the app itself (`POST /{ig-user-id}/subscribed_apps`, by
 * numeric id; `/me` is refused). @mentions come inside `comments` there. With Facebook Login the
 * subscription belongs to the linked Facebook Page and needs the Page's token, which the App
 * Dashboard sets up; the node says so rather than guessing.
 */
async function subscribeInstagramAccount(this: IHookFunctions): Promise<string> {
	const accountId = locator.call(this, 'instagramAccountId', 'Instagram Account');
	if (String(this.getNodeParameter('authentication', 'accessToken')) !== 'instagramLogin') {
		throw new NodeOperationError(
			this.getNode(),
			'Instagram Account registration needs the Instagram Login credential',
			{
				description:
					'With Facebook Login, Instagram webhooks flow through the linked Facebook Page: subscribe the Page to the app in the App Dashboard (Webhooks > Instagram), then set Register Webhook to None.',
			},
		);
	}
	await graph.call(this, {
		method: 'POST',
		path: `/${accountId}/subscribed_apps`,
		qs: { subscribed_fields: 'comments,messages' },
		retry: 'idempotent',
	});
	return accountId;
}

/** App ID and app access token (`{app-id}|{app-secret}`) from the Access Token credential. */
async function appCredentials(this: IHookFunctions): Promise<{ appId: string; appToken: string }> {
	const authentication = String(this.getNodeParameter('authentication', 'accessToken'));
	const credentials =
		authentication === 'accessToken'
			? ((await this.getCredentials(META_CREDENTIAL_TYPES.accessToken)) as IDataObject)
			: {};
	const appId = typeof credentials.appId === 'string' ? credentials.appId.trim() : '';
	const appSecret = typeof credentials.appSecret === 'string' ? credentials.appSecret.trim() : '';
	if (!appId || !appSecret) {
		throw new NodeOperationError(
			this.getNode(),
			'App Subscription needs the App ID and App Secret',
			{
				description:
					'Use the Access Token credential with App ID and App Secret filled in, or register per phone number or WhatsApp Business Account instead.',
			},
		);
	}
	return { appId, appToken: `${appId}|${appSecret}` };
}

async function createAppSubscription(
	this: IHookFunctions,
	url: string,
	verifyToken: string,
	replace: boolean,
	registered: Registered,
): Promise<void> {
	const { appId, appToken } = await appCredentials.call(this);
	const answer = await graph.call(this, {
		method: 'GET',
		path: `/${appId}/subscriptions`,
		qs: { access_token: appToken },
	});
	const current = (Array.isArray(answer.data) ? (answer.data as IDataObject[]) : []).find(
		(subscription) => subscription.object === 'whatsapp_business_account',
	);
	const existing = typeof current?.callback_url === 'string' ? current.callback_url : '';
	if (existing && existing !== url && !replace)
		refuseOverwrite.call(this, `App ${appId}`, existing);
	await graph.call(this, {
		method: 'POST',
		path: `/${appId}/subscriptions`,
		qs: { access_token: appToken },
		body: {
			object: 'whatsapp_business_account',
			callback_url: url,
			verify_token: verifyToken,
			fields:
				'messages,message_template_status_update,message_template_quality_update,phone_number_quality_update,phone_number_name_update,account_update',
			include_values: 'true',
		},
		bodyType: 'form',
		retry: 'idempotent',
	});
	const wabaId = locator.call(this, 'wabaId', 'WhatsApp Business Account');
	registered.subscribedApp = await ensureAppOnWaba.call(this, wabaId);
	registered.target = appId;
}

export async function remove(this: IHookFunctions): Promise<boolean> {
	const registered = memory.call(this);
	const url = registered.callbackUrl;
	if (!registered.registration || registered.registration === 'none' || !registered.target)
		return true;
	try {
		if (registered.registration === 'phoneNumberOverride') {
			// Only clear the override while it still points here (someone may have taken it over).
			if ((await phoneOverride.call(this, registered.target)) === url) {
				await graph.call(this, {
					method: 'POST',
					path: `/${registered.target}`,
					body: { webhook_configuration: { override_callback_uri: '' } },
					retry: 'idempotent',
				});
			}
		} else if (registered.registration === 'whatsAppBusinessAccountOverride') {
			const app = await appOnWaba.call(this, registered.target);
			if (app?.override_callback_uri === url) {
				// A plain re-subscribe (no body) clears the override and keeps the app subscribed.
				await graph.call(this, {
					method: 'POST',
					path: `/${registered.target}/subscribed_apps`,
					retry: 'idempotent',
				});
			}
		} else if (registered.registration === 'appSubscription') {
			const { appToken } = await appCredentials.call(this);
			await graph.call(this, {
				method: 'DELETE',
				path: `/${registered.target}/subscriptions`,
				qs: { access_token: appToken, object: 'whatsapp_business_account' },
				retry: 'idempotent',
			});
		}
	} finally {
		for (const key of ['registration', 'target', 'callbackUrl', 'subscribedApp']) {
			delete (registered as IDataObject)[key];
		}
	}
	return true;
}
