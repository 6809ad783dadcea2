/**
 * Meta may answer a batch with `null` for an operation it did not complete. For the publish that
 * is a lost answer: the container is checked before anything is sent again. Scripted with nock,
 * since the simulator always completes its operations.
 */
import nock from 'nock';

import { InstagramPublish } from '../../nodes/Meta/Instagram/InstagramPublish.node';
import { executeNode } from '../helpers/harness';
import { IG_BUSINESS } from './helpers';

const BASE = 'http://graph.instagram-batch.test';
const CONTAINER = '17900000000000001';
const MEDIA = '18000000000000001';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function containerStatus(...codes: string[]) {
	for (const code of codes) {
		nock(BASE)
			.get(`/v26.0/${CONTAINER}`)
			.query(true)
			.reply(200, { id: CONTAINER, status_code: code });
	}
}

function batchAnswer(answer: unknown) {
	const sent: string[] = [];
	nock(BASE)
		.post('/v26.0/')
		.reply(200, (_uri, body) => {
			sent.push(String(new URLSearchParams(String(body)).get('batch')));
			return answer;
		});
	return sent;
}

async function publishContainer() {
	return await executeNode({
		node: InstagramPublish,
		parameters: {
			authentication: 'accessToken',
			resource: 'container',
			operation: 'publish',
			instagramAccountId: { __rl: true, mode: 'id', value: IG_BUSINESS },
			containerId: CONTAINER,
		},
		credentials: {
			metaBusinessAccessTokenApi: {
				accessToken: 'EAABatchTestToken0123456789',
				baseUrl: BASE,
				graphApiVersion: 'v26.0',
			},
		},
	});
}

it('reports a container found PUBLISHED after a null publish answer, without publishing again', async () => {
	containerStatus('FINISHED', 'PUBLISHED');
	const sent = batchAnswer([null, null]);
	const { outputs, error } = await publishContainer();
	expect(error).toBeUndefined();
	expect(outputs[0][0].json).toMatchObject({
		published: true,
		alreadyPublished: true,
		containerId: CONTAINER,
	});
	expect(sent).toHaveLength(1);
	expect(JSON.parse(sent[0])).toEqual([
		expect.objectContaining({
			method: 'POST',
			relative_url: `${IG_BUSINESS}/media_publish`,
			body: `creation_id=${CONTAINER}`,
			name: 'publish',
		}),
		expect.objectContaining({
			method: 'GET',
			relative_url: expect.stringMatching(/^\{result=publish:\$\.id\}\?fields=/),
			depends_on: 'publish',
		}),
	]);
	expect(nock.isDone()).toBe(true);
});

it('publishes once more when the container is still FINISHED after a null publish answer', async () => {
	containerStatus('FINISHED', 'FINISHED');
	const first = batchAnswer([null, null]);
	const second = batchAnswer([
		{ code: 200, body: JSON.stringify({ id: MEDIA }) },
		{
			code: 200,
			body: JSON.stringify({ id: MEDIA, permalink: 'https://www.instagram.com/p/abc/' }),
		},
	]);
	const { outputs, error } = await publishContainer();
	expect(error).toBeUndefined();
	expect(outputs[0][0].json).toMatchObject({
		published: true,
		mediaId: MEDIA,
		permalink: 'https://www.instagram.com/p/abc/',
	});
	expect(outputs[0][0].json.alreadyPublished).toBeUndefined();
	expect([first.length, second.length]).toEqual([1, 1]);
	expect(nock.isDone()).toBe(true);
});
