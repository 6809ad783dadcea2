/**
 * What the demo (`npm start`) and the end-to-end tests put into n8n: the demo login, credentials
 * that point at the Meta Graph simulator, and the templates from templates/ made runnable
 * against it (sample media URLs pointed at the simulator's fixtures).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT } from './n8n';
import type { RunningSimulator, Scenario } from '../../simulator/types';

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

/** Fixed ports for the demo, so URLs stored in the demo's n8n stay valid across restarts. */
export const DEMO_SIMULATOR_PORT = Number(process.env.META_SIMULATOR_PORT ?? 5680);
export const DEMO_FIXTURES_PORT = Number(process.env.META_SIMULATOR_FIXTURES_PORT ?? DEMO_SIMULATOR_PORT + 1);

export function loadScenario(name = 'demo'): Scenario {
	const file = path.join(REPO_ROOT, 'test', 'simulator', 'scenarios', `${name}.json`);
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Scenario;
}

/** The token of the demo scenario that a System User credential would hold. */
export function demoTokens(scenario: Scenario): { systemUser: string; user: string; instagram?: string } {
	const valid = scenario.tokens.filter((t) => t.isValid !== false && !(t.expiresIn !== undefined && t.expiresIn < 0));
	const systemUser = valid.find((t) => t.type === 'SYSTEM_USER') ?? valid.find((t) => t.type === 'USER');
	const user = valid.find((t) => t.type === 'USER') ?? systemUser;
	const instagram = valid.find((t) => t.type === 'INSTAGRAM');
	if (!systemUser || !user) throw new Error(`scenario ${scenario.name} has no usable USER or SYSTEM_USER token`);
	return { systemUser: systemUser.token, user: user.token, instagram: instagram?.token };
}

/** The simulator on the demo's fixed ports (127.0.0.1:5680 for Graph, :5681 for media). */
export async function startDemoSimulator(scenario = 'demo'): Promise<RunningSimulator> {
	// Loaded lazily: the simulator is TypeScript under test/, run through tsx or ts-jest.
	const { startSimulator } = await import('../../simulator');
	return startSimulator(loadScenario(scenario), { port: DEMO_SIMULATOR_PORT, fixturesPort: DEMO_FIXTURES_PORT });
}

/** Credentials in `n8n import:credentials` format (plain data; n8n encrypts it on import). */
export function demoCredentials(simulator: Pick<RunningSimulator, 'baseUrl'>, scenario = loadScenario('demo')): object[] {
	const tokens = demoTokens(scenario);
	const common = { graphApiVersion: 'v26.0', baseUrl: simulator.baseUrl };
	const credentials: object[] = [
		{
			id: DEMO_CREDENTIALS.accessToken.id,
			name: DEMO_CREDENTIALS.accessToken.name,
			type: 'metaBusinessAccessTokenApi',
			data: { accessToken: tokens.systemUser, appSecret: '', useLongLivedExchange: false, ...common },
		},
		{
			id: DEMO_CREDENTIALS.oAuth2.id,
			name: DEMO_CREDENTIALS.oAuth2.name,
			type: 'metaBusinessOAuth2Api',
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
			data: { accessToken: tokens.instagram, ...common },
		});
	}
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
		workflow: JSON.parse(JSON.stringify(template.workflow).split(SAMPLE_MEDIA_ORIGIN).join(fixtures)),
	}));
}
