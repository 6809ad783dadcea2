/** The third way in: the OAuth2 (Facebook Login) credential, including the binary video upload. */
import { InstagramPublish } from '../../nodes/Meta/Instagram/InstagramPublish.node';
import { executeNode } from '../helpers/harness';
import type { RunningSimulator } from '../../simulator';
import { USER_TOKEN, account, image, posts, requestsTo, startDemo, videoItem } from './helpers';

let sim: RunningSimulator;
beforeAll(async () => {
	sim = await startDemo();
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.control.reset());

const oauth2 = () => ({
	metaBusinessOAuth2Api: {
		oauthTokenData: { access_token: USER_TOKEN },
		baseUrl: sim.baseUrl,
		graphApiVersion: 'v26.0',
		clientId: 'x',
		clientSecret: 'y',
	},
});

it('publishes an image and a binary reel with the OAuth2 credential', async () => {
	const imageRun = await executeNode({
		node: InstagramPublish,
		parameters: {
			authentication: 'oAuth2',
			resource: 'post',
			operation: 'publishImage',
			instagramAccountId: account(),
			mediaSource: 'url',
			mediaUrl: image(sim),
			caption: 'OAuth2',
		},
		credentials: oauth2(),
	});
	expect(imageRun.error).toBeUndefined();
	expect(imageRun.outputs[0][0].json).toMatchObject({ published: true });

	const reelRun = await executeNode({
		node: InstagramPublish,
		parameters: {
			authentication: 'oAuth2',
			resource: 'post',
			operation: 'publishReel',
			instagramAccountId: account(),
			mediaSource: 'binary',
			binaryPropertyName: 'data',
		},
		items: [videoItem()],
		credentials: oauth2(),
	});
	expect(reelRun.error).toBeUndefined();
	expect(reelRun.outputs[0][0].json).toMatchObject({ published: true, mediaProductType: 'REELS' });
	// rupload only accepts `Authorization: OAuth <token>` in the simulator, as at Meta.
	expect(requestsTo(sim, 'POST', /^\/ig-api-upload\//).map((request) => request.status)).toEqual([
		200,
	]);
	expect(posts(sim)).toHaveLength(2);
});
