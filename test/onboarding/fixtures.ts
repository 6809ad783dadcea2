/** The onboarding scenario's ids, the node runner and the simulated popup for the onboarding tests. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { WhatsAppOnboarding } from '../../nodes/Meta/WhatsAppOnboarding/WhatsAppOnboarding.node';
import type { RunningSimulator } from '../../simulator/types';
import { executeNode, type NodeSettings } from '../helpers/harness';

export const APP_SECRET = 'onb-app-secret-5d1c9a7e3b';
export const PARTNER_TOKEN = 'EAAonboardingPartnerSystemUser';
export const PARTNER_SYSTEM_USER = '910000000000010';
export const PARTNER_WABA = '980000000000010';
export const CAFE = {
	waba: '980000000000021',
	phone: '970000000000021',
	business: '930000000000021',
};
export const BAKERY = {
	waba: '980000000000022',
	phone: '970000000000022',
	business: '930000000000022',
};
export const NOT_SHARED = { waba: '980000000000099', phone: '970000000000099' };
/** Partner-account numbers whose /register fails with one of Meta's registration errors. */
export const FAILING_PHONE = {
	pinMismatch: '970000000000031',
	limitReached: '970000000000032',
	incompleteDeregistration: '970000000000033',
	unavailable: '970000000000034',
	recentlyDeleted: '970000000000035',
	locked: '970000000000036',
	tooFast: '970000000000037',
};

export interface SignupResult {
	code: string;
	session: {
		type: string;
		event: string;
		data: { waba_id: string; phone_number_id?: string; business_id: string };
	};
	webhook: IDataObject;
}

/** What the customer's browser gets when the Embedded Signup popup finishes. */
export async function finishPopup(sim: RunningSimulator, signup: string): Promise<SignupResult> {
	const response = await fetch(`${sim.baseUrl}/v26.0/dialog/embedded_signup?signup=${signup}`, {
		method: 'POST',
	});
	if (!response.ok)
		throw new Error(`signup ${signup}: HTTP ${response.status} ${await response.text()}`);
	return (await response.json()) as SignupResult;
}

export interface RunOptions {
	items?: INodeExecutionData[];
	settings?: NodeSettings;
	credential?: IDataObject;
}

export async function runOnboarding(
	sim: RunningSimulator,
	parameters: INodeParameters,
	options: RunOptions = {},
) {
	return await executeNode({
		node: WhatsAppOnboarding,
		parameters,
		items: options.items,
		settings: options.settings,
		credentials: {
			metaBusinessAccessTokenApi: {
				accessToken: PARTNER_TOKEN,
				appSecret: APP_SECRET,
				baseUrl: sim.baseUrl,
				...(options.credential ?? {}),
			},
		},
	});
}

/** Every token the simulator knows (scenario and minted business tokens), the app secret included. */
export function allSecrets(sim: RunningSimulator): string[] {
	return [...sim.control.world().tokens.keys(), APP_SECRET];
}

/** Requests Meta received whose path ends with `suffix`. */
export function requestsTo(sim: RunningSimulator, suffix: string, method = 'POST') {
	return sim.control
		.requests()
		.filter((request) => request.method === method && request.path.endsWith(suffix));
}
