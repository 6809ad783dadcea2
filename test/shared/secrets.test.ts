import { createServer } from 'http';
import type { AddressInfo } from 'net';
import nock from 'nock';
import type { INode } from 'n8n-workflow';

import { appSecretProofOf, expectNoSecrets } from '../helpers/secrets';
import { getMetaErrorInfo, scrubSecrets, toNodeApiError } from '../../nodes/Meta/shared/errors';
import {
	accessTokenCredentials,
	APP_SECRET,
	BASE,
	isolateNetwork,
	probe,
	recordWaits,
	TOKEN,
} from './helpers';

const PROOF = appSecretProofOf(APP_SECRET, TOKEN);
const SECRETS = [TOKEN, APP_SECRET, PROOF];
/**
 * The error minus `node`: these two tests put the token into the probe's own parameters (a
 * URL the test builds), which n8n attaches to every error as the node definition.
 */
function withoutNode(error: unknown): Record<string, unknown> {
	const { node: _node, ...rest } = Object.assign({}, error, {
		message: (error as Error).message,
		stack: (error as Error).stack,
		cause: (error as { cause?: unknown }).cause,
	}) as Record<string, unknown>;
	return { ...rest, json: JSON.stringify({ ...rest }) };
}

const withSecret = () => ({ credentials: accessTokenCredentials({ appSecret: APP_SECRET }) });

isolateNetwork({ allowLoopback: true });

describe('no token, app secret or proof in a thrown error', () => {
	it('scrubs a Meta message that echoes the token, the proof and a URL carrying both', async () => {
		nock(BASE)
			.get('/v26.0/me')
			.query(true)
			.reply(400, {
				error: {
					message: `Invalid OAuth access token ${TOKEN} for https://graph.facebook.com/v26.0/me?access_token=${TOKEN}&appsecret_proof=${PROOF}`,
					type: 'OAuthException',
					code: 190,
					error_user_msg: `Token ${TOKEN} rejected`,
					error_data: { details: `proof ${PROOF}` },
					fbtrace_id: 'T',
				},
			});
		const { error, run } = await probe('request', { method: 'GET', path: '/me' }, withSecret());
		expect(error).toBeDefined();
		expect(getMetaErrorInfo(error)?.code).toBe(190);
		expect(error?.description).toContain('Invalid OAuth access token [redacted]');
		expectNoSecrets(error, SECRETS);
		expectNoSecrets(run, SECRETS);
	});

	it('scrubs a token that has no Meta shape, using the credential values themselves', async () => {
		const oddToken = 'custom-token-value-without-prefix-42';
		nock(BASE)
			.get('/v26.0/me')
			.reply(400, {
				error: { message: `Cannot parse ${oddToken}`, type: 'OAuthException', code: 190 },
			});
		const { error } = await probe(
			'request',
			{ method: 'GET', path: '/me' },
			{ credentials: accessTokenCredentials({ accessToken: oddToken }) },
		);
		expect(error?.description).toContain('Meta says: Cannot parse [redacted].');
		expectNoSecrets(error, [oddToken]);
	});

	it('scrubs an HTML error page that echoes the request URL with the token', async () => {
		recordWaits();
		nock(BASE)
			.get('/v26.0/debug_token')
			.query(true)
			.times(6)
			.reply(
				502,
				`<html>upstream failed for /v26.0/debug_token?input_token=${TOKEN}&appsecret_proof=${PROOF}</html>`,
			);
		const { error } = await probe(
			'request',
			{ method: 'GET', path: '/debug_token', qs: { input_token: TOKEN }, maxRetryWaitMs: 100 },
			withSecret(),
		);
		expect(String(error?.message)).toContain('Meta answered HTTP 502');
		expectNoSecrets(withoutNode(error), SECRETS);
	});

	it('keeps the token out of a network failure on a URL that carries it', async () => {
		recordWaits();
		const server = createServer((request) => {
			request.resume();
			request.on('end', () => request.socket.destroy());
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			const { error } = await probe(
				'request',
				{
					method: 'POST',
					path: `${url}/v26.0/debug_token?input_token=${TOKEN}`,
					body: { access_token: TOKEN },
				},
				{ credentials: accessTokenCredentials({ appSecret: APP_SECRET, baseUrl: url }) },
			);
			expect(getMetaErrorInfo(error)?.outcome).toBe('unknown');
			expectNoSecrets(withoutNode(error), SECRETS);
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});

	it('scrubs per-operation batch errors returned as data', async () => {
		nock(BASE)
			.post('/v26.0/')
			.query(true)
			.reply(200, [
				{
					code: 400,
					body: JSON.stringify({
						error: { message: `bad token ${TOKEN}`, code: 190, type: 'OAuthException' },
					}),
				},
			]);
		const { result, outputs } = await probe(
			'batch',
			{ operations: [{ method: 'GET', relativeUrl: 'me' }] },
			withSecret(),
		);
		expect(result).toEqual([
			{ code: 400, error: { message: 'bad token [redacted]', code: 190, type: 'OAuthException' } },
		]);
		expectNoSecrets(outputs, SECRETS);
	});
});

describe('toNodeApiError and scrubSecrets', () => {
	const node: INode = {
		id: '1',
		name: 'Meta',
		type: 'n8n-nodes-meta-business.instagramPublish',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};

	it('builds a scrubbed NodeApiError from an HTTP library error carrying request options', () => {
		const libraryError = Object.assign(
			new Error(`Request failed: GET ${BASE}/me?access_token=${TOKEN}`),
			{
				config: {
					url: `${BASE}/me?access_token=${TOKEN}`,
					headers: { Authorization: `Bearer ${TOKEN}` },
				},
				response: {
					status: 400,
					data: {
						error: { message: `Bad ${TOKEN}`, code: 100, error_subcode: 33, fbtrace_id: 'F' },
					},
				},
			},
		);
		const error = toNodeApiError(node, libraryError, { itemIndex: 3, secrets: [TOKEN] });
		expect(getMetaErrorInfo(error)).toMatchObject({
			code: 100,
			subcode: 33,
			fbtraceId: 'F',
			outcome: 'failed',
		});
		expect(error.context.itemIndex).toBe(3);
		expect(String(error.httpCode)).toBe('400');
		expect(error.description).toContain('Assign people');
		expectNoSecrets(error, [TOKEN]);
	});

	it('marks an error without a Meta answer as outcome unknown', () => {
		const error = toNodeApiError(
			node,
			Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
		);
		expect(getMetaErrorInfo(error)).toMatchObject({
			outcome: 'unknown',
			networkCode: 'ECONNRESET',
		});
	});

	it('returns an error it already built, adding the item index', () => {
		const first = toNodeApiError(node, {
			response: { status: 400, data: { error: { code: 10, message: 'x' } } },
		});
		const again = toNodeApiError(node, first, { itemIndex: 2 });
		expect(again).toBe(first);
		expect(again.context.itemIndex).toBe(2);
	});

	it.each([
		[`token ${TOKEN}`, [TOKEN], 'token [redacted]'],
		[`encoded ${encodeURIComponent('a+b/c=d&secret')}`, ['a+b/c=d&secret'], 'encoded [redacted]'],
		['Authorization: Bearer abcdefghijklmnop', [], 'Authorization: Bearer [redacted]'],
		['Authorization: OAuth abcdefghijklmnop', [], 'Authorization: OAuth [redacted]'],
		[
			'https://x.test/me?fields=id&access_token=zzz123&appsecret_proof=abc',
			[],
			'https://x.test/me?fields=id&access_token=[redacted]&appsecret_proof=[redacted]',
		],
		[
			'{"client_secret":"s3cr3t","fb_exchange_token":"t0k"}',
			[],
			'{"client_secret":"[redacted]","fb_exchange_token":"[redacted]"}',
		],
		['unknown EAAB1234567890abcdefXYZ token', [], 'unknown [redacted] token'],
		[`proof ${'ab12'.repeat(16)} alone`, [], 'proof [redacted] alone'],
		[
			'nothing secret here (code 190, subcode 463)',
			[],
			'nothing secret here (code 190, subcode 463)',
		],
		[
			'Could not reach https://user:p4ss@proxy.example:3128/v26.0',
			[],
			'Could not reach https://[redacted]@proxy.example:3128/v26.0',
		],
		['"baseUrl":"http://only-user@10.0.0.1/"', [], '"baseUrl":"http://[redacted]@10.0.0.1/"'],
		[
			'mail me at someone@example.com, see https://example.com/a@b',
			[],
			'mail me at someone@example.com, see https://example.com/a@b',
		],
	])('scrubSecrets(%j)', (text, secrets, expected) => {
		expect(scrubSecrets(text, secrets)).toBe(expected);
	});
});
