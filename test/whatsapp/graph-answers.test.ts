/**
 * WhatsApp Send against answers the simulator does not give on its own, scripted with nock over
 * real HTTP: rate-limit codes on a send (retried, since Meta refused before doing anything), a
 * 200 without `messages[0].id` (unknown, never resent), and media metadata whose download URL
 * points at a host that must not get the token.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { WhatsAppSend } from '../../nodes/Meta/WhatsApp/WhatsAppSend.node';
import { MAX_ATTEMPTS, transportClock } from '../../nodes/Meta/shared/transport';
import { executeNode } from '../helpers/harness';
import { PHONE_ID, RECENT, TOKEN, jsonOf, messageParameters } from './fixtures';

const BASE = 'https://graph.facebook.com';
const MEDIA_ID = '1037543291543636';
const credentials = { metaBusinessAccessTokenApi: { accessToken: TOKEN, baseUrl: BASE } };
const accepted = {
	messaging_product: 'whatsapp',
	contacts: [{ input: `+${RECENT}`, wa_id: RECENT }],
	messages: [{ id: 'wamid.HBgLMzUxOTEwMDAwMTAxFQIAERgSQUJD' }],
};

async function run(parameters: INodeParameters, continueOnFail = false) {
	return await executeNode({
		node: new WhatsAppSend(),
		parameters: { authentication: 'accessToken', ...parameters },
		credentials,
		settings: continueOnFail ? { onError: 'continueRegularOutput' } : undefined,
	});
}

const originalRandom = transportClock.random;
beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
	// Backoff waits become 0 ms: the test checks what is retried, not how long it waits.
	transportClock.random = () => 0;
});
afterEach(() => {
	transportClock.random = originalRandom;
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('rate limits on a send are retried (Meta refused before doing anything)', () => {
	it.each([4, 17, 32, 613, 80004, 80007])(
		'code %i, then accepted: one message, status accepted',
		async (code) => {
			const bodies: IDataObject[] = [];
			const scope = nock(BASE)
				.post(`/v26.0/${PHONE_ID}/messages`, (body: IDataObject) => bodies.push(body) > 0)
				.reply(400, {
					error: {
						message: `(#${code}) Rate limit reached`,
						type: 'OAuthException',
						code,
						fbtrace_id: 'T1',
					},
				})
				.post(`/v26.0/${PHONE_ID}/messages`, (body: IDataObject) => bodies.push(body) > 0)
				.reply(200, accepted);
			const { outputs, error } = await run(messageParameters('sendText', { text: 'Hello' }));
			expect(error).toBeUndefined();
			expect(jsonOf(outputs[0])).toEqual([
				expect.objectContaining({
					status: 'accepted',
					wamid: accepted.messages[0].id,
					to: `+${RECENT}`,
				}),
			]);
			expect(scope.isDone()).toBe(true);
			expect(bodies).toHaveLength(2);
			expect(bodies[1]).toEqual(bodies[0]);
		},
	);

	it('a rate limit that does not clear fails the item after the transport gives up', async () => {
		const scope = nock(BASE)
			.post(`/v26.0/${PHONE_ID}/messages`)
			// The transport's attempts under the throttle-only policy, and not one more.
			.times(MAX_ATTEMPTS)
			.reply(400, {
				error: { message: '(#80007) Rate limit', type: 'OAuthException', code: 80007 },
			});
		const { outputs } = await run(messageParameters('sendText', { text: 'Hello' }), true);
		const [result] = jsonOf(outputs[0]);
		expect(result).toMatchObject({ details: { status: 'failed', code: 80007 } });
		expect(scope.isDone()).toBe(true);
	});

	it('130429 and 131056 are left to the sender (its pacer), not repeated by the transport', async () => {
		const bodies: IDataObject[] = [];
		const scope = nock(BASE)
			.post(`/v26.0/${PHONE_ID}/messages`, (body: IDataObject) => bodies.push(body) > 0)
			.reply(400, {
				error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429 },
			})
			.post(`/v26.0/${PHONE_ID}/messages`, (body: IDataObject) => bodies.push(body) > 0)
			.reply(200, accepted);
		const { outputs, error } = await run(messageParameters('sendText', { text: 'Hello' }));
		expect(error).toBeUndefined();
		expect(jsonOf(outputs[0])).toEqual([expect.objectContaining({ status: 'accepted' })]);
		expect(scope.isDone()).toBe(true);
		expect(bodies).toHaveLength(2);
	});
});

describe('a 200 without a message id is an unknown outcome', () => {
	it.each([
		['no messages', { messaging_product: 'whatsapp' }],
		['an empty messages list', { messaging_product: 'whatsapp', messages: [] }],
		[
			'a message without id',
			{ messaging_product: 'whatsapp', messages: [{ message_status: 'accepted' }] },
		],
	])('%s: error item with status unknown, sent once', async (_kind, answer) => {
		const scope = nock(BASE).post(`/v26.0/${PHONE_ID}/messages`).once().reply(200, answer);
		const { outputs } = await run(messageParameters('sendText', { text: 'Hello' }), true);
		const [result] = jsonOf(outputs[0]);
		expect(result).toMatchObject({ details: { status: 'unknown' } });
		expect(result.wamid).toBeUndefined();
		expect(String(result.error)).toMatch(/Outcome unknown/);
		expect(scope.isDone()).toBe(true);
	});

	it('Media > Upload answered without an id: status unknown', async () => {
		nock(BASE).post(`/v26.0/${PHONE_ID}/media`).once().reply(200, { ok: true });
		const { outputs } = await executeNode({
			node: new WhatsAppSend(),
			parameters: {
				authentication: 'accessToken',
				resource: 'media',
				operation: 'upload',
				phoneNumberId: { __rl: true, mode: 'id', value: PHONE_ID },
				binaryPropertyName: 'data',
			},
			items: [
				{
					json: {},
					binary: {
						data: {
							data: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
							mimeType: 'application/pdf',
							fileName: 'a.pdf',
						},
					},
				},
			],
			credentials,
			settings: { onError: 'continueRegularOutput' },
		});
		expect(jsonOf(outputs[0])[0]).toMatchObject({ details: { status: 'unknown' } });
	});
});

describe('Media > Download sends the token only to Meta or the configured base URL', () => {
	const download = {
		resource: 'media',
		operation: 'download',
		mediaId: MEDIA_ID,
		binaryPropertyName: 'data',
	};

	it.each([
		['another host', 'https://files.example.net/media/1?hash=x', /files\.example\.net/],
		[
			'a Meta host over http',
			'http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1',
			/instead of https/,
		],
	])(
		'media metadata whose url points at %s: clear error, no request there',
		async (_kind, url, detail) => {
			nock(BASE).get(`/v26.0/${MEDIA_ID}`).reply(200, {
				url,
				mime_type: 'image/jpeg',
				sha256: 'abc',
				file_size: 3,
				id: MEDIA_ID,
				messaging_product: 'whatsapp',
			});
			const target = new URL(url);
			const elsewhere = nock(target.origin).get(/.*/).reply(200, 'secret-stealer');
			const { error } = await run(download);
			expect(error?.message).toMatch(/Refused to send the credential/);
			expect(error?.message).toMatch(detail);
			expect(elsewhere.isDone()).toBe(false);
			expect(JSON.stringify(error)).not.toContain(TOKEN);
		},
	);

	it("downloads from Meta's media host over https with the token", async () => {
		const url = 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=3';
		nock(BASE).get(`/v26.0/${MEDIA_ID}`).reply(200, {
			url,
			mime_type: 'image/jpeg',
			sha256: 'abc',
			file_size: 3,
			id: MEDIA_ID,
			messaging_product: 'whatsapp',
		});
		const media = nock('https://lookaside.fbsbx.com', {
			reqheaders: { authorization: `Bearer ${TOKEN}` },
		})
			.get('/whatsapp_business/attachments/')
			.query(true)
			.reply(200, Buffer.from([1, 2, 3]), { 'content-type': 'image/jpeg' });
		const { outputs, error } = await run(download);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			id: MEDIA_ID,
			mimeType: 'image/jpeg',
			fileName: `${MEDIA_ID}.jpg`,
		});
		expect(media.isDone()).toBe(true);
	});
});
