/**
 * The simulator's webhook emitter against small real HTTP servers: Meta's wire format (ASCII with
 * \uXXXX escapes) signed over the exact bytes, retries with growing waits on failure (bounded),
 * the handshake client, and batching rules.
 */
import { createHmac } from 'crypto';
import { createServer } from 'http';
import type { IncomingHttpHeaders, Server } from 'http';
import type { AddressInfo } from 'net';

import {
	WebhookEmitter,
	batchEnvelopes,
	encodeMetaJson,
	inboundMessage,
	instagramEnvelope,
	messagesChange,
	whatsappEnvelope,
} from '../../simulator/webhooks';
import { APP_SECRET, CUSTOMER, NUMBER_A, WABA_ID } from './fixtures';

interface Received {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

let server: Server | undefined;

async function serve(
	answers: Array<
		{ status: number; body?: string } | ((request: Received) => { status: number; body?: string })
	>,
) {
	const received: Received[] = [];
	server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const entry = {
				method: request.method ?? '',
				url: request.url ?? '',
				headers: request.headers,
				body: Buffer.concat(chunks),
			};
			received.push(entry);
			const next = answers[Math.min(received.length - 1, answers.length - 1)];
			const answer = typeof next === 'function' ? next(entry) : next;
			response.statusCode = answer.status;
			response.end(answer.body ?? '');
		});
	});
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

afterEach(async () => {
	if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
	server = undefined;
});

const delivery = () =>
	whatsappEnvelope(WABA_ID, [
		messagesChange(NUMBER_A, CUSTOMER, [
			inboundMessage('text', CUSTOMER, { text: 'Grüße \u{1F62E} </b>' }),
		]),
	]);

describe('WebhookEmitter', () => {
	it('sends ASCII JSON with lowercase \\u escapes, signed over exactly those bytes', async () => {
		const { url, received } = await serve([{ status: 200 }]);
		const result = await new WebhookEmitter({ appSecret: APP_SECRET }).deliver(url, delivery());
		expect(result.delivered).toBe(true);
		const [request] = received;
		expect(request.method).toBe('POST');
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.body.equals(result.body)).toBe(true);
		expect(request.body.every((byte) => byte < 0x80)).toBe(true);
		expect(request.body.toString()).toContain('Gr\\u00fc\\u00dfe \\ud83d\\ude2e');
		expect(request.headers['x-hub-signature-256']).toBe(
			`sha256=${createHmac('sha256', APP_SECRET).update(request.body).digest('hex')}`,
		);
		expect(request.headers['x-hub-signature']).toBeUndefined();
		// The escapes decode back to the original text.
		expect(
			JSON.parse(request.body.toString()).entry[0].changes[0].value.messages[0].text.body,
		).toBe('Grüße \u{1F62E} </b>');
	});

	it('optionally escapes slashes and adds the legacy sha1 header', async () => {
		const { url, received } = await serve([{ status: 200 }]);
		await new WebhookEmitter({
			appSecret: APP_SECRET,
			escapeSlashes: true,
			legacySha1: true,
		}).deliver(url, delivery());
		expect(received[0].body.toString()).toContain('<\\/b>');
		expect(received[0].headers['x-hub-signature']).toBe(
			`sha1=${createHmac('sha1', APP_SECRET).update(received[0].body).digest('hex')}`,
		);
	});

	it('retries a failed delivery with growing waits until it is accepted', async () => {
		const { url, received } = await serve([{ status: 500 }, { status: 503 }, { status: 200 }]);
		const waits: number[] = [];
		const emitter = new WebhookEmitter({
			appSecret: APP_SECRET,
			baseDelayMs: 100,
			sleep: async (ms) => void waits.push(ms),
		});
		const result = await emitter.deliver(url, delivery());
		expect(result.delivered).toBe(true);
		expect(result.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 200]);
		expect(waits).toEqual([100, 200]);
		// Every attempt sends the same signed bytes.
		expect(new Set(received.map((request) => request.body.toString('hex'))).size).toBe(1);
		expect(emitter.log).toHaveLength(1);
	});

	it('gives up after the attempt bound and reports the last answer', async () => {
		const { url, received } = await serve([{ status: 401, body: 'Rejected' }]);
		const waits: number[] = [];
		const emitter = new WebhookEmitter({
			appSecret: APP_SECRET,
			maxAttempts: 4,
			baseDelayMs: 10,
			maxDelayMs: 25,
			sleep: async (ms) => void waits.push(ms),
		});
		const result = await emitter.deliver(url, delivery());
		expect(result).toMatchObject({ delivered: false, lastStatus: 401, lastBody: 'Rejected' });
		expect(received).toHaveLength(4);
		expect(waits).toEqual([10, 20, 25]);
	});

	it('treats only 200 as delivered in strict mode, any 2xx otherwise', async () => {
		const { url } = await serve([{ status: 204 }]);
		expect(
			(await new WebhookEmitter({ appSecret: APP_SECRET, maxAttempts: 1 }).deliver(url, delivery()))
				.delivered,
		).toBe(true);
		expect(
			(
				await new WebhookEmitter({
					appSecret: APP_SECRET,
					maxAttempts: 1,
					strict200: true,
				}).deliver(url, delivery())
			).delivered,
		).toBe(false);
	});

	it('records a network failure as status 0 and retries it', async () => {
		const emitter = new WebhookEmitter({
			appSecret: APP_SECRET,
			maxAttempts: 2,
			sleep: async () => undefined,
		});
		const result = await emitter.deliver('http://127.0.0.1:1/hook', delivery());
		expect(result.delivered).toBe(false);
		expect(result.attempts).toHaveLength(2);
		expect(result.attempts[0]).toMatchObject({ status: 0, error: expect.any(String) });
	});

	it('can send unsigned or forged deliveries for negative tests', async () => {
		const { url, received } = await serve([{ status: 200 }]);
		const emitter = new WebhookEmitter({ appSecret: APP_SECRET, maxAttempts: 1 });
		await emitter.deliver(url, delivery(), { signature: 'missing' });
		await emitter.deliver(url, delivery(), { signature: 'forged' });
		expect(received[0].headers['x-hub-signature-256']).toBeUndefined();
		expect(received[1].headers['x-hub-signature-256']).not.toBe(
			`sha256=${createHmac('sha256', APP_SECRET).update(received[1].body).digest('hex')}`,
		);
	});

	it('performs the handshake and accepts only 200 with the challenge echoed', async () => {
		const echo = await serve([
			(request) => {
				const query = new URL(request.url, 'http://x').searchParams;
				return query.get('hub.mode') === 'subscribe' && query.get('hub.verify_token') === 'tok'
					? { status: 200, body: query.get('hub.challenge') ?? '' }
					: { status: 403 };
			},
		]);
		const emitter = new WebhookEmitter({ appSecret: APP_SECRET });
		expect(await emitter.handshake(echo.url, 'tok', '1158201444')).toMatchObject({
			ok: true,
			status: 200,
			body: '1158201444',
		});
		expect(await emitter.handshake(echo.url, 'nope')).toMatchObject({ ok: false, status: 403 });
		await new Promise<void>((resolve) => server!.close(() => resolve()));
		const wrongBody = await serve([{ status: 200, body: 'OK' }]);
		expect((await emitter.handshake(wrongBody.url, 'tok')).ok).toBe(false);
	});

	it('batches entries of one object and refuses to mix objects', () => {
		const batched = batchEnvelopes([delivery(), delivery()]);
		expect(batched.entry).toHaveLength(2);
		expect(() => batchEnvelopes([delivery(), instagramEnvelope('1', { changes: [] })])).toThrow(
			/one object/,
		);
		expect(() => batchEnvelopes([])).toThrow();
		expect(encodeMetaJson({ a: 'é' }).toString()).toBe('{"a":"\\u00e9"}');
	});
});
