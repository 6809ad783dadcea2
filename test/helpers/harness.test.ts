import nock from 'nock';

import { HarnessTest } from './fixtures/HarnessTest.node';
import {
	binaryItem,
	callListSearch,
	callLoadOptions,
	createWorkflowNodeTypes,
	executeNode,
	enableFilesystemBinaryData,
	lastCredentialsHelper,
	loadOurNodeTypes,
	readBinary,
	runWorkflow,
	testCredential,
} from './harness';
import { appSecretProofOf, expectNoSecrets, findSecrets, secretsOf } from './secrets';

const BASE = 'http://harness-api.test';
const TOKEN = 'test-token-abc123';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const tokenCredentials = { harnessTestApi: { token: TOKEN, baseUrl: BASE } };

describe('executeNode', () => {
	it('runs one item through real HTTP with the credential bearer header', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get('/things/42')
			.reply(200, { id: '42', name: 'Answer' });
		const { outputs, error, run } = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'get', thingId: '={{ $json.id }}' },
			items: [{ json: { id: '42' } }],
			credentials: tokenCredentials,
		});
		expect(error).toBeUndefined();
		expect(outputs[0]).toEqual([
			expect.objectContaining({ json: { id: '42', name: 'Answer' }, pairedItem: { item: 0 } }),
		]);
		expect(run.status).toBe('success');
		scope.done();
	});

	it('returns the node error when it fails without continue on fail', async () => {
		nock(BASE).get('/things/1').reply(404, { message: 'no such thing' });
		const { outputs, error, run } = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'get', thingId: '1' },
			credentials: tokenCredentials,
		});
		expect(error).toBeDefined();
		expect(error?.name).toBe('NodeApiError');
		expect(String(error?.httpCode)).toBe('404');
		expect(outputs).toEqual([]);
		expect(run.status).toBe('error');
	});

	it('continue on fail yields exactly one item per failing input item with pairedItem', async () => {
		nock(BASE).get('/things/ok').reply(200, { id: 'ok' });
		nock(BASE).get('/things/bad').reply(500, { message: 'boom' });
		const { outputs, error } = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'get', thingId: '={{ $json.id }}' },
			items: [{ json: { id: 'ok' } }, { json: { id: 'bad' } }, { json: { id: '' } }],
			credentials: tokenCredentials,
			settings: { onError: 'continueRegularOutput' },
		});
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(3);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(outputs[0][0].json).toEqual({ id: 'ok' });
		expect(outputs[0][1].json.error).toEqual(expect.any(String));
		expect(outputs[0][2].json.error).toBe('Thing ID is empty');
	});

	it('continueErrorOutput routes failing items to the error output', async () => {
		nock(BASE).get('/things/ok').reply(200, { id: 'ok' });
		nock(BASE).get('/things/bad').reply(400, { message: 'bad' });
		const { outputs, error } = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'get', thingId: '={{ $json.id }}' },
			items: [{ json: { id: 'ok' } }, { json: { id: 'bad' } }],
			credentials: tokenCredentials,
			settings: { onError: 'continueErrorOutput' },
		});
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json)).toEqual([{ id: 'ok' }]);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
		expect(outputs[1][0].json.error).toEqual(expect.any(String));
	});

	it('never leaks the credential token into outputs or errors', async () => {
		nock(BASE).get('/things/x').reply(403, { message: 'invalid token' });
		const { outputs, error, run } = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'get', thingId: 'x' },
			credentials: tokenCredentials,
		});
		expect(error).toBeDefined();
		// n8n-core's NodeApiError drops request headers; this proves the scanner sees the error.
		expect(() => expectNoSecrets({ outputs, error, run }, [TOKEN])).not.toThrow();
		expect(() => expectNoSecrets({ error }, ['invalid token'])).toThrow(/error\./);
	});

	it('documents n8n-core: a 401 answer is sent once more after preAuthentication', async () => {
		// Real n8n behaviour (httpRequestWithAuthentication): on HTTP 401 it calls
		// preAuthentication(expired=true) and repeats the request, even for non-expirable types.
		const scope = nock(BASE).get('/things/u').times(2).reply(401, { message: 'expired' });
		const { error } = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'get', thingId: 'u' },
			credentials: tokenCredentials,
		});
		expect(String(error?.httpCode)).toBe('401');
		scope.done();
	});

	it('retries on fail with the node settings', async () => {
		nock(BASE).get('/things/r').reply(503, {}).get('/things/r').reply(200, { id: 'r' });
		const { outputs, error } = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'get', thingId: 'r' },
			credentials: tokenCredentials,
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 },
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toEqual({ id: 'r' });
	});

	it('reads binary input and prepares binary output in process', async () => {
		const bytes = Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01, 0x02]);
		let received: Buffer | undefined;
		nock(BASE, { reqheaders: { 'content-type': 'image/jpeg' } })
			.post('/upload', (body) => {
				received = Buffer.from(body, 'hex');
				return true;
			})
			.reply(200, { uploaded: true });
		const { outputs, error } = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'upload', binaryProperty: 'data' },
			items: [binaryItem(bytes, { mimeType: 'image/jpeg', fileName: 'a.jpg' })],
			credentials: tokenCredentials,
		});
		expect(error).toBeUndefined();
		expect(received?.equals(bytes)).toBe(true);
		expect(outputs[0][0].json).toEqual({ uploaded: true });
		const echo = outputs[0][0].binary?.echo;
		expect(echo?.mimeType).toBe('image/jpeg');
		expect((await readBinary(echo!)).equals(bytes)).toBe(true);
	});

	it('works with n8n-core filesystem binary data mode', async () => {
		await enableFilesystemBinaryData();
		const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x7f]); // not UTF-8: nock hands over hex
		nock(BASE).post('/upload').reply(200, { uploaded: true });
		const first = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'upload' },
			items: [binaryItem(bytes, { mimeType: 'text/plain', fileName: 'a.txt' })],
			credentials: tokenCredentials,
		});
		const stored = first.outputs[0][0].binary!.echo;
		expect(stored.id).toMatch(/^filesystem/);
		expect((await readBinary(stored)).equals(bytes)).toBe(true);
		// A stored reference is valid input for the next node, as between real n8n nodes.
		let received = '';
		nock(BASE)
			.post('/upload', (body) => {
				received = body;
				return true;
			})
			.reply(200, { uploaded: true });
		const second = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'upload', binaryProperty: 'echo' },
			items: [first.outputs[0][0]],
			credentials: tokenCredentials,
		});
		expect(second.error).toBeUndefined();
		expect(received).toBe(bytes.toString('hex'));
	});

	it('fails with a clear error when the binary property is missing', async () => {
		const { error } = await executeNode({
			node: HarnessTest,
			parameters: { operation: 'upload', binaryProperty: 'photo' },
			items: [{ json: {} }],
			credentials: tokenCredentials,
		});
		expect(error?.message).toMatch(/photo/);
	});

	it('supports function authenticate with preAuthentication of an expirable property', async () => {
		nock(BASE).post('/session', { password: 'pw' }).reply(200, { session: 'sess-1' });
		nock(BASE, { reqheaders: { 'x-session': 'sess-1' } })
			.get('/things/s')
			.reply(200, { id: 's' });
		const { outputs, error } = await executeNode({
			node: HarnessTest,
			parameters: { authentication: 'session', operation: 'get', thingId: 's' },
			credentials: { harnessSessionApi: { password: 'pw', baseUrl: BASE } },
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toEqual({ id: 's' });
		expect(lastCredentialsHelper()?.log.updates[0]?.data.sessionToken).toBe('sess-1');
	});

	it('signs OAuth2 credential requests through n8n-core requestOAuth2', async () => {
		nock(BASE, { reqheaders: { authorization: 'Bearer oauth-token-1' } })
			.get('/things/o')
			.reply(200, { id: 'o' });
		const { outputs, error } = await executeNode({
			node: HarnessTest,
			parameters: { authentication: 'oAuth2', operation: 'get', thingId: 'o' },
			credentials: {
				harnessOAuth2Api: { baseUrl: BASE, oauthTokenData: { access_token: 'oauth-token-1' } },
			},
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toEqual({ id: 'o' });
	});
});

describe('runWorkflow', () => {
	it('runs an exported workflow with manual trigger, our node (prefixed type) and a no-op', async () => {
		nock(BASE).get('/things/a').reply(200, { id: 'a' }).get('/things/b').reply(200, { id: 'b' });
		const { outputs, run } = await runWorkflow(
			{
				nodes: [
					{
						id: '1',
						name: 'Start',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: '2',
						name: 'Get',
						type: 'CUSTOM.harnessTest',
						typeVersion: 1,
						position: [200, 0],
						parameters: { operation: 'get', thingId: '={{ $json.id }}' },
						credentials: { harnessTestApi: { id: 'x', name: 'Test' } },
					},
					{
						id: '3',
						name: 'Done',
						type: 'n8n-nodes-base.noOp',
						typeVersion: 1,
						position: [400, 0],
						parameters: {},
					},
				],
				connections: {
					Start: { main: [[{ node: 'Get', type: 'main', index: 0 }]] },
					Get: { main: [[{ node: 'Done', type: 'main', index: 0 }]] },
				},
			},
			{
				credentials: tokenCredentials,
				nodeTypes: { 'CUSTOM.harnessTest': HarnessTest },
				triggerItems: { Start: [{ json: { id: 'a' } }, { json: { id: 'b' } }] },
			},
		);
		expect(run.status).toBe('success');
		expect(outputs.Done[0].map((item) => item.json)).toEqual([{ id: 'a' }, { id: 'b' }]);
	});
});

describe('node type registration', () => {
	it('registers every node of ours under its bare, package and CUSTOM names', () => {
		const nodeTypes = createWorkflowNodeTypes();
		const ours = loadOurNodeTypes();
		for (const nodeType of ours) {
			const name = nodeType.description.name;
			for (const typeName of [name, `n8n-nodes-meta-business.${name}`, `CUSTOM.${name}`]) {
				const registered = nodeTypes.getByName(typeName);
				expect(registered.constructor).toBe(nodeType.constructor);
				expect(registered.description.name).toBe(name);
			}
		}
		expect(nodeTypes.getByName('n8n-nodes-base.manualTrigger').description.name).toBe(
			'harness.manualTrigger',
		);
		expect(() => nodeTypes.getByName('n8n-nodes-base.nope')).toThrow(/unknown node type/);
	});
});

describe('listSearch and loadOptions', () => {
	it('calls listSearch with filter and pagination through the real request helper', async () => {
		nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get('/things')
			.query({ q: 'ans', after: 'p1' })
			.reply(200, { data: [{ id: '42', name: 'Answer' }], next: 'p2' });
		const result = await callListSearch(HarnessTest, 'searchThings', {
			credentials: tokenCredentials,
			filter: 'ans',
			paginationToken: 'p1',
		});
		expect(result).toEqual({ results: [{ name: 'Answer', value: '42' }], paginationToken: 'p2' });
	});

	it('calls loadOptions', async () => {
		nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get('/kinds')
			.reply(200, ['x', 'y']);
		const options = await callLoadOptions(new HarnessTest(), 'getKinds', {
			credentials: tokenCredentials,
		});
		expect(options).toEqual([
			{ name: 'x', value: 'x' },
			{ name: 'y', value: 'y' },
		]);
	});
});

describe('testCredential', () => {
	it('runs the credential test request with its authentication', async () => {
		nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get('/me')
			.reply(200, { account: { status: 'ok' } });
		await expect(
			testCredential('harnessTestApi', { token: TOKEN, baseUrl: BASE }),
		).resolves.toMatchObject({
			status: 'OK',
		});
	});

	it('maps a failing status code through the responseCode rule', async () => {
		nock(BASE).get('/me').times(2).reply(401, { message: 'nope' });
		await expect(
			testCredential('harnessTestApi', { token: TOKEN, baseUrl: BASE }),
		).resolves.toMatchObject({
			status: 'Error',
			message: 'The token was rejected',
		});
	});

	it('applies responseSuccessBody rules', async () => {
		nock(BASE)
			.get('/me')
			.reply(200, { account: { status: 'disabled' } });
		await expect(
			testCredential('harnessTestApi', { token: TOKEN, baseUrl: BASE }),
		).resolves.toMatchObject({
			status: 'Error',
			message: 'The account is disabled',
		});
	});
});

describe('secrets', () => {
	it('finds secrets in nested values and errors, and passes clean values', () => {
		const error = new Error('failed');
		(error as unknown as Record<string, unknown>).description = `token ${TOKEN}`;
		(error as unknown as Record<string, unknown>).cause = {
			config: { headers: { Authorization: `Bearer ${TOKEN}` } },
		};
		const hits = findSecrets({ items: [{ json: { ok: 1 } }], error }, [TOKEN]);
		expect(hits.some((hit) => hit.includes('error.description'))).toBe(true);
		expect(hits.some((hit) => hit.includes('error.cause.config.headers.Authorization'))).toBe(true);
		expect(() => expectNoSecrets({ error }, [TOKEN])).toThrow(/Secret found/);
		expect(() => expectNoSecrets({ fine: 'nothing here' }, [TOKEN, ''])).not.toThrow();
	});

	it('collects the secrets of a credentials map, including appsecret_proof', () => {
		const secrets = secretsOf({
			metaBusinessAccessTokenApi: {
				accessToken: 'EAA-token-1',
				appSecret: 'secret-1',
				baseUrl: 'http://x',
			},
			metaBusinessOAuth2Api: {
				clientSecret: 'secret-2',
				oauthTokenData: { access_token: 'EAA-token-2' },
			},
		});
		expect(secrets).toEqual(
			expect.arrayContaining([
				'EAA-token-1',
				'secret-1',
				'secret-2',
				'EAA-token-2',
				appSecretProofOf('secret-1', 'EAA-token-1'),
				appSecretProofOf('secret-2', 'EAA-token-2'),
			]),
		);
		expect(secrets).not.toContain('http://x');
	});

	it('computes appsecret_proof as HMAC-SHA256 hex', () => {
		expect(appSecretProofOf('secret', 'token')).toBe(
			'e941110e3d2bfe82621f0e3e1434730d7305d106c5f68c87165d0b27a4611a4a',
		);
	});
});
