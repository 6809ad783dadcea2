/**
 * The simulator's webhook sender: POSTs Meta-shaped deliveries to a callback URL, signed with the
 * app secret over the exact bytes sent, several entries/changes per POST, retried with growing
 * waits on failure (bounded), and the verification handshake (GET with hub.* parameters) that Meta
 * runs when a subscription or an override is registered.
 *
 *   const emitter = new WebhookEmitter({ appSecret: 'app-secret' });
 *   await emitter.handshake(url, 'my-verify-token');            // { ok: true, status: 200, ... }
 *   await emitter.deliver(url, whatsappEnvelope('WABA', [statusChange(...)]));
 *   await emitter.deliver(url, batchEnvelopes([a, b, c]));      // one POST, several entries
 */
import { randomInt } from 'crypto';

import type { EncodeOptions } from './signing';
import { encodeMetaJson, signBody, signBodySha1 } from './signing';
import type { WebhookEnvelope } from './payloads';

export interface WebhookEmitterOptions extends EncodeOptions {
	appSecret: string;
	/** Attempts per delivery, first included (default 5). Meta retries for days; tests want few. */
	maxAttempts?: number;
	/** Wait before the second attempt (default 500 ms); doubles each time up to maxDelayMs. */
	baseDelayMs?: number;
	maxDelayMs?: number;
	/** Only HTTP 200 counts as delivered, as WhatsApp documents (default: any 2xx). */
	strict200?: boolean;
	/** Also send the legacy X-Hub-Signature (sha1) header (default false). */
	legacySha1?: boolean;
	/** Per-attempt timeout (default 10 s). */
	timeoutMs?: number;
	/** Replaceable wait (tests skip real time). */
	sleep?: (ms: number) => Promise<void>;
}

export type SignatureMode = 'valid' | 'missing' | 'forged';

export interface DeliverOptions {
	/** `missing`: no signature header; `forged`: signed with another secret. Default `valid`. */
	signature?: SignatureMode;
	/** Sign with this secret instead of the emitter's (a wrong app). */
	appSecret?: string;
	/** Override retries for this delivery (1 = no retry). */
	maxAttempts?: number;
}

export interface DeliveryAttempt {
	status: number;
	/** Network failure text when no HTTP answer came. */
	error?: string;
	waitedMs: number;
}

export interface DeliveryResult {
	delivered: boolean;
	attempts: DeliveryAttempt[];
	/** The exact bytes sent and the signature header (absent when `missing`). */
	body: Buffer;
	signature?: string;
	lastStatus: number;
	lastBody: string;
}

export interface HandshakeResult {
	ok: boolean;
	status: number;
	body: string;
	challenge: string;
}

const defaultSleep = async (ms: number): Promise<void> =>
	await new Promise((resolve) => setTimeout(resolve, ms));

export class WebhookEmitter {
	/** Every delivery made, in order (tests and the control API read it). */
	readonly log: Array<{ url: string; result: DeliveryResult }> = [];

	constructor(private readonly options: WebhookEmitterOptions) {}

	private accepted(status: number): boolean {
		return this.options.strict200 ? status === 200 : status >= 200 && status < 300;
	}

	/** Meta's verification GET; ok only for HTTP 200 with the challenge echoed as the body. */
	async handshake(
		callbackUrl: string,
		verifyToken: string,
		challenge = String(randomInt(1e9, 2e9)),
	): Promise<HandshakeResult> {
		const url = new URL(callbackUrl);
		url.searchParams.set('hub.mode', 'subscribe');
		url.searchParams.set('hub.challenge', challenge);
		url.searchParams.set('hub.verify_token', verifyToken);
		try {
			const response = await fetch(url, {
				signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
			});
			const body = await response.text();
			return {
				ok: response.status === 200 && body === challenge,
				status: response.status,
				body,
				challenge,
			};
		} catch (error) {
			return { ok: false, status: 0, body: String((error as Error).message ?? error), challenge };
		}
	}

	/** Signs and POSTs one delivery, retrying with growing waits until it is accepted or attempts run out. */
	async deliver(
		callbackUrl: string,
		envelope: WebhookEnvelope,
		options: DeliverOptions = {},
	): Promise<DeliveryResult> {
		const body = encodeMetaJson(envelope, this.options);
		const secret = options.appSecret ?? this.options.appSecret;
		const mode = options.signature ?? 'valid';
		const signature =
			mode === 'missing'
				? undefined
				: signBody(mode === 'forged' ? `forged-${secret}` : secret, body);
		const headers: Record<string, string> = { 'Content-Type': 'application/json' };
		if (signature) headers['X-Hub-Signature-256'] = signature;
		if (this.options.legacySha1 && mode !== 'missing')
			headers['X-Hub-Signature'] = signBodySha1(secret, body);
		const maxAttempts = Math.max(1, options.maxAttempts ?? this.options.maxAttempts ?? 5);
		const sleep = this.options.sleep ?? defaultSleep;
		const attempts: DeliveryAttempt[] = [];
		let lastStatus = 0;
		let lastBody = '';
		let waitedMs = 0;
		for (let attempt = 0; attempt < maxAttempts; attempt++) {
			if (attempt > 0) {
				const wait = Math.min(
					this.options.maxDelayMs ?? 30_000,
					(this.options.baseDelayMs ?? 500) * 2 ** (attempt - 1),
				);
				await sleep(wait);
				waitedMs = wait;
			}
			try {
				const response = await fetch(callbackUrl, {
					method: 'POST',
					headers,
					body: new Uint8Array(body),
					signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
				});
				lastStatus = response.status;
				lastBody = await response.text();
				attempts.push({ status: lastStatus, waitedMs });
			} catch (error) {
				lastStatus = 0;
				lastBody = '';
				attempts.push({ status: 0, error: String((error as Error).message ?? error), waitedMs });
			}
			if (this.accepted(lastStatus)) break;
		}
		const result: DeliveryResult = {
			delivered: this.accepted(lastStatus),
			attempts,
			body,
			signature,
			lastStatus,
			lastBody,
		};
		this.log.push({ url: callbackUrl, result });
		return result;
	}
}
