import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import * as https from 'https';

import { loadScenario, startSimulator, type StartSimulatorOptions } from '../../simulator';
import type { RunningSimulator, Scenario } from '../../simulator/types';

export const USER_TOKEN = 'EAADemoUserLongLived';
export const SYSTEM_TOKEN = 'EAADemoSystemUser';
export const PAGE_TOKEN = 'EAADemoPageCafeAurora';
export const IG_LOGIN_TOKEN = 'IGAADemoInstagramLogin';
export const APP_ID = '1234567890123456';
export const APP_SECRET = 'demo0app0secret0aurora0000000001';
export const APP_TOKEN = `${APP_ID}|${APP_SECRET}`;
export const USER_ID = '10150000000000001';
export const SYSTEM_USER_ID = '61550000000000001';
export const PAGE_ID = '104000000000001';
export const PAGE2_ID = '104000000000002';
export const PAGE3_ID = '104000000000003';
export const IG_BUSINESS_ID = '17841400000000001';
export const IG_CREATOR_ID = '17841400000000002';
export const BUSINESS_ID = '112233445566778';
export const WABA_ID = '102000000000001';
export const CLIENT_WABA_ID = '102000000000002';

/** A deep copy of the demo scenario, edited by `edit`. */
export function demoWith(edit: (scenario: Scenario) => void): Scenario {
	const scenario = structuredClone(loadScenario('demo'));
	scenario.name = 'demo-variant';
	edit(scenario);
	return scenario;
}

export interface Harness {
	sim: RunningSimulator;
	http: AxiosInstance;
}

export async function start(
	scenario: string | Scenario = 'demo',
	options?: StartSimulatorOptions,
): Promise<Harness> {
	const sim = await startSimulator(scenario, options);
	const http = axios.create({
		baseURL: sim.baseUrl,
		validateStatus: () => true,
		httpsAgent: new https.Agent({ rejectUnauthorized: false }),
		timeout: 10_000,
	});
	return { sim, http };
}

export function graphError(res: AxiosResponse): {
	code: number;
	error_subcode?: number;
	type: string;
	message: string;
	fbtrace_id: string;
} {
	expect(res.data).toHaveProperty('error');
	return res.data.error;
}

export function bearer(token: string): { headers: Record<string, string> } {
	return { headers: { Authorization: `Bearer ${token}` } };
}
