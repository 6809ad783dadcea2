/**
 * What the demo (`npm start`) and the end-to-end tests put into n8n: the demo login, credentials
 * that point at the Meta Graph simulator, and the templates from templates/ made runnable
 * against it (sample media URLs pointed at the simulator's fixtures).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT } from './n8n';
import type { RunningSimulator, Scenario, ScenarioToken } from '../../simulator/types';

export const DEMO_OWNER = {
	email: 'demo@example.com',
	password: 'Demo-n8n-2026',
	firstName: 'Demo',
	lastName: 'User',
};

/** Ids and names the templates reference; a user picks their own credential after importing. */
export const DEMO_CREDENTIALS = {
	accessToken: { id: 'metaDemoAccessToken', name: 'Meta (demo System User token)' },
	oAuth2: { id: 'metaDemoFacebookLogin', name: 'Meta (demo Facebook Login)' },
	instagramLogin: { id: 'metaDemoInstagramLgn', name: 'Meta (demo Instagram Login)' },
} as const;

/**
 * Sample media URLs in the templates start with this; against the simulator they are rewritten to
 * its https fixtures server (Meta fetches media by URL, and no real site is reachable here).
 */
export const SAMPLE_MEDIA_ORIGIN = 'https://media.example.com/';

export function loadScenario(name = 'demo'): Scenario {
	const file = path.join(REPO_ROOT, 'simulator', 'scenarios', `${name}.json`);
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Scenario;
}

/** The token a scenario's tests use first (the Asset Check failure tests run with tokens[0]). */
function mainToken(scenario: Scenario): ScenarioToken | undefined {
	return scenario.tokens.find(
		(t) => t.type === 'SYSTEM_USER' || t.type === 'USER' || t.type === 'PAGE',
	);
}

/**
 * The scenario `npm start -- --scenario <name>` runs, in which the demo credentials keep working.
 * The demo credentials always carry the demo scenario's tokens (EAADemoSystemUser...), so a
 * scenario without them gets them as aliases of its own tokens: the System User demo token
 * behaves exactly like the scenario's main token (tokens[0], the one its failure is about, e.g. a
 * revoked or Page-role-less token), the Facebook Login demo token like its first USER token, and
 * the Instagram Login demo token reaches the scenario's first Instagram account. So a Meta Asset
 * Check with the demo credentials reports the scenario's failure.
 */
export function demoScenario(name = 'demo'): Scenario {
	const scenario = loadScenario(name);
	const demo = loadScenario('demo');
	const tokens = demoTokens(demo);
	const have = new Set(scenario.tokens.map((t) => t.token));
	const main = mainToken(scenario);
	const aliases: ScenarioToken[] = [];
	if (main && !have.has(tokens.systemUser)) aliases.push({ ...main, token: tokens.systemUser });
	const user = scenario.tokens.find((t) => t.type === 'USER') ?? main;
	if (user && !have.has(tokens.user)) aliases.push({ ...user, token: tokens.user });
	const instagram = tokens.instagram
		? demo.tokens.find((t) => t.token === tokens.instagram)
		: undefined;
	const account = scenario.instagramAccounts?.[0];
	if (instagram && !have.has(instagram.token)) {
		const own = scenario.tokens.find((t) => t.type === 'INSTAGRAM');
		if (own) aliases.push({ ...own, token: instagram.token });
		else if (account && scenario.apps[0]) {
			aliases.push({ ...instagram, appId: scenario.apps[0].id, instagramAccountId: account.id });
		}
	}
	return { ...scenario, tokens: [...scenario.tokens, ...aliases] };
}

/**
 * The Graph API version the demo credentials use with a scenario: the scenario's own when it is
 * about the credential's version (an expired or expiring one), else the package default.
 */
export function demoGraphApiVersion(name = 'demo'): string {
	const scenario = loadScenario(name) as Scenario & { credentialGraphApiVersion?: string };
	return scenario.credentialGraphApiVersion ?? 'v26.0';
}

/** The tokens of a scenario that the demo's System User, Facebook Login and Instagram Login credentials hold. */
export function demoTokens(scenario: Scenario): {
	systemUser: string;
	user: string;
	instagram?: string;
} {
	const valid = scenario.tokens.filter(
		(t) => t.isValid !== false && !(t.expiresIn !== undefined && t.expiresIn < 0),
	);
	const systemUser =
		valid.find((t) => t.type === 'SYSTEM_USER') ?? valid.find((t) => t.type === 'USER');
	const user = valid.find((t) => t.type === 'USER') ?? systemUser;
	const instagram = valid.find((t) => t.type === 'INSTAGRAM');
	if (!systemUser || !user)
		throw new Error(`scenario ${scenario.name} has no usable USER or SYSTEM_USER token`);
	return { systemUser: systemUser.token, user: user.token, instagram: instagram?.token };
}

/**
 * The simulator for the demo on the ports the preflight checked (scripts/lib/preflight.js; 5680
 * for Graph and 5681 for media by default), fixed so URLs stored in the demo's n8n stay valid
 * across restarts.
 */
export async function startDemoSimulator(
	scenario = 'demo',
	ports: { simulator: number; fixtures: number },
): Promise<RunningSimulator> {
	// Loaded lazily: the simulator is TypeScript, run through tsx or ts-jest.
	const { startSimulator } = await import('../../simulator');
	return startSimulator(demoScenario(scenario), {
		port: ports.simulator,
		fixturesPort: ports.fixtures,
	});
}

/**
 * When each demo credential was last changed. n8n 2.40's editor gives a newly added node the most
 * recently updated credential among all the node's authentication types (its credential picker
 * mixes them), not the default authentication's: the System User credential is made the newest so
 * a fresh WhatsApp Send or Instagram Publish gets it, and lists the demo's accounts.
 */
const DEMO_UPDATED_AT = {
	instagramLogin: '2026-01-01T00:00:00.000Z',
	oAuth2: '2026-01-01T00:00:01.000Z',
	accessToken: '2026-01-01T00:00:02.000Z',
} as const;

/** Credentials in `n8n import:credentials` format (plain data; n8n encrypts it on import). */
export function demoCredentials(
	simulator: Pick<RunningSimulator, 'baseUrl'>,
	scenario = loadScenario('demo'),
	graphApiVersion = 'v26.0',
): object[] {
	const tokens = demoTokens(scenario);
	const common = { graphApiVersion, baseUrl: simulator.baseUrl };
	const credentials: object[] = [
		{
			id: DEMO_CREDENTIALS.oAuth2.id,
			name: DEMO_CREDENTIALS.oAuth2.name,
			type: 'metaBusinessOAuth2Api',
			createdAt: DEMO_UPDATED_AT.oAuth2,
			updatedAt: DEMO_UPDATED_AT.oAuth2,
			data: {
				...common,
				loginType: 'scopes',
				clientId: scenario.apps[0]?.id ?? 'demo-app',
				clientSecret: 'demo-client-secret',
				oauthTokenData: { access_token: tokens.user, token_type: 'bearer' },
			},
		},
	];
	if (tokens.instagram) {
		credentials.push({
			id: DEMO_CREDENTIALS.instagramLogin.id,
			name: DEMO_CREDENTIALS.instagramLogin.name,
			type: 'metaBusinessInstagramLoginApi',
			createdAt: DEMO_UPDATED_AT.instagramLogin,
			updatedAt: DEMO_UPDATED_AT.instagramLogin,
			data: { accessToken: tokens.instagram, ...common },
		});
	}
	// Imported last as well: a re-import into an existing database may stamp each row with the
	// time of its write instead of the updatedAt above.
	credentials.push({
		id: DEMO_CREDENTIALS.accessToken.id,
		name: DEMO_CREDENTIALS.accessToken.name,
		type: 'metaBusinessAccessTokenApi',
		createdAt: DEMO_UPDATED_AT.accessToken,
		updatedAt: DEMO_UPDATED_AT.accessToken,
		data: { accessToken: tokens.systemUser, appSecret: '', useLongLivedExchange: false, ...common },
	});
	return credentials;
}

export interface Template {
	/** File name without .json. */
	slug: string;
	file: string;
	workflow: any;
}

export function loadTemplates(dir = path.join(REPO_ROOT, 'templates')): Template[] {
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({
			slug: f.replace(/\.json$/, ''),
			file: path.join(dir, f),
			workflow: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')),
		}));
}

/** The templates with their sample media URLs served by the simulator's fixtures server. */
export function templatesForSimulator(
	templates: Template[],
	simulator: Pick<RunningSimulator, 'fixturesBaseUrl'>,
): Template[] {
	const fixtures = `${simulator.fixturesBaseUrl.replace(/\/+$/, '')}/fixtures/`;
	return templates.map((template) => ({
		...template,
		workflow: JSON.parse(
			JSON.stringify(template.workflow).split(SAMPLE_MEDIA_ORIGIN).join(fixtures),
		),
	}));
}
