/** Container and Account resources, the account list, and the Instagram Login credential. */
import { InstagramPublish } from '../../nodes/Meta/Instagram/InstagramPublish.node';
import { callListSearch, executeNode, lastCredentialsHelper } from '../helpers/harness';
import type { RunningSimulator } from '../../simulator';
import {
	IG_BUSINESS,
	IG_CREATOR,
	IG_LOGIN_TOKEN,
	LOCATION_PAGE,
	account,
	credentialsFor,
	image,
	posts,
	requestsTo,
	run,
	startDemo,
	video,
	videoItem,
} from './helpers';

let sim: RunningSimulator;
beforeAll(async () => {
	sim = await startDemo();
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.control.reset());

const createContainer = async (
	containerType: string,
	extra: Record<string, unknown> = {},
	items?: any[],
) =>
	await run(
		sim,
		{
			resource: 'container',
			operation: 'create',
			instagramAccountId: account(),
			containerType,
			mediaSource: 'url',
			...extra,
		},
		{ items },
	);

describe('Container', () => {
	it('creates every container type', async () => {
		const results = {
			image: await createContainer('image', {
				mediaUrl: image(sim),
				caption: 'Hi',
				options: { altText: 'Alt' },
			}),
			reel: await createContainer('reel', {
				mediaUrl: video(sim),
				options: { shareToFeed: true, thumbOffset: 100 },
			}),
			reelBinary: await createContainer(
				'reel',
				{ mediaSource: 'binary', binaryPropertyName: 'data' },
				[videoItem()],
			),
			storyImage: await createContainer('storyImage', {
				mediaUrl: image(sim, 'width=1080&height=1920'),
			}),
			storyVideo: await createContainer('storyVideo', { mediaUrl: video(sim, 'duration=20') }),
			carouselImageItem: await createContainer('carouselImageItem', { mediaUrl: image(sim) }),
			carouselVideoItem: await createContainer('carouselVideoItem', { mediaUrl: video(sim) }),
		};
		for (const [name, result] of Object.entries(results)) {
			expect([name, result.error]).toEqual([name, undefined]);
			expect(result.outputs[0][0].json).toMatchObject({
				containerId: expect.stringMatching(/^\d+$/),
				instagramAccountId: IG_BUSINESS,
			});
		}
		expect(results.reelBinary.outputs[0][0].json).toMatchObject({
			uploaded: true,
			uploadedBytes: expect.any(Number),
		});
		sim.control.advanceClock(1000);
		const children = [results.carouselImageItem, results.carouselVideoItem].map(
			(result) => result.outputs[0][0].json.containerId,
		);
		const parent = await createContainer('carousel', {
			children: children.join(', '),
			caption: 'Album',
			options: { locationId: '104000000000001' },
		});
		expect(parent.error).toBeUndefined();
		expect(parent.outputs[0][0].json).toMatchObject({
			containerType: 'carousel',
			childContainerIds: children,
		});
		const params = requestsTo(sim, 'POST', /\/media$/).map((request) => request.params);
		expect(params).toContainEqual({ image_url: image(sim), caption: 'Hi', alt_text: 'Alt' });
		expect(params).toContainEqual({
			media_type: 'REELS',
			video_url: video(sim),
			thumb_offset: '100',
			share_to_feed: 'true',
		});
		expect(params).toContainEqual({ media_type: 'STORIES', video_url: video(sim, 'duration=20') });
		expect(params).toContainEqual({
			media_type: 'CAROUSEL',
			children: children.join(','),
			caption: 'Album',
			location_id: '104000000000001',
		});
		expect(posts(sim)).toHaveLength(0);
	});

	it('sends every option the container type offers (n8n drops the values of options hidden for the type)', async () => {
		const everything = {
			altText: 'Alt',
			audioName: 'Morning Jam',
			collaborators: 'jane.doe',
			coverUrl: image(sim, 'width=1080&height=1920'),
			locationId: LOCATION_PAGE,
			shareToFeed: false,
			thumbOffset: 1500,
			userTags: { tags: [{ username: 'jane', x: 0.1, y: 0.2 }] },
		};
		const results = [
			await createContainer('image', { mediaUrl: image(sim), options: everything }),
			await createContainer('reel', { mediaUrl: video(sim), options: everything }),
			await createContainer('storyImage', {
				mediaUrl: image(sim, 'width=1080&height=1920'),
				options: { ...everything, userTags: { tags: [{ username: '@jane', x: 0.3, y: 0.4 }] } },
			}),
			await createContainer('carouselVideoItem', { mediaUrl: video(sim), options: everything }),
		];
		for (const result of results) expect(result.error).toBeUndefined();
		const params = requestsTo(sim, 'POST', /\/media$/).map((request) => request.params);
		expect(params).toEqual([
			{
				image_url: image(sim),
				alt_text: 'Alt',
				location_id: LOCATION_PAGE,
				user_tags: JSON.stringify([{ username: 'jane', x: 0.1, y: 0.2 }]),
				collaborators: JSON.stringify(['jane.doe']),
			},
			{
				media_type: 'REELS',
				video_url: video(sim),
				location_id: LOCATION_PAGE,
				collaborators: JSON.stringify(['jane.doe']),
				cover_url: image(sim, 'width=1080&height=1920'),
				thumb_offset: '1500',
				share_to_feed: 'false',
				audio_name: 'Morning Jam',
			},
			{
				media_type: 'STORIES',
				image_url: image(sim, 'width=1080&height=1920'),
				user_tags: JSON.stringify([{ username: 'jane', x: 0.3, y: 0.4 }]),
			},
			{
				media_type: 'VIDEO',
				is_carousel_item: 'true',
				video_url: video(sim),
				thumb_offset: '1500',
			},
		]);
	});

	it('publishes a container once; publishing it again reports it instead of posting twice', async () => {
		const created = await createContainer('image', { mediaUrl: image(sim), caption: 'Once' });
		const containerId = created.outputs[0][0].json.containerId as string;
		const publish = {
			resource: 'container',
			operation: 'publish',
			instagramAccountId: account(),
			containerId,
		};
		const first = await run(sim, publish);
		expect(first.outputs[0][0].json).toMatchObject({
			published: true,
			mediaId: posts(sim)[0].id,
			permalink: posts(sim)[0].permalink,
			containerId,
		});
		const second = await run(sim, publish);
		expect(second.outputs[0][0].json).toMatchObject({
			published: true,
			alreadyPublished: true,
			containerId,
		});
		expect(posts(sim)).toHaveLength(1);
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(1);
		const status = await run(sim, { resource: 'container', operation: 'getStatus', containerId });
		expect(status.outputs[0][0].json).toMatchObject({
			ready: false,
			published: true,
			statusCode: 'PUBLISHED',
		});
	});

	it('reports a processing error in Get Status with the subcode and hint', async () => {
		const created = await createContainer('reel', { mediaUrl: video(sim, 'duration=1') });
		sim.control.advanceClock(1000);
		const status = await run(sim, {
			resource: 'container',
			operation: 'getStatus',
			containerId: created.outputs[0][0].json.containerId as string,
		});
		expect(status.outputs[0][0].json).toMatchObject({
			ready: false,
			failed: true,
			statusCode: 'ERROR',
			errorSubcode: 2207026,
			hint: expect.any(String),
		});
	});

	it('returns published = false from Publish while the container is still processing (for a Wait loop)', async () => {
		sim.control.setSettings({ instagramVideoProcessingMs: 60_000 });
		const created = await createContainer('reel', { mediaUrl: video(sim) });
		const result = await run(sim, {
			resource: 'container',
			operation: 'publish',
			instagramAccountId: account(),
			containerId: created.outputs[0][0].json.containerId as string,
			options: { maxWaitSeconds: 0 },
		});
		expect(result.outputs[0][0].json).toMatchObject({ published: false, status: 'IN_PROGRESS' });
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(0);
	});
});

describe('Account', () => {
	it('gets the publishing limit (used, total, remaining, window)', async () => {
		const { outputs, error } = await run(sim, {
			resource: 'account',
			operation: 'getPublishingLimit',
			instagramAccountId: account(),
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toEqual({
			instagramAccountId: IG_BUSINESS,
			used: 3,
			total: 100,
			remaining: 97,
			windowSeconds: 86400,
			window: '24 hours (rolling)',
		});
		expect(requestsTo(sim, 'GET', /content_publishing_limit$/)[0].params).toEqual({
			fields: 'quota_usage,config',
		});
	});

	it('works with Instagram Login', async () => {
		const { outputs } = await run(sim, {
			authentication: 'instagramLogin',
			resource: 'account',
			operation: 'getPublishingLimit',
			instagramAccountId: account(IG_CREATOR),
		});
		expect(outputs[0][0].json).toMatchObject({
			instagramAccountId: IG_CREATOR,
			used: 0,
			remaining: 100,
		});
	});
});

describe('Instagram account list', () => {
	it("lists the accounts linked to the user's Pages, with username and Page", async () => {
		const result = await callListSearch(InstagramPublish, 'searchInstagramAccounts', {
			parameters: { authentication: 'accessToken' },
			credentials: credentialsFor(sim),
		});
		expect(result.results).toEqual(
			expect.arrayContaining([
				{
					name: '@cafe.aurora (Page: Cafe Aurora)',
					value: IG_BUSINESS,
					url: 'https://www.instagram.com/cafe.aurora/',
				},
				{
					name: '@aurora.studio (Page: Aurora Studio)',
					value: IG_CREATOR,
					url: 'https://www.instagram.com/aurora.studio/',
				},
			]),
		);
		const filtered = await callListSearch(InstagramPublish, 'searchInstagramAccounts', {
			parameters: { authentication: 'accessToken' },
			credentials: credentialsFor(sim),
			filter: 'studio',
		});
		expect(filtered.results.map((entry) => entry.value)).toEqual([IG_CREATOR]);
	});

	it("lists the Page's own account with a Page token", async () => {
		const result = await callListSearch(InstagramPublish, 'searchInstagramAccounts', {
			parameters: { authentication: 'accessToken' },
			credentials: credentialsFor(sim, 'EAADemoPageCafeAurora'),
		});
		expect(result.results).toEqual([
			{
				name: '@cafe.aurora (Page: Cafe Aurora)',
				value: IG_BUSINESS,
				url: 'https://www.instagram.com/cafe.aurora/',
			},
		]);
	});

	it('says why the list is empty when no Page has a linked Instagram account', async () => {
		for (const page of sim.control.world().pages.values()) page.instagramAccountId = null;
		await expect(
			callListSearch(InstagramPublish, 'searchInstagramAccounts', {
				parameters: { authentication: 'accessToken' },
				credentials: credentialsFor(sim),
			}),
		).rejects.toThrow(
			/None of your \d+ Facebook Page\(s\) has a linked Instagram professional account/,
		);
	});

	it("lists the token's own account with Instagram Login", async () => {
		const result = await callListSearch(InstagramPublish, 'searchInstagramAccounts', {
			parameters: { authentication: 'instagramLogin' },
			credentials: credentialsFor(sim),
		});
		expect(result.results).toEqual([
			{
				name: '@aurora.studio (Instagram Login)',
				value: IG_CREATOR,
				url: 'https://www.instagram.com/aurora.studio/',
			},
		]);
	});
});

describe('Instagram Login credential', () => {
	const limit = async (credential: Record<string, unknown>) =>
		await executeNode({
			node: InstagramPublish,
			parameters: {
				authentication: 'instagramLogin',
				resource: 'account',
				operation: 'getPublishingLimit',
				instagramAccountId: account(IG_CREATOR),
			},
			credentials: {
				metaBusinessInstagramLoginApi: {
					baseUrl: sim.baseUrl,
					graphApiVersion: 'v26.0',
					...credential,
				},
			},
		});
	const stored = () => JSON.stringify(lastCredentialsHelper()?.log.updates ?? []);

	it('exchanges a short-lived token for a long-lived one (ig_exchange_token) when the app secret is set', async () => {
		const secret = sim.control.world().apps.get('1234567890123456')!.secret;
		const { error } = await limit({ accessToken: IG_LOGIN_TOKEN, clientSecret: secret });
		expect(error).toBeUndefined();
		expect(stored()).toContain('IGAALong');
		expect(requestsTo(sim, 'GET', /^\/access_token$/)).toHaveLength(1);
		expect(requestsTo(sim, 'GET', /refresh_access_token$/)).toHaveLength(0);
	});

	it('refreshes a long-lived token older than 24 hours (ig_refresh_token) without the secret', async () => {
		const { error } = await limit({ accessToken: IG_LOGIN_TOKEN });
		expect(error).toBeUndefined();
		expect(requestsTo(sim, 'GET', /refresh_access_token$/)).toHaveLength(1);
		expect(stored()).toContain('IGAALong');
	});

	it('keeps using the pasted token when Meta cannot refresh it yet (younger than 24 hours)', async () => {
		sim.control.world().tokens.get(IG_LOGIN_TOKEN)!.issuedAgo = 60;
		const { outputs, error } = await limit({ accessToken: IG_LOGIN_TOKEN });
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ instagramAccountId: IG_CREATOR });
		expect(
			requestsTo(sim, 'GET', /refresh_access_token$/).map((request) => request.status),
		).toEqual([400]);
		expect(requestsTo(sim, 'GET', /content_publishing_limit$/)[0].status).toBe(200);
	});
});
