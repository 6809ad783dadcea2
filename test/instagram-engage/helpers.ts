/** Shared set-up of the Instagram Engage tests: the instagram-engage scenario and the node run through n8n-core. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { InstagramEngage } from '../../nodes/Meta/InstagramEngage/InstagramEngage.node';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { engageState, type SentRecord } from '../../simulator/domains/instagramEngage';
import { executeNode, type NodeSettings } from '../helpers/harness';

export const IG_BUSINESS = '17841400000000001';
export const IG_CREATOR = '17841400000000002';
export const PAGE_TOKEN = 'EAADemoEngagePage';
export const USER_TOKEN = 'EAADemoEngageUser';
export const IG_LOGIN_TOKEN = 'IGAADemoEngageLogin';
/** A user token of the demo world without the comment, message and insight permissions. */
export const PUBLISH_ONLY_TOKEN = 'EAADemoUserLongLived';
export const ALL_TOKENS = [PAGE_TOKEN, USER_TOKEN, IG_LOGIN_TOKEN, PUBLISH_ONLY_TOKEN];

/** Seeded data of simulator/scenarios/instagram-engage.json. */
export const POST_MENU = '17900000000000101';
export const POST_REEL = '17900000000000102';
export const POST_CLOSED = '17900000000000103';
export const STORY = '17900000000000104';
export const POST_STUDIO = '17900000000000201';
export const MENTION_MEDIA = '17900000000000901';
export const COMMENT_MENU = '17950000000000001';
export const COMMENT_NICE = '17950000000000002';
export const COMMENT_OWN_REPLY = '17950000000000003';
export const COMMENT_SPAM = '17950000000000004';
export const COMMENT_OLD = '17950000000000005';
export const COMMENT_REEL = '17950000000000006';
export const COMMENT_STUDIO = '17950000000000008';
export const MENTION_COMMENT = '17950000000000901';
/** Wrote 2 hours ago / 3 days ago / 9 days ago to IG_BUSINESS; USER_STUDIO wrote 1 hour ago to IG_CREATOR. */
export const USER_RECENT = '6310000000000001';
export const USER_3_DAYS = '6310000000000005';
export const USER_9_DAYS = '6310000000000006';
export const USER_STUDIO = '6320000000000001';

export async function startEngage(): Promise<RunningSimulator> {
	return await startSimulator('instagram-engage');
}

export function credentialsFor(sim: RunningSimulator, token = PAGE_TOKEN) {
	return {
		metaBusinessAccessTokenApi: {
			accessToken: token,
			baseUrl: sim.baseUrl,
			graphApiVersion: 'v26.0',
		},
		metaBusinessInstagramLoginApi: {
			accessToken: IG_LOGIN_TOKEN,
			baseUrl: sim.baseUrl,
			graphApiVersion: 'v26.0',
		},
	};
}

export async function run(
	sim: RunningSimulator,
	parameters: Record<string, unknown>,
	options: {
		items?: INodeExecutionData[];
		settings?: NodeSettings;
		token?: string;
		instagramLogin?: boolean;
	} = {},
) {
	const result = await executeNode({
		node: InstagramEngage,
		parameters: {
			authentication: options.instagramLogin ? 'instagramLogin' : 'accessToken',
			...parameters,
		} as INodeParameters,
		items: options.items,
		credentials: credentialsFor(sim, options.token),
		settings: options.settings,
	});
	// No token ever reaches an output item or an error.
	const seen = JSON.stringify({
		outputs: result.outputs,
		error: result.error,
		message: result.error?.message,
		description: result.error?.description,
	});
	for (const token of ALL_TOKENS) expect(seen).not.toContain(token);
	return result;
}

export function json(outputs: INodeExecutionData[][]): IDataObject[] {
	return (outputs[0] ?? []).map((item) => item.json);
}

export function account(id = IG_BUSINESS) {
	return { __rl: true, mode: 'id', value: id };
}

export function sent(sim: RunningSimulator, kind?: SentRecord['kind']): SentRecord[] {
	return engageState(sim.control.world()).sent.filter(
		(entry) => kind === undefined || entry.kind === kind,
	);
}

export function requestsTo(sim: RunningSimulator, method: string, path: RegExp) {
	return sim.control
		.requests()
		.filter((request) => request.method === method && path.test(request.path));
}

/** The typed-reader message must not echo a bad value as text. */
export function expectCleanMessage(error: (Error & IDataObject) | undefined): void {
	expect(`${error?.message} ${String(error?.description ?? '')}`).not.toMatch(
		/\[object Object\]|\bundefined\b/,
	);
}
