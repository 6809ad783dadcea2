/**
 * Token arithmetic shared by the credentials (`authenticate`, `preAuthentication`) and the
 * transport, so both always agree on which token a request carries and on its proof.
 */
import { createHash, createHmac } from 'crypto';

/**
 * `appsecret_proof`: lowercase hex HMAC-SHA256 of the token keyed with the app secret
 * (https://developers.facebook.com/docs/graph-api/securing-requests#appsecret_proof).
 */
export function appSecretProof(appSecret: string, accessToken: string): string {
	return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

/**
 * Short, one-way fingerprint of the token the user pasted. Stored next to the long-lived token
 * obtained from it, so a later edit of the pasted token is never paired with a stale exchange.
 */
export function tokenFingerprint(accessToken: string): string {
	return createHash('sha256').update(accessToken).digest('hex').slice(0, 16);
}

/** Value stored in the credential's hidden `longLivedAccessToken` field. */
export function packExchangedToken(sourceToken: string, longLivedToken: string): string {
	return `${tokenFingerprint(sourceToken)}:${longLivedToken}`;
}

/**
 * The token to send: the long-lived token exchanged from the pasted one when there is one for
 * exactly that pasted token, otherwise the pasted token itself.
 */
export function effectiveAccessToken(credentials: {
	accessToken?: unknown;
	longLivedAccessToken?: unknown;
}): string {
	const pasted = typeof credentials.accessToken === 'string' ? credentials.accessToken.trim() : '';
	const packed =
		typeof credentials.longLivedAccessToken === 'string' ? credentials.longLivedAccessToken : '';
	const separator = packed.indexOf(':');
	if (pasted && separator > 0) {
		const fingerprint = packed.slice(0, separator);
		const exchanged = packed.slice(separator + 1);
		if (exchanged && fingerprint === tokenFingerprint(pasted)) return exchanged;
	}
	return pasted;
}
