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

import { DEFAULT_INSTAGRAM_BASE_URL } from '../nodes/Meta/shared/transport/constants';
import {
	EXCHANGED_TOKEN_PROPERTIES,
	baseUrlProperty,
	credentialBaseUrl,
	exchangedTokenData,
	graphApiVersionProperty,
	meTestRequest,
	withAccessTokenHeader,
} from '../nodes/Meta/shared/transport/credentialParts';
import { effectiveAccessToken, packExchangedToken } from '../nodes/Meta/shared/transport/tokens';

interface InstagramTokenResponse {
	access_token?: string;
	expires_in?: number;
}

/**
 * Instagram API with Instagram Login (host graph.instagram.com): an Instagram professional
 * account without a Facebook Page. Meta issues no refresh token: a short-lived token (1 hour)
 * is exchanged once for a long-lived one (60 days, `ig_exchange_token`), and a long-lived token
 * at least 24 hours old is extended by another 60 days with `ig_refresh_token`.
 */
export class MetaBusinessInstagramLoginApi implements ICredentialType {
	name = 'metaBusinessInstagramLoginApi';

	displayName = 'Meta Business Instagram Login API';

	icon: Icon = { light: 'file:../icons/instagram.svg', dark: 'file:../icons/instagram.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-meta-business/n8n-nodes-meta-business#instagram-login-credential';

	properties: INodeProperties[] = [
		{
			displayName:
				'Use this credential for an Instagram professional account signed in with Instagram Login (no Facebook Page needed). Paste the Instagram User access token from your app\'s "Instagram API with Instagram Login" setup.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. IGAAJ...',
			description:
				'Instagram User access token. A long-lived token lasts 60 days; a short-lived one (1 hour) is exchanged for a long-lived one when the Instagram App Secret is filled in.',
		},
		{
			displayName: 'Instagram App Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. The Instagram app secret (App Dashboard > Instagram > API setup with Instagram login > Business login settings). Needed only to exchange a short-lived token for a long-lived one.',
		},
		graphApiVersionProperty('Version of the Instagram Graph API every request uses'),
		baseUrlProperty('Instagram Graph API Base URL', DEFAULT_INSTAGRAM_BASE_URL),
		...EXCHANGED_TOKEN_PROPERTIES,
	];

	/**
	 * n8n calls this when the hidden `longLivedAccessToken` is empty (first use of a pasted token),
	 * when a request is answered with HTTP 401, and on every credential test; it stores what this
	 * returns. Order: exchange a short-lived token (needs the app secret), otherwise refresh the
	 * current long-lived token (works once it is 24 hours old), otherwise keep the token as it is.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const pasted = String(credentials.accessToken ?? '').trim();
		if (!pasted) return {};
		const root = credentialBaseUrl(credentials, DEFAULT_INSTAGRAM_BASE_URL);
		const clientSecret = String(credentials.clientSecret ?? '').trim();
		const current = effectiveAccessToken(credentials);
		const attempts: Array<{ path: string; qs: IDataObject }> = [];
		if (clientSecret && current === pasted) {
			attempts.push({
				path: '/access_token',
				qs: { grant_type: 'ig_exchange_token', client_secret: clientSecret, access_token: pasted },
			});
		}
		attempts.push({
			path: '/refresh_access_token',
			qs: { grant_type: 'ig_refresh_token', access_token: current },
		});
		for (const attempt of attempts) {
			try {
				const response = (await this.helpers.httpRequest({
					method: 'GET',
					url: `${root}${attempt.path}`,
					qs: attempt.qs,
					json: true,
				})) as InstagramTokenResponse;
				if (response?.access_token) {
					return exchangedTokenData(pasted, response.access_token, response.expires_in);
				}
			} catch {
				// A token younger than 24 hours cannot be refreshed yet, and a long-lived token cannot be
				// exchanged: the next attempt (or the token as pasted) is the right answer then.
			}
		}
		return {
			longLivedAccessToken: packExchangedToken(pasted, current),
			longLivedExpiresAt: Number(credentials.longLivedExpiresAt ?? 0) || 0,
		};
	}

	/** Bearer header; Meta's upload host (rupload) wants the `OAuth` scheme instead. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return withAccessTokenHeader(effectiveAccessToken(credentials), requestOptions);
	}

	test: ICredentialTestRequest = {
		request: meTestRequest(DEFAULT_INSTAGRAM_BASE_URL, 'user_id,username'),
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						'Instagram rejected the token. Check that it is an Instagram User token (it starts with IG), copied completely, and not expired: long-lived tokens last 60 days.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Instagram did not accept the token. Generate a new one in the App Dashboard and paste it again.',
				},
			},
		],
	};
}
