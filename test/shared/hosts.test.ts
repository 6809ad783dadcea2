/**
 * The host rule: the credential only goes over https to Meta's hosts, or to the origin of the
 * Graph API Base URL configured in the credential (a proxy, the simulator). Any other absolute URL
 * (an upload URI or media URL from Meta's answer) is refused before anything is sent. And a proxy
 * login written into the base URL never shows in an error.
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import nock from 'nock';

import { credentialHostProblem, isMetaHost } from '../../nodes/Meta/shared/transport';
import { expectNoSecrets } from '../helpers/secrets';
import {
	BASE,
	TOKEN,
	accessTokenCredentials,
	isolateNetwork,
	probe,
	probeCall,
	recordWaits,
} from './helpers';

isolateNetwork({ allowLoopback: true });

const oauth2 = {
	authentication: 'oAuth2',
	credentials: {
		metaBusinessOAuth2Api: {
			baseUrl: BASE,
			oauthTokenData: { access_token: TOKEN, token_type: 'bearer' },
		},
	},
};

describe('refused before anything is sent', () => {
	it.each([
		[
			'a foreign https host',
			'https://uploads.attacker.example/ig-api-upload/v26.0/1',
			/uploads\.attacker\.example is not one of Meta's hosts/,
		],
		[
			'a look-alike of a Meta host',
			'https://evilfacebook.com/x',
			/evilfacebook\.com is not one of Meta's hosts/,
		],
		[
			'a Meta name under a foreign domain',
			'https://graph.facebook.com.attacker.example/x',
			/is not one of Meta's hosts/,
		],
		[
			'a Meta host over http',
			'http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1',
			/uses http instead of https/,
		],
		[
			'the base URL host on another port',
			'http://graph.meta.test:8080/x',
			/graph\.meta\.test is not one of Meta's hosts/,
		],
		[
			'the base URL host over https (another origin)',
			'https://graph.meta.test/x',
			/graph\.meta\.test is not one of Meta's hosts/,
		],
	])('%s', async (_kind, url, reason) => {
		const target = new URL(url);
		const scope = nock(target.origin)
			.get(/.*/)
			.reply(200, 'bytes')
			.post(/.*/)
			.reply(200, { success: true });
		for (const options of [{}, oauth2]) {
			for (const method of ['GET', 'POST'] as const) {
				const { error } = await probe(
					'request',
					{
						method,
						path: url,
						binary: method === 'GET',
						authScheme: method === 'POST' ? 'OAuth' : undefined,
					},
					options,
				);
				expect(error?.name).toBe('NodeOperationError');
				expect(error?.message).toMatch(
					new RegExp(
						`^Refused to send the credential to ${target.protocol}//${target.host.replace(/\./g, '\\.')}: `,
					),
				);
				expect(error?.message).toMatch(reason);
				expect(String(error?.description)).toMatch(/^Nothing was sent\./);
				expectNoSecrets(error, [TOKEN]);
			}
		}
		expect(scope.isDone()).toBe(false);
		expect(scope.pendingMocks()).toHaveLength(2);
	});

	it('with Continue On Fail the item fails (status failed: nothing happened) and the next item still runs', async () => {
		const foreign = nock('https://cdn.attacker.example').get(/.*/).reply(200, 'x');
		const allowed = nock('https://lookaside.fbsbx.com').get(/.*/).reply(200, 'media');
		const run = await probeCall(
			{
				call: 'request',
				spec: '={{ JSON.stringify({ method: "GET", path: $json.url, binary: true }) }}',
			},
			{
				items: [
					{ url: 'https://cdn.attacker.example/file' },
					{ url: 'https://lookaside.fbsbx.com/file' },
				],
				continueOnFail: true,
			},
		);
		expect(run.outputs[0]).toHaveLength(2);
		expect(run.outputs[0][0].json.details).toMatchObject({ status: 'failed', itemIndex: 0 });
		expect(run.outputs[0][0].json.error).toMatch(
			/^Refused to send the credential to https:\/\/cdn\.attacker\.example/,
		);
		expect(run.outputs[0][1].json.result).toEqual({
			base64: Buffer.from('media').toString('base64'),
		});
		expect(foreign.isDone()).toBe(false);
		allowed.done();
	});
});

describe('allowed', () => {
	it.each([
		'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1',
		'https://scontent.xx.fbcdn.net/v/t1/photo.jpg',
		'https://graph.facebook.com/v26.0/1/picture',
		'https://instagram.fxyz1-1.fna.fbcdn.net/a.mp4',
		'https://mmg.whatsapp.net/d/f/abc.enc',
	])('https on a Meta host: %s, with the token', async (url) => {
		const target = new URL(url);
		const scope = nock(target.origin, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get(target.pathname)
			.query(true)
			.reply(200, 'bytes');
		const { error } = await probe('request', { method: 'GET', path: url, binary: true });
		expect(error).toBeUndefined();
		scope.done();
	});

	it('the rupload host over https with the OAuth scheme', async () => {
		const scope = nock('https://rupload.facebook.com', {
			reqheaders: { authorization: `OAuth ${TOKEN}` },
		})
			.post('/ig-api-upload/v26.0/1789')
			.reply(200, { success: true });
		const { error, result } = await probe('request', {
			method: 'POST',
			path: 'https://rupload.facebook.com/ig-api-upload/v26.0/1789',
			headers: { file_url: 'https://cdn.example.com/v.mp4' },
			authScheme: 'OAuth',
		});
		expect(error).toBeUndefined();
		expect(result).toEqual({ success: true });
		scope.done();
	});

	it('the same origin as the configured base URL, even over http (the simulator, a proxy)', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get('/whatsapp_business/attachments/')
			.query(true)
			.reply(200, 'bytes');
		const { error } = await probe('request', {
			method: 'GET',
			path: `${BASE}/whatsapp_business/attachments/?mid=1`,
			binary: true,
		});
		expect(error).toBeUndefined();
		scope.done();
	});
});

describe('the host rule as a function', () => {
	it('knows Meta hosts and their subdomains, nothing else', () => {
		for (const host of [
			'graph.facebook.com',
			'GRAPH.INSTAGRAM.COM',
			'rupload.facebook.com',
			'facebook.com',
			'a.b.cdninstagram.com',
			'lookaside.fbsbx.com.',
		]) {
			expect(isMetaHost(host)).toBe(true);
		}
		for (const host of [
			'evilfacebook.com',
			'facebook.com.evil.example',
			'fbcdn.net.example',
			'whatsapp.org',
			'127.0.0.1',
			'',
		]) {
			expect(isMetaHost(host)).toBe(false);
		}
	});

	it('compares whole origins with the base URL', () => {
		expect(
			credentialHostProblem('http://127.0.0.1:5678/x', 'http://127.0.0.1:5678'),
		).toBeUndefined();
		expect(credentialHostProblem('http://127.0.0.1:5679/x', 'http://127.0.0.1:5678')).toMatch(
			/not one of Meta's hosts/,
		);
		expect(
			credentialHostProblem('https://proxy.example/x', 'https://user:pass@proxy.example/'),
		).toBeUndefined();
		expect(credentialHostProblem('not a url', 'https://graph.facebook.com')).toBe(
			'it is not a valid URL',
		);
	});
});

describe('a proxy login in the Graph API Base URL', () => {
	const PROXY_USER = 'proxyuser';
	const PROXY_PASSWORD = 'pr0xy-Pa55w0rd';
	let baseUrl = '';
	let origin = '';

	// A loopback port that was just closed: the connection is refused, nothing leaves the machine.
	beforeAll(async () => {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		const { port } = server.address() as AddressInfo;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		origin = `http://127.0.0.1:${port}`;
		baseUrl = `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${port}`;
	});

	// Reads are retried on network failures; the waits are recorded, not slept.
	beforeEach(() => recordWaits());

	it('never appears in "Could not reach Meta" or anywhere else in the error or the run', async () => {
		const { error, run } = await probe(
			'request',
			{ method: 'GET', path: '/me' },
			{ credentials: accessTokenCredentials({ baseUrl }) },
		);
		expect(error?.message).toMatch(/^Could not reach Meta \(/);
		expect(String(error?.description)).toContain(`(${origin})`);
		expectNoSecrets({ error, run, description: error?.description, stack: error?.stack }, [
			PROXY_USER,
			PROXY_PASSWORD,
			TOKEN,
		]);
	});

	it('nor in the error item with Continue On Fail', async () => {
		const run = await probeCall(
			{ call: 'request', spec: JSON.stringify({ method: 'GET', path: '/me' }) },
			{ credentials: accessTokenCredentials({ baseUrl }), continueOnFail: true },
		);
		expect(run.outputs[0][0].json.error).toMatch(/^Could not reach Meta/);
		expectNoSecrets(run.outputs, [PROXY_USER, PROXY_PASSWORD]);
		expectNoSecrets(run.run, [PROXY_USER, PROXY_PASSWORD]);
	});
});
