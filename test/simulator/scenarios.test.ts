/** Every scenario file is consistent (no dangling references, no id collisions) and loads. */
import { readdirSync } from 'fs';
import { join } from 'path';

import { loadScenario, startSimulator } from '../../simulator';
import { validateScenario } from '../../simulator/engine/validate';
import { demoWith } from './helpers';

const dir = join(__dirname, '..', '..', 'simulator', 'scenarios');
const names = readdirSync(dir)
	.filter((file) => file.endsWith('.json'))
	.map((file) => file.replace(/\.json$/, ''));

describe('scenario files', () => {
	it('include demo and at least 15 failure modes', () => {
		expect(names).toContain('demo');
		expect(names.filter((name) => name.startsWith('fail-')).length).toBeGreaterThanOrEqual(15);
	});

	it.each(names)('%s is consistent and named after its file', (name) => {
		const scenario = loadScenario(name);
		expect(validateScenario(scenario)).toEqual([]);
		expect(scenario.name).toBe(name);
	});

	it('the validator reports dangling references and id collisions', () => {
		const broken = demoWith((s) => {
			s.tokens[0].appId = '1';
			s.pages![0].id = s.users[0].id;
			s.phoneNumbers![0].wabaId = '2';
		});
		const problems = validateScenario(broken);
		expect(problems).toEqual(
			expect.arrayContaining([
				expect.stringContaining('unknown appId 1'),
				expect.stringContaining(`id ${broken.users[0].id} is also used by user`),
				expect.stringContaining('unknown wabaId 2'),
			]),
		);
	});

	it('every scenario starts and answers /me for its first token', async () => {
		for (const name of names) {
			const scenario = loadScenario(name);
			const sim = await startSimulator(scenario);
			try {
				const token = scenario.tokens[0];
				const res = await fetch(
					`${sim.baseUrl}/v26.0/debug_token?input_token=${encodeURIComponent(token.token)}`,
					{
						headers: { Authorization: `Bearer ${scenario.apps[0].id}|${scenario.apps[0].secret}` },
					},
				);
				expect(res.status).toBe(200);
			} finally {
				await sim.stop();
			}
		}
	});
});
