/** Bad input stops BEFORE any request, with a NodeOperationError naming the field. */
import { binaryItem } from '../helpers/harness';
import type { RunningSimulator } from '../../simulator';
import { account, image, run, startDemo, video, videoItem } from './helpers';

let sim: RunningSimulator;
beforeAll(async () => {
	sim = await startDemo();
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.control.reset());

const imagePost = (extra: Record<string, unknown>) => ({
	resource: 'post',
	operation: 'publishImage',
	instagramAccountId: account(),
	mediaSource: 'url',
	mediaUrl: image(sim),
	...extra,
});

const carousel = (count: number) => ({
	resource: 'post',
	operation: 'publishCarousel',
	instagramAccountId: account(),
	carouselInput: 'defined',
	carouselItems: {
		items: Array.from({ length: count }, () => ({
			mediaType: 'image',
			mediaSource: 'url',
			mediaUrl: image(sim),
		})),
	},
});

const pngItem = () =>
	binaryItem(Buffer.from('89504e470d0a1a0a', 'hex'), { mimeType: 'image/png', fileName: 'a.png' });

const cases: Array<[string, () => Record<string, unknown>, RegExp, (() => any[])?]> = [
	[
		'caption over 2,200 characters',
		() => imagePost({ caption: 'a'.repeat(2201) }),
		/^Caption is 2201 characters long/,
	],
	[
		'over 30 hashtags',
		() => imagePost({ caption: Array.from({ length: 31 }, (_, i) => `#tag${i}`).join(' ') }),
		/^Caption has 31 hashtags/,
	],
	[
		'over 20 mentions',
		() => imagePost({ caption: Array.from({ length: 21 }, (_, i) => `@user${i}`).join(' ') }),
		/^Caption mentions 21 accounts/,
	],
	['a carousel of 1', () => carousel(1), /^Carousel Items has 1 item; a carousel needs 2 to 10/],
	['a carousel of 11', () => carousel(11), /^Carousel Items has 11 items/],
	[
		'a URL that is not a web address',
		() => imagePost({ mediaUrl: 'ftp://example.com/a.jpg' }),
		/^Image URL must start with https:\/\//,
	],
	['a malformed URL', () => imagePost({ mediaUrl: 'not a url' }), /^Image URL is not a valid URL/],
	[
		'an empty URL',
		() => imagePost({ mediaUrl: '={{ $json.url }}' }),
		/^Image URL is empty/,
		() => [{ json: { url: '' } }],
	],
	[
		'a malformed cover URL',
		() => ({
			...imagePost({}),
			operation: 'publishReel',
			mediaUrl: video(sim),
			options: { coverUrl: 'ftp://x/y.jpg' },
		}),
		/^Cover URL must start with https/,
	],
	[
		'a tag X outside 0 to 1',
		() => imagePost({ options: { userTags: { tags: [{ username: 'jane', x: 1.5, y: 0.5 }] } } }),
		/User Tags > Tag 1: X must be between 0 and 1/,
	],
	[
		'a tag Y below 0',
		() => imagePost({ options: { userTags: { tags: [{ username: 'jane', x: 0.5, y: -0.1 }] } } }),
		/User Tags > Tag 1: Y must be between 0 and 1/,
	],
	[
		'a tag without username',
		() => imagePost({ options: { userTags: { tags: [{ username: ' ', x: 0.5, y: 0.5 }] } } }),
		/User Tags > Tag 1: .* is not an Instagram username/,
	],
	[
		'alt text over 1,000 characters',
		() => imagePost({ options: { altText: 'a'.repeat(1001) } }),
		/^Alt Text is 1001 characters long/,
	],
	[
		'four collaborators',
		() => imagePost({ options: { collaborators: 'a, b, c, d' } }),
		/^Collaborators lists 4 accounts/,
	],
	[
		'a location that is not a Page ID',
		() => imagePost({ options: { locationId: 'Paris' } }),
		/^Location ID "Paris" is not a Facebook Page ID/,
	],
	[
		'a negative thumbnail offset',
		() => ({
			...imagePost({}),
			operation: 'publishReel',
			mediaUrl: video(sim),
			options: { thumbOffset: -1 },
		}),
		/^Thumbnail Offset must be a whole number/,
	],
	[
		'a caption on a story',
		() => ({
			resource: 'container',
			operation: 'create',
			instagramAccountId: account(),
			containerType: 'storyImage',
			mediaSource: 'url',
			mediaUrl: image(sim),
			caption: 'Hi',
		}),
		/^Caption: stories cannot have a caption/,
	],
	[
		'a caption on a carousel item',
		() => ({
			resource: 'container',
			operation: 'create',
			instagramAccountId: account(),
			containerType: 'carouselImageItem',
			mediaSource: 'url',
			mediaUrl: image(sim),
			caption: 'Hi',
		}),
		/^Caption: carousel items cannot have a caption/,
	],
	[
		'an unsupported binary media type',
		() => ({
			...imagePost({}),
			operation: 'publishReel',
			mediaSource: 'binary',
			binaryPropertyName: 'data',
		}),
		/^Input Binary Field: unsupported media type "application\/pdf"/,
		() => [binaryItem(Buffer.from('%PDF-1.4'), { mimeType: 'application/pdf', fileName: 'a.pdf' })],
	],
	[
		'an unsupported carousel media type',
		() => ({
			...carousel(2),
			carouselInput: 'json',
			carouselItemsJson: JSON.stringify([
				{ mediaType: 'gif', mediaUrl: image(sim) },
				{ mediaType: 'image', mediaUrl: image(sim) },
			]),
		}),
		/^Carousel item 1: unsupported media type "gif"/,
	],
	[
		// Publish Image offers no binary source any more; a story image can still be set to binary.
		'an image from binary data',
		() => ({
			...imagePost({ mediaSource: 'binary', binaryPropertyName: 'data' }),
			operation: 'publishStory',
			storyMediaType: 'image',
		}),
		/^Media Source: images cannot be uploaded as binary data/,
		() => [pngItem()],
	],
	[
		'an image file given to a reel',
		() => ({
			...imagePost({}),
			operation: 'publishReel',
			mediaSource: 'binary',
			binaryPropertyName: 'data',
		}),
		/^Input Binary Field: images cannot be uploaded as binary data/,
		() => [pngItem()],
	],
	[
		'a missing binary field',
		() => ({
			...imagePost({}),
			operation: 'publishReel',
			mediaSource: 'binary',
			binaryPropertyName: 'video',
		}),
		/^Input Binary Field: the input item has no binary field "video"/,
		() => [videoItem()],
	],
	[
		'tags on a carousel video',
		() => ({
			...carousel(2),
			carouselInput: 'json',
			carouselItemsJson: JSON.stringify([
				{ mediaType: 'video', mediaUrl: video(sim), userTags: [{ username: 'a' }] },
				{ mediaType: 'image', mediaUrl: image(sim) },
			]),
		}),
		/^Carousel item 1: videos inside a carousel cannot be tagged/,
	],
	[
		'an empty Instagram account',
		() =>
			imagePost({ instagramAccountId: { __rl: true, mode: 'id', value: '={{ $json.account }}' } }),
		/^Instagram Account is empty/,
		() => [{ json: { account: '' } }],
	],
	[
		'a container ID that is not one',
		() => ({ resource: 'container', operation: 'getStatus', containerId: 'abc' }),
		/^Container ID "abc" is not a container ID/,
	],
	[
		'a carousel container with one child',
		() => ({
			resource: 'container',
			operation: 'create',
			instagramAccountId: account(),
			containerType: 'carousel',
			children: '123',
		}),
		/^Children has 1 container ID; a carousel needs 2 to 10/,
	],
	[
		'carousel JSON that is not JSON',
		() => ({ ...carousel(2), carouselInput: 'json', carouselItemsJson: '[{"mediaType": ' }),
		/^Carousel Items \(JSON\) is not valid JSON/,
	],
	[
		'carousel JSON that is not an array',
		() => ({ ...carousel(2), carouselInput: 'json', carouselItemsJson: '{"mediaType": "image"}' }),
		/^Carousel Items \(JSON\) must be an array/,
	],
	[
		'a carousel item URL that is not a web address',
		() => ({
			...carousel(2),
			carouselInput: 'json',
			carouselItemsJson: JSON.stringify([
				{ mediaType: 'image', mediaUrl: image(sim) },
				{ mediaType: 'image', mediaUrl: 'ftp://example.com/b.jpg' },
			]),
		}),
		/^Carousel item 2 media must start with https/,
	],
	[
		'carousel item alt text over 1,000 characters',
		() => ({
			...carousel(2),
			carouselInput: 'json',
			carouselItemsJson: JSON.stringify([
				{ mediaType: 'image', mediaUrl: image(sim), altText: 'a'.repeat(1001) },
				{ mediaType: 'image', mediaUrl: image(sim) },
			]),
		}),
		/^Carousel item 1 alt text is 1001 characters long/,
	],
	[
		'carousel item user tags that are not a JSON array',
		() => ({
			...carousel(2),
			carouselItems: {
				items: [
					{ mediaType: 'image', mediaSource: 'url', mediaUrl: image(sim), userTags: 'jane' },
					{ mediaType: 'image', mediaSource: 'url', mediaUrl: image(sim) },
				],
			},
		}),
		/^Carousel item 1 user tags must be a JSON array of tags/,
	],
	[
		'carousel children that are not IDs',
		() => ({
			resource: 'container',
			operation: 'create',
			instagramAccountId: account(),
			containerType: 'carousel',
			children: '123, abc',
		}),
		/^Children: "abc" is not a container ID/,
	],
];

it.each(cases.map(([name, parameters, message, items]) => ({ name, parameters, message, items })))(
	'rejects $name before any request',
	async ({ parameters, message, items }) => {
		const { error } = await run(sim, parameters(), { items: items?.() });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(String((error as any).description ?? '')).not.toBe('');
		expect(sim.control.requests()).toEqual([]);
	},
);

it('says in the error how to publish an image that is a file', async () => {
	const { error } = await run(
		sim,
		{
			...imagePost({ mediaSource: 'binary', binaryPropertyName: 'data' }),
			operation: 'publishStory',
			storyMediaType: 'image',
		},
		{ items: [pngItem()] },
	);
	expect(String((error as any).description)).toMatch(/only fetches images from a public URL/);
});

it('Publish Image offers no binary source: its image always comes from the Image URL', async () => {
	const { InstagramPublish } = await import('../../nodes/Meta/Instagram/InstagramPublish.node');
	const shown = new InstagramPublish().description.properties.filter((p) =>
		(p.displayOptions?.show?.operation as string[] | undefined)?.includes('publishImage'),
	);
	expect(shown.map((p) => p.name)).not.toContain('mediaSource');
	expect(shown.map((p) => p.name)).toContain('mediaUrl');
	expect(
		shown.find((p) => p.name === 'mediaUrl')?.displayOptions?.show?.mediaSource,
	).toBeUndefined();
	// A saved workflow that still says binary is published from its URL, never refused by a hidden field.
	const { outputs, error } = await run(
		sim,
		imagePost({ mediaSource: 'binary', binaryPropertyName: 'data' }),
		{ items: [pngItem()] },
	);
	expect(error).toBeUndefined();
	expect(outputs[0][0].json).toMatchObject({ published: true });
});

it('stops only the bad item with Continue On Fail', async () => {
	const { outputs, error } = await run(sim, imagePost({ caption: '={{ $json.caption }}' }), {
		items: [{ json: { caption: 'fine' } }, { json: { caption: 'x'.repeat(3000) } }],
		settings: { onError: 'continueRegularOutput' },
	});
	expect(error).toBeUndefined();
	expect(outputs[0][0].json.published).toBe(true);
	expect(outputs[0][1].json).toMatchObject({
		error: expect.stringMatching(/^Caption is 3000 characters long/),
		details: { itemIndex: 1 },
	});
	expect(sim.control.requests().filter((request) => request.path.endsWith('/media'))).toHaveLength(
		1,
	);
});

it('routes bad items to the error output with continueErrorOutput', async () => {
	const { outputs, error } = await run(sim, imagePost({ caption: '={{ $json.caption }}' }), {
		items: [{ json: { caption: 'fine' } }, { json: { caption: 'x'.repeat(3000) } }],
		settings: { onError: 'continueErrorOutput' },
	});
	expect(error).toBeUndefined();
	expect(outputs[0].map((item) => item.json.published)).toEqual([true]);
	expect(outputs[1]).toHaveLength(1);
	expect(outputs[1][0].json.error).toMatch(/^Caption is 3000 characters long/);
	expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
});

it('gives the error output the same error item as the regular output, merged with the input item', async () => {
	const parameters = imagePost({ mediaUrl: '={{ $json.url }}', caption: '={{ $json.caption }}' });
	const items = () => [
		{ json: { url: image(sim), caption: 'fine' } },
		{ json: { url: image(sim, 'width=1080&height=1920'), caption: 'Too tall' } },
		{ json: { url: image(sim), caption: 'x'.repeat(3000) } },
	];
	const regular = await run(sim, parameters, {
		items: items(),
		settings: { onError: 'continueRegularOutput' },
	});
	sim.control.reset();
	const routed = await run(sim, parameters, {
		items: items(),
		settings: { onError: 'continueErrorOutput' },
	});
	expect(regular.error).toBeUndefined();
	expect(routed.error).toBeUndefined();
	expect(routed.outputs[0].map((item) => item.json.published)).toEqual([true]);
	expect(routed.outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);

	const [metaRefusal, badInput] = routed.outputs[1].map((item) => item.json);
	expect(metaRefusal).toMatchObject({
		caption: 'Too tall',
		error: expect.any(String),
		message: expect.stringMatching(/\S/),
		details: {
			status: 'failed',
			code: 36003,
			subcode: 2207009,
			fbtraceId: expect.any(String),
			docsUrl: expect.stringMatching(/^https:\/\//),
			itemIndex: 1,
		},
	});
	expect(badInput).toMatchObject({
		error: expect.stringMatching(/^Caption is 3000 characters long/),
		message: expect.stringMatching(/\S/),
		details: { status: 'failed', itemIndex: 2 },
	});
	expect(badInput.details).not.toHaveProperty('code');
	// Same item on the regular output, minus the input fields n8n merges into the error output.
	// (Each run has its own fbtrace_id and container ID.)
	const comparable = (json: Record<string, unknown>) =>
		JSON.parse(
			JSON.stringify({ error: json.error, message: json.message, details: json.details })
				.replace(/(fbtrace_id |"fbtraceId":")[\w-]+/g, '$1*')
				.replace(/"containerId":"\d+"/g, '"containerId":"*"'),
		);
	for (const index of [1, 2]) {
		expect(Object.keys(regular.outputs[0][index].json).sort()).toEqual([
			'details',
			'error',
			'message',
		]);
		expect(comparable(regular.outputs[0][index].json)).toEqual(
			comparable(routed.outputs[1][index - 1].json),
		);
	}
});
