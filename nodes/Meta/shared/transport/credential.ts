/**
 * The credential behind a request: which of the three credential types the node's
 * `authentication` parameter selects, the token, app secret, base URL and Graph API version it
 * holds, and every secret value in it (so errors can be scrubbed of them).
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import {
	DEFAULT_GRAPH_API_VERSION,
	DEFAULT_GRAPH_BASE_URL,
	DEFAULT_INSTAGRAM_BASE_URL,
} from './constants';
import { credentialBaseUrl } from './credentialParts';
import { appSecretProof, effectiveAccessToken } from './tokens';
import type { MetaAuthentication } from './types';
import { META_CREDENTIAL_TYPES } from './types';

/** Contexts the transport runs in: node execution, editor look-ups, trigger hooks and webhooks. */
export type MetaFunctions =
	IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export interface ResolvedCredential {
	credentialType: string;
	baseUrl: string;
	version: string;
	accessToken: string;
	appSecret?: string;
}

export interface LoadedCredential {
	resolved: ResolvedCredential;
	/** Every secret value the credential holds, for scrubbing errors. */
	secrets: string[];
}

/** The credential type the node's `authentication` parameter selects. */
export function getCredentialType(this: MetaFunctions): string {
	let authentication: MetaAuthentication = 'accessToken';
	try {
		authentication = this.getNodeParameter(
			'authentication',
			0,
			'accessToken',
		) as MetaAuthentication;
	} catch {
		authentication = 'accessToken';
	}
	return META_CREDENTIAL_TYPES[authentication] ?? META_CREDENTIAL_TYPES.accessToken;
}

/**
 * A proxy password written into the base URL (`https://user:pass@proxy/`) is a secret too. The
 * user name is not listed (it may be a common word); URL user info is scrubbed as a whole anyway.
 */
function baseUrlSecrets(baseUrl: string): string[] {
	try {
		return [decodeURIComponent(new URL(baseUrl).password)];
	} catch {
		return [];
	}
}

function credentialSecrets(credentials: ICredentialDataDecryptedObject, extra: string[]): string[] {
	const oauthTokenData = credentials.oauthTokenData as IDataObject | undefined;
	const packed =
		typeof credentials.longLivedAccessToken === 'string' ? credentials.longLivedAccessToken : '';
	const values = [
		credentials.accessToken,
		credentials.appSecret,
		credentials.clientSecret,
		packed,
		packed.includes(':') ? packed.slice(packed.indexOf(':') + 1) : '',
		oauthTokenData?.access_token,
		oauthTokenData?.refresh_token,
		...extra,
	];
	return values.filter((value): value is string => typeof value === 'string' && value.length >= 4);
}

export async function loadCredential(this: MetaFunctions): Promise<LoadedCredential> {
	const credentialType = getCredentialType.call(this);
	const credentials = await this.getCredentials(credentialType);
	const oauthTokenData = credentials.oauthTokenData as IDataObject | undefined;
	const isOAuth2 = credentialType === META_CREDENTIAL_TYPES.oAuth2;
	const accessToken = isOAuth2
		? String(oauthTokenData?.access_token ?? '')
		: effectiveAccessToken(credentials);
	const defaultBase =
		credentialType === META_CREDENTIAL_TYPES.instagramLogin
			? DEFAULT_INSTAGRAM_BASE_URL
			: DEFAULT_GRAPH_BASE_URL;
	// On the OAuth2 credential the app secret is the Client Secret, used only when asked for.
	const appSecret =
		(credentials.appSecret as string | undefined) ||
		(isOAuth2 && credentials.sendAppProof === true
			? (credentials.clientSecret as string | undefined)
			: undefined) ||
		undefined;
	const resolved: ResolvedCredential = {
		credentialType,
		baseUrl: credentialBaseUrl(credentials, defaultBase),
		version: String(credentials.graphApiVersion || DEFAULT_GRAPH_API_VERSION).trim(),
		accessToken,
		appSecret,
	};
	const proof = appSecret && accessToken ? appSecretProof(appSecret, accessToken) : '';
	return {
		resolved,
		secrets: credentialSecrets(credentials, [
			accessToken,
			proof,
			...baseUrlSecrets(resolved.baseUrl),
		]),
	};
}

export async function resolveCredential(this: MetaFunctions): Promise<ResolvedCredential> {
	return (await loadCredential.call(this)).resolved;
}

/** The request URL: a Graph path on the credential's base URL and version, or an absolute URL. */
export function buildUrl(credential: ResolvedCredential, path: string): string {
	if (isAbsoluteUrl(path)) return path;
	const cleanPath = path.startsWith('/') ? path : `/${path}`;
	return `${credential.baseUrl}/${credential.version}${cleanPath}`;
}

/** Whether a path is a full URL (an upload URI or download URL Meta handed out). */
export function isAbsoluteUrl(path: string): boolean {
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(path);
}
