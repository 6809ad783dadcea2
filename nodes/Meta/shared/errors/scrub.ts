/**
 * Removal of secrets from every text an error, an error item or a log line can carry: access
 * tokens, app secrets, appsecret_proof values, and the user name and password of a proxy written
 * into a URL (`https://user:pass@proxy.example/`). Kept apart from the error building so the error
 * item and the transport can use it without importing each other.
 */
const REDACTED = '[redacted]';

/** Query/form parameters whose values are secret wherever they appear. */
const SECRET_PARAMETERS = [
	'access_token',
	'appsecret_proof',
	'client_secret',
	'fb_exchange_token',
	'input_token',
	'refresh_token',
];

const SECRET_PARAMETER_PATTERN = new RegExp(
	`((?:^|[?&\\s"'{,])(?:${SECRET_PARAMETERS.join('|')})["']?\\s*[=:]\\s*["']?)([^&\\s"',}]+)`,
	'gi',
);
const AUTH_HEADER_PATTERN = /\b(Bearer|OAuth)\s+[A-Za-z0-9._~+/=|-]{8,}/g;
/** Shapes of Meta user, Page, System User and Instagram tokens. */
const META_TOKEN_PATTERN = /\b(?:EAA|IGQ|IGAA)[A-Za-z0-9_-]{16,}/g;
/** A bare SHA-256 hex digest: what an appsecret_proof looks like outside a parameter. */
const HEX_DIGEST_PATTERN = /\b[0-9a-f]{64}\b/gi;
/**
 * The user info of a URL (`scheme://user:password@host`): a proxy's login in the Graph API Base
 * URL must not be shown in "Could not reach Meta (...)" or any other text.
 */
const URL_USERINFO_PATTERN = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

/** A URL without its user name and password (for texts that name a URL on purpose). */
export function withoutUserInfo(url: string): string {
	return typeof url === 'string' ? url.replace(URL_USERINFO_PATTERN, '$1') : url;
}

/**
 * Removes every given secret (and its URL-encoded form) from a text, plus anything shaped like a
 * Meta token, an Authorization header value, a secret query parameter, or a URL's user info.
 */
export function scrubSecrets(text: string, secrets: Array<string | undefined | null> = []): string {
	if (typeof text !== 'string' || text === '') return text;
	let scrubbed = text;
	const unique = Array.from(
		new Set(
			secrets
				.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4)
				.flatMap((secret) => [secret, encodeURIComponent(secret)]),
		),
	).sort((a, b) => b.length - a.length);
	for (const secret of unique) {
		scrubbed = scrubbed.split(secret).join(REDACTED);
	}
	return scrubbed
		.replace(SECRET_PARAMETER_PATTERN, (_match, prefix: string) => `${prefix}${REDACTED}`)
		.replace(AUTH_HEADER_PATTERN, (_match, scheme: string) => `${scheme} ${REDACTED}`)
		.replace(META_TOKEN_PATTERN, REDACTED)
		.replace(HEX_DIGEST_PATTERN, REDACTED)
		.replace(URL_USERINFO_PATTERN, `$1${REDACTED}@`);
}

/** Deep copy of plain data with every string scrubbed. */
export function scrubValue<T>(value: T, secrets: Array<string | undefined | null> = []): T {
	const seen = new WeakSet<object>();
	const walk = (current: unknown): unknown => {
		if (typeof current === 'string') return scrubSecrets(current, secrets);
		if (current === null || typeof current !== 'object') return current;
		if (seen.has(current)) return undefined;
		seen.add(current);
		if (Array.isArray(current)) return current.map(walk);
		const copy: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(current as Record<string, unknown>)) {
			copy[key] = walk(inner);
		}
		return copy;
	};
	return walk(value) as T;
}
