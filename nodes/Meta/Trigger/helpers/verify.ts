/**
 * The two checks Meta's webhooks rely on, as pure functions: the verification handshake (GET) and
 * the X-Hub-Signature-256 signature over the raw body (POST). Both compare in constant time.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 */
import { createHmac, timingSafeEqual } from 'crypto';

/** Which check refused a request (the `check` of a rejected item and of the log line). */
export type RejectionReason =
	| 'handshakeMode'
	| 'handshakeVerifyToken'
	| 'handshakeNoVerifyToken'
	| 'missingSignature'
	| 'badSignature'
	| 'noAppSecret'
	| 'noRawBody'
	| 'invalidJson'
	| 'unknownObject'
	| 'filteredOut'
	| 'duplicate';

/** Equal strings, compared without leaking where they differ (lengths are compared first). */
export function constantTimeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	if (left.length !== right.length) {
		// Still spend the time of one comparison so the length is the only thing a caller learns.
		timingSafeEqual(left, left);
		return false;
	}
	return timingSafeEqual(left, right);
}

export interface HandshakeQuery {
	'hub.mode'?: unknown;
	'hub.verify_token'?: unknown;
	'hub.challenge'?: unknown;
}

export type HandshakeResult =
	{ ok: true; challenge: string } | { ok: false; reason: RejectionReason; message: string };

/**
 * Meta's GET: answer the challenge only for mode `subscribe` and the configured verify token.
 * PHP-style `hub_mode` keys are accepted too, as some proxies rewrite the dots.
 */
export function checkHandshake(
	query: Record<string, unknown>,
	verifyToken: string,
): HandshakeResult {
	const pick = (name: string): string => {
		const value = query[`hub.${name}`] ?? query[`hub_${name}`];
		return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0] ?? '') : '';
	};
	if (pick('mode') !== 'subscribe') {
		return { ok: false, reason: 'handshakeMode', message: 'hub.mode is not "subscribe"' };
	}
	if (!verifyToken) {
		return {
			ok: false,
			reason: 'handshakeNoVerifyToken',
			message: 'the node has no Verify Token set, so no handshake can succeed',
		};
	}
	if (!constantTimeEqual(pick('verify_token'), verifyToken)) {
		return {
			ok: false,
			reason: 'handshakeVerifyToken',
			message: 'hub.verify_token does not match the Verify Token set on the node',
		};
	}
	return { ok: true, challenge: pick('challenge') };
}

export type SignatureResult =
	{ ok: true } | { ok: false; reason: RejectionReason; message: string };

/** `sha256=` + lowercase hex HMAC-SHA256(app secret, body bytes), as Meta sends it. */
export function signatureOf(appSecret: string, body: Buffer | string): string {
	return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * The X-Hub-Signature-256 check over the exact bytes received. Re-serialised JSON would not match:
 * Meta signs its escaped (`\uXXXX`) form.
 */
export function checkSignature(
	header: string | string[] | undefined,
	rawBody: Buffer,
	appSecret: string,
): SignatureResult {
	const received = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
	if (!received) {
		return {
			ok: false,
			reason: 'missingSignature',
			message: 'the request has no X-Hub-Signature-256 header',
		};
	}
	const expected = signatureOf(appSecret, rawBody);
	if (!constantTimeEqual(received.toLowerCase(), expected)) {
		return {
			ok: false,
			reason: 'badSignature',
			message: 'the X-Hub-Signature-256 header does not match the body signed with the app secret',
		};
	}
	return { ok: true };
}
