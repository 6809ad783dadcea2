/**
 * Pieces the three credentials share: the Graph API version and base URL fields, the hidden
 * fields that keep an exchanged long-lived token, the auth header, and the `/me` credential test.
 * Only n8n-workflow types and the token helpers: credential files load this without the transport.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_GRAPH_API_VERSION } from './constants';
import { packExchangedToken } from './tokens';

/** Instagram's resumable upload host path; it wants `Authorization: OAuth <token>`, no proof. */
export const UPLOAD_PATH = /\/ig-api-upload\//;

/** `baseUrl` of the credential (or the host's default) without a trailing slash. */
export function credentialBaseUrl(
	credentials: ICredentialDataDecryptedObject,
	defaultBaseUrl: string,
): string {
	return String(credentials.baseUrl || defaultBaseUrl)
		.trim()
		.replace(/\/+$/, '');
}

/** `https://graph.facebook.com/v26.0`: base URL plus the credential's Graph API version. */
export function credentialApiRoot(
	credentials: ICredentialDataDecryptedObject,
	defaultBaseUrl: string,
): string {
	const version = String(credentials.graphApiVersion || DEFAULT_GRAPH_API_VERSION).trim();
	return `${credentialBaseUrl(credentials, defaultBaseUrl)}/${version}`;
}

/** Whether `url` is on the Graph host `baseUrl` (the upload host is not: it takes no proof). */
export function isGraphHostUrl(baseUrl: string, url: string): boolean {
	if (UPLOAD_PATH.test(url)) return false;
	return url === baseUrl || url.startsWith(`${baseUrl}/`) || url.startsWith(`${baseUrl}?`);
}

/** The request's absolute URL (n8n may pass `baseURL` and a relative `url`). */
export function absoluteRequestUrl(requestOptions: IHttpRequestOptions): string {
	return /^https?:\/\//i.test(requestOptions.url)
		? requestOptions.url
		: `${requestOptions.baseURL ?? ''}${requestOptions.url}`;
}

/** The request with the token in its Authorization header (`OAuth` scheme on the upload host). */
export function withAccessTokenHeader(
	token: string,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const scheme = UPLOAD_PATH.test(requestOptions.url) ? 'OAuth' : 'Bearer';
	return {
		...requestOptions,
		headers: { ...(requestOptions.headers ?? {}), Authorization: `${scheme} ${token}` },
	};
}

export function graphApiVersionProperty(description: string): INodeProperties {
	return {
		displayName: 'Graph API Version',
		name: 'graphApiVersion',
		type: 'string',
		default: DEFAULT_GRAPH_API_VERSION,
		placeholder: 'e.g. v26.0',
		description,
	};
}

export function baseUrlProperty(displayName: string, defaultBaseUrl: string): INodeProperties {
	return {
		displayName,
		name: 'baseUrl',
		type: 'string',
		default: defaultBaseUrl,
		description:
			'Advanced: change only to reach Meta through a proxy or to point at a Meta Graph simulator for testing',
	};
}

/**
 * Hidden fields that n8n fills from `preAuthentication`: the long-lived token (packed with a
 * fingerprint of the pasted token it came from) and when it expires. `expirable` makes n8n run
 * `preAuthentication` again when it is empty or a request answers 401.
 */
export const EXCHANGED_TOKEN_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Long-Lived Access Token',
		name: 'longLivedAccessToken',
		type: 'hidden',
		typeOptions: { expirable: true, password: true },
		default: '',
	},
	{
		displayName: 'Long-Lived Token Expires At',
		name: 'longLivedExpiresAt',
		type: 'hidden',
		default: 0,
	},
];

/** What `preAuthentication` returns for a token obtained from `sourceToken`. */
export function exchangedTokenData(
	sourceToken: string,
	accessToken: string,
	expiresInSeconds: number | undefined,
): IDataObject {
	return {
		longLivedAccessToken: packExchangedToken(sourceToken, accessToken),
		longLivedExpiresAt: expiresInSeconds
			? Math.floor(Date.now() / 1000) + Number(expiresInSeconds)
			: 0,
	};
}

/**
 * Credential test: `GET {base}/{version}/me?fields=...` on the credential's host and version,
 * falling back to the defaults when the fields are empty.
 */
export function meTestRequest(
	defaultBaseUrl: string,
	fields: string,
): ICredentialTestRequest['request'] {
	return {
		baseURL: `={{ ($credentials.baseUrl || "${defaultBaseUrl}").replace(/\\/+$/, "") + "/" + ($credentials.graphApiVersion || "${DEFAULT_GRAPH_API_VERSION}") }}`,
		url: '/me',
		qs: { fields },
	};
}
