import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_GRAPH_BASE_URL } from '../nodes/Meta/shared/transport/constants';
import {
	EXCHANGED_TOKEN_PROPERTIES,
	absoluteRequestUrl,
	baseUrlProperty,
	credentialApiRoot,
	credentialBaseUrl,
	exchangedTokenData,
	graphApiVersionProperty,
	isGraphHostUrl,
	meTestRequest,
	withAccessTokenHeader,
} from '../nodes/Meta/shared/transport/credentialParts';
import { appSecretProof, effectiveAccessToken } from '../nodes/Meta/shared/transport/tokens';

/** Meta's `{ error: { message } }` text from a failed exchange, without the secrets it was sent. */
function exchangeFailureText(error: unknown, secrets: string[]): string {
	const failure = error as {
		response?: { body?: unknown; data?: unknown };
		cause?: { response?: { body?: unknown; data?: unknown } };
		message?: string;
	};
	const body = (failure?.response?.body ??
		failure?.response?.data ??
		failure?.cause?.response?.data) as { error?: { message?: string } } | undefined;
	let text = body?.error?.message ?? failure?.message ?? 'unknown error';
	for (const secret of secrets) {
		if (secret) text = text.split(secret).join('[redacted]');
	}
	// The text is followed by our own sentence: no doubled full stop.
	return text.replace(/\.\s*$/, '');
}

export class MetaBusinessAccessTokenApi implements ICredentialType {
	name = 'metaBusinessAccessTokenApi';

	displayName = 'Meta Business Access Token API';

	icon: Icon = { light: 'file:../icons/meta.svg', dark: 'file:../icons/meta.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-meta-business/n8n-nodes-meta-business#credentials-which-one-to-choose';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A System User token from Meta Business Settings (never expires when generated with "Never"), a Page token, or a user token. Short-lived user tokens stop working after about an hour unless "Exchange for Long-Lived Token" is on.',
		},
		graphApiVersionProperty('Version of the Meta Graph API every request uses'),
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Secret of the Meta app that issued the token (App Dashboard > App settings > Basic). When set, every request carries appsecret_proof, which apps with "Require App Secret" demand.',
		},
		{
			displayName: 'Exchange for Long-Lived Token',
			name: 'useLongLivedExchange',
			type: 'boolean',
			default: false,
			description:
				'Whether to exchange a short-lived user token for a long-lived one (about 60 days) before the first request. Needs the App ID and App Secret of the app that issued the token. System User and Page tokens do not need this.',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 138483919580948',
			description:
				'ID of the Meta app that issued the token (App Dashboard > App settings > Basic)',
			displayOptions: {
				show: {
					useLongLivedExchange: [true],
				},
			},
		},
		baseUrlProperty('Graph API Base URL', DEFAULT_GRAPH_BASE_URL),
		...EXCHANGED_TOKEN_PROPERTIES,
	];

	/**
	 * n8n runs this before a request whenever the hidden `longLivedAccessToken` is empty and stores
	 * what it returns in the credential, so the exchange happens once per pasted token.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		if (credentials.useLongLivedExchange !== true) return {};
		const sourceToken = String(credentials.accessToken ?? '').trim();
		const appId = String(credentials.appId ?? '').trim();
		const appSecret = String(credentials.appSecret ?? '').trim();
		if (!sourceToken || !appId || !appSecret) {
			throw new Error(
				'Exchange for Long-Lived Token needs the Access Token, the App ID and the App Secret of the app that issued the token. Fill them in or turn the exchange off.',
			);
		}
		let response: { access_token?: string; expires_in?: number };
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${credentialApiRoot(credentials, DEFAULT_GRAPH_BASE_URL)}/oauth/access_token`,
				body: {
					grant_type: 'fb_exchange_token',
					client_id: appId,
					client_secret: appSecret,
					fb_exchange_token: sourceToken,
				},
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				json: true,
			})) as { access_token?: string; expires_in?: number };
		} catch (error) {
			throw new Error(
				`Meta refused to exchange the token for a long-lived one: ${exchangeFailureText(error, [
					sourceToken,
					appSecret,
				])}. Check that the App ID and App Secret belong to the app that issued the token and that the token has not expired yet (short-lived tokens last about an hour).`,
			);
		}
		if (!response?.access_token) {
			throw new Error('Meta answered the token exchange without an access token');
		}
		return exchangedTokenData(sourceToken, response.access_token, response.expires_in);
	}

	/**
	 * Bearer header (OAuth scheme for Instagram's upload host), plus appsecret_proof for Graph
	 * calls when the app secret is known.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = effectiveAccessToken(credentials);
		const appSecret = String(credentials.appSecret ?? '');
		const authenticated = withAccessTokenHeader(token, requestOptions);
		const graphBase = credentialBaseUrl(credentials, DEFAULT_GRAPH_BASE_URL);
		// A call that names its own token in the query (the app token some app-level edges need)
		// gets the proof of that token: Meta checks the proof against the token it uses.
		const queryToken = requestOptions.qs?.access_token;
		const provenToken = typeof queryToken === 'string' && queryToken ? queryToken : token;
		if (appSecret && provenToken && isGraphHostUrl(graphBase, absoluteRequestUrl(requestOptions))) {
			authenticated.qs = {
				...(requestOptions.qs ?? {}),
				appsecret_proof: appSecretProof(appSecret, provenToken),
			};
		}
		return authenticated;
	}

	test: ICredentialTestRequest = {
		request: meTestRequest(DEFAULT_GRAPH_BASE_URL, 'id,name'),
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						"Meta rejected the token. Check that it was copied completely and has not expired or been revoked (Meta's Access Token Debugger shows its status). If App Secret is filled in, it must belong to the app that issued the token.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Meta did not accept the token. Generate a new one (Business Settings > System Users > Generate New Token) and paste it again.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The token is valid but lacks permission to read its own profile. Regenerate it with at least the permissions the nodes need.',
				},
			},
		],
	};
}
