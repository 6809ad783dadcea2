/**
 * Shared set-up of the WhatsApp Send tests: the demo scenario plus templates and numbers that
 * exercise every template shape and failure mode, and a one-call node runner.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { WhatsAppSend } from '../../nodes/Meta/WhatsApp/WhatsAppSend.node';
import type { ExecuteNodeResult, NodeSettings } from '../helpers/harness';
import { executeNode } from '../helpers/harness';
import { loadScenario, startSimulator } from '../../simulator';
import type { RunningSimulator, Scenario, SimulatorSettings } from '../../simulator';
import { whatsappSentMessages } from '../../simulator/domains/whatsapp';

export const TOKEN = 'EAADemoSystemUser';
export const WABA_ID = '102000000000001';
export const PHONE_ID = '106000000000001';
export const TEST_PHONE_ID = '106000000000003';
/** In the 24-hour window (wrote 1 h ago). */
export const RECENT = '351910000101';
/** Outside the window (wrote 2 days ago). */
export const OLD = '351910000102';
/** Never wrote. */
export const NEVER = '351910000103';
/** A token that may manage templates but not send (no whatsapp_business_messaging). */
export const MANAGE_ONLY_TOKEN = 'EAAWhatsAppManageOnly';
/** A token whose messaging grant targets another WABA (granular scope). */
export const OTHER_WABA_TOKEN = 'EAAWhatsAppOtherWaba';

const extraTemplates: Scenario['templates'] = [
	{
		id: '108000000000901',
		wabaId: WABA_ID,
		name: 'coupon_offer',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameterFormat: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'IMAGE' },
			{ type: 'BODY', text: 'Hi {{1}}, here is {{2}} off.' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Stop promotions' },
					{ type: 'COPY_CODE', example: 'SAVE25' },
					{ type: 'URL', text: 'Shop', url: 'https://aurora.example/shop/{{1}}' },
				],
			},
		],
	},
	{
		id: '108000000000902',
		wabaId: WABA_ID,
		name: 'invoice_ready',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameterFormat: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'DOCUMENT' },
			{ type: 'BODY', text: 'Your invoice is attached.' },
		],
	},
	{
		id: '108000000000903',
		wabaId: WABA_ID,
		name: 'draft_offer',
		language: 'en_US',
		status: 'PENDING',
		category: 'MARKETING',
		components: [{ type: 'BODY', text: 'Pending {{1}}' }],
	},
	{
		id: '108000000000904',
		wabaId: WABA_ID,
		name: 'low_quality_promo',
		language: 'en_US',
		status: 'PAUSED',
		category: 'MARKETING',
		components: [{ type: 'BODY', text: 'Paused' }],
	},
	{
		id: '108000000000905',
		wabaId: WABA_ID,
		name: 'banned_promo',
		language: 'en_US',
		status: 'DISABLED',
		category: 'MARKETING',
		components: [{ type: 'BODY', text: 'Disabled' }],
	},
	{
		id: '108000000000906',
		wabaId: WABA_ID,
		name: 'order_update',
		language: 'pt_PT',
		status: 'APPROVED',
		category: 'UTILITY',
		components: [{ type: 'BODY', text: 'Olá {{1}}' }],
	},
];

/** The demo scenario plus the WhatsApp fixtures above. */
export function whatsappScenario(mutate?: (scenario: Scenario) => void): Scenario {
	const scenario = JSON.parse(JSON.stringify(loadScenario('demo'))) as Scenario;
	scenario.name = 'whatsapp-tests';
	scenario.templates = [...(scenario.templates ?? []), ...(extraTemplates ?? [])];
	// These tests assert on 131047 and 131053 answered by the send itself; the asynchronous
	// reporting Meta also uses (a `failed` status webhook) is tested by switching the mode.
	scenario.settings = { ...scenario.settings, whatsappFailureMode: 'sync' };
	scenario.tokens.push(
		{
			token: MANAGE_ONLY_TOKEN,
			type: 'SYSTEM_USER',
			appId: scenario.apps[0].id,
			userId: '61550000000000001',
			scopes: ['business_management', 'whatsapp_business_management'],
		},
		{
			token: OTHER_WABA_TOKEN,
			type: 'USER',
			appId: scenario.apps[0].id,
			userId: '10150000000000001',
			scopes: [
				'business_management',
				'whatsapp_business_management',
				'whatsapp_business_messaging',
			],
			granularScopes: [
				{ scope: 'whatsapp_business_messaging', targetIds: ['102000000000002'] },
				{ scope: 'whatsapp_business_management', targetIds: ['102000000000002'] },
			],
		},
	);
	mutate?.(scenario);
	return scenario;
}

export async function startWhatsAppSimulator(
	settings: Partial<SimulatorSettings> = {},
	mutate?: (scenario: Scenario) => void,
): Promise<RunningSimulator> {
	return await startSimulator(whatsappScenario(mutate), { settings });
}

/**
 * One simulator for a test file: started before all tests, reset before each, stopped after all.
 * `use` receives it once started.
 */
export function useWhatsAppSimulator(
	use: (sim: RunningSimulator) => void,
	settings: Partial<SimulatorSettings> = {},
	mutate?: (scenario: Scenario) => void,
): void {
	let sim: RunningSimulator | undefined;
	beforeAll(async () => {
		sim = await startWhatsAppSimulator(settings, mutate);
		use(sim);
	});
	afterAll(async () => {
		await sim?.stop();
	});
	beforeEach(() => {
		sim?.control.reset();
	});
}

export function credentialsFor(sim: RunningSimulator, token = TOKEN) {
	return { metaBusinessAccessTokenApi: { accessToken: token, baseUrl: sim.baseUrl } };
}

export const locator = (value: string, mode = 'id') => ({ __rl: true, mode, value });

export async function runWhatsApp(
	sim: RunningSimulator,
	parameters: INodeParameters,
	options: { items?: INodeExecutionData[]; settings?: NodeSettings; token?: string } = {},
): Promise<ExecuteNodeResult> {
	return await executeNode({
		node: new WhatsAppSend(),
		parameters: { authentication: 'accessToken', ...parameters },
		items: options.items,
		credentials: credentialsFor(sim, options.token),
		settings: options.settings,
	});
}

/** Parameters of a message operation sending from the demo number. */
export function messageParameters(operation: string, extra: INodeParameters = {}): INodeParameters {
	return {
		resource: 'message',
		operation,
		phoneNumberId: locator(PHONE_ID),
		to: `+${RECENT}`,
		...extra,
	};
}

export function sentLog(sim: RunningSimulator) {
	return whatsappSentMessages(sim.control.world());
}

export function messageRequests(sim: RunningSimulator) {
	return sim.control.requests().filter((request) => /\/messages$/.test(request.path));
}

export function jsonOf(items: INodeExecutionData[] | undefined): IDataObject[] {
	return (items ?? []).map((item) => item.json);
}
