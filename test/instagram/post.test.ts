/** Post resource: every operation and option, through n8n-core, against the simulator over HTTP. */
import type { RunningSimulator } from '../../simulator';
import {
	IG_BUSINESS,
	IG_CREATOR,
	LOCATION_PAGE,
	account,
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

/** Runs a Post operation for the Business account; media from a public URL unless overridden. */
const publish = async (
	operation: string,
	parameters: Record<string, unknown>,
	options?: Parameters<typeof run>[2],
) =>
	await run(
		sim,
		{
			resource: 'post',
			operation,
			instagramAccountId: account(),
			mediaSource: 'url',
			...parameters,
		},
		options,
	);

const createParams = () => requestsTo(sim, 'POST', /\/media$/).map((request) => request.params);

describe('Publish Image', () => {
	it('publishes with every option and returns the post', async () => {
		const { outputs, error } = await publish('publishImage', {
			mediaUrl: image(sim),
			caption: 'Fresh bread #bakery @jane',
			options: {
				altText: 'Bread on a table',
				collaborators: 'jane.doe, @acme_shop',
				locationId: LOCATION_PAGE,
				userTags: { tags: [{ username: '@jane', x: 0.25, y: 0.75 }] },
			},
		});
		expect(error).toBeUndefined();
		const json = outputs[0][0].json;
		expect(json).toMatchObject({
			published: true,
			mediaId: expect.stringMatching(/^\d+$/),
			permalink: expect.stringMatching(/^https:\/\/www\.instagram\.com\/p\//),
			mediaType: 'IMAGE',
			mediaProductType: 'FEED',
			timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			containerId: expect.stringMatching(/^\d+$/),
			instagramAccountId: IG_BUSINESS,
		});
		expect(createParams()).toEqual([
			{
				image_url: image(sim),
				caption: 'Fresh bread #bakery @jane',
				alt_text: 'Bread on a table',
				location_id: LOCATION_PAGE,
				user_tags: JSON.stringify([{ username: 'jane', x: 0.25, y: 0.75 }]),
				collaborators: JSON.stringify(['jane.doe', 'acme_shop']),
			},
		]);
		const [post] = posts(sim);
		expect(post).toMatchObject({
			id: json.mediaId,
			caption: 'Fresh bread #bakery @jane',
			altText: 'Bread on a table',
		});
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(1);
	});

	it('publishes and reads the post back in one Graph batch request', async () => {
		const { outputs, error } = await publish('publishImage', {
			mediaUrl: image(sim),
		});
		expect(error).toBeUndefined();
		const [post] = posts(sim);
		expect(outputs[0][0].json).toMatchObject({
			published: true,
			mediaId: post.id,
			permalink: post.permalink,
		});
		const batches = sim.control.requests().filter((request) => request.batch);
		expect(batches).toHaveLength(1);
		expect(batches[0].batch).toEqual([
			{ method: 'POST', path: `/${IG_BUSINESS}/media_publish`, status: 200 },
			{ method: 'GET', path: `/${post.id}`, status: 200 },
		]);
		// No request of its own for the read.
		expect(sim.control.requests().filter((request) => request.path === `/${post.id}`)).toHaveLength(
			0,
		);
	});

	it('waits and publishes again when the publish inside the batch answers 9007 (not ready yet)', async () => {
		sim.control.setSettings({ instagramImageProcessingMs: 400 });
		const { outputs, error } = await publish('publishImage', {
			mediaUrl: image(sim),
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			published: true,
			mediaId: posts(sim)[0].id,
			permalink: posts(sim)[0].permalink,
		});
		expect(posts(sim)).toHaveLength(1);
		const publishes = sim.control
			.requests()
			.flatMap((request) => request.batch ?? [])
			.filter((operation) => operation.path.endsWith('/media_publish'));
		expect(publishes.map((operation) => operation.errorCode)).toEqual([9007, undefined]);
		expect(
			requestsTo(sim, 'GET', new RegExp(`^/${outputs[0][0].json.containerId}$`)).length,
		).toBeGreaterThan(0);
	});

	it('publishes with the Instagram Login credential (no Facebook Page), without a batch request', async () => {
		const { outputs, error } = await run(sim, {
			authentication: 'instagramLogin',
			resource: 'post',
			operation: 'publishImage',
			instagramAccountId: account(IG_CREATOR),
			mediaSource: 'url',
			mediaUrl: image(sim),
		});
		expect(error).toBeUndefined();
		const [post] = posts(sim, IG_CREATOR);
		expect(outputs[0][0].json).toMatchObject({
			published: true,
			instagramAccountId: IG_CREATOR,
			mediaId: post.id,
			permalink: post.permalink,
		});
		expect(posts(sim, IG_CREATOR)).toHaveLength(1);
		// graph.instagram.com is not documented to take batch requests: publish, then read.
		expect(sim.control.requests().filter((request) => request.batch)).toHaveLength(0);
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(1);
		expect(requestsTo(sim, 'GET', new RegExp(`^/${post.id}$`))).toHaveLength(1);
	});

	it("returns Meta's error with its code and the catalogue hint (aspect ratio 36003)", async () => {
		const { error } = await publish('publishImage', {
			mediaUrl: image(sim, 'width=1080&height=1920'),
		});
		expect(error?.name).toBe('NodeApiError');
		expect((error as any).context.meta).toMatchObject({ code: 36003, subcode: 2207009 });
		expect(String((error as any).description)).toMatch(/aspect/i);
		expect(posts(sim)).toHaveLength(0);
	});
});

describe('Publish Reel', () => {
	it('publishes from a URL with every reel option', async () => {
		const { outputs, error } = await publish('publishReel', {
			mediaUrl: video(sim),
			caption: 'Behind the scenes',
			options: {
				audioName: 'Morning Jam',
				collaborators: 'jane.doe',
				coverUrl: image(sim, 'width=1080&height=1920'),
				locationId: LOCATION_PAGE,
				shareToFeed: false,
				thumbOffset: 1500,
				userTags: { tags: [{ username: 'jane' }] },
				maxWaitSeconds: 30,
			},
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			published: true,
			mediaType: 'VIDEO',
			mediaProductType: 'REELS',
			permalink: expect.stringContaining('/reel/'),
		});
		expect(createParams()).toEqual([
			{
				media_type: 'REELS',
				video_url: video(sim),
				caption: 'Behind the scenes',
				location_id: LOCATION_PAGE,
				user_tags: JSON.stringify([{ username: 'jane' }]),
				collaborators: JSON.stringify(['jane.doe']),
				cover_url: image(sim, 'width=1080&height=1920'),
				thumb_offset: '1500',
				share_to_feed: 'false',
				audio_name: 'Morning Jam',
			},
		]);
		expect(posts(sim)[0].isSharedToFeed).toBe(false);
		// The video's status was read before the one publish: once, since the first read is due 0.5 s
		// after creation and the simulated video is ready after 0.3 s.
		expect(requestsTo(sim, 'GET', /^\/\d+$/)).toHaveLength(1);
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(1);
	});

	it('uploads a binary video with the resumable upload (no public URL)', async () => {
		const item = videoItem();
		const { outputs, error } = await run(
			sim,
			{
				resource: 'post',
				operation: 'publishReel',
				instagramAccountId: account(),
				mediaSource: 'binary',
				binaryPropertyName: 'data',
				caption: 'From a file',
			},
			{ items: [item] },
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ published: true, mediaProductType: 'REELS' });
		expect(createParams()).toEqual([
			{ media_type: 'REELS', upload_type: 'resumable', caption: 'From a file' },
		]);
		const uploads = requestsTo(sim, 'POST', /^\/ig-api-upload\/v26\.0\/\d+$/);
		expect(uploads).toHaveLength(1);
		expect(uploads[0].status).toBe(200);
		const container = sim.control
			.world()
			.state.instagram.containers.get(outputs[0][0].json.containerId);
		expect(container.upload.received.equals(Buffer.from(item.binary!.data.data, 'base64'))).toBe(
			true,
		);
	});
});

describe('Publish Carousel', () => {
	it('publishes images and videos (URL and binary) as one post', async () => {
		const { outputs, error } = await run(
			sim,
			{
				resource: 'post',
				operation: 'publishCarousel',
				instagramAccountId: account(),
				carouselInput: 'defined',
				carouselItems: {
					items: [
						{
							mediaType: 'image',
							mediaSource: 'url',
							mediaUrl: image(sim),
							altText: 'First',
							userTags: '[{"username": "jane", "x": 0.1, "y": 0.2}]',
						},
						{ mediaType: 'video', mediaSource: 'url', mediaUrl: video(sim) },
						{ mediaType: 'video', mediaSource: 'binary', binaryPropertyName: 'data' },
					],
				},
				caption: 'Our week',
				options: { locationId: LOCATION_PAGE, collaborators: 'acme_shop' },
			},
			{ items: [videoItem()] },
		);
		expect(error).toBeUndefined();
		const json = outputs[0][0].json;
		expect(json).toMatchObject({
			published: true,
			mediaType: 'CAROUSEL_ALBUM',
			childContainerIds: expect.any(Array),
		});
		expect(json.childContainerIds).toHaveLength(3);
		const params = createParams();
		expect(params.slice(0, 3)).toEqual(
			expect.arrayContaining([
				{
					is_carousel_item: 'true',
					image_url: image(sim),
					alt_text: 'First',
					user_tags: JSON.stringify([{ username: 'jane', x: 0.1, y: 0.2 }]),
				},
				{ media_type: 'VIDEO', is_carousel_item: 'true', video_url: video(sim) },
				{ media_type: 'VIDEO', is_carousel_item: 'true', upload_type: 'resumable' },
			]),
		);
		expect(params[3]).toEqual({
			media_type: 'CAROUSEL',
			children: (json.childContainerIds as string[]).join(','),
			caption: 'Our week',
			location_id: LOCATION_PAGE,
			collaborators: JSON.stringify(['acme_shop']),
		});
		expect(posts(sim).filter((post) => post.mediaType === 'CAROUSEL_ALBUM')).toHaveLength(1);
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(1);
	});

	it('takes the items from JSON (e.g. an expression)', async () => {
		const { outputs, error } = await run(
			sim,
			{
				resource: 'post',
				operation: 'publishCarousel',
				instagramAccountId: account(),
				carouselInput: 'json',
				carouselItemsJson: '={{ $json.media }}',
				caption: 'From JSON',
			},
			{
				items: [
					{
						json: {
							media: [
								{ mediaType: 'image', mediaUrl: image(sim) },
								{
									mediaType: 'image',
									mediaUrl: image(sim, 'width=1080&height=1080'),
									altText: 'Square',
								},
							],
						},
					},
				],
			},
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ published: true, mediaType: 'CAROUSEL_ALBUM' });
	});

	it('names the failing carousel item when Meta rejects it', async () => {
		const { error } = await publish('publishCarousel', {
			carouselInput: 'defined',
			carouselItems: {
				items: [
					{ mediaType: 'image', mediaSource: 'url', mediaUrl: image(sim) },
					{
						mediaType: 'image',
						mediaSource: 'url',
						mediaUrl: `${sim.fixturesBaseUrl}/fixtures/image.png?width=1080&height=1080`,
					},
				],
			},
		});
		expect(error?.message).toMatch(/^Carousel item 2: /);
		expect((error as any).context.meta).toMatchObject({ code: 36001, subcode: 2207005 });
		expect(posts(sim)).toHaveLength(0);
	});
});

describe('Publish Story', () => {
	it('publishes an image story with a user tag', async () => {
		const { outputs, error } = await publish('publishStory', {
			storyMediaType: 'image',
			mediaSource: 'url',
			mediaUrl: image(sim, 'width=1080&height=1920'),
			options: { userTags: { tags: [{ username: 'jane', x: 0.5, y: 0.5 }] } },
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			published: true,
			mediaProductType: 'STORY',
			mediaType: 'IMAGE',
		});
		expect(createParams()[0]).toEqual({
			media_type: 'STORIES',
			image_url: image(sim, 'width=1080&height=1920'),
			user_tags: JSON.stringify([{ username: 'jane', x: 0.5, y: 0.5 }]),
		});
	});

	it('publishes a video story from binary data', async () => {
		const { outputs, error } = await run(
			sim,
			{
				resource: 'post',
				operation: 'publishStory',
				instagramAccountId: account(),
				storyMediaType: 'video',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
			},
			{ items: [videoItem('duration=15&bytes=100000')] },
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			published: true,
			mediaProductType: 'STORY',
			mediaType: 'VIDEO',
		});
		expect(requestsTo(sim, 'POST', /^\/ig-api-upload\//)).toHaveLength(1);
	});
});

describe('waiting', () => {
	it('returns the container and its status when Max Wait runs out, and Container > Publish finishes it later', async () => {
		sim.control.setSettings({ instagramVideoProcessingMs: 60_000 });
		const { outputs, error } = await publish('publishReel', {
			mediaUrl: video(sim),
			caption: 'Long one',
			options: { maxWaitSeconds: 1 },
		});
		expect(error).toBeUndefined();
		const pending = outputs[0][0].json;
		expect(pending).toMatchObject({
			published: false,
			status: 'IN_PROGRESS',
			containerId: expect.any(String),
		});
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(0);

		const status = await run(sim, {
			resource: 'container',
			operation: 'getStatus',
			containerId: pending.containerId as string,
		});
		expect(status.outputs[0][0].json).toMatchObject({ ready: false, statusCode: 'IN_PROGRESS' });

		sim.control.advanceClock(60_000);
		const ready = await run(sim, {
			resource: 'container',
			operation: 'getStatus',
			containerId: pending.containerId as string,
		});
		expect(ready.outputs[0][0].json).toMatchObject({
			ready: true,
			statusCode: 'FINISHED',
			status: expect.stringContaining('Finished'),
		});
		const published = await run(sim, {
			resource: 'container',
			operation: 'publish',
			instagramAccountId: account(),
			containerId: pending.containerId as string,
		});
		expect(published.outputs[0][0].json).toMatchObject({
			published: true,
			mediaProductType: 'REELS',
			containerId: pending.containerId as string,
		});
		expect(posts(sim)).toHaveLength(1);
	});

	it('waits on carousel children in parallel against one deadline and returns them when it passes', async () => {
		sim.control.setSettings({ instagramVideoProcessingMs: 60_000 });
		const { outputs } = await publish('publishCarousel', {
			carouselInput: 'defined',
			carouselItems: {
				items: [
					{ mediaType: 'video', mediaSource: 'url', mediaUrl: video(sim) },
					{ mediaType: 'video', mediaSource: 'url', mediaUrl: video(sim) },
				],
			},
			options: { maxWaitSeconds: 1 },
		});
		expect(outputs[0][0].json).toMatchObject({
			published: false,
			status: 'IN_PROGRESS',
			containerId: null,
		});
		expect(outputs[0][0].json.childContainerIds).toHaveLength(2);
		expect(requestsTo(sim, 'POST', /\/media$/)).toHaveLength(2);
	});
});
