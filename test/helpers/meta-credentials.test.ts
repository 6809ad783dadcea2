/**
 * The harness with the package's REAL Meta credentials and shared transport: proves tests of our
 * nodes get exactly what n8n does (credential authenticate function, OAuth2 via requestOAuth2).
 */
import nock from 'nock';

import { MetaProbe } from './fixtures/MetaProbe.node';
import { executeNode, testCredential } from './harness';
import { appSecretProofOf, expectNoSecrets } from './secrets';

const GRAPH = 'http://graph.harness.test';
const TOKEN = 'EAAB-harness-token-123';
const APP_SECRET = 'harness-app-secret-456';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

it('access token credential: bearer header and appsecret_proof reach Graph', async () => {
	const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
		.get('/v99.0/me')
		.query({ fields: 'id', appsecret_proof: appSecretProofOf(APP_SECRET, TOKEN) })
		.reply(200, { id: '1' });
	const { outputs, error } = await executeNode({
		node: MetaProbe,
		parameters: { path: '/me' },
		credentials: {
			metaBusinessAccessTokenApi: {
				accessToken: TOKEN,
				appSecret: APP_SECRET,
				baseUrl: GRAPH,
				graphApiVersion: 'v99.0',
			},
		},
	});
	expect(error).toBeUndefined();
	expect(outputs[0][0].json).toEqual({ id: '1' });
	scope.done();
});

it('OAuth2 credential: n8n-core requestOAuth2 signs with oauthTokenData.access_token', async () => {
	const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
		.get('/v99.0/me')
		.query(true)
		.reply(200, { id: '2' });
	const { outputs, error } = await executeNode({
		node: MetaProbe,
		parameters: { authentication: 'oAuth2', path: '/me' },
		credentials: {
			metaBusinessOAuth2Api: {
				clientId: 'app-id',
				clientSecret: APP_SECRET,
				baseUrl: GRAPH,
				graphApiVersion: 'v99.0',
				oauthTokenData: { access_token: TOKEN },
			},
		},
	});
	expect(error).toBeUndefined();
	expect(outputs[0][0].json).toEqual({ id: '2' });
	scope.done();
});

it('a Graph error carries no token, secret or proof', async () => {
	nock(GRAPH)
		.get('/v99.0/me')
		.query(true)
		.reply(400, {
			error: {
				message: 'Invalid OAuth access token.',
				type: 'OAuthException',
				code: 190,
				fbtrace_id: 'T1',
			},
		});
	const { error, run } = await executeNode({
		node: MetaProbe,
		parameters: { path: '/me' },
		credentials: {
			metaBusinessAccessTokenApi: {
				accessToken: TOKEN,
				appSecret: APP_SECRET,
				baseUrl: GRAPH,
				graphApiVersion: 'v99.0',
			},
		},
	});
	expect(error).toBeDefined();
	expectNoSecrets({ error, run }, [TOKEN, APP_SECRET, appSecretProofOf(APP_SECRET, TOKEN)]);
});

it('the access token credential test request passes and maps 400 to its rule message', async () => {
	const credentials = {
		accessToken: TOKEN,
		appSecret: APP_SECRET,
		baseUrl: GRAPH,
		graphApiVersion: 'v99.0',
	};
	nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
		.get('/v99.0/me')
		.query(true)
		.reply(200, { id: '1', name: 'System User' });
	await expect(testCredential('metaBusinessAccessTokenApi', credentials)).resolves.toMatchObject({
		status: 'OK',
	});

	nock(GRAPH)
		.get('/v99.0/me')
		.query(true)
		.reply(400, { error: { message: 'Invalid OAuth access token.', code: 190 } });
	const failed = await testCredential('metaBusinessAccessTokenApi', credentials);
	expect(failed.status).toBe('Error');
	expect(failed.message).toMatch(/token/i);
	expectNoSecrets(failed.message, [TOKEN, APP_SECRET]);
});
