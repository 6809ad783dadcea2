import type { Scenario, SimulatorSettings, World } from '../types';
import { WebhookHub } from '../webhooks/hub';

export const DEFAULT_SETTINGS: SimulatorSettings = {
	latencyMs: 0,
	jitterMs: 0,
	throughputPerSecond: 80,
	pairRateBurst: 45,
	pairRateWindowMs: 6000,
	instagramImageProcessingMs: 0,
	instagramVideoProcessingMs: 3000,
	whatsappThrottleHttpStatus: 400,
	instagramQuotaTotalDefault: 100,
};

/** Engine-internal extension of the World: the clock offset lives here. */
export interface EngineWorld extends World {
	clockOffsetMs: number;
}

/** Default Graph node kind of each scenario collection (registered in `world.objects`). */
const SEED_KINDS: Array<[keyof Scenario, string]> = [
	['apps', 'App'],
	['users', 'User'],
	['pages', 'Page'],
	['businesses', 'Business'],
	['instagramAccounts', 'IGUser'],
	['wabas', 'WABA'],
	['phoneNumbers', 'PhoneNumber'],
	['templates', 'Template'],
];

function toMap<T extends { id: string }>(list: T[] | undefined): Map<string, T> {
	return new Map((list ?? []).map((item) => [item.id, item]));
}

/**
 * Builds a fresh world from a scenario. The scenario is deep-copied so that mutations during a
 * run (revoked tokens, removed permissions) never leak into the next reset.
 */
export function buildWorld(
	seed: Scenario,
	settingsOverride?: Partial<SimulatorSettings>,
): EngineWorld {
	const scenario: Scenario = structuredClone(seed);
	let idCounter = 0;
	const world: EngineWorld = {
		scenario,
		settings: { ...DEFAULT_SETTINGS, ...scenario.settings, ...settingsOverride },
		startedAt: Math.floor(Date.now() / 1000),
		clockOffsetMs: 0,
		apps: toMap(scenario.apps),
		users: toMap(scenario.users),
		tokens: new Map(scenario.tokens.map((token) => [token.token, token])),
		pages: toMap(scenario.pages),
		instagramAccounts: toMap(scenario.instagramAccounts),
		businesses: toMap(scenario.businesses),
		wabas: toMap(scenario.wabas),
		phoneNumbers: toMap(scenario.phoneNumbers),
		templates: toMap(scenario.templates),
		contacts: new Map((scenario.contacts ?? []).map((contact) => [contact.waId, contact])),
		objects: new Map(),
		state: {},
		newId(prefixDigits = '1') {
			idCounter++;
			const tail = String(Date.now() % 1e9).padStart(9, '0') + String(idCounter).padStart(5, '0');
			return (prefixDigits + tail).slice(0, Math.max(15, prefixDigits.length + 14));
		},
		now() {
			return Date.now() + world.clockOffsetMs;
		},
		// Looked up when a delivery is made, so apps and settings are read as they are then.
		webhooks: new WebhookHub((appId) => world.apps.get(appId), {
			maxAttempts: () => world.settings.webhookMaxAttempts,
			baseDelayMs: () => world.settings.webhookBaseDelayMs,
		}),
	};
	for (const token of world.tokens.values()) {
		// A granular grant is also a grant: keep `scopes` the single source for "has it".
		for (const granular of token.granularScopes ?? []) {
			if (!token.scopes.includes(granular.scope)) token.scopes.push(granular.scope);
		}
	}
	for (const [collection, kind] of SEED_KINDS) {
		for (const obj of (scenario[collection] as Array<{ id: string }> | undefined) ?? []) {
			world.objects.set(obj.id, { kind, obj });
		}
	}
	return world;
}

/** Unix seconds of the simulated clock. */
export function nowSeconds(world: World): number {
	return Math.floor(world.now() / 1000);
}
