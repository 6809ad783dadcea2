import nock from 'nock';

import { appSecretProofOf, expectNoSecrets } from '../helpers/secrets';
import { getMetaErrorInfo } from '../../nodes/Meta/shared/errors';
import { accessTokenCredentials, APP_SECRET, BASE, isolateNetwork, probe, TOKEN } from './helpers';

isolateNetwork();

describe('authentication and addressing', () => {
	it('sends the token as a Bearer header, on the credential version and base URL', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get('/v26.0/me')
			.query({ fields: 'id,name' })
			.reply(200, { id: '1', name: 'Jane' });
		const { result, error } = await probe('request', {
			method: 'GET',
			path: '/me',
			qs: { fields: 'id,name' },
		});
		expect(error).toBeUndefined();
		expect(result).toEqual({ id: '1', name: 'Jane' });
		scope.done();
	});

	it('honours another Graph API version and base URL (trailing slash trimmed)', async () => {
		const scope = nock('http://proxy.meta.test').get('/v24.0/me/accounts').reply(200, { data: [] });
		const { error } = await probe(
			'request',
			{ method: 'GET', path: 'me/accounts' },
			{
				credentials: accessTokenCredentials({
					baseUrl: 'http://proxy.meta.test/',
					graphApiVersion: 'v24.0',
				}),
			},
		);
		expect(error).toBeUndefined();
		scope.done();
	});

	it('adds the correct appsecret_proof (HMAC-SHA256 of the token, hex) when the app secret is set', async () => {
		const proof = appSecretProofOf(APP_SECRET, TOKEN);
		expect(proof).toMatch(/^[0-9a-f]{64}$/);
		const scope = nock(BASE)
			.get('/v26.0/me')
			.query({ appsecret_proof: proof })
			.reply(200, { id: '1' });
		const { error } = await probe(
			'request',
			{ method: 'GET', path: '/me' },
			{ credentials: accessTokenCredentials({ appSecret: APP_SECRET }) },
		);
		expect(error).toBeUndefined();
		scope.done();
	});

	it('sends no appsecret_proof without an app secret', async () => {
		let query = '';
		nock(BASE)
			.get(/\/v26\.0\/me/)
			.reply(function (uri) {
				query = uri;
				return [200, { id: '1' }];
			});
		await probe('request', { method: 'GET', path: '/me' });
		expect(query).not.toContain('appsecret_proof');
	});

	it('uses the OAuth2 token (Bearer) and derives the proof from the client secret when asked', async () => {
		const oauthToken = 'EAAOauthAccessToken987654321zyxw';
		const clientSecret = 'client-secret-abcdef';
		const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${oauthToken}` } })
			.get('/v26.0/me')
			.query({ appsecret_proof: appSecretProofOf(clientSecret, oauthToken) })
			.reply(200, { id: '9' });
		const { error, result } = await probe(
			'request',
			{ method: 'GET', path: '/me' },
			{
				authentication: 'oAuth2',
				credentials: {
					metaBusinessOAuth2Api: {
						clientId: 'app-id',
						clientSecret,
						sendAppProof: true,
						baseUrl: BASE,
						graphApiVersion: 'v26.0',
						oauthTokenData: { access_token: oauthToken, token_type: 'bearer' },
					},
				},
			},
		);
		expect(error).toBeUndefined();
		expect(result).toEqual({ id: '9' });
		scope.done();
	});

	it('calls an absolute upload URL with "Authorization: OAuth <token>" and binary body', async () => {
		const bytes = Buffer.from([0, 1, 2, 3, 250, 251]);
		let received: Buffer | undefined;
		const scope = nock(BASE, { reqheaders: { authorization: `OAuth ${TOKEN}`, offset: '0' } })
			.post('/ig-api-upload/v26.0/1789', (body) => {
				received = Buffer.from(body, 'hex');
				return true;
			})
			.reply(200, { success: true });
		const { error, result } = await probe('request', {
			method: 'POST',
			path: `${BASE}/ig-api-upload/v26.0/1789`,
			headers: { offset: '0', file_size: '6' },
			bodyType: 'binary',
			bodyBase64: bytes.toString('base64'),
			authScheme: 'OAuth',
		});
		expect(error).toBeUndefined();
		expect(result).toEqual({ success: true });
		expect(received?.equals(bytes)).toBe(true);
		scope.done();
	});

	it('builds the OAuth header itself for OAuth2 credentials on the upload host', async () => {
		const oauthToken = 'EAAOauthUploadToken1234567890ab';
		const scope = nock(BASE, { reqheaders: { authorization: `OAuth ${oauthToken}` } })
			.post('/ig-api-upload/v26.0/55')
			.reply(200, { success: true });
		const { error } = await probe(
			'request',
			{
				method: 'POST',
				path: `${BASE}/ig-api-upload/v26.0/55`,
				headers: { file_url: 'https://cdn.example.com/v.mp4' },
				authScheme: 'OAuth',
			},
			{
				authentication: 'oAuth2',
				credentials: {
					metaBusinessOAuth2Api: {
						baseUrl: BASE,
						oauthTokenData: { access_token: oauthToken, token_type: 'bearer' },
					},
				},
			},
		);
		expect(error).toBeUndefined();
		scope.done();
	});
});

describe('bodies', () => {
	it('sends JSON bodies', async () => {
		const scope = nock(BASE)
			.post('/v26.0/123/messages', {
				messaging_product: 'whatsapp',
				to: '15551234567',
				text: { body: 'hi' },
			})
			.matchHeader('content-type', /application\/json/)
			.reply(200, { messages: [{ id: 'wamid.1' }] });
		const { error, result } = await probe('request', {
			method: 'POST',
			path: '/123/messages',
			body: { messaging_product: 'whatsapp', to: '15551234567', text: { body: 'hi' } },
		});
		expect(error).toBeUndefined();
		expect(result).toEqual({ messages: [{ id: 'wamid.1' }] });
		scope.done();
	});

	it('sends form bodies with nested values as JSON strings', async () => {
		let raw = '';
		const scope = nock(BASE)
			.post('/v26.0/17841/media', (body) => {
				raw = typeof body === 'string' ? body : new URLSearchParams(body).toString();
				return true;
			})
			.matchHeader('content-type', /application\/x-www-form-urlencoded/)
			.reply(200, { id: 'c1' });
		const { error } = await probe('request', {
			method: 'POST',
			path: '/17841/media',
			bodyType: 'form',
			body: {
				image_url: 'https://x.test/a.jpg',
				caption: 'hi & bye',
				user_tags: [{ username: 'a', x: 0.5, y: 0.5 }],
			},
		});
		expect(error).toBeUndefined();
		const parsed = new URLSearchParams(raw);
		expect(parsed.get('caption')).toBe('hi & bye');
		expect(JSON.parse(parsed.get('user_tags') ?? '')).toEqual([{ username: 'a', x: 0.5, y: 0.5 }]);
		scope.done();
	});

	it('sends multipart bodies with a file part', async () => {
		let raw = '';
		let contentType = '';
		const scope = nock(BASE)
			.post('/v26.0/123/media', function (this: { headers: Record<string, string> }, body) {
				contentType = String(this.headers['content-type']);
				raw = /^[0-9a-f]+$/i.test(body)
					? Buffer.from(body, 'hex').toString('latin1')
					: String(body);
				return true;
			})
			.reply(200, { id: 'media-1' });
		const { error, result } = await probe('request', {
			method: 'POST',
			path: '/123/media',
			bodyType: 'multipart',
			multipart: [
				{ name: 'messaging_product', value: 'whatsapp' },
				{
					name: 'file',
					base64: Buffer.from('PNGDATA').toString('base64'),
					filename: 'a.png',
					contentType: 'image/png',
				},
			],
		});
		expect(error).toBeUndefined();
		expect(result).toEqual({ id: 'media-1' });
		expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(raw).toContain('name="messaging_product"');
		expect(raw).toContain('whatsapp');
		expect(raw).toContain('filename="a.png"');
		expect(raw).toContain('Content-Type: image/png');
		expect(raw).toContain('PNGDATA');
		scope.done();
	});

	it("downloads binary from an absolute URL on Meta's media host, still authenticated, without a proof off the Graph host", async () => {
		const bytes = Buffer.from('binary-media-bytes');
		let query = '';
		const scope = nock('https://lookaside.fbsbx.com', {
			reqheaders: { authorization: `Bearer ${TOKEN}` },
		})
			.get(/\/whatsapp_business\/attachments/)
			.reply(function (uri) {
				query = uri;
				return [200, bytes, { 'content-type': 'image/jpeg' }];
			});
		const { error, result } = await probe(
			'request',
			{
				method: 'GET',
				path: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2',
				binary: true,
			},
			{ credentials: accessTokenCredentials({ appSecret: APP_SECRET }) },
		);
		expect(error).toBeUndefined();
		expect(Buffer.from((result as { base64: string }).base64, 'base64').equals(bytes)).toBe(true);
		expect(query).not.toContain('appsecret_proof');
		scope.done();
	});

	it('returns status and headers with returnFullResponse', async () => {
		nock(BASE).get('/v26.0/me').reply(200, { id: '1' }, { 'x-app-usage': '{"call_count":5}' });
		const { result } = await probe('request', {
			method: 'GET',
			path: '/me',
			returnFullResponse: true,
		});
		expect(result).toMatchObject({ statusCode: 200, body: { id: '1' } });
		expect((result as { headers: Record<string, string> }).headers['x-app-usage']).toBe(
			'{"call_count":5}',
		);
	});
});

describe('pagination', () => {
	function pageReply(ids: string[], after?: string) {
		return {
			data: ids.map((id) => ({ id })),
			paging: {
				cursors: { before: 'b', after: after ?? 'last' },
				...(after ? { next: `${BASE}/v26.0/me/accounts?after=${after}` } : {}),
			},
		};
	}

	it('follows paging.cursors.after while paging.next is present (all items)', async () => {
		const seenQueries: Array<Record<string, string>> = [];
		nock(BASE)
			.get('/v26.0/me/accounts')
			.query(true)
			.times(3)
			.reply(function (uri) {
				const query = Object.fromEntries(new URL(uri, BASE).searchParams);
				seenQueries.push(query);
				if (!query.after) return [200, pageReply(['1', '2'], 'c1')];
				if (query.after === 'c1') return [200, pageReply(['3', '4'], 'c2')];
				return [200, pageReply(['5'])];
			});
		const { result, error } = await probe('allItems', {
			options: { method: 'GET', path: '/me/accounts', qs: { fields: 'id,name' } },
			allItems: { pageSize: 2 },
		});
		expect(error).toBeUndefined();
		expect(result).toEqual([{ id: '1' }, { id: '2' }, { id: '3' }, { id: '4' }, { id: '5' }]);
		expect(seenQueries.map((query) => query.after)).toEqual([undefined, 'c1', 'c2']);
		expect(seenQueries.every((query) => query.limit === '2' && query.fields === 'id,name')).toBe(
			true,
		);
	});

	it('stops at the limit without fetching further pages', async () => {
		const scope = nock(BASE)
			.get('/v26.0/me/accounts')
			.query((query) => !query.after)
			.reply(200, pageReply(['1', '2'], 'c1'))
			.get('/v26.0/me/accounts')
			.query((query) => query.after === 'c1' && query.limit === '1')
			.reply(200, pageReply(['3', '4'], 'c2'));
		const { result } = await probe('allItems', {
			options: { method: 'GET', path: '/me/accounts' },
			allItems: { pageSize: 2, limit: 3 },
		});
		expect(result).toEqual([{ id: '1' }, { id: '2' }, { id: '3' }]);
		scope.done();
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('stops when the last page has cursors but no paging.next', async () => {
		const scope = nock(BASE)
			.get('/v26.0/me/accounts')
			.query(true)
			.reply(200, pageReply(['1']));
		const { result } = await probe('allItems', {
			options: { method: 'GET', path: '/me/accounts' },
		});
		expect(result).toEqual([{ id: '1' }]);
		scope.done();
	});
});

describe('batch', () => {
	function batchAnswer(operations: Array<{ relative_url: string }>) {
		return operations.map((operation, index) => ({
			code: 200,
			body: JSON.stringify({ id: operation.relative_url.split('?')[0], index }),
		}));
	}

	it('splits 120 operations into batches of 50, 50 and 20 and parses the JSON-string bodies', async () => {
		const sizes: number[] = [];
		nock(BASE)
			.post('/v26.0/', (body) => typeof body === 'object' || typeof body === 'string')
			.times(3)
			.reply(function (_uri, body) {
				const form = new URLSearchParams(body as string);
				const operations = JSON.parse(form.get('batch') ?? '[]');
				sizes.push(operations.length);
				expect(form.get('include_headers')).toBe('false');
				return [200, batchAnswer(operations)];
			});
		const operations = Array.from({ length: 120 }, (_, index) => ({
			method: 'GET',
			relativeUrl: `obj${index}?fields=id`,
		}));
		const { result, error } = await probe('batch', { operations });
		expect(error).toBeUndefined();
		expect(sizes).toEqual([50, 50, 20]);
		const results = result as Array<{ code: number; body: { id: string } }>;
		expect(results).toHaveLength(120);
		expect(results[0]).toEqual({ code: 200, body: { id: 'obj0', index: 0 } });
		expect(results[119]).toEqual({ code: 200, body: { id: 'obj119', index: 19 } });
	});

	it('reports null entries as incomplete and per-operation errors as data', async () => {
		let sent: Array<Record<string, string>> = [];
		nock(BASE)
			.post('/v26.0/')
			.reply(function (_uri, body) {
				sent = JSON.parse(new URLSearchParams(body as string).get('batch') ?? '[]');
				return [
					200,
					[
						{ code: 200, body: '{"id":"1"}' },
						null,
						{
							code: 400,
							body: JSON.stringify({
								error: {
									message: '(#100) Invalid parameter',
									type: 'OAuthException',
									code: 100,
									fbtrace_id: 'T1',
								},
							}),
						},
					],
				];
			});
		const { result } = await probe('batch', {
			operations: [
				{ method: 'GET', relativeUrl: '/me?fields=id' },
				{ method: 'GET', relativeUrl: 'me/accounts', name: 'pages' },
				{
					method: 'POST',
					relativeUrl: '17841/media',
					body: { image_url: 'https://x.test/a.jpg', caption: 'hi' },
				},
			],
		});
		expect(sent[0]).toEqual({ method: 'GET', relative_url: 'me?fields=id' });
		expect(sent[1]).toMatchObject({ name: 'pages' });
		expect(new URLSearchParams(sent[2].body).get('caption')).toBe('hi');
		expect(result).toEqual([
			{ code: 200, body: { id: '1' } },
			{ code: 0, incomplete: true },
			{
				code: 400,
				error: {
					message: '(#100) Invalid parameter',
					type: 'OAuthException',
					code: 100,
					fbtrace_id: 'T1',
				},
			},
		]);
	});
});

describe('batch chaining', () => {
	it('keeps {result=name:$.path} references in a form body as written, the rest encoded', async () => {
		let sent: Array<Record<string, string>> = [];
		nock(BASE)
			.post('/v26.0/')
			.reply(function (_uri, body) {
				sent = JSON.parse(new URLSearchParams(body as string).get('batch') ?? '[]');
				return [200, [null, { code: 200, body: '{"id":"9"}' }]];
			});
		const { error } = await probe('batch', {
			operations: [
				{
					method: 'POST',
					relativeUrl: '17841/media',
					name: 'child',
					body: { image_url: 'https://x.test/a.jpg?w=1&h=2' },
				},
				{
					method: 'POST',
					relativeUrl: '17841/media',
					body: {
						media_type: 'CAROUSEL',
						caption: 'a & b = {c}',
						children: '{result=child:$.id},{result=child:$.id}',
					},
				},
			],
		});
		expect(error).toBeUndefined();
		expect(sent[0].body).toBe('image_url=https%3A%2F%2Fx.test%2Fa.jpg%3Fw%3D1%26h%3D2');
		expect(sent[1].body).toBe(
			'media_type=CAROUSEL&caption=a+%26+b+%3D+%7Bc%7D&children={result=child:$.id}%2C{result=child:$.id}',
		);
	});
});

describe('OAuth2 credential errors', () => {
	it('maps a Meta error answered to an OAuth2-signed request', async () => {
		const oauthToken = 'EAAOauthErrorToken1234567890abcd';
		nock(BASE)
			.get('/v26.0/me/accounts')
			.query(true)
			.reply(400, {
				error: {
					message: 'Error validating access token: Session has expired',
					type: 'OAuthException',
					code: 190,
					error_subcode: 463,
					fbtrace_id: 'O',
				},
			});
		const { error } = await probe(
			'request',
			{ method: 'GET', path: '/me/accounts' },
			{
				authentication: 'oAuth2',
				credentials: {
					metaBusinessOAuth2Api: {
						baseUrl: BASE,
						oauthTokenData: { access_token: oauthToken, token_type: 'bearer' },
					},
				},
			},
		);
		expect(getMetaErrorInfo(error)).toMatchObject({
			code: 190,
			subcode: 463,
			fbtraceId: 'O',
			title: 'Access token expired',
		});
		expectNoSecrets(error, [oauthToken]);
	});
});
