/**
 * Meta Asset Check against the Meta Graph simulator, over real HTTP, through n8n-core.
 * Every fail-*.json scenario breaks one link of the chain: exactly its expected checks fail, with
 * the expected fix, and `ready` is false. The demo world passes everything.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { MetaAssetCheck } from '../../nodes/Meta/AssetCheck/MetaAssetCheck.node';
import { transportClock } from '../../nodes/Meta/shared/transport';
import { CHECK_IDS, getCheckDefinition } from '../../nodes/Meta/AssetCheck/checks/checkDefinitions';
import { callListSearch, executeNode, runWorkflow, type NodeSettings } from '../helpers/harness';
import { appSecretProofOf, expectNoSecrets } from '../helpers/secrets';
import { loadScenario, startSimulator } from '../../simulator';
import type { RunningSimulator, Scenario } from '../../simulator/types';
import { buildFailureScenario, FAILURE_MODES } from './failure-scenarios';
import { buildLargeScenario, LARGE_USER_TOKEN, naiveCallCount } from './large-scenario';

const SCENARIO_DIR = join(__dirname, '..', '..', 'simulator', 'scenarios');
const HEALTHY = join(__dirname, 'healthy-scenario.json');

interface CheckRow {
	id: string;
	status: 'pass' | 'warn' | 'fail' | 'skipped';
	title: string;
	detail: string;
	fix: string;
	docsUrl: string;
}

interface Report extends IDataObject {
	ready: boolean;
	failedChecks: string[];
	firstFailedCheck: string | null;
	warnings: string[];
	checks: CheckRow[];
	summary: string;
}

/** Parameters per scenario (default: Check Everything, no target) and the fix variant expected. */
const SCENARIO_RUNS: Record<
	string,
	{ parameters?: IDataObject; fixVariant?: string; fixMentions: string }
> = {
	'fail-token-expired': { fixVariant: 'expired', fixMentions: 'System users' },
	'fail-token-revoked': { fixVariant: 'revoked', fixMentions: 'sign in again' },
	'fail-data-access-expired': { fixMentions: '90 days' },
	'fail-scopes-missing': { fixMentions: 'App Review' },
	'fail-scopes-declined': { fixMentions: 'Edit access' },
	'fail-granular-target': {
		parameters: {
			operation: 'checkInstagramPublishing',
			instagramAccountId: byId('17841400000000002'),
		},
		fixMentions: 'Edit access',
	},
	'fail-app-development-mode': { fixMentions: 'App roles > Roles' },
	'fail-appsecret-proof-required': { fixMentions: 'App settings > Basic > App secret' },
	'fail-instagram-personal': { fixMentions: 'Switch to professional account' },
	'fail-instagram-not-linked': { fixMentions: 'Instagram accounts > Connect' },
	'fail-page-role-no-token': { fixMentions: 'Page admin' },
	'fail-instagram-quota-exhausted': { fixMentions: 'carousel' },
	'fail-app-no-business': { fixMentions: 'Business portfolio' },
	'fail-no-waba': { fixMentions: 'Assign assets' },
	'fail-phone-not-connected': { fixMentions: 'WhatsApp Manager' },
	'fail-phone-pending-verification': { fixMentions: 'verification code' },
	'fail-display-name-not-approved': { fixMentions: 'display name guidelines' },
	'fail-quality-red': { fixMentions: 'quality rating' },
	'fail-webhook-not-subscribed': { fixMentions: 'WhatsApp Trigger' },
	'fail-pin-not-set': { fixMentions: 'Two-step verification' },
	'fail-no-approved-template': { fixMentions: 'Message templates > Create template' },
	'fail-page-token-role-lost': {
		parameters: { operation: 'checkInstagramPublishing' },
		fixVariant: 'pageRole',
		fixMentions: 'Page access',
	},
	'fail-no-phone-number': { fixVariant: 'noNumber', fixMentions: 'Add phone number' },
	'fail-graph-version-expired': { fixMentions: 'Graph API Version' },
};

const failureScenarios = readdirSync(SCENARIO_DIR)
	.filter((file) => /^fail-.*\.json$/.test(file))
	.map((file) => file.replace(/\.json$/, ''))
	.sort();

/** Every token, Page token, app secret and proof a scenario holds: none may reach the output. */
function secretsOf(scenario: Scenario): string[] {
	const secrets: string[] = [];
	for (const token of scenario.tokens) secrets.push(token.token);
	for (const page of scenario.pages ?? []) if (page.pageToken) secrets.push(page.pageToken);
	for (const app of scenario.apps) {
		secrets.push(app.secret);
		for (const token of scenario.tokens) secrets.push(appSecretProofOf(app.secret, token.token));
	}
	return secrets;
}

/** Adds the Page tokens the simulator minted during the run (derived tokens are secrets too). */
function mintedSecrets(sim: RunningSimulator): string[] {
	return [...sim.control.world().tokens.keys()];
}

interface RunOptions {
	/** Extra credential fields, e.g. `appSecret`. */
	credential?: IDataObject;
	items?: INodeExecutionData[];
	settings?: NodeSettings;
}

/** Runs the node with an access token (or Instagram Login) credential on the simulator. */
async function runCheck(
	sim: RunningSimulator,
	token: string,
	parameters: IDataObject = {},
	{ credential = {}, items, settings }: RunOptions = {},
) {
	const authentication = (parameters.authentication as string) ?? 'accessToken';
	const credentialType =
		authentication === 'instagramLogin'
			? 'metaBusinessInstagramLoginApi'
			: 'metaBusinessAccessTokenApi';
	return await executeNode({
		node: MetaAssetCheck,
		parameters: { authentication, operation: 'checkEverything', ...parameters },
		items,
		settings,
		credentials: { [credentialType]: { accessToken: token, baseUrl: sim.baseUrl, ...credential } },
	});
}

function accessTokenCredentials(sim: RunningSimulator, token: string) {
	return { metaBusinessAccessTokenApi: { accessToken: token, baseUrl: sim.baseUrl } };
}

function byId(value: string) {
	return { __rl: true, mode: 'id', value };
}

/** Runs `test` against a simulator started on `scenario`, always stopping it. */
async function withSimulator(
	scenario: Scenario,
	test: (sim: RunningSimulator) => Promise<void>,
): Promise<void> {
	const sim = await startSimulator(scenario);
	try {
		await test(sim);
	} finally {
		await sim.stop();
	}
}

function reportOf(outputs: INodeExecutionData[][], outputIndex = 0): Report {
	expect(outputs[outputIndex]).toHaveLength(1);
	return outputs[outputIndex][0].json as Report;
}

describe('Meta Asset Check: one scenario per failure mode', () => {
	it('has at least 15 failure scenarios, each with expectedFailingChecks naming known checks', () => {
		expect(failureScenarios.length).toBeGreaterThanOrEqual(15);
		for (const name of failureScenarios) {
			const scenario = loadScenario(name);
			expect(scenario.expectedFailingChecks?.length).toBeGreaterThan(0);
			for (const id of scenario.expectedFailingChecks ?? []) expect(CHECK_IDS).toContain(id);
			expect(SCENARIO_RUNS[name]).toBeDefined();
		}
	});

	it('the scenario files are the healthy world with one link broken (failure-scenarios.ts)', () => {
		expect(FAILURE_MODES.map((mode) => mode.name).sort()).toEqual(failureScenarios);
		for (const mode of FAILURE_MODES) {
			const onDisk = JSON.parse(readFileSync(join(SCENARIO_DIR, `${mode.name}.json`), 'utf8'));
			expect(onDisk).toEqual(JSON.parse(JSON.stringify(buildFailureScenario(mode))));
		}
	});

	it.each(failureScenarios)('%s: exactly the expected checks fail, with the fix', async (name) => {
		const scenario = loadScenario(name);
		const run = SCENARIO_RUNS[name];
		await withSimulator(scenario, async (sim) => {
			// A scenario may name the credential's Graph API version (the version is not Meta's state).
			const version = (scenario as Scenario & { credentialGraphApiVersion?: string })
				.credentialGraphApiVersion;
			const { outputs, error } = await runCheck(sim, scenario.tokens[0].token, run.parameters, {
				credential: version ? { graphApiVersion: version } : {},
			});
			expect(error).toBeUndefined();
			const report = reportOf(outputs);
			expect(report.ready).toBe(false);
			expect([...report.failedChecks].sort()).toEqual(
				[...(scenario.expectedFailingChecks ?? [])].sort(),
			);
			// Switch routes on the first failure (checks are reported in chain order).
			expect(report.firstFailedCheck).toBe(report.failedChecks[0]);
			const failed = report.checks.filter((check) => check.status === 'fail');
			expect(failed.map((check) => check.id).sort()).toEqual(
				[...(scenario.expectedFailingChecks ?? [])].sort(),
			);
			for (const check of failed) {
				const definition = getCheckDefinition(check.id as never);
				const expectedFix =
					(run.fixVariant && definition.fixes[run.fixVariant]) || definition.fixes.default;
				expect(check.fix).toBe(expectedFix);
				expect(check.fix).toContain(run.fixMentions);
				expect(check.docsUrl).toMatch(/^https:\/\//);
				expect(check.detail.length).toBeGreaterThan(10);
				expect(report.summary).toContain(check.title);
			}
			expect(report.summary).toMatch(/^Not ready: /);
			// Every check id appears once, in a stable set.
			const ids = report.checks.map((check) => check.id);
			expect(new Set(ids).size).toBe(ids.length);
			expectNoSecrets(outputs, [...secretsOf(scenario), ...mintedSecrets(sim)]);
			expect(sim.control.requests().length).toBeLessThanOrEqual(6);
		});
	});
});

describe('Meta Asset Check: documentation', () => {
	it('the README table and the codex cover every check id', () => {
		const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
		const start = readme.indexOf('### Meta Asset Check');
		expect(start).toBeGreaterThan(-1);
		const section = readme.slice(start, readme.indexOf('\n## ', start));
		for (const id of CHECK_IDS) expect(section).toContain(`| \`${id}\` |`);
		const codex = JSON.parse(
			readFileSync(
				join(__dirname, '..', '..', 'nodes', 'Meta', 'AssetCheck', 'MetaAssetCheck.node.json'),
				'utf8',
			),
		) as { categories: string[]; alias: string[] };
		expect(codex.categories).toEqual(
			expect.arrayContaining(['Development', 'Marketing & Content', 'Communication']),
		);
		expect(codex.alias).toEqual(expect.arrayContaining(['diagnose', 'preflight', 'permissions']));
	});
});

describe('Meta Asset Check: target pickers', () => {
	it('lists the Pages, Instagram accounts, WhatsApp accounts and numbers the token reaches', async () => {
		const scenario = loadScenario(HEALTHY);
		await withSimulator(scenario, async (sim) => {
			const credentials = accessTokenCredentials(sim, scenario.tokens[0].token);
			const parameters = { authentication: 'accessToken', operation: 'checkEverything' };
			const values = async (method: string) =>
				(await callListSearch(MetaAssetCheck, method, { parameters, credentials })).results.map(
					(entry) => entry.value,
				);
			expect(await values('searchPages')).toContain('920000000000001');
			expect(await values('searchInstagramAccounts')).toContain('17841400000000001');
			expect(await values('searchWhatsAppBusinessAccounts')).toEqual(['102000000000001']);
			expect(await values('searchPhoneNumbers')).toEqual(['106000000000001']);
		});
	});
});

describe('Meta Asset Check: healthy worlds', () => {
	it('demo: the user token passes every check of Check Everything', async () => {
		const scenario = loadScenario('demo');
		await withSimulator(scenario, async (sim) => {
			const { outputs, error } = await runCheck(sim, 'EAADemoUserLongLived');
			expect(error).toBeUndefined();
			const report = reportOf(outputs);
			expect(report.failedChecks).toEqual([]);
			expect(report.firstFailedCheck).toBeNull();
			expect(report.warnings).toEqual([]);
			expect(report.checks.filter((check) => check.status !== 'pass')).toEqual([]);
			expect(report).toMatchObject({
				ready: true,
				instagramPublishing: true,
				whatsappMessaging: true,
				tokenValid: true,
			});
			expect(report.checks.map((check) => check.id).sort()).toEqual([...CHECK_IDS].sort());
			for (const check of report.checks) expect(check.fix).toBe('');
			const pages = report.pages as IDataObject[];
			expect(pages.length).toBeGreaterThan(0);
			const cafe = pages.find((page) => page.id === '104000000000001')!;
			expect(cafe).toMatchObject({
				pageTokenAvailable: true,
				canCreateContent: true,
				ready: true,
				instagramAccount: {
					id: '17841400000000001',
					username: 'cafe.aurora',
					publishingQuotaUsed: 3,
					publishingQuotaTotal: 100,
				},
			});
			const wabas = report.whatsappBusinessAccounts as IDataObject[];
			expect(wabas.length).toBeGreaterThan(0);
			for (const waba of wabas) {
				expect(waba.appSubscribedToWebhooks).toBe(true);
				expect(waba.approvedTemplateCount).toBeGreaterThan(0);
			}
			const phone = (wabas[0].phoneNumbers as IDataObject[])[0];
			expect(phone).toMatchObject({
				messagingLimitTier: expect.stringMatching(/^TIER_/),
				throughputLevel: 'STANDARD',
			});
			// The messaging limit comes from its current field, not the deprecated messaging_limit_tier.
			const asked = JSON.stringify(sim.control.requests().map((entry) => entry.params));
			expect(asked).toContain('whatsapp_business_manager_messaging_limit');
			expect(asked).not.toContain('messaging_limit_tier');
			expect(report.token).toMatchObject({
				type: 'USER',
				appName: 'Aurora Automations',
				expiresInDays: expect.any(Number),
			});
			expect(report.summary).toMatch(/^Ready: Instagram publishing and WhatsApp messaging can run/);
			expectNoSecrets(outputs, [...secretsOf(scenario), ...mintedSecrets(sim)]);
		});
	});

	it('demo: the system user token, the Page token and the Instagram Login token are ready', async () => {
		const scenario = loadScenario('demo');
		await withSimulator(scenario, async (sim) => {
			const system = reportOf((await runCheck(sim, 'EAADemoSystemUser')).outputs);
			expect(system.failedChecks).toEqual([]);
			expect(system.ready).toBe(true);
			expect(system.token).toMatchObject({
				type: 'SYSTEM_USER',
				neverExpires: true,
				expiresInDays: null,
			});

			const page = reportOf(
				(await runCheck(sim, 'EAADemoPageCafeAurora', { operation: 'checkInstagramPublishing' }))
					.outputs,
			);
			expect(page.failedChecks).toEqual([]);
			expect(page.ready).toBe(true);

			const instagramLogin = reportOf(
				(
					await runCheck(sim, 'IGAADemoInstagramLogin', {
						authentication: 'instagramLogin',
						operation: 'checkInstagramPublishing',
					})
				).outputs,
			);
			expect(instagramLogin.failedChecks).toEqual([]);
			expect(instagramLogin.ready).toBe(true);
			expect(instagramLogin.instagramAccount).toMatchObject({
				id: '17841400000000002',
				accountType: 'MEDIA_CREATOR',
			});
			// Check Everything with Instagram Login checks the token and Instagram only.
			const everything = reportOf(
				(await runCheck(sim, 'IGAADemoInstagramLogin', { authentication: 'instagramLogin' }))
					.outputs,
			);
			expect(everything).toMatchObject({ ready: true, instagramPublishing: true });
			expect(everything.whatsappMessaging).toBeUndefined();
			expect(everything.checks.some((check) => check.id.startsWith('whatsapp.'))).toBe(false);
			expectNoSecrets(
				[system, page, instagramLogin],
				[...secretsOf(scenario), ...mintedSecrets(sim)],
			);
		});
	});

	it('Check Token reports type, expiry with days left and scopes, and only token checks', async () => {
		const scenario = loadScenario(HEALTHY);
		await withSimulator(scenario, async (sim) => {
			const report = reportOf(
				(await runCheck(sim, scenario.tokens[0].token, { operation: 'checkToken' })).outputs,
			);
			expect(report.ready).toBe(true);
			expect(report.checks.map((check) => check.id).sort()).toEqual(
				[
					'app.appsecret-proof',
					'app.mode',
					'token.data-access',
					'token.expiry',
					'token.granular-target',
					'token.graph-version',
					'token.scopes',
					'token.scopes-declined',
					'token.valid',
				].sort(),
			);
			expect(report.token).toMatchObject({
				type: 'USER',
				appId: '940000000000001',
				expiresInDays: 55,
				dataAccessExpiresInDays: 80,
				credentialHasAppSecret: false,
			});
			expect((report.token as IDataObject).scopes).toMatchObject({ declined: [], missing: [] });
			expect(report.pages).toBeUndefined();
			expect(report.whatsappBusinessAccounts).toBeUndefined();
		});
	});
});

describe('Meta Asset Check: warnings, targets, proofs and bad input', () => {
	let scenario: Scenario;
	beforeAll(() => {
		scenario = loadScenario(HEALTHY);
	});

	function variant(mutate: (copy: Scenario) => void): Scenario {
		const copy = JSON.parse(JSON.stringify(scenario)) as Scenario;
		mutate(copy);
		return copy;
	}

	it('a token expiring within 7 days warns but stays ready; the option moves the threshold', async () => {
		const world = variant((copy) => {
			copy.tokens[0].expiresIn = 3 * 86400;
			copy.tokens[0].dataAccessExpiresIn = 5 * 86400;
		});
		await withSimulator(world, async (sim) => {
			const report = reportOf((await runCheck(sim, scenario.tokens[0].token)).outputs);
			expect(report.ready).toBe(true);
			expect(report.warnings.sort()).toEqual(['token.data-access', 'token.expiry']);
			const expiry = report.checks.find((check) => check.id === 'token.expiry')!;
			expect(expiry.detail).toContain('(3 days left)');
			expect(expiry.fix).toContain('System users');
			expect(report.summary).toContain('Warning');

			const relaxed = reportOf(
				(await runCheck(sim, scenario.tokens[0].token, { options: { expiryWarningDays: 1 } }))
					.outputs,
			);
			expect(relaxed.warnings).toEqual([]);
		});
	});

	it('a YELLOW number warns; a second healthy number keeps a RED one from blocking', async () => {
		const world = variant((copy) => {
			copy.phoneNumbers![0].qualityRating = 'RED';
			copy.phoneNumbers!.push({
				...copy.phoneNumbers![0],
				id: '106000000000002',
				displayPhoneNumber: '+1 555-010-0002',
				qualityRating: 'YELLOW',
			});
		});
		await withSimulator(world, async (sim) => {
			const everything = reportOf((await runCheck(sim, scenario.tokens[0].token)).outputs);
			expect(everything.ready).toBe(true);
			expect(everything.warnings).toEqual(['whatsapp.quality']);
			const phones = (everything.whatsappBusinessAccounts as IDataObject[])[0]
				.phoneNumbers as IDataObject[];
			expect(phones.map((phone) => [phone.id, phone.qualityRating, phone.ready])).toEqual([
				['106000000000001', 'RED', false],
				['106000000000002', 'YELLOW', true],
			]);

			const targeted = reportOf(
				(
					await runCheck(sim, scenario.tokens[0].token, {
						operation: 'checkWhatsAppMessaging',
						phoneNumberId: byId('106000000000001'),
					})
				).outputs,
			);
			expect(targeted.ready).toBe(false);
			expect(targeted.failedChecks).toEqual(['whatsapp.quality']);
			expect(targeted.whatsappMessaging).toBe(false);
			expect(targeted.instagramPublishing).toBeUndefined();
		});
	});

	it('targets that the token does not reach fail with the "not reachable" fix', async () => {
		await withSimulator(scenario, async (sim) => {
			const report = reportOf(
				(
					await runCheck(sim, scenario.tokens[0].token, {
						instagramAccountId: byId('17841400000009999'),
						wabaId: byId('102000000009999'),
					})
				).outputs,
			);
			expect(report.ready).toBe(false);
			expect(report.failedChecks.sort()).toEqual(['instagram.page-linked', 'whatsapp.waba']);
			const pageLinked = report.checks.find((check) => check.id === 'instagram.page-linked')!;
			expect(pageLinked.fix).toBe(getCheckDefinition('instagram.page-linked').fixes.notReachable);
			const waba = report.checks.find((check) => check.id === 'whatsapp.waba')!;
			expect(waba.fix).toBe(getCheckDefinition('whatsapp.waba').fixes.notReachable);
			expect(waba.detail).toContain('102000000009999');
		});
	});

	it('with the App Secret in the credential, a "Require app secret" app passes; a wrong secret fails', async () => {
		const strict = loadScenario('fail-appsecret-proof-required');
		await withSimulator(strict, async (sim) => {
			const withSecret = await runCheck(
				sim,
				strict.tokens[0].token,
				{},
				{ credential: { appSecret: strict.apps[0].secret } },
			);
			const good = reportOf(withSecret.outputs);
			expect(good.ready).toBe(true);
			expect(good.checks.find((check) => check.id === 'app.appsecret-proof')!.status).toBe('pass');
			expect((good.token as IDataObject).credentialHasAppSecret).toBe(true);
			expectNoSecrets(withSecret.outputs, [...secretsOf(strict), ...mintedSecrets(sim)]);

			const wrong = reportOf(
				(
					await runCheck(
						sim,
						strict.tokens[0].token,
						{},
						{ credential: { appSecret: 'not-the-app-secret' } },
					)
				).outputs,
			);
			expect(wrong.ready).toBe(false);
			expect(wrong.failedChecks).toEqual(['app.appsecret-proof']);
			expect(wrong.checks[0].fix).toBe(getCheckDefinition('app.appsecret-proof').fixes.wrongSecret);
		});
	});

	it('a token revoked between two runs turns the next report red instead of throwing', async () => {
		await withSimulator(scenario, async (sim) => {
			expect(reportOf((await runCheck(sim, scenario.tokens[0].token)).outputs).ready).toBe(true);
			sim.control.revokeToken(scenario.tokens[0].token, 467);
			const { outputs, error } = await runCheck(sim, scenario.tokens[0].token);
			expect(error).toBeUndefined();
			const report = reportOf(outputs);
			expect(report.failedChecks).toEqual(['token.valid']);
			expect(report.checks.find((check) => check.id === 'token.valid')!.fix).toBe(
				getCheckDefinition('token.valid').fixes.revoked,
			);
		});
	});

	it('a credential n8n cannot use (long-lived exchange refused) gives a report, not an error', async () => {
		await withSimulator(scenario, async (sim) => {
			const credential = {
				useLongLivedExchange: true,
				appId: scenario.apps[0].id,
				appSecret: 'not-the-app-secret',
			};
			const { outputs, error } = await runCheck(sim, scenario.tokens[0].token, {}, { credential });
			expect(error).toBeUndefined();
			const report = reportOf(outputs);
			expect(report).toMatchObject({
				ready: false,
				tokenValid: false,
				failedChecks: ['token.valid'],
				firstFailedCheck: 'token.valid',
			});
			const valid = report.checks.find((check) => check.id === 'token.valid')!;
			expect(valid.detail).toMatch(
				/^n8n could not use the credential, so nothing was sent to Meta: Meta refused to exchange the token/,
			);
			expect(valid.fix).toBe(getCheckDefinition('token.valid').fixes.credential);
			// Only the refused exchange reached Meta; every later check waits for a usable token.
			expect(sim.control.requests().map((entry) => entry.path)).toEqual(['/oauth/access_token']);
			expect(report.checks.filter((check) => check.status === 'skipped').length).toBeGreaterThan(
				10,
			);
			expectNoSecrets(outputs, [...secretsOf(scenario), 'not-the-app-secret']);
		});
	});

	it('an ID that is not a number is bad input: NodeOperationError before any request', async () => {
		await withSimulator(scenario, async (sim) => {
			const { outputs, error } = await runCheck(sim, scenario.tokens[0].token, {
				operation: 'checkInstagramPublishing',
				// An expression can yield anything; the editor's ID validation cannot catch it.
				pageId: byId('={{ "cafe-x" }}'),
			});
			expect(outputs.flat()).toHaveLength(0);
			expect(error?.message).toContain('Facebook Page "cafe-x" is not a Meta ID');
			expect(sim.control.requests()).toHaveLength(0);
		});
	});

	it('WhatsApp with an Instagram Login credential is bad input', async () => {
		const demo = loadScenario('demo');
		await withSimulator(demo, async (sim) => {
			const { error } = await runCheck(sim, 'IGAADemoInstagramLogin', {
				authentication: 'instagramLogin',
				operation: 'checkWhatsAppMessaging',
			});
			expect(error?.message).toContain('Instagram Login credential cannot reach WhatsApp');
			expect(sim.control.requests()).toHaveLength(0);
		});
	});
});

describe('Meta Asset Check: credentials and errors per item', () => {
	it('works the same with a Facebook Login (OAuth2) credential', async () => {
		const scenario = loadScenario('fail-page-role-no-token');
		await withSimulator(scenario, async (sim) => {
			const { outputs, error } = await executeNode({
				node: MetaAssetCheck,
				parameters: { authentication: 'oAuth2', operation: 'checkInstagramPublishing' },
				credentials: {
					metaBusinessOAuth2Api: {
						oauthTokenData: { access_token: scenario.tokens[0].token },
						baseUrl: sim.baseUrl,
						clientId: scenario.apps[0].id,
						clientSecret: scenario.apps[0].secret,
					},
				},
			});
			expect(error).toBeUndefined();
			const report = reportOf(outputs);
			expect(report.failedChecks).toEqual(['instagram.page-role']);
			expect(report.instagramPublishing).toBe(false);
			expectNoSecrets(outputs, [...secretsOf(scenario), ...mintedSecrets(sim)]);
		});
	});

	it('with Continue On Fail, a bad item gives one error item and the others their report', async () => {
		const scenario = loadScenario(HEALTHY);
		await withSimulator(scenario, async (sim) => {
			const { outputs, error } = await runCheck(
				sim,
				scenario.tokens[0].token,
				{ operation: 'checkWhatsAppMessaging', wabaId: byId('={{ $json.waba }}') },
				{
					items: [{ json: { waba: 'not-an-id' } }, { json: { waba: '102000000000001' } }],
					settings: { onError: 'continueRegularOutput' },
				},
			);
			expect(error).toBeUndefined();
			expect(outputs[0]).toHaveLength(2);
			expect(outputs[0][0].json).toEqual({
				error: expect.stringContaining('is not a Meta ID'),
				message: expect.stringMatching(/\S/),
				details: { status: 'failed', itemIndex: 0, ready: false },
			});
			expect(outputs[0][0].pairedItem).toEqual({ item: 0 });
			expect(outputs[0][1].json).toMatchObject({ ready: true, whatsappMessaging: true });
			expect(outputs[0][1].pairedItem).toEqual({ item: 1 });
		});
	});
});

describe('Meta Asset Check: Meta not answering', () => {
	// The transport's retry waits (up to a minute) are recorded instead of slept.
	let waits: number[];
	const originalClock = { ...transportClock };
	beforeEach(() => {
		waits = [];
		transportClock.sleep = async (ms: number) => {
			waits.push(ms);
		};
	});
	afterEach(() => {
		Object.assign(transportClock, originalClock);
	});

	it('Meta unreachable: the node errors (no verdict is possible) after retrying the read', async () => {
		const scenario = loadScenario(HEALTHY);
		const sim = await startSimulator(scenario);
		await sim.stop();
		const { outputs, error } = await runCheck(sim, scenario.tokens[0].token);
		expect(outputs.flat()).toHaveLength(0);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Could not reach Meta (ECONNREFUSED)');
		expect((error as { description?: string }).description).toContain(sim.baseUrl);
		// A read is safe to repeat: it was retried with backoff before giving up.
		expect(waits.length).toBeGreaterThan(0);
		expectNoSecrets(error, secretsOf(scenario));
	});

	it('with Continue On Fail and Split Output, an unreachable Meta gives one "Not Ready" error item', async () => {
		const scenario = loadScenario(HEALTHY);
		const sim = await startSimulator(scenario);
		await sim.stop();
		const { outputs, error } = await runCheck(
			sim,
			scenario.tokens[0].token,
			{ options: { splitOutput: true } },
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(0);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].json).toEqual({
			error: 'Could not reach Meta (ECONNREFUSED)',
			message: expect.stringContaining(sim.baseUrl),
			details: { status: 'failed', itemIndex: 0, ready: false },
		});
		expect(outputs[1][0].pairedItem).toEqual({ item: 0 });
	});

	it('with Continue (using error output), the same error item goes to the error output', async () => {
		const scenario = loadScenario(HEALTHY);
		const sim = await startSimulator(scenario);
		await sim.stop();
		const { outputs, error } = await runCheck(
			sim,
			scenario.tokens[0].token,
			{ options: { splitOutput: true } },
			{ items: [{ json: { client: 'Acme' } }], settings: { onError: 'continueErrorOutput' } },
		);
		expect(error).toBeUndefined();
		// Ready, Not Ready, then the error output n8n adds.
		expect(outputs.map((output) => output.length)).toEqual([0, 0, 1]);
		expect(outputs[2][0].json).toEqual({
			client: 'Acme',
			error: 'Could not reach Meta (ECONNREFUSED)',
			message: expect.stringContaining(sim.baseUrl),
			details: { status: 'failed', itemIndex: 0, ready: false },
		});
		expect(outputs[2][0].pairedItem).toEqual({ item: 0 });
	});

	it('Meta failing every time (HTTP 503) is an error of the run, not a failed check', async () => {
		const scenario = loadScenario(HEALTHY);
		await withSimulator(scenario, async (sim) => {
			sim.control.injectFault({ kind: 'http503', path: '^/$', times: 100 });
			const { outputs, error } = await runCheck(sim, scenario.tokens[0].token);
			expect(outputs.flat()).toHaveLength(0);
			expect(error?.name).toBe('NodeApiError');
			expect((error as { context?: { meta?: { code?: number } } }).context?.meta?.code).toBe(2);
			// debug_token answered; the identity batch was tried until the transport gave up.
			const batches = sim.control.requests().filter((entry) => entry.path === '/');
			expect(batches.length).toBeGreaterThan(1);
			expect(batches.every((entry) => entry.fault === 'http503')).toBe(true);
			expect(waits.length).toBe(batches.length - 1);
		});
	});

	it('one dropped connection and one HTTP 500 are retried: the report is complete and ready', async () => {
		const scenario = loadScenario(HEALTHY);
		await withSimulator(scenario, async (sim) => {
			sim.control.injectFault({ kind: 'reset', path: '^/debug_token$' });
			sim.control.injectFault({ kind: 'http500', path: '^/$' });
			const { outputs, error } = await runCheck(sim, scenario.tokens[0].token);
			expect(error).toBeUndefined();
			const report = reportOf(outputs);
			expect(report).toMatchObject({ ready: true, failedChecks: [], firstFailedCheck: null });
			expect(waits).toHaveLength(2);
			const faults = sim.control.requests().map((entry) => entry.fault ?? 'ok');
			expect(faults.filter((fault) => fault !== 'ok').sort()).toEqual(['http500', 'reset']);
		});
	});
});

describe('Meta Asset Check: Split Output by Readiness', () => {
	it('routes ready reports to "Ready" and the others to "Not Ready", item by item', async () => {
		const scenario = loadScenario(HEALTHY);
		await withSimulator(scenario, async (sim) => {
			// Item 0 targets the linked account; item 1 an account no Page of this user links.
			const { outputs, error } = await runCheck(
				sim,
				scenario.tokens[0].token,
				{
					operation: 'checkInstagramPublishing',
					instagramAccountId: byId('={{ $json.instagram }}'),
					options: { splitOutput: true },
				},
				{
					items: [
						{ json: { instagram: '17841400000000001' } },
						{ json: { instagram: '17841400000009999' } },
					],
				},
			);
			expect(error).toBeUndefined();
			expect(outputs).toHaveLength(2);
			expect(outputs[0]).toHaveLength(1);
			expect(outputs[0][0].json).toMatchObject({ ready: true, instagramPublishing: true });
			expect(outputs[0][0].pairedItem).toEqual({ item: 0 });
			expect(outputs[1]).toHaveLength(1);
			expect(outputs[1][0].json).toMatchObject({
				ready: false,
				failedChecks: ['instagram.page-linked'],
			});
			expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
		});
	});

	it('without the option there is one output holding every report', async () => {
		const scenario = loadScenario('fail-quality-red');
		await withSimulator(scenario, async (sim) => {
			const { outputs } = await runCheck(
				sim,
				scenario.tokens[0].token,
				{},
				{ items: [{ json: {} }, { json: {} }] },
			);
			expect(outputs).toHaveLength(1);
			expect(outputs[0].map((item) => item.json.ready)).toEqual([false, false]);
		});
	});

	it('in a workflow, n8n follows the two outputs to different nodes', async () => {
		const healthy = loadScenario(HEALTHY);
		await withSimulator(healthy, async (sim) => {
			const workflow: Parameters<typeof runWorkflow>[0] = {
				nodes: [
					{
						id: '1',
						name: 'Start',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: '2',
						name: 'Check',
						type: 'n8n-nodes-meta-business.metaAssetCheck',
						typeVersion: 1,
						position: [200, 0],
						parameters: {
							authentication: 'accessToken',
							operation: 'checkToken',
							options: { splitOutput: true },
						},
					},
					{
						id: '3',
						name: 'Publish',
						type: 'n8n-nodes-base.noOp',
						typeVersion: 1,
						position: [400, -100],
						parameters: {},
					},
					{
						id: '4',
						name: 'Alert',
						type: 'n8n-nodes-base.noOp',
						typeVersion: 1,
						position: [400, 100],
						parameters: {},
					},
				],
				connections: {
					Start: { main: [[{ node: 'Check', type: 'main', index: 0 }]] },
					Check: {
						main: [
							[{ node: 'Publish', type: 'main', index: 0 }],
							[{ node: 'Alert', type: 'main', index: 0 }],
						],
					},
				},
			};
			const credentials = accessTokenCredentials(sim, healthy.tokens[0].token);
			const good = await runWorkflow(workflow, { credentials });
			expect(good.error).toBeUndefined();
			expect(good.outputs.Publish?.[0]).toHaveLength(1);
			expect(good.outputs.Alert).toBeUndefined();

			sim.control.revokeToken(healthy.tokens[0].token, 460);
			const bad = await runWorkflow(workflow, { credentials });
			expect(bad.error).toBeUndefined();
			expect(bad.outputs.Publish).toBeUndefined();
			expect(bad.outputs.Alert?.[0]).toHaveLength(1);
			expect(bad.outputs.Alert[0][0].json).toMatchObject({
				ready: false,
				failedChecks: ['token.valid'],
			});
		});
	});
});

describe('Meta Asset Check: economy', () => {
	it('50 Pages and 5 WhatsApp Business Accounts cost at most 6 Graph round trips', async () => {
		const { scenario, counts } = buildLargeScenario(50, 5);
		await withSimulator(scenario, async (sim) => {
			const { outputs, error } = await runCheck(sim, LARGE_USER_TOKEN);
			expect(error).toBeUndefined();
			const report = reportOf(outputs);
			expect(report.failedChecks).toEqual([]);
			expect(report.ready).toBe(true);
			expect(report.pages as IDataObject[]).toHaveLength(50);
			const pages = report.pages as Array<IDataObject & { instagramAccount: IDataObject }>;
			expect(pages.every((page) => page.ready === true)).toBe(true);
			expect(new Set(pages.map((page) => page.instagramAccount.id)).size).toBe(50);
			expect(pages.every((page) => page.instagramAccount.publishingQuotaTotal === 100)).toBe(true);
			expect(report.whatsappBusinessAccounts as IDataObject[]).toHaveLength(5);
			const roundTrips = sim.control.requests().length;
			expect(roundTrips).toBeLessThanOrEqual(6);
			expect(report.graphRoundTrips).toBe(roundTrips);
			expect(naiveCallCount(counts)).toBeGreaterThan(150);
			expectNoSecrets(outputs, [...secretsOf(scenario), ...mintedSecrets(sim)]);
		});
	});
});
