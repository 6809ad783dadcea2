/**
 * The harness against the Meta Graph simulator (a real HTTP server): our credential and shared
 * transport reach it through n8n-core, and the simulator sees the proof and the token.
 */
import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import { MetaProbe } from './fixtures/MetaProbe.node';
import { executeNode } from './harness';
import { expectNoSecrets } from './secrets';

const TOKEN = 'EAADemoSystemUser';
const APP_SECRET = 'demo0app0secret0aurora0000000001';

let sim: RunningSimulator;

beforeAll(async () => {
	sim = await startSimulator('demo');
});
afterAll(async () => {
	await sim?.stop();
});

it('reads /me from the simulator with the access token credential', async () => {
	const { outputs, error } = await executeNode({
		node: MetaProbe,
		parameters: { path: '/me' },
		credentials: {
			metaBusinessAccessTokenApi: {
				accessToken: TOKEN,
				appSecret: APP_SECRET,
				baseUrl: sim.baseUrl,
			},
		},
	});
	expect(error).toBeUndefined();
	expect(outputs[0][0].json).toEqual({ id: '61550000000000001' });
	expect(sim.control.requests().length).toBeGreaterThan(0);
});

it('surfaces a revoked token as a node error without the token', async () => {
	sim.control.revokeToken(TOKEN, 460);
	try {
		const { error, run } = await executeNode({
			node: MetaProbe,
			parameters: { path: '/me' },
			credentials: { metaBusinessAccessTokenApi: { accessToken: TOKEN, baseUrl: sim.baseUrl } },
		});
		expect(error?.name).toBe('NodeApiError');
		expectNoSecrets({ error, run }, [TOKEN, APP_SECRET]);
	} finally {
		sim.control.reset();
	}
});
