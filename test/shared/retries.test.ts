import nock from 'nock';

import { getMetaErrorInfo } from '../../nodes/Meta/shared/errors';
import { MAX_ATTEMPTS } from '../../nodes/Meta/shared/transport';
import { createServer } from 'http';
import type { IncomingMessage, ServerResponse } from 'http';
import type { AddressInfo } from 'net';

import { accessTokenCredentials, BASE, isolateNetwork, probe, recordWaits } from './helpers';

/** A real HTTP server on 127.0.0.1 (nock cannot drop a socket after the body was sent). */
async function startServer(
	handle: (count: number, request: IncomingMessage, response: ServerResponse) => void,
) {
	let count = 0;
	const server = createServer((request, response) => {
		count++;
		const current = count;
		request.resume();
		request.on('end', () => handle(current, request, response));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests: () => count,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

isolateNetwork({ allowLoopback: true });

function metaError(code: number, extra: Record<string, unknown> = {}) {
	return {
		error: {
			message: `(#${code}) test error`,
			type: 'OAuthException',
			code,
			fbtrace_id: `trace${code}`,
			...extra,
		},
	};
}

/** Replies with the given answers in order, counting requests. */
function sequence(
	method: 'get' | 'post',
	path: string,
	answers: Array<[number, unknown, Record<string, string>?]>,
) {
	const state = { requests: 0 };
	nock(BASE)
		[method](path)
		.query(true)
		.times(answers.length)
		.reply(() => {
			const answer = answers[Math.min(state.requests, answers.length - 1)];
			state.requests++;
			return answer as [number, string];
		});
	return state;
}

describe('transient errors (idempotent reads)', () => {
	it.each([
		['code 1 with is_transient', 500, metaError(1, { is_transient: true })],
		['code 2 (service)', 503, metaError(2)],
		['code -1 with is_transient', 400, metaError(-1, { is_transient: true })],
		['code 131000 (something went wrong)', 500, metaError(131000)],
		['code 131016 (service unavailable)', 503, metaError(131016)],
		['code 133004 (server unavailable)', 503, metaError(133004)],
		['HTTP 502 without a Meta body', 502, '<html>Bad gateway</html>'],
	])('retries %s, then succeeds', async (_name, status, body) => {
		const waits = recordWaits();
		const state = sequence('get', '/v26.0/me', [
			[status, body],
			[200, { id: '1' }],
		]);
		const { result, error } = await probe('request', { method: 'GET', path: '/me' });
		expect(error).toBeUndefined();
		expect(result).toEqual({ id: '1' });
		expect(state.requests).toBe(2);
		// full jitter with random() = 0.5 on a 1 s base: 500 ms before the first retry
		expect(waits).toEqual([500]);
	});

	it('retries a read after the connection was reset', async () => {
		const waits = recordWaits();
		const server = await startServer((count, request, response) => {
			if (count === 1) request.socket.destroy();
			else response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
		});
		try {
			const { result, error } = await probe(
				'request',
				{ method: 'GET', path: '/me' },
				{ credentials: accessTokenCredentials({ baseUrl: server.url }) },
			);
			expect(error).toBeUndefined();
			expect(result).toEqual({ id: '1' });
			expect(server.requests()).toBe(2);
			expect(waits).toHaveLength(1);
		} finally {
			await server.close();
		}
	});

	it('backs off exponentially: 500, 1000, 2000 ms with random() = 0.5', async () => {
		const waits = recordWaits();
		const state = sequence('get', '/v26.0/me', [
			[503, metaError(2)],
			[503, metaError(2)],
			[503, metaError(2)],
			[200, { id: '1' }],
		]);
		const { error } = await probe('request', { method: 'GET', path: '/me' });
		expect(error).toBeUndefined();
		expect(state.requests).toBe(4);
		expect(waits).toEqual([500, 1000, 2000]);
	});
});

describe('errors that are never retried', () => {
	it.each([
		['invalid parameter 100', 400, metaError(100)],
		['expired token 190/463', 400, metaError(190, { error_subcode: 463 })],
		['permission 10', 403, metaError(10)],
		['-1 without is_transient', 400, metaError(-1)],
		['IG action blocked 4/2207051', 400, metaError(4, { error_subcode: 2207051 })],
		['IG thumb offset 1/2207057', 400, metaError(1, { error_subcode: 2207057 })],
		['re-engagement 131047', 400, metaError(131047)],
	])('does not retry %s', async (_name, status, body) => {
		const waits = recordWaits();
		const state = sequence('get', '/v26.0/me', [
			[status, body],
			[200, { id: '1' }],
		]);
		const { error } = await probe('request', { method: 'GET', path: '/me' });
		expect(error).toBeDefined();
		expect(state.requests).toBe(1);
		expect(waits).toEqual([]);
		expect(getMetaErrorInfo(error)?.attempts).toBe(1);
	});

	it('never retries a write by default, even on a transient code', async () => {
		const waits = recordWaits();
		const state = sequence('post', '/v26.0/123/messages', [
			[503, metaError(131016)],
			[200, { ok: true }],
		]);
		const { error } = await probe('request', {
			method: 'POST',
			path: '/123/messages',
			body: { a: 1 },
		});
		expect(getMetaErrorInfo(error)).toMatchObject({ code: 131016, outcome: 'failed' });
		expect(state.requests).toBe(1);
		expect(waits).toEqual([]);
	});

	it("retry: 'none' never retries, even a throttled read", async () => {
		const waits = recordWaits();
		const state = sequence('get', '/v26.0/me', [
			[400, metaError(4)],
			[200, { id: '1' }],
		]);
		const { error } = await probe('request', { method: 'GET', path: '/me', retry: 'none' });
		expect(getMetaErrorInfo(error)?.code).toBe(4);
		expect(state.requests).toBe(1);
		expect(waits).toEqual([]);
	});
});

describe('throttled errors', () => {
	it.each([4, 17, 32, 341, 613, 80001, 80002, 80007, 80008, 130429, 131056])(
		'throttleOnly write: retries code %s (Meta did nothing), then succeeds',
		async (code) => {
			const waits = recordWaits();
			const state = sequence('post', '/v26.0/123/messages', [
				[429, metaError(code)],
				[200, { messages: [{ id: 'wamid.1' }] }],
			]);
			const { error, result } = await probe('request', {
				method: 'POST',
				path: '/123/messages',
				body: { to: '1' },
				retry: 'throttleOnly',
			});
			expect(error).toBeUndefined();
			expect(result).toEqual({ messages: [{ id: 'wamid.1' }] });
			expect(state.requests).toBe(2);
			// throttled base is 2 s: 0.5 * 2000
			expect(waits).toEqual([1000]);
		},
	);

	it('throttleOnly write: does not retry a transient code (the send may have happened)', async () => {
		const waits = recordWaits();
		const state = sequence('post', '/v26.0/123/messages', [
			[500, metaError(131000)],
			[200, { ok: true }],
		]);
		const { error } = await probe('request', {
			method: 'POST',
			path: '/123/messages',
			body: {},
			retry: 'throttleOnly',
		});
		expect(getMetaErrorInfo(error)?.code).toBe(131000);
		expect(state.requests).toBe(1);
		expect(waits).toEqual([]);
	});

	it('waits for estimated_time_to_regain_access (minutes) from X-Business-Use-Case-Usage', async () => {
		const waits = recordWaits();
		const usage = JSON.stringify({
			'17841400008460056': [
				{
					type: 'instagram',
					call_count: 100,
					total_cputime: 20,
					total_time: 30,
					estimated_time_to_regain_access: 2,
				},
			],
		});
		sequence('get', '/v26.0/17841400008460056', [
			[400, metaError(80002), { 'x-business-use-case-usage': usage }],
			[200, { id: '17841400008460056' }],
		]);
		const { error } = await probe('request', {
			method: 'GET',
			path: '/17841400008460056',
			maxRetryWaitMs: 5 * 60_000,
		});
		expect(error).toBeUndefined();
		expect(waits).toEqual([120_000]);
	});

	it('gives up at once with the Meta error when the usage header asks for more than the cap', async () => {
		const waits = recordWaits();
		const usage = JSON.stringify({
			'123': [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 5 }],
		});
		const state = sequence('get', '/v26.0/123', [
			[400, metaError(80001), { 'x-business-use-case-usage': usage }],
			[200, { id: '123' }],
		]);
		const { error } = await probe('request', {
			method: 'GET',
			path: '/123',
			maxRetryWaitMs: 60_000,
		});
		const info = getMetaErrorInfo(error);
		expect(info).toMatchObject({ code: 80001, retry: 'throttled', outcome: 'failed' });
		expect(info?.retryAfterMs).toBe(300_000);
		expect(state.requests).toBe(1);
		expect(waits).toEqual([]);
	});

	it('waits 30 s when X-App-Usage is at 100% and Meta gives no time', async () => {
		const waits = recordWaits();
		sequence('get', '/v26.0/me', [
			[
				400,
				metaError(4),
				{ 'x-app-usage': '{"call_count":100,"total_time":12,"total_cputime":9}' },
			],
			[200, { id: '1' }],
		]);
		const { error } = await probe('request', { method: 'GET', path: '/me' });
		expect(error).toBeUndefined();
		expect(waits).toEqual([30_000]);
	});

	it('honours a Retry-After header (seconds)', async () => {
		const waits = recordWaits();
		sequence('get', '/v26.0/me', [
			[429, metaError(613), { 'retry-after': '7' }],
			[200, { id: '1' }],
		]);
		const { error } = await probe('request', { method: 'GET', path: '/me' });
		expect(error).toBeUndefined();
		expect(waits).toEqual([7000]);
	});
});

describe('giving up', () => {
	it('gives up after the wait cap with the last Meta error', async () => {
		const waits = recordWaits();
		const state = sequence(
			'get',
			'/v26.0/me',
			Array.from({ length: 10 }, () => [503, metaError(2)] as [number, unknown]),
		);
		const { error } = await probe('request', { method: 'GET', path: '/me', maxRetryWaitMs: 2000 });
		// waits 500 + 1000 = 1500; the next (2000) would pass the 2000 ms cap
		expect(waits).toEqual([500, 1000]);
		expect(state.requests).toBe(3);
		expect(getMetaErrorInfo(error)).toMatchObject({ code: 2, attempts: 3, retry: 'transient' });
		expect(error?.message).toBe('Meta service temporarily unavailable');
		expect(String(error?.description)).toContain('Meta says: (#2) test error.');
	});

	it(`stops after ${MAX_ATTEMPTS} attempts whatever the budget`, async () => {
		const waits = recordWaits();
		const state = sequence(
			'get',
			'/v26.0/me',
			Array.from({ length: 10 }, () => [503, metaError(2)] as [number, unknown]),
		);
		const { error } = await probe('request', {
			method: 'GET',
			path: '/me',
			maxRetryWaitMs: 10 * 60_000,
		});
		expect(state.requests).toBe(MAX_ATTEMPTS);
		expect(waits).toHaveLength(MAX_ATTEMPTS - 1);
		expect(getMetaErrorInfo(error)?.attempts).toBe(MAX_ATTEMPTS);
	});
});

describe('network failures on writes', () => {
	it.each(['throttleOnly', 'none', undefined])(
		'a POST whose connection drops after sending has outcome "unknown" and is not retried (retry: %s)',
		async (retry) => {
			const waits = recordWaits();
			const server = await startServer((_count, request) => request.socket.destroy());
			try {
				const { error } = await probe(
					'request',
					{ method: 'POST', path: '/123/messages', body: { to: '1' }, ...(retry ? { retry } : {}) },
					{ credentials: accessTokenCredentials({ baseUrl: server.url }) },
				);
				const info = getMetaErrorInfo(error);
				expect(info).toMatchObject({ outcome: 'unknown', networkCode: 'ECONNRESET', attempts: 1 });
				expect(error?.name).toBe('NodeApiError');
				expect(String(error?.description)).toMatch(/may or may not/);
				expect(server.requests()).toBe(1);
				expect(waits).toEqual([]);
			} finally {
				await server.close();
			}
		},
	);

	it('a POST that timed out waiting for the answer has outcome "unknown"', async () => {
		recordWaits();
		nock(BASE).post('/v26.0/123/messages').delay(1500).reply(200, { late: true });
		const { error } = await probe('request', {
			method: 'POST',
			path: '/123/messages',
			body: { to: '1' },
			timeoutMs: 200,
		});
		expect(getMetaErrorInfo(error)?.outcome).toBe('unknown');
	});

	it('a refused connection never reached Meta: outcome "failed", not retried for a write', async () => {
		const waits = recordWaits();
		const server = await startServer(() => undefined);
		const url = server.url;
		await server.close();
		const { error } = await probe(
			'request',
			{ method: 'POST', path: '/123/messages', body: {} },
			{ credentials: accessTokenCredentials({ baseUrl: url }) },
		);
		expect(getMetaErrorInfo(error)).toMatchObject({
			outcome: 'failed',
			networkCode: 'ECONNREFUSED',
		});
		expect(waits).toEqual([]);
	});
});
