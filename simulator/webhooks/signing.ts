/**
 * How Meta puts a webhook on the wire: JSON as ASCII with lowercase `\uXXXX` escapes for every
 * non-ASCII character (emoji as surrogate pairs), signed over exactly those bytes with the app
 * secret: `X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256>`.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 */
import { createHmac } from 'crypto';

export interface EncodeOptions {
	/** Messenger-era payloads also escaped `/` as `\/` (unverified for 2026; off by default). */
	escapeSlashes?: boolean;
}

/** The exact bytes Meta would send for `payload`. */
export function encodeMetaJson(payload: unknown, options: EncodeOptions = {}): Buffer {
	let text = JSON.stringify(payload).replace(
		/[\u0080-\uffff]/g,
		(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
	if (options.escapeSlashes) text = text.replace(/\//g, '\\/');
	return Buffer.from(text, 'ascii');
}

/** `sha256=` + lowercase hex HMAC-SHA256(appSecret, body). */
export function signBody(appSecret: string, body: Buffer): string {
	return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** Legacy `X-Hub-Signature: sha1=...` (optional; Meta's 2026 behaviour is unverified). */
export function signBodySha1(appSecret: string, body: Buffer): string {
	return `sha1=${createHmac('sha1', appSecret).update(body).digest('hex')}`;
}
