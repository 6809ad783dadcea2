/**
 * Meta Graph simulator: a real HTTP server on 127.0.0.1 that behaves like the parts of the Graph
 * API this package uses (see README, section "Meta Graph simulator").
 *
 *   const sim = await startSimulator('demo');
 *   // credential baseUrl = sim.baseUrl; media URLs from sim.fixturesBaseUrl
 *   sim.control.injectFault({ kind: 'http503', path: '/messages$' });
 *   await sim.stop();
 */
import { readFileSync } from 'fs';
import { isAbsolute, join } from 'path';

import { domainModules } from './domains';
import { computeProof } from './engine/auth';
import { Engine } from './engine/engine';
import { SimulatorServer } from './engine/server';
import type { DomainModule, RunningSimulator, Scenario, SimulatorSettings } from './types';
import { webhooksDomain, webhooksSettingsDomain } from './webhooks/domain';

export interface StartSimulatorOptions {
	/** Graph listener port (default 0: a free port). */
	port?: number;
	/** HTTPS fixtures listener port (default 0: a free port). */
	fixturesPort?: number;
	/** Listen address (default 127.0.0.1). */
	host?: string;
	/** Overrides applied on top of the scenario's settings (also after control.reset()). */
	settings?: Partial<SimulatorSettings>;
	/** Extra domain modules (tests of the engine itself); the three built-in ones are always on. */
	extraModules?: DomainModule[];
}

const scenarioCache = new Map<string, Scenario>();

/** Scenario by name (`scenarios/<name>.json`), by path (ending in .json), or as an object. */
export function loadScenario(scenario: string | Scenario): Scenario {
	if (typeof scenario !== 'string') return scenario;
	const cached = scenarioCache.get(scenario);
	if (cached) return cached;
	const file = scenario.endsWith('.json')
		? isAbsolute(scenario)
			? scenario
			: join(process.cwd(), scenario)
		: join(__dirname, 'scenarios', `${scenario}.json`);
	const parsed = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
	scenarioCache.set(scenario, parsed);
	return parsed;
}

export async function startSimulator(
	scenario: string | Scenario,
	options: StartSimulatorOptions = {},
): Promise<RunningSimulator> {
	// The webhook module first (its routes take the sends and subscription writes they accept, and
	// hand them on to the WhatsApp domain), its settings step last (after the WhatsApp state exists).
	const engine = new Engine([
		webhooksDomain,
		...domainModules,
		...(options.extraModules ?? []),
		webhooksSettingsDomain,
	]);
	const server = new SimulatorServer(engine, loadScenario(scenario), {
		port: options.port,
		fixturesPort: options.fixturesPort,
		host: options.host,
		settings: options.settings,
		loadScenario,
	});
	await server.listen();
	return {
		baseUrl: server.baseUrl,
		fixturesBaseUrl: server.fixturesBaseUrl,
		port: server.port,
		control: server.control,
		stop: () => server.stop(),
	};
}

/** hex(HMAC-SHA256(appSecret, token)) — what a client sends as appsecret_proof. */
export function appSecretProof(appSecret: string, token: string): string {
	return computeProof(appSecret, token);
}

export { SlidingWindowLimiter } from './engine/rate-limit';
export { GraphError } from './engine/errors';
export { parseMedia } from './engine/media';
export * from './types';
export * from './webhooks';
