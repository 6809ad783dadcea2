/** Shared set-up of the Instagram tests: a simulator per file and the node run through n8n-core. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { InstagramPublish } from '../../nodes/Meta/Instagram/InstagramPublish.node';
import { executeNode, type NodeSettings } from '../helpers/harness';
import { startSimulator, type RunningSimulator, type Scenario } from '../../simulator';
import type { LoggedRequest } from '../../simulator/types';
import { publishedMedia } from '../../simulator/domains/instagram';

export const IG_BUSINESS = '17841400000000001';
export const IG_CREATOR = '17841400000000002';
export const USER_TOKEN = 'EAADemoUserLongLived';
export const IG_LOGIN_TOKEN = 'IGAADemoInstagramLogin';
export const LOCATION_PAGE = '104000000000001';

export async function startDemo(settings: IDataObject = {}): Promise<RunningSimulator> {
	return await startSimulator('demo', {
		settings: { instagramImageProcessingMs: 0, instagramVideoProcessingMs: 300, ...settings },
	});
}

export async function startScenario(
	scenario: Scenario,
	settings: IDataObject = {},
): Promise<RunningSimulator> {
	return await startSimulator(scenario, {
		settings: { instagramImageProcessingMs: 0, instagramVideoProcessingMs: 300, ...settings },
	});
}

export function image(sim: RunningSimulator, query = 'width=1080&height=1350'): string {
	return `${sim.fixturesBaseUrl}/fixtures/image.jpg?${query}`;
}

export function video(sim: RunningSimulator, query = 'width=1080&height=1920&duration=12'): string {
	return `${sim.fixturesBaseUrl}/fixtures/video.mp4?${query}`;
}

export function credentialsFor(sim: RunningSimulator, token = USER_TOKEN) {
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
	options: { items?: INodeExecutionData[]; settings?: NodeSettings; token?: string } = {},
) {
	return await executeNode({
		node: InstagramPublish,
		parameters: { authentication: 'accessToken', ...parameters } as INodeParameters,
		items: options.items,
		credentials: credentialsFor(sim, options.token),
		settings: options.settings,
	});
}

export function account(id = IG_BUSINESS) {
	return { __rl: true, mode: 'id', value: id };
}

export function posts(sim: RunningSimulator, igUserId = IG_BUSINESS) {
	return publishedMedia(sim.control.world(), igUserId);
}

/**
 * Requests of one kind sent to the simulator, e.g. ('POST', /\/media_publish$/). The operations
 * of a Graph batch (`POST /` with `batch=`) count one by one, as sent (also when the connection
 * dropped before Meta read them).
 */
export function requestsTo(sim: RunningSimulator, method: string, path: RegExp) {
	return sim.control
		.requests()
		.flatMap((request) => batchOperations(request) ?? [request])
		.filter((request) => request.method === method && path.test(request.path));
}

function batchOperations(request: LoggedRequest): LoggedRequest[] | undefined {
	if (request.method !== 'POST' || request.path !== '/' || typeof request.params.batch !== 'string')
		return undefined;
	const operations = JSON.parse(request.params.batch) as Array<{
		method?: string;
		relative_url?: string;
	}>;
	return operations.map((operation) => ({
		...request,
		method: String(operation.method ?? 'GET').toUpperCase(),
		path: `/${String(operation.relative_url ?? '')
			.split('?')[0]
			.replace(/^\/+/, '')}`,
	}));
}

/** The HTTP request that carries `media_publish` (and the read of the new post): a Graph batch. */
export const PUBLISH_REQUEST = { method: 'POST', path: '^/$' } as const;

import { buildFixture } from '../../simulator/engine/media';
import { binaryItem } from '../helpers/harness';

/** Real MP4 bytes (a fixture with the requested duration) as an n8n binary item. */
export function videoItem(
	query = 'width=1080&height=1920&duration=12&bytes=200000',
	mimeType = 'video/mp4',
	name = 'clip.mp4',
): INodeExecutionData {
	const fixture = buildFixture('video.mp4', new URLSearchParams(query))!;
	const data = Buffer.concat([fixture.head, Buffer.alloc(fixture.padding), fixture.tail]);
	return binaryItem(data, { mimeType, fileName: name });
}
