/**
 * Hardening (issue 11) over real HTTP against the simulator: unreadable answers are an unknown
 * outcome, expression values are checked by type before any request, a failing run names what it
 * already published, `(#10)` on container creation leads with the Page role, and http media URLs
 * are sent with a warning.
 */
import http from 'http';
import type { AddressInfo } from 'net';

import type { RunningSimulator } from '../../simulator';
import { buildFixture } from '../../simulator/engine/media';
import { IG_BUSINESS, account, image, posts, requestsTo, run, startDemo } from './helpers';

let sim: RunningSimulator;
beforeAll(async () => {
	sim = await startDemo();
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.control.reset());

const publishImage = (extra: Record<string, unknown> = {}) => ({
	resource: 'post',
	operation: 'publishImage',
	instagramAccountId: account(),
	mediaSource: 'url',
	mediaUrl: image(sim),
	caption: 'Hello',
	...extra,
});

describe('unreadable answers', () => {
	it('creates the container again after a 200 that cannot be read, and publishes it once', async () => {
		sim.control.injectFault({ kind: 'malformedJson', method: 'POST', path: '/media$' });
		const { outputs, error } = await run(sim, publishImage());
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ published: true, mediaId: posts(sim)[0].id });
		expect(requestsTo(sim, 'POST', /\/media$/)).toHaveLength(2);
		const publishes = requestsTo(sim, 'POST', /media_publish$/);
		expect(publishes).toHaveLength(1);
		expect(JSON.stringify(publishes[0].params)).not.toContain('undefined');
		expect(posts(sim)).toHaveLength(1);
	});

	it('reports an unknown outcome, and publishes nothing, when no container creation answer can be read', async () => {
		sim.control.injectFault({ kind: 'malformedJson', method: 'POST', path: '/media$', times: 2 });
		const { outputs, error } = await run(sim, publishImage(), {
			settings: { onError: 'continueRegularOutput' },
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			error: expect.stringMatching(/could not be read/),
			details: { status: 'unknown', itemIndex: 0 },
		});
		expect(JSON.stringify(outputs[0][0].json)).not.toMatch(/not found|undefined/);
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(0);
		expect(posts(sim)).toHaveLength(0);
	});

	it('checks the container after a media_publish answer without an id (Instagram Login), and publishes once', async () => {
		sim.control.injectFault({ kind: 'malformedJson', method: 'POST', path: 'media_publish$' });
		const { outputs, error } = await run(sim, {
			...publishImage({ instagramAccountId: account('17841400000000002') }),
			authentication: 'instagramLogin',
		});
		expect(error).toBeUndefined();
		const [post] = posts(sim, '17841400000000002');
		expect(outputs[0][0].json).toMatchObject({ published: true, mediaId: post.id });
		expect(posts(sim, '17841400000000002')).toHaveLength(1);
		// The first answer was unreadable; the container said FINISHED, so it was sent once more.
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(2);
	});
});

describe('values from expressions are checked by type before any request', () => {
	const cases: Array<[string, Record<string, unknown>, RegExp]> = [
		[
			'a null caption',
			{ caption: '={{ null }}' },
			/^Caption \(item 1\): expected text but the expression gave an empty value \(null\)/,
		],
		[
			'an object caption',
			{ caption: '={{ { a: 1 } }}' },
			/^Caption \(item 1\): expected text but the expression gave an object/,
		],
		[
			'a list caption',
			{ caption: '={{ ["a", "b"] }}' },
			/^Caption \(item 1\): expected text but the expression gave a list/,
		],
		[
			'a missing media URL',
			{ mediaUrl: '={{ $json.missing }}' },
			/^Image URL \(item 1\): expected text but the expression gave no value/,
		],
		['a numeric media URL', { mediaUrl: '={{ 5 }}' }, /^Image URL \(item 1\): expected text/],
		[
			'an object alt text',
			{ options: { altText: '={{ { a: 1 } }}' } },
			/^Alt Text \(item 1\): expected text but the expression gave an object/,
		],
		[
			'an undefined alt text',
			{ options: { altText: '={{ undefined }}' } },
			/^Alt Text \(item 1\): expected text but the expression gave no value/,
		],
		[
			'a list location id',
			{ options: { locationId: '={{ ["104000000000001"] }}' } },
			/^Location ID \(item 1\): expected text but the expression gave a list/,
		],
		[
			'object collaborators',
			{ options: { collaborators: '={{ { a: 1 } }}' } },
			/^Collaborators \(item 1\): expected text but the expression gave an object/,
		],
		[
			'a null collaborator in a list',
			{ options: { collaborators: '={{ ["jane", null] }}' } },
			/^Collaborators > entry 2 \(item 1\): expected text/,
		],
		[
			'a user tag X that is true',
			{ options: { userTags: { tags: [{ username: 'jane', x: '={{ true }}', y: 0.5 }] } } },
			/^User Tags > Tag 1 > X \(item 1\): expected a number but the expression gave true\/false/,
		],
		[
			'a null user tag username',
			{ options: { userTags: { tags: [{ username: '={{ null }}', x: 0.5, y: 0.5 }] } } },
			/^User Tags > Tag 1 > Username \(item 1\): expected text/,
		],
		[
			'a null max wait',
			{ options: { maxWaitSeconds: '={{ null }}' } },
			/^Max Wait \(Seconds\) \(item 1\): expected a number but the expression gave an empty value \(null\)/,
		],
		[
			'a list max wait',
			{ options: { maxWaitSeconds: '={{ [] }}' } },
			/^Max Wait \(Seconds\) \(item 1\): expected a number but the expression gave a list/,
		],
		[
			'a negative max wait',
			{ options: { maxWaitSeconds: '={{ -5 }}' } },
			/^Max Wait \(Seconds\) \(item 1\): must be at least 0/,
		],
		// Publish Image has no Media Source (images come from a URL only): Publish Reel's is checked.
		[
			'an unknown media source',
			{ operation: 'publishReel', mediaSource: '={{ "ftp" }}' },
			/^Media Source \(item 1\): "ftp" is not one of the choices/,
		],
		[
			'an object media source',
			{ operation: 'publishReel', mediaSource: '={{ { a: 1 } }}' },
			/^Media Source \(item 1\): expected one of the choices but the expression gave an object/,
		],
	];
	it.each(cases.map(([name, extra, message]) => ({ name, extra, message })))(
		'refuses $name',
		async ({ extra, message }) => {
			const { error } = await run(sim, publishImage(extra), { items: [{ json: { other: 1 } }] });
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toMatch(message);
			expect(`${error?.message} ${(error as { description?: string }).description}`).not.toMatch(
				/\[object Object\]|\bundefined\b/,
			);
			expect(sim.control.requests()).toEqual([]);
		},
	);

	const reel = (options: Record<string, unknown>) => ({
		...publishImage(),
		operation: 'publishReel',
		mediaUrl: `${sim.fixturesBaseUrl}/fixtures/video.mp4?width=1080&height=1920&duration=12`,
		options,
	});
	const reelCases: Array<[string, Record<string, unknown>, RegExp]> = [
		[
			'a thumbnail offset of true',
			{ thumbOffset: '={{ true }}' },
			/^Thumbnail Offset \(Ms\) \(item 1\): expected a number but the expression gave true\/false/,
		],
		[
			'a null thumbnail offset',
			{ thumbOffset: '={{ null }}' },
			/^Thumbnail Offset \(Ms\) \(item 1\): expected a number/,
		],
		[
			'a thumbnail offset that is not a number',
			{ thumbOffset: '={{ "soon" }}' },
			/^Thumbnail Offset \(Ms\) \(item 1\): expected a number but the expression gave text that is not a number/,
		],
		[
			'a share to feed of "yes"',
			{ shareToFeed: '={{ "yes" }}' },
			/^Share to Feed \(item 1\): expected true or false but the expression gave text/,
		],
		[
			'a null share to feed',
			{ shareToFeed: '={{ null }}' },
			/^Share to Feed \(item 1\): expected true or false/,
		],
		[
			'an object cover URL',
			{ coverUrl: '={{ { url: "x" } }}' },
			/^Cover URL \(item 1\): expected text but the expression gave an object/,
		],
		['a null audio name', { audioName: '={{ null }}' }, /^Audio Name \(item 1\): expected text/],
	];
	it.each(reelCases.map(([name, options, message]) => ({ name, options, message })))(
		'refuses $name on a reel',
		async ({ options, message }) => {
			const { error } = await run(sim, reel(options));
			expect(error?.message).toMatch(message);
			expect(sim.control.requests()).toEqual([]);
		},
	);

	const carouselCases: Array<[string, Record<string, unknown>, RegExp]> = [
		[
			'carousel items that are null',
			{ carouselInput: 'json', carouselItemsJson: '={{ null }}' },
			/^Carousel Items \(JSON\) must be an array/,
		],
		[
			'a carousel item that is text',
			{ carouselInput: 'json', carouselItemsJson: '={{ ["a", "b"] }}' },
			/^Carousel item 1 \(item 1\): expected a set of fields but the expression gave text/,
		],
		[
			'a carousel item URL that is null',
			{
				carouselInput: 'json',
				carouselItemsJson:
					'={{ [{ mediaType: "image", mediaUrl: null }, { mediaType: "image", mediaUrl: "https://example.com/a.jpg" }] }}',
			},
			/^Carousel item 1 media \(item 1\): expected text but the expression gave an empty value \(null\)/,
		],
		[
			'a carousel item alt text that is an object',
			{
				carouselInput: 'json',
				carouselItemsJson:
					'={{ [{ mediaType: "image", mediaUrl: "https://example.com/a.jpg", altText: { a: 1 } }, { mediaType: "image", mediaUrl: "https://example.com/b.jpg" }] }}',
			},
			/^Carousel item 1 alt text \(item 1\): expected text but the expression gave an object/,
		],
		[
			'a defined carousel item URL from a missing field',
			{
				carouselInput: 'defined',
				carouselItems: {
					items: [
						{ mediaType: 'image', mediaSource: 'url', mediaUrl: '={{ $json.missing }}' },
						{ mediaType: 'image', mediaSource: 'url', mediaUrl: 'https://example.com/b.jpg' },
					],
				},
			},
			/^Carousel item 1 media \(item 1\): expected text but the expression gave no value/,
		],
		// A Media Type / Media Source that gives nothing is refused, not replaced by image / URL.
		[
			'a defined carousel item media type that is undefined',
			{
				carouselInput: 'defined',
				carouselItems: {
					items: [
						{ mediaType: 'image', mediaSource: 'url', mediaUrl: 'https://example.com/a.jpg' },
						{
							mediaType: '={{ undefined }}',
							mediaSource: 'url',
							mediaUrl: 'https://example.com/b.jpg',
						},
					],
				},
			},
			/^Carousel item 2 media type \(item 1\): was added but the expression gave no value/,
		],
		[
			'a defined carousel item media source that is null',
			{
				carouselInput: 'defined',
				carouselItems: {
					items: [
						{
							mediaType: 'image',
							mediaSource: '={{ null }}',
							mediaUrl: 'https://example.com/a.jpg',
						},
						{ mediaType: 'image', mediaSource: 'url', mediaUrl: 'https://example.com/b.jpg' },
					],
				},
			},
			/^Carousel item 1 media source \(item 1\): was added but the expression gave an empty value \(null\)/,
		],
		[
			'a JSON carousel item media type that is null',
			{
				carouselInput: 'json',
				carouselItemsJson:
					'={{ [{ mediaType: null, mediaUrl: "https://example.com/a.jpg" }, { mediaType: "image", mediaUrl: "https://example.com/b.jpg" }] }}',
			},
			/^Carousel item 1 media type \(item 1\): was added but the expression gave an empty value \(null\)/,
		],
	];
	it.each(carouselCases.map(([name, extra, message]) => ({ name, extra, message })))(
		'refuses $name',
		async ({ extra, message }) => {
			const { error } = await run(sim, {
				resource: 'post',
				operation: 'publishCarousel',
				instagramAccountId: account(),
				caption: 'Album',
				...extra,
			});
			expect(error?.message).toMatch(message);
			expect(`${error?.message}`).not.toMatch(/\[object Object\]/);
			expect(sim.control.requests()).toEqual([]);
		},
	);

	it('refuses a container ID and a container type from expressions that give the wrong kind', async () => {
		const status = await run(sim, {
			resource: 'container',
			operation: 'getStatus',
			containerId: '={{ null }}',
		});
		expect(status.error?.message).toMatch(
			/^Container ID \(item 1\): expected text but the expression gave an empty value \(null\)/,
		);
		const created = await run(sim, {
			resource: 'container',
			operation: 'create',
			instagramAccountId: account(),
			containerType: '={{ ["reel"] }}',
			mediaSource: 'url',
			mediaUrl: image(sim),
			children: '1, 2',
		});
		expect(created.error?.message).toMatch(
			/^Container Type \(item 1\): expected one of the choices but the expression gave a list/,
		);
		const children = await run(sim, {
			resource: 'container',
			operation: 'create',
			instagramAccountId: account(),
			containerType: 'carousel',
			children: '={{ { a: 1 } }}',
		});
		expect(children.error?.message).toMatch(
			/^Children \(item 1\): expected text but the expression gave an object/,
		);
		const accountId = await run(
			sim,
			publishImage({ instagramAccountId: { __rl: true, mode: 'id', value: '={{ null }}' } }),
		);
		expect(accountId.error?.message).toMatch(/^Instagram Account \(item 1\): expected text/);
		expect(sim.control.requests()).toEqual([]);
	});
});

describe('a rerun cannot publish twice', () => {
	it('checks every item before publishing any (Continue On Fail off)', async () => {
		const { error } = await run(sim, publishImage({ caption: '={{ $json.caption }}' }), {
			items: [{ json: { caption: 'Fine' } }, { json: { caption: null } }],
		});
		expect(error?.message).toMatch(/^Caption \(item 2\)/);
		expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
		expect(sim.control.requests()).toEqual([]);
		expect(posts(sim)).toHaveLength(0);
	});

	it('names the posts already published when a later item fails at Meta', async () => {
		const { error } = await run(
			sim,
			publishImage({ mediaUrl: '={{ $json.url }}', caption: '={{ $json.caption }}' }),
			{
				items: [
					{ json: { url: image(sim), caption: 'First' } },
					{ json: { url: image(sim, 'width=1080&height=1920'), caption: 'Too tall' } },
				],
			},
		);
		const [post] = posts(sim);
		expect(posts(sim).map((entry) => entry.caption)).toEqual(['First']);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('1 earlier item was already published in this run');
		expect(error?.message).toContain(`item 1 (post ${post.id}, ${post.permalink})`);
		expect(String((error as { description?: string }).description)).toMatch(
			/^Already published before this failure, do not run again: item 1/,
		);
		expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
	});
});

describe('(#10) on container creation', () => {
	it('leads with the Page role and points at Asset Check', async () => {
		const world = sim.control.world();
		const igAccount = world.instagramAccounts.get(IG_BUSINESS)!;
		const page = world.pages.get(igAccount.linkedPageId!)!;
		for (const userId of Object.keys(page.tasks)) page.tasks[userId] = ['ANALYZE'];
		const { error } = await run(sim, publishImage());
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Permission denied');
		const description = String((error as { description?: string }).description);
		expect(description).toMatch(/Meta says: \(#10\)/);
		expect(description).toMatch(/^Most likely the Facebook user .* role on the Facebook Page/);
		expect(description.indexOf('Page')).toBeLessThan(description.indexOf('Business or Creator'));
		expect(description.indexOf('Business or Creator')).toBeLessThan(
			description.indexOf('development mode'),
		);
		expect(description).toContain("Meta Asset Check node's Check Instagram Publishing operation");
		expect(description).toContain('instagram.page-role');
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(0);
	});
});

describe('media URLs on http', () => {
	// A plain http host serving the simulator's image fixture, as a customer's web server would.
	let server: http.Server;
	let httpBase: string;
	beforeAll(async () => {
		server = http.createServer((request, response) => {
			const url = new URL(request.url ?? '/', 'http://localhost');
			const fixture = buildFixture(url.pathname.split('/').pop() ?? '', url.searchParams);
			if (!fixture) {
				response.writeHead(404).end();
				return;
			}
			response.writeHead(200, { 'Content-Type': fixture.contentType });
			response.end(Buffer.concat([fixture.head, Buffer.alloc(fixture.padding), fixture.tail]));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		httpBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));

	it('are published as they are, with a warning in the output item', async () => {
		const url = `${httpBase}/fixtures/image.jpg?width=1080&height=1350`;
		const { outputs, error } = await run(sim, publishImage({ mediaUrl: '={{ $json.url }}' }), {
			items: [{ json: { url } }],
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			published: true,
			mediaId: posts(sim)[0].id,
			warnings: [
				expect.stringMatching(/^Image URL uses http, not https\..*https is safer.*redirect/),
			],
		});
		const created = requestsTo(sim, 'POST', /\/media$/);
		expect(created.map((request) => request.params.image_url)).toEqual([url]);
	});

	it('warn in Container > Create too, and an https URL gives no warning', async () => {
		const container = (mediaUrl: string) => ({
			resource: 'container',
			operation: 'create',
			instagramAccountId: account(),
			containerType: 'image',
			mediaSource: 'url',
			mediaUrl,
		});
		const plain = await run(
			sim,
			container(`${httpBase}/fixtures/image.jpg?width=1080&height=1350`),
		);
		expect(plain.outputs[0][0].json).toMatchObject({
			containerId: expect.any(String),
			warnings: [expect.stringMatching(/uses http/)],
		});
		const secure = await run(sim, container(image(sim)));
		expect(secure.outputs[0][0].json.warnings).toBeUndefined();
	});
});

describe('headlines in our words, advice for this call', () => {
	it('an image URL that answers 404 leads with "Media could not be fetched from the URL", without binary advice', async () => {
		const { error } = await run(
			sim,
			publishImage({ mediaUrl: `${sim.fixturesBaseUrl}/fixtures/missing.jpg` }),
		);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Media could not be fetched from the URL');
		const description = String((error as { description?: string }).description);
		expect(description).toMatch(/^Instagram could not download the image from the Image URL/);
		expect(description).not.toMatch(/binary/i);
		expect(description).toContain('Meta says: Only photo or video can be accepted as media type.');
		expect(description).toContain('code 9004, subcode 2207052');
		expect(description).not.toMatch(/\.\./);
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(0);
	});

	it('with Instagram Login, an account the login does not reach: the advice names the credential type', async () => {
		const { error } = await run(sim, {
			...publishImage({ instagramAccountId: account(IG_BUSINESS) }),
			authentication: 'instagramLogin',
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Object not found or not accessible');
		const description = String((error as { description?: string }).description);
		expect(description).toMatch(
			/^This node uses an Instagram Login credential, which only reaches the Instagram account that logged in/,
		);
		expect(description).toContain('code 100, subcode 33');
		expect(posts(sim)).toHaveLength(0);
	});
});
