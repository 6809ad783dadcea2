import '../helpers/env';

import nock from 'nock';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	INodeTypes,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { MetaBusinessAccessTokenApi } from '../../credentials/MetaBusinessAccessTokenApi.credentials';
import { MetaBusinessOAuth2Api } from '../../credentials/MetaBusinessOAuth2Api.credentials';
import { DEFAULT_GRAPH_API_VERSION } from '../../nodes/Meta/shared/transport';
import { packExchangedToken } from '../../nodes/Meta/shared/transport/tokens';
import { lastCredentialsHelper } from '../helpers/harness';
import { appSecretProofOf, expectNoSecrets } from '../helpers/secrets';
import { accessTokenCredentials, APP_SECRET, BASE, isolateNetwork, probe, TOKEN } from './helpers';

isolateNetwork();

const stubNodeTypes = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

const evaluatorNode: INode = {
	id: 'n',
	name: 'Evaluator',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Resolves an n8n expression the way n8n does for credentials ($credentials and $self). */
function resolve(value: string, data: ICredentialDataDecryptedObject): unknown {
	const workflow = new Workflow({
		nodes: [evaluatorNode],
		connections: {},
		active: false,
		nodeTypes: stubNodeTypes,
	});
	return workflow.expression.getComplexParameterValue(
		evaluatorNode,
		value,
		'manual',
		{ $credentials: data } as never,
		undefined,
		undefined,
		data,
	);
}

describe('access token credential', () => {
	const credential = new MetaBusinessAccessTokenApi();
	const fields = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
		accessToken: TOKEN,
		graphApiVersion: DEFAULT_GRAPH_API_VERSION,
		baseUrl: BASE,
		appSecret: '',
		longLivedAccessToken: '',
		...extra,
	});

	it('has the shared field names, a password token field and the Graph version default', () => {
		const byName = Object.fromEntries(
			credential.properties.map((property) => [property.name, property]),
		);
		expect(credential.name).toBe('metaBusinessAccessTokenApi');
		expect(byName.accessToken.typeOptions?.password).toBe(true);
		expect(byName.appSecret.typeOptions?.password).toBe(true);
		expect(byName.graphApiVersion.default).toBe('v26.0');
		expect(byName.baseUrl.default).toBe('https://graph.facebook.com');
		expect(byName.longLivedAccessToken).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true },
		});
	});

	it('authenticate: Bearer header, and appsecret_proof on Graph URLs when the secret is set', async () => {
		const request: IHttpRequestOptions = {
			url: `${BASE}/v26.0/me`,
			qs: { fields: 'id' },
			headers: {},
		};
		const plain = await credential.authenticate(fields(), request);
		expect(plain.headers?.Authorization).toBe(`Bearer ${TOKEN}`);
		expect(plain.qs).toEqual({ fields: 'id' });
		const signed = await credential.authenticate(fields({ appSecret: APP_SECRET }), request);
		expect(signed.qs).toEqual({
			fields: 'id',
			appsecret_proof: appSecretProofOf(APP_SECRET, TOKEN),
		});
	});

	it('authenticate: OAuth scheme and no proof on the upload host; no proof on foreign hosts', async () => {
		const upload = await credential.authenticate(fields({ appSecret: APP_SECRET }), {
			url: `${BASE}/ig-api-upload/v26.0/1`,
		});
		expect(upload.headers?.Authorization).toBe(`OAuth ${TOKEN}`);
		expect(upload.qs?.appsecret_proof).toBeUndefined();
		const foreign = await credential.authenticate(fields({ appSecret: APP_SECRET }), {
			url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1',
		});
		expect(foreign.headers?.Authorization).toBe(`Bearer ${TOKEN}`);
		expect(foreign.qs?.appsecret_proof).toBeUndefined();
	});

	it('authenticate: uses the exchanged long-lived token only for the token it was exchanged from', async () => {
		const longLived = 'EAALongLivedToken0987654321abcdef';
		const request: IHttpRequestOptions = { url: `${BASE}/v26.0/me` };
		const fresh = await credential.authenticate(
			fields({ appSecret: APP_SECRET, longLivedAccessToken: packExchangedToken(TOKEN, longLived) }),
			request,
		);
		expect(fresh.headers?.Authorization).toBe(`Bearer ${longLived}`);
		expect(fresh.qs?.appsecret_proof).toBe(appSecretProofOf(APP_SECRET, longLived));
		const stale = await credential.authenticate(
			fields({
				longLivedAccessToken: packExchangedToken('EAAOldPastedTokenabcdefghij', longLived),
			}),
			request,
		);
		expect(stale.headers?.Authorization).toBe(`Bearer ${TOKEN}`);
	});

	describe('credential test request', () => {
		/** Resolves the test request like n8n, authenticates it with the credential, sends it. */
		async function runTest(data: ICredentialDataDecryptedObject) {
			const { request } = credential.test;
			const baseURL = resolve(String(request.baseURL), data) as string;
			const authenticated = await credential.authenticate(data, {
				method: 'GET',
				url: `${baseURL}${request.url}`,
				qs: request.qs,
			});
			const query = new URLSearchParams(authenticated.qs as Record<string, string>).toString();
			const response = await fetch(`${authenticated.url}?${query}`, {
				headers: authenticated.headers as Record<string, string>,
			});
			const rule = (credential.test.rules ?? []).find(
				(candidate) => (candidate.properties as { value: number }).value === response.status,
			);
			return {
				baseURL,
				authenticated,
				status: response.status,
				failureMessage: (rule?.properties as { message?: string } | undefined)?.message,
			};
		}

		it('reads /me?fields=id,name on the credential version and base URL: a working token passes', async () => {
			nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
				.get('/v25.0/me')
				.query({ fields: 'id,name' })
				.reply(200, { id: '1', name: 'System User' });
			const { baseURL, authenticated, status, failureMessage } = await runTest(
				fields({ baseUrl: `${BASE}/`, graphApiVersion: 'v25.0' }),
			);
			expect(status).toBe(200);
			expect(failureMessage).toBeUndefined();
			expect(baseURL).toBe(`${BASE}/v25.0`);
			expect(authenticated.url).toBe(`${BASE}/v25.0/me`);
			expect(authenticated.qs).toEqual({ fields: 'id,name' });
			expect(authenticated.headers?.Authorization).toBe(`Bearer ${TOKEN}`);
		});

		it('falls back to the default host and version when the fields are empty', async () => {
			nock('https://graph.facebook.com')
				.get(`/${DEFAULT_GRAPH_API_VERSION}/me`)
				.query(true)
				.reply(200, { id: '1' });
			const { baseURL } = await runTest(fields({ baseUrl: '', graphApiVersion: '' }));
			expect(baseURL).toBe(`https://graph.facebook.com/${DEFAULT_GRAPH_API_VERSION}`);
		});

		it('says clearly why an expired token fails', async () => {
			nock(BASE)
				.get('/v26.0/me')
				.query(true)
				.reply(400, {
					error: {
						message: 'Error validating access token: Session has expired',
						type: 'OAuthException',
						code: 190,
						error_subcode: 463,
					},
				});
			const { status, failureMessage } = await runTest(fields());
			expect(status).toBe(400);
			expect(failureMessage).toMatch(/Meta rejected the token.*expired or been revoked/);
		});

		it('says clearly why a rejected token fails (HTTP 400 with code 190)', () => {
			const byCode = Object.fromEntries(
				(credential.test.rules ?? []).map((rule) => [
					(rule.properties as { value: number }).value,
					(rule.properties as { message: string }).message,
				]),
			);
			expect(byCode[400]).toMatch(/rejected the token.*expired or been revoked/);
			expect(byCode[401]).toMatch(/Generate a new one/);
		});
	});

	describe('long-lived exchange (preAuthentication)', () => {
		const longLived = 'EAALongLivedExchanged1234567890zz';

		it('exchanges the pasted token once, stores it, and signs requests with the long-lived token', async () => {
			let exchangeForm: URLSearchParams | undefined;
			const exchange = nock(BASE)
				.post('/v26.0/oauth/access_token', (body) => {
					exchangeForm = new URLSearchParams(
						typeof body === 'string' ? body : new URLSearchParams(body).toString(),
					);
					return true;
				})
				.reply(200, { access_token: longLived, token_type: 'bearer', expires_in: 5183944 });
			const api = nock(BASE, { reqheaders: { authorization: `Bearer ${longLived}` } })
				.get('/v26.0/me')
				.query({ appsecret_proof: appSecretProofOf(APP_SECRET, longLived) })
				.reply(200, { id: '1' });
			const { error, result } = await probe(
				'request',
				{ method: 'GET', path: '/me' },
				{
					credentials: accessTokenCredentials({
						appSecret: APP_SECRET,
						appId: '138483919580948',
						useLongLivedExchange: true,
					}),
				},
			);
			expect(error).toBeUndefined();
			expect(result).toEqual({ id: '1' });
			exchange.done();
			api.done();
			expect(exchangeForm?.get('grant_type')).toBe('fb_exchange_token');
			expect(exchangeForm?.get('client_id')).toBe('138483919580948');
			expect(exchangeForm?.get('client_secret')).toBe(APP_SECRET);
			expect(exchangeForm?.get('fb_exchange_token')).toBe(TOKEN);
			const update = lastCredentialsHelper()?.log.updates.at(-1);
			expect(update?.data.longLivedAccessToken).toBe(packExchangedToken(TOKEN, longLived));
			expect(Number(update?.data.longLivedExpiresAt)).toBeGreaterThan(
				Date.now() / 1000 + 59 * 86400,
			);
		});

		it('does nothing when the exchange is off', async () => {
			const data = fields();
			const output = await credential.preAuthentication.call(
				{
					helpers: {
						httpRequest: async () => {
							throw new Error('must not be called');
						},
					},
				} as never,
				data,
			);
			expect(output).toEqual({});
		});

		it('fails clearly, without secrets, when Meta refuses the exchange', async () => {
			nock(BASE)
				.post('/v26.0/oauth/access_token')
				.reply(400, {
					error: {
						message: `Error validating client secret ${APP_SECRET} for ${TOKEN}`,
						type: 'OAuthException',
						code: 1,
					},
				});
			const { error } = await probe(
				'request',
				{ method: 'GET', path: '/me' },
				{
					credentials: accessTokenCredentials({
						appSecret: APP_SECRET,
						appId: '1',
						useLongLivedExchange: true,
					}),
				},
			);
			expect(error).toBeDefined();
			expect(String(error?.message)).toMatch(/refused to exchange the token/);
			expectNoSecrets(
				{ message: error?.message, description: error?.description, stack: error?.stack },
				[TOKEN, APP_SECRET],
			);
		});

		it('asks for the App ID and App Secret when they are missing', async () => {
			await expect(
				credential.preAuthentication.call(
					{ helpers: {} } as never,
					fields({ useLongLivedExchange: true }),
				),
			).rejects.toThrow(/App ID and the App Secret/);
		});
	});
});

describe('OAuth2 credential (Facebook Login)', () => {
	const credential = new MetaBusinessOAuth2Api();
	const property = (name: string) => credential.properties.find((entry) => entry.name === name)!;
	const self = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
		graphApiVersion: 'v26.0',
		baseUrl: 'https://graph.facebook.com',
		loginType: 'scopes',
		additionalScopes: '',
		configId: '',
		...extra,
	});

	it('extends oAuth2Api with a name ending OAuth2Api and a display name ending API', () => {
		expect(credential.name).toBe('metaBusinessOAuth2Api');
		expect(credential.extends).toEqual(['oAuth2Api']);
		expect(credential.displayName).toMatch(/API$/);
	});

	it('points the dialog and token URLs at the chosen Graph version', () => {
		expect(resolve(String(property('authUrl').default), self({ graphApiVersion: 'v25.0' }))).toBe(
			'https://www.facebook.com/v25.0/dialog/oauth',
		);
		expect(resolve(String(property('accessTokenUrl').default), self())).toBe(
			'https://graph.facebook.com/v26.0/oauth/access_token',
		);
		expect(
			resolve(
				String(property('accessTokenUrl').default),
				self({ baseUrl: 'http://127.0.0.1:4010/' }),
			),
		).toBe('http://127.0.0.1:4010/v26.0/oauth/access_token');
	});

	it('asks for the scopes the three nodes need, plus additional ones', () => {
		const scope = String(
			resolve(
				String(property('scope').default),
				self({ additionalScopes: 'ads_read,pages_manage_posts' }),
			),
		);
		for (const needed of [
			'instagram_basic',
			'instagram_content_publish',
			'pages_show_list',
			'pages_read_engagement',
			'business_management',
			'whatsapp_business_management',
			'whatsapp_business_messaging',
			'ads_read',
			'pages_manage_posts',
		]) {
			expect(scope.split(' ')).toContain(needed);
		}
		expect(resolve(String(property('authQueryParameters').default), self())).toBe('');
	});

	it('uses a Facebook Login for Business configuration instead of scopes', () => {
		const data = self({ loginType: 'configuration', configId: '123456' });
		expect(resolve(String(property('scope').default), data)).toBe('');
		expect(resolve(String(property('authQueryParameters').default), data)).toBe(
			'config_id=123456&override_default_response_type=true',
		);
	});
});
