/**
 * Faults: a lost publish answer, transient failures, expired containers, processing errors, an
 * exhausted quota, a token revoked mid-run and n8n's Retry On Fail. In none may a post be
 * duplicated or an item be lost.
 */
import type { RunningSimulator } from '../../simulator';
import {
	IG_BUSINESS,
	PUBLISH_REQUEST,
	USER_TOKEN,
	account,
	image,
	posts,
	requestsTo,
	run,
	startDemo,
	video,
} from './helpers';

let sim: RunningSimulator;
beforeAll(async () => {
	sim = await startDemo();
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.control.reset());

const publishImage = (caption: string, extra: Record<string, unknown> = {}) => ({
	resource: 'post',
	operation: 'publishImage',
	instagramAccountId: account(),
	mediaSource: 'url',
	mediaUrl: image(sim),
	caption,
	...extra,
});

describe('lost publish answer', () => {
	it('checks the container, finds it PUBLISHED, and returns the post without publishing again', async () => {
		sim.control.injectFault({ kind: 'dropAfterProcessing', ...PUBLISH_REQUEST });
		const { outputs, error } = await run(sim, publishImage('Lost answer'));
		expect(error).toBeUndefined();
		const [post] = posts(sim);
		expect(posts(sim)).toHaveLength(1);
		expect(outputs[0][0].json).toMatchObject({
			published: true,
			alreadyPublished: true,
			mediaId: post.id,
			permalink: post.permalink,
		});
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(1);
		// How the post was found: the container's status, then the account's latest posts.
		expect(requestsTo(sim, 'GET', new RegExp(`^/${outputs[0][0].json.containerId}$`))).toHaveLength(
			1,
		);
		expect(requestsTo(sim, 'GET', new RegExp(`^/${IG_BUSINESS}/media$`))).toHaveLength(1);
	});

	it('recovers a carousel and a story the same way', async () => {
		sim.control.injectFault({ kind: 'dropAfterProcessing', ...PUBLISH_REQUEST, times: 2 });
		const carousel = await run(sim, {
			resource: 'post',
			operation: 'publishCarousel',
			instagramAccountId: account(),
			carouselInput: 'json',
			carouselItemsJson: JSON.stringify([
				{ mediaType: 'image', mediaUrl: image(sim) },
				{ mediaType: 'image', mediaUrl: image(sim) },
			]),
			caption: 'Album, answer lost',
		});
		const story = await run(sim, {
			resource: 'post',
			operation: 'publishStory',
			instagramAccountId: account(),
			storyMediaType: 'image',
			mediaSource: 'url',
			mediaUrl: image(sim),
		});
		const album = posts(sim).find((post) => post.mediaType === 'CAROUSEL_ALBUM')!;
		const storyPost = posts(sim).find((post) => post.mediaProductType === 'STORY')!;
		expect(carousel.outputs[0][0].json).toMatchObject({
			published: true,
			alreadyPublished: true,
			mediaId: album.id,
			mediaType: 'CAROUSEL_ALBUM',
		});
		expect(story.outputs[0][0].json).toMatchObject({
			published: true,
			alreadyPublished: true,
			mediaId: storyPost.id,
			mediaProductType: 'STORY',
		});
		expect(posts(sim)).toHaveLength(2);
		expect(requestsTo(sim, 'GET', new RegExp(`^/${IG_BUSINESS}/stories$`))).toHaveLength(1);
	});

	it('publishes once more when the container shows the first attempt did not go through', async () => {
		sim.control.injectFault({ kind: 'reset', ...PUBLISH_REQUEST });
		const { outputs, error } = await run(sim, publishImage('Reset before processing'));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ published: true, mediaId: posts(sim)[0].id });
		expect(posts(sim)).toHaveLength(1);
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(2);
	});

	it('treats a transient 5xx on publish the same way', async () => {
		sim.control.injectFault({ kind: 'http503', ...PUBLISH_REQUEST });
		const { outputs, error } = await run(sim, publishImage('Transient'));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json.published).toBe(true);
		expect(posts(sim)).toHaveLength(1);
	});

	it('never repeats a publish more than once: a second ambiguous failure is reported', async () => {
		sim.control.injectFault({ kind: 'reset', ...PUBLISH_REQUEST, times: 2 });
		const { outputs, error } = await run(sim, publishImage('Twice reset'), {
			settings: { onError: 'continueRegularOutput' },
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			error: expect.any(String),
			message: expect.any(String),
			details: { status: 'unknown', containerId: expect.any(String), itemIndex: 0 },
		});
		expect(Object.keys(outputs[0][0].json).sort()).toEqual(['details', 'error', 'message']);
		expect(posts(sim)).toHaveLength(0);
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(2);
	});
});

describe("n8n's Retry On Fail", () => {
	it('does not publish an item twice when the node is re-run after a failure', async () => {
		// Item 0 publishes; item 1's publish is reset twice, so the node fails and n8n re-runs it with
		// the same two items. Item 0 must not be posted again; item 1 reuses its container.
		const items = [{ json: { caption: 'First post' } }, { json: { caption: 'Second post' } }];
		const world = sim.control.world();
		const seen = () => requestsTo(sim, 'POST', /media_publish$/).length;
		const execution = run(sim, publishImage('={{ $json.caption }}'), {
			items,
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		});
		// Arm the fault once the first publish has gone through.
		for (let i = 0; i < 2000 && seen() < 1; i++)
			await new Promise((resolve) => setTimeout(resolve, 1));
		sim.control.injectFault({ kind: 'reset', ...PUBLISH_REQUEST, times: 2 });
		const { outputs, error } = await execution;
		const publishCalls = seen();
		expect(error).toBeUndefined();
		const captions = posts(sim)
			.map((post) => post.caption)
			.sort();
		expect(captions).toEqual(['First post', 'Second post']);
		expect(outputs[0]).toHaveLength(2);
		// The re-run found item 0 already published in this execution.
		expect(outputs[0][0].json).toMatchObject({ published: true, alreadyPublished: true });
		expect(outputs[0][0].json.mediaId).toBe(
			posts(sim).find((post) => post.caption === 'First post')!.id,
		);
		expect(outputs[0][1].json.mediaId).toBe(
			posts(sim).find((post) => post.caption === 'Second post')!.id,
		);
		// 1 (item 0) + 2 reset (item 1) + 1 on the retry (item 1). Item 0 is not published again.
		expect(publishCalls).toBe(4);
		expect(requestsTo(sim, 'POST', /\/media$/)).toHaveLength(2);
		expect(world.state.instagram.containers.size).toBe(2);
	});

	it('still publishes two identical items of one run twice (they are two posts)', async () => {
		const { outputs, error } = await run(sim, publishImage('Same'), {
			items: [{ json: {} }, { json: {} }],
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(2);
		expect(posts(sim)).toHaveLength(2);
	});
});

describe('container states', () => {
	it('reports an expired container (advanced clock) with the hint, and never publishes it', async () => {
		const created = await run(sim, {
			resource: 'container',
			operation: 'create',
			instagramAccountId: account(),
			containerType: 'image',
			mediaSource: 'url',
			mediaUrl: image(sim),
		});
		const containerId = created.outputs[0][0].json.containerId as string;
		sim.control.advanceClock(24 * 3600 * 1000 + 1000);
		const status = await run(sim, { resource: 'container', operation: 'getStatus', containerId });
		expect(status.outputs[0][0].json).toMatchObject({
			ready: false,
			failed: true,
			statusCode: 'EXPIRED',
		});
		const published = await run(sim, {
			resource: 'container',
			operation: 'publish',
			instagramAccountId: account(),
			containerId,
		});
		expect(published.error?.message).toMatch(/expired/);
		expect(String((published.error as any).description)).toMatch(/24 hours/);
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(0);
		expect(posts(sim)).toHaveLength(0);
	});

	it('fails an item whose media Meta could not process (ERROR) with the subcode hint, keeping the others', async () => {
		const { outputs, error } = await run(
			sim,
			{
				resource: 'post',
				operation: 'publishReel',
				instagramAccountId: account(),
				mediaSource: 'url',
				mediaUrl: '={{ $json.url }}',
			},
			{
				items: [{ json: { url: `${video(sim)}&processing=error` } }, { json: { url: video(sim) } }],
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(2);
		expect(outputs[0][0].json).toMatchObject({
			error: 'Media upload failed',
			message: expect.stringContaining('subcode 2207082'),
			details: { status: 'failed', subcode: 2207082, containerId: expect.any(String) },
		});
		expect(outputs[0][1].json).toMatchObject({ published: true });
		expect(posts(sim)).toHaveLength(1);
	});
});

describe('quota exhausted', () => {
	it('returns 9/2207042 with the hint and the ready container, per item', async () => {
		sim.control.world().instagramAccounts.get(IG_BUSINESS)!.quotaTotal = 3; // 3 already used
		const { outputs, error } = await run(sim, publishImage('Over quota'), {
			items: [{ json: {} }, { json: {} }],
			settings: { onError: 'continueRegularOutput' },
		});
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(2);
		for (const [index, item] of outputs[0].entries()) {
			expect(item.json).toMatchObject({
				details: {
					status: 'failed',
					code: 9,
					subcode: 2207042,
					containerId: expect.any(String),
					itemIndex: index,
				},
			});
			expect(item.pairedItem).toEqual({ item: index });
		}
		expect(posts(sim)).toHaveLength(0);
		const limit = await run(sim, {
			resource: 'account',
			operation: 'getPublishingLimit',
			instagramAccountId: account(),
		});
		expect(limit.outputs[0][0].json).toMatchObject({ used: 3, total: 3, remaining: 0 });
	});
});

describe('token revoked mid-run', () => {
	it('keeps the published item, fails the rest with 190, and posts nothing twice', async () => {
		sim.control.setSettings({ instagramVideoProcessingMs: 400 });
		const execution = run(
			sim,
			{
				resource: 'post',
				operation: 'publishReel',
				instagramAccountId: account(),
				mediaSource: 'url',
				mediaUrl: video(sim),
				caption: '={{ $json.caption }}',
			},
			{
				items: [
					{ json: { caption: 'one' } },
					{ json: { caption: 'two' } },
					{ json: { caption: 'three' } },
				],
				settings: { onError: 'continueRegularOutput' },
			},
		);
		// Revoke once the second item's container exists.
		for (let i = 0; i < 5000 && requestsTo(sim, 'POST', /\/media$/).length < 2; i++) {
			await new Promise((resolve) => setTimeout(resolve, 1));
		}
		sim.control.revokeToken(USER_TOKEN, 467);
		const { outputs, error } = await execution;
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(3);
		expect(outputs[0][0].json).toMatchObject({ published: true });
		expect(outputs[0][1].json).toMatchObject({
			details: { code: 190, containerId: expect.any(String) },
		});
		expect(outputs[0][2].json).toMatchObject({ details: { code: 190 } });
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(posts(sim).map((post) => post.caption)).toEqual(['one']);
		for (const item of outputs[0]) expect(JSON.stringify(item.json)).not.toContain(USER_TOKEN);
	});
});

describe('read-back fails after the publish', () => {
	it('returns the published post id with a note, and publishes once', async () => {
		// Publishing without instagram_basic: Meta publishes but refuses to read the post.
		const token = sim.control.world().tokens.get(USER_TOKEN)!;
		token.scopes = token.scopes.filter((scope) => scope !== 'instagram_basic');
		const { outputs, error } = await run(sim, publishImage('Read refused'));
		expect(error).toBeUndefined();
		const [post] = posts(sim);
		expect(posts(sim)).toHaveLength(1);
		expect(outputs[0][0].json).toMatchObject({
			published: true,
			mediaId: post.id,
			permalink: null,
			note: expect.stringMatching(
				/^Published, but reading the post back failed: .*instagram_basic/,
			),
		});
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(1);
	});
});

describe('lost upload answer', () => {
	it('sends the video again from byte 0 and publishes once', async () => {
		const { videoItem } = await import('./helpers');
		sim.control.injectFault({
			kind: 'dropAfterProcessing',
			method: 'POST',
			path: '^/ig-api-upload/',
		});
		const { outputs, error } = await run(
			sim,
			{
				resource: 'post',
				operation: 'publishReel',
				instagramAccountId: account(),
				mediaSource: 'binary',
				binaryPropertyName: 'data',
				caption: 'Upload',
			},
			{ items: [videoItem()] },
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ published: true });
		expect(requestsTo(sim, 'POST', /^\/ig-api-upload\//)).toHaveLength(2);
		expect(requestsTo(sim, 'POST', /\/media$/)).toHaveLength(1);
		expect(posts(sim)).toHaveLength(1);
	});
});
