/**
 * Meta Asset Check and Meta's 2026 platform, against the simulator over real HTTP: the Graph API
 * version's end date (expiring warns, expired fails), the portfolio messaging limit and a missing
 * payment method (both warn; the account stays ready).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { INodeParameters } from 'n8n-workflow';

import { MetaAssetCheck } from '../../nodes/Meta/AssetCheck/MetaAssetCheck.node';
import {
	GRAPH_API_VERSIONS,
	graphVersionState,
} from '../../nodes/Meta/AssetCheck/checks/graphVersions';
import { loadScenario, startSimulator } from '../../simulator';
import { executeNode } from '../helpers/harness';
import { expectNoSecrets } from '../helpers/secrets';
import type { PlatformScenario } from './platform-scenarios';
import { buildPlatformScenario, PLATFORM_MODES } from './platform-scenarios';
import { SCENARIO_DIR } from './failure-scenarios';

interface Row {
	id: string;
	status: string;
	detail: string;
	fix: string;
}

async function check(scenario: PlatformScenario, options: INodeParameters = {}, version?: string) {
	const sim = await startSimulator(scenario);
	try {
		const { outputs, error } = await executeNode({
			node: MetaAssetCheck,
			parameters: { authentication: 'accessToken', operation: 'checkEverything', options },
			credentials: {
				metaBusinessAccessTokenApi: {
					accessToken: scenario.tokens[0].token,
					baseUrl: sim.baseUrl,
					...(version ? { graphApiVersion: version } : {}),
				},
			},
		});
		expect(error).toBeUndefined();
		const report = outputs[0][0].json as {
			ready: boolean;
			warnings: string[];
			failedChecks: string[];
			checks: Row[];
		};
		expectNoSecrets(
			outputs,
			scenario.tokens.map((token) => token.token),
		);
		return { report, requests: sim.control.requests() };
	} finally {
		await sim.stop();
	}
}

const row = (report: { checks: Row[] }, id: string): Row =>
	report.checks.find((entry) => entry.id === id)!;

describe('Meta Asset Check: platform scenarios', () => {
	it('the warn-*.json files are the healthy world with one change (platform-scenarios.ts)', () => {
		for (const mode of PLATFORM_MODES) {
			const onDisk = JSON.parse(readFileSync(join(SCENARIO_DIR, `${mode.name}.json`), 'utf8'));
			expect(onDisk).toEqual(JSON.parse(JSON.stringify(buildPlatformScenario(mode))));
		}
	});

	it('an expiring Graph API version warns with the date and the newest version; the account stays ready', async () => {
		const scenario = loadScenario('warn-graph-version-expiring') as PlatformScenario;
		const version = scenario.credentialGraphApiVersion!;
		const until = GRAPH_API_VERSIONS.find((entry) => entry.version === version)!.availableUntil!;
		const daysLeft = Math.ceil((Date.parse(`${until}T00:00:00Z`) - Date.now()) / 86_400_000);
		const { report, requests } = await check(
			scenario,
			{ versionWarningDays: daysLeft + 1 },
			version,
		);
		expect(report.ready).toBe(true);
		expect(report.warnings).toEqual(scenario.expectedWarnings);
		expect(row(report, 'token.graph-version').detail).toContain(
			`${version} stops working on ${until}`,
		);
		expect(row(report, 'token.graph-version').fix).toContain('Graph API Version');
		// Every call went to the credential's version.
		expect(requests.every((request) => request.version === version)).toBe(true);

		const relaxed = await check(scenario, { versionWarningDays: 0 }, version);
		expect(row(relaxed.report, 'token.graph-version').status).toBe('pass');
	});

	it('an expired Graph API version fails and the report is not ready', async () => {
		const { report } = await check(
			loadScenario('fail-graph-version-expired') as PlatformScenario,
			{},
			'v19.0',
		);
		expect(report.ready).toBe(false);
		expect(report.failedChecks).toEqual(['token.graph-version']);
		expect(row(report, 'token.graph-version').detail).toContain(
			'v19.0 stopped working on 2026-05-21',
		);
	});

	it('a portfolio at the 250 limit warns when the workflow messages more people a day', async () => {
		const scenario = loadScenario('warn-portfolio-messaging-limit') as PlatformScenario;
		const { report } = await check(scenario, { dailyRecipients: scenario.dailyRecipients });
		expect(report.ready).toBe(true);
		expect(report.warnings).toEqual(scenario.expectedWarnings);
		expect(row(report, 'whatsapp.messaging-limit').detail).toContain(
			'Up to 250 people per rolling 24 hours',
		);
		expect(row(report, 'whatsapp.messaging-limit').detail).toContain('You plan 1,000 a day');
		const reported = await check(scenario);
		expect(row(reported.report, 'whatsapp.messaging-limit')).toMatchObject({
			status: 'pass',
			fix: '',
		});
	});

	it('an account without a payment method warns with the billing fix', async () => {
		const scenario = loadScenario('warn-no-payment-method') as PlatformScenario;
		const { report } = await check(scenario);
		expect(report.ready).toBe(true);
		expect(report.warnings).toEqual(scenario.expectedWarnings);
		const payment = row(report, 'whatsapp.payment-method');
		expect(payment.detail).toContain('primary_funding_id is empty');
		expect(payment.fix).toContain('Billing & payments');
	});

	it('a Graph API version this node does not know warns instead of guessing', async () => {
		const { report } = await check(
			loadScenario('warn-no-payment-method') as PlatformScenario,
			{},
			'v99.0',
		);
		expect(row(report, 'token.graph-version')).toMatchObject({
			status: 'warn',
			fix: expect.stringContaining('changelog'),
		});
	});

	it('the version table: expired before its end date passes, after it fails; TBD never expires', () => {
		const at = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;
		expect(graphVersionState('v21.0', at('2027-01-20'), 0).kind).toBe('current');
		expect(graphVersionState('v21.0', at('2027-01-21'), 0).kind).toBe('expired');
		expect(graphVersionState('v21.0', at('2027-01-01'), 30)).toMatchObject({
			kind: 'expiring',
			daysLeft: 20,
		});
		expect(graphVersionState('v26.0', at('2030-01-01'), 90).kind).toBe('current');
		expect(graphVersionState('v17.0', at('2026-12-01'), 90).kind).toBe('expired');
	});

	it('Graph Version Warning (Days) from an expression must be a number, refused before any request', async () => {
		const scenario = loadScenario('warn-no-payment-method') as PlatformScenario;
		const sim = await startSimulator(scenario);
		try {
			const { error } = await executeNode({
				node: MetaAssetCheck,
				parameters: {
					authentication: 'accessToken',
					operation: 'checkEverything',
					options: { versionWarningDays: '={{ [1] }}' },
				},
				credentials: {
					metaBusinessAccessTokenApi: {
						accessToken: scenario.tokens[0].token,
						baseUrl: sim.baseUrl,
					},
				},
			});
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toContain('Graph Version Warning (Days)');
			expect(sim.control.requests()).toHaveLength(0);
		} finally {
			await sim.stop();
		}
	});
});
