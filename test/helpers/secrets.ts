/**
 * Secret-leak assertions. `expectNoSecrets(value, secrets)` deep-scans anything a node produced
 * (items, errors, run data, log lines) and fails listing every path where a secret appeared.
 * Error objects are scanned through their own properties AND message, description, context,
 * cause, stack and their JSON.stringify form (what n8n persists and shows).
 *
 *   expectNoSecrets({ outputs, error, run }, secretsOf(credentials));
 */
import { createHmac } from 'crypto';

/** Meta's appsecret_proof: hex HMAC-SHA256 of the access token keyed with the app secret. */
export function appSecretProofOf(appSecret: string, accessToken: string): string {
	return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

const ERROR_KEYS = [
	'message',
	'description',
	'context',
	'cause',
	'stack',
	'messages',
	'errorResponse',
	'httpCode',
	'node',
];

/** Every path at which one of `secrets` occurs in `value` (as `path: secret-preview`). */
export function findSecrets(value: unknown, secrets: string[]): string[] {
	const needles = secrets.filter((secret) => typeof secret === 'string' && secret.length > 0);
	const hits: string[] = [];
	const seen = new WeakSet<object>();
	const preview = (secret: string) => `${secret.slice(0, 4)}…(${secret.length} chars)`;

	const checkString = (text: string, path: string) => {
		for (const secret of needles) {
			if (text.includes(secret)) hits.push(`${path || '<root>'}: ${preview(secret)}`);
		}
	};

	const visit = (current: unknown, path: string, depth: number) => {
		if (current === null || current === undefined || depth > 60) return;
		if (typeof current === 'string') return checkString(current, path);
		if (
			typeof current === 'number' ||
			typeof current === 'boolean' ||
			typeof current === 'bigint'
		) {
			return checkString(String(current), path);
		}
		if (typeof current === 'function') return;
		if (Buffer.isBuffer(current) || current instanceof Uint8Array) {
			return checkString(Buffer.from(current).toString('utf8'), `${path}<bytes>`);
		}
		if (typeof current !== 'object') return;
		if (seen.has(current)) return;
		seen.add(current);
		if (current instanceof Map) {
			for (const [key, entry] of current) {
				checkString(String(key), `${path}<map key>`);
				visit(entry, `${path}.${String(key)}`, depth + 1);
			}
			return;
		}
		if (current instanceof Set) {
			let index = 0;
			for (const entry of current) visit(entry, `${path}<set ${index++}>`, depth + 1);
			return;
		}
		if (current instanceof Error) {
			const record = current as unknown as Record<string, unknown>;
			for (const key of ERROR_KEYS) {
				if (key in record) visit(record[key], `${path}.${key}`, depth + 1);
			}
			try {
				checkString(JSON.stringify(current), `${path}<JSON.stringify>`);
			} catch {
				// circular: own keys are visited below
			}
			try {
				checkString(String(current), `${path}<toString>`);
			} catch {
				// ignore
			}
		}
		for (const key of Object.getOwnPropertyNames(current)) {
			checkString(key, `${path}<key ${key.slice(0, 20)}>`);
			let entry: unknown;
			try {
				entry = (current as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			visit(entry, path ? `${path}.${key}` : key, depth + 1);
		}
	};

	visit(value, '', 0);
	return [...new Set(hits)];
}

/** Fails (throws) listing every place one of the secrets appears in `value`. */
export function expectNoSecrets(value: unknown, secrets: string[]): void {
	const hits = findSecrets(value, secrets);
	if (hits.length > 0) {
		throw new Error(`Secret found in ${hits.length} place(s):\n  ${hits.join('\n  ')}`);
	}
}

const SECRET_FIELDS = [
	'accessToken',
	'appSecret',
	'clientSecret',
	'longLivedAccessToken',
	'token',
	'password',
	'sessionToken',
];

/**
 * Every secret in a harness `credentials` map ({ [type]: data }): token-like fields, OAuth token
 * data, and the appsecret_proof of each token with each app secret. Feed it to expectNoSecrets.
 */
export function secretsOf(credentials: Record<string, Record<string, unknown>>): string[] {
	const tokens = new Set<string>();
	const appSecrets = new Set<string>();
	const found = new Set<string>();
	for (const data of Object.values(credentials)) {
		for (const field of SECRET_FIELDS) {
			const value = data[field];
			if (typeof value === 'string' && value.length >= 6) found.add(value);
		}
		const oauth = data.oauthTokenData as Record<string, unknown> | undefined;
		for (const key of ['access_token', 'refresh_token']) {
			if (typeof oauth?.[key] === 'string') found.add(oauth[key] as string);
		}
		for (const key of ['accessToken', 'longLivedAccessToken']) {
			if (typeof data[key] === 'string' && data[key]) tokens.add(data[key] as string);
		}
		if (typeof oauth?.access_token === 'string') tokens.add(oauth.access_token);
		for (const key of ['appSecret', 'clientSecret']) {
			if (typeof data[key] === 'string' && data[key]) appSecrets.add(data[key] as string);
		}
	}
	for (const token of tokens) {
		for (const secret of appSecrets) found.add(appSecretProofOf(secret, token));
	}
	return [...found];
}
