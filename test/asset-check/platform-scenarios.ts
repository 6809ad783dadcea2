/**
 * Asset Check scenarios for Meta's 2026 platform that warn rather than fail: each is the healthy
 * base world with one change. `npx tsx test/asset-check/platform-scenarios.ts` rewrites
 * simulator/scenarios/warn-*.json from this list; a test keeps the files and the list equal.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';

import type { Scenario } from '../../simulator/types';
import { loadHealthyScenario, SCENARIO_DIR } from './failure-scenarios';

export interface PlatformScenario extends Scenario {
	/** The credential's Graph API version the test sets (the version is not Meta's state). */
	credentialGraphApiVersion?: string;
	/** The People Messaged per Day option the test sets. */
	dailyRecipients?: number;
	/** Accounts without a payment method (read by the simulator's onboarding domain). */
	paymentMethodMissing?: string[];
	expectedWarnings: string[];
}

interface PlatformMode {
	name: string;
	description: string;
	expectedWarnings: string[];
	change: (scenario: PlatformScenario) => void;
}

export const PLATFORM_MODES: PlatformMode[] = [
	{
		name: 'warn-graph-version-expiring',
		description:
			'The credential calls Graph API v25.0, which Meta serves until 29 Jul 2028; the test sets Graph Version Warning (Days) to reach that date.',
		expectedWarnings: ['token.graph-version'],
		change: (s) => {
			s.credentialGraphApiVersion = 'v25.0';
		},
	},
	{
		name: 'warn-portfolio-messaging-limit',
		description:
			'The portfolio is at the starting messaging limit (TIER_250: 250 people per 24 h) while the workflow messages 1,000 people a day.',
		expectedWarnings: ['whatsapp.messaging-limit'],
		change: (s) => {
			s.phoneNumbers![0].messagingLimitTier = 'TIER_250';
			s.dailyRecipients = 1000;
		},
	},
	{
		name: 'warn-no-payment-method',
		description: 'The WhatsApp Business Account shows no payment method (no primary_funding_id).',
		expectedWarnings: ['whatsapp.payment-method'],
		change: (s) => {
			s.paymentMethodMissing = [s.wabas![0].id];
		},
	},
];

export function buildPlatformScenario(mode: PlatformMode): PlatformScenario {
	const { name: _name, description: _description, ...world } = loadHealthyScenario();
	const scenario: PlatformScenario = {
		name: mode.name,
		description: `Asset Check platform scenario: ${mode.description}`,
		expectedWarnings: mode.expectedWarnings,
		...world,
	};
	mode.change(scenario);
	return scenario;
}

if (require.main === module) {
	for (const mode of PLATFORM_MODES) {
		writeFileSync(
			join(SCENARIO_DIR, `${mode.name}.json`),
			`${JSON.stringify(buildPlatformScenario(mode), null, '\t')}\n`,
		);
	}
	process.stdout.write(`Wrote ${PLATFORM_MODES.length} platform scenarios to ${SCENARIO_DIR}\n`);
}
