/**
 * The reel upload sends the token (`Authorization: OAuth ...`) to the upload URI Meta's answer
 * names. An answer pointing at another host, or at Meta's upload host over http, must not get it:
 * the node refuses with a clear error and nothing reaches that address. Scripted with nock, since
 * the simulator always hands out its own origin.
 */
import nock from 'nock';

import { InstagramPublish } from '../../nodes/Meta/Instagram/InstagramPublish.node';
import { executeNode } from '../helpers/harness';
import { IG_BUSINESS, videoItem } from './helpers';

const BASE = 'http://graph.instagram-upload.test';
const CONTAINER = '17900000000000077';
const TOKEN = 'EAAUploadHostTestToken0123456789';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

async function publishBinaryReel(uploadUri: string) {
	const created = nock(BASE)
		.post(`/v26.0/${IG_BUSINESS}/media`)
		.reply(200, { id: CONTAINER, uri: uploadUri });
	const target = new URL(uploadUri);
	const elsewhere = nock(target.origin)
		.post(() => true)
		.reply(200, { success: true });
	const result = await executeNode({
		node: InstagramPublish,
		parameters: {
			authentication: 'accessToken',
			resource: 'post',
			operation: 'publishReel',
			instagramAccountId: { __rl: true, mode: 'id', value: IG_BUSINESS },
			mediaSource: 'binary',
			binaryPropertyName: 'data',
			caption: 'Upload',
		},
		items: [videoItem()],
		credentials: {
			metaBusinessAccessTokenApi: { accessToken: TOKEN, baseUrl: BASE, graphApiVersion: 'v26.0' },
		},
	});
	return { ...result, created, elsewhere };
}

it("refuses an upload URI on a host that is not Meta's, sending nothing there", async () => {
	const { error, created, elsewhere } = await publishBinaryReel(
		'https://uploads.example.com/ig-api-upload/v26.0/17900000000000077',
	);
	expect(created.isDone()).toBe(true);
	expect(elsewhere.isDone()).toBe(false);
	expect(error?.name).toBe('NodeOperationError');
	expect(error?.message).toMatch(
		/^Refused to send the credential to https:\/\/uploads\.example\.com: uploads\.example\.com is not one of Meta's hosts/,
	);
	expect(String((error as { description?: string }).description)).toMatch(/^Nothing was sent/);
	expect(JSON.stringify(error)).not.toContain(TOKEN);
});

it("refuses Meta's upload host over http, sending nothing there", async () => {
	const { error, elsewhere } = await publishBinaryReel(
		'http://rupload.facebook.com/ig-api-upload/v26.0/17900000000000077',
	);
	expect(elsewhere.isDone()).toBe(false);
	expect(error?.message).toMatch(
		/^Refused to send the credential to http:\/\/rupload\.facebook\.com: it uses http instead of https/,
	);
});
