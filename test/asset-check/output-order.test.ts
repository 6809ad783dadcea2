/**
 * The Asset Check item puts what a person reads first in n8n's table: `ready`, the summary and the
 * first failed check, before the per-capability booleans and the details.
 */
import { MetaAssetCheck } from '../../nodes/Meta/AssetCheck/MetaAssetCheck.node';
import { loadScenario, startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator/types';
import { executeNode } from '../helpers/harness';

let sim: RunningSimulator;
afterEach(async () => await sim?.stop());

async function check(scenario: string) {
	const world = loadScenario(scenario);
	sim = await startSimulator(world);
	const { outputs, error } = await executeNode({
		node: MetaAssetCheck,
		parameters: { authentication: 'accessToken', operation: 'checkEverything' },
		credentials: {
			metaBusinessAccessTokenApi: { accessToken: world.tokens[0].token, baseUrl: sim.baseUrl },
		},
	});
	expect(error).toBeUndefined();
	return outputs[0][0].json;
}

describe('Asset Check output order', () => {
	it.each(['demo', 'fail-token-expired'])(
		'%s: ready, summary, firstFailedCheck lead the item',
		async (scenario) => {
			const item = await check(scenario);
			expect(Object.keys(item).slice(0, 4)).toEqual([
				'ready',
				'summary',
				'firstFailedCheck',
				'operation',
			]);
			expect(typeof item.summary).toBe('string');
			expect(item.ready).toBe(scenario === 'demo');
			if (item.ready) expect(item.firstFailedCheck).toBeNull();
			else expect(item.firstFailedCheck).toBe((item.failedChecks as string[])[0]);
		},
	);
});
