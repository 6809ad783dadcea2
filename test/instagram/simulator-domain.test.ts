/**
 * The Instagram part of the Meta Graph simulator, over real HTTP: the rules it enforces are the
 * ones the node's tests rely on, so they are pinned here with Meta's codes and subcodes.
 */
import type { RunningSimulator } from '../../simulator';
import {
	IG_BUSINESS,
	IG_CREATOR,
	IG_LOGIN_TOKEN,
	LOCATION_PAGE,
	USER_TOKEN,
	image,
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

async function call(
	method: 'GET' | 'POST',
	path: string,
	params: Record<string, string | number | boolean> = {},
	token = USER_TOKEN,
): Promise<{ status: number; body: any }> {
	const form = new URLSearchParams(
		Object.entries(params).map(([key, value]) => [key, String(value)]),
	);
	const url = `${sim.baseUrl}/v26.0${path}${method === 'GET' && form.size ? `?${form}` : ''}`;
	const response = await fetch(url, {
		method,
		headers: {
			authorization: `Bearer ${token}`,
			...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
		},
		body: method === 'POST' ? form.toString() : undefined,
	});
	return { status: response.status, body: await response.json() };
}

function expectError(result: { status: number; body: any }, code: number, subcode?: number) {
	expect(result.status).toBeGreaterThanOrEqual(400);
	expect(result.body.error).toMatchObject({ code, ...(subcode ? { error_subcode: subcode } : {}) });
	expect(result.body.error.fbtrace_id).toEqual(expect.any(String));
}

const create = async (
	params: Record<string, string | number | boolean>,
	account = IG_BUSINESS,
	token = USER_TOKEN,
) => await call('POST', `/${account}/media`, params, token);

describe('POST /{ig-user-id}/media', () => {
	it('creates an image container that is FINISHED and publishes it once', async () => {
		const created = await create({ image_url: image(sim), caption: 'Hi #a @b' });
		expect(created.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
		const status = await call('GET', `/${created.body.id}`, { fields: 'status_code,status' });
		expect(status.body).toMatchObject({
			status_code: 'FINISHED',
			status: expect.stringContaining('Finished'),
		});
		const published = await call('POST', `/${IG_BUSINESS}/media_publish`, {
			creation_id: created.body.id,
		});
		expect(published.body.id).toMatch(/^\d+$/);
		const media = await call('GET', `/${published.body.id}`, {
			fields: 'id,media_type,media_product_type,permalink,timestamp,caption,shortcode',
		});
		expect(media.body).toMatchObject({
			media_type: 'IMAGE',
			media_product_type: 'FEED',
			caption: 'Hi #a @b',
			permalink: expect.stringContaining('/p/'),
		});
		expectError(
			await call('POST', `/${IG_BUSINESS}/media_publish`, { creation_id: created.body.id }),
			9007,
			2207027,
		);
		expect(
			(await call('GET', `/${created.body.id}`, { fields: 'status_code' })).body.status_code,
		).toBe('PUBLISHED');
	});

	it.each([
		['unreachable URL', { image_url: 'https://127.0.0.1:1/nothing.jpg' }, 9004, 2207052],
		['PNG image', { image_url: 'FIX/fixtures/image.png?width=1080&height=1080' }, 36001, 2207005],
		[
			'image over 8 MB',
			{ image_url: 'FIX/fixtures/image.jpg?width=1080&height=1080&bytes=9000000' },
			36000,
			2207004,
		],
		[
			'too tall image',
			{ image_url: 'FIX/fixtures/image.jpg?width=1080&height=1920' },
			36003,
			2207009,
		],
		[
			'too wide image',
			{ image_url: 'FIX/fixtures/image.jpg?width=2000&height=1000' },
			36003,
			2207009,
		],
		[
			'caption over 2,200 characters',
			{ image_url: 'IMG', caption: 'x'.repeat(2201) },
			36004,
			2207010,
		],
		[
			'31 hashtags',
			{ image_url: 'IMG', caption: Array.from({ length: 31 }, (_, i) => `#t${i}`).join(' ') },
			36004,
			2207010,
		],
		[
			'21 mentions',
			{ image_url: 'IMG', caption: Array.from({ length: 21 }, (_, i) => `@u${i}`).join(' ') },
			100,
			2207040,
		],
		['single VIDEO feed post', { media_type: 'VIDEO', video_url: 'VID' }, 100, 2207023],
		['unknown media type', { media_type: 'GIF', image_url: 'IMG' }, 100, 2207023],
		['carousel with one child', { media_type: 'CAROUSEL', children: '1' }, 100, 2207028],
		[
			'negative thumb_offset',
			{ media_type: 'REELS', video_url: 'VID', thumb_offset: -5 },
			1,
			2207057,
		],
		[
			'location without address',
			{ image_url: 'IMG', location_id: '104000000000002' },
			100,
			undefined,
		],
		[
			'tag outside the image',
			{ image_url: 'IMG', user_tags: JSON.stringify([{ username: 'a', x: 1.5, y: 0.5 }]) },
			100,
			undefined,
		],
		[
			'image tag without coordinates',
			{ image_url: 'IMG', user_tags: JSON.stringify([{ username: 'a' }]) },
			100,
			undefined,
		],
		[
			'four collaborators',
			{ image_url: 'IMG', collaborators: JSON.stringify(['a', 'b', 'c', 'd']) },
			100,
			undefined,
		],
		[
			'caption on a story',
			{ media_type: 'STORIES', image_url: 'IMG', caption: 'no' },
			100,
			undefined,
		],
		[
			'alt text on a reel',
			{ media_type: 'REELS', video_url: 'VID', alt_text: 'no' },
			100,
			undefined,
		],
		['cover_url on an image', { image_url: 'IMG', cover_url: 'IMG' }, 100, undefined],
	])('rejects %s', async (_name, params, code, subcode) => {
		const resolved = Object.fromEntries(
			Object.entries(params).map(([key, value]) => [
				key,
				value === 'IMG'
					? image(sim)
					: value === 'VID'
						? video(sim)
						: typeof value === 'string'
							? value.replace('FIX', sim.fixturesBaseUrl)
							: value,
			]),
		);
		expectError(await create(resolved), code, subcode);
		expect(sim.control.world().state.instagram.containers.size).toBe(0);
	});

	it('accepts a Page with an address as location and tags with coordinates', async () => {
		const created = await create({
			image_url: image(sim),
			location_id: LOCATION_PAGE,
			user_tags: JSON.stringify([{ username: 'jane', x: 0.2, y: 0.9 }]),
			collaborators: JSON.stringify(['a', 'b']),
			alt_text: 'A cup',
		});
		expect(created.status).toBe(200);
	});

	it('reports video problems as container status ERROR with the subcode', async () => {
		const tooShort = await create({ media_type: 'REELS', video_url: video(sim, 'duration=1') });
		const badOffset = await create({
			media_type: 'REELS',
			video_url: video(sim, 'duration=5'),
			thumb_offset: 9000,
		});
		const flagged = await create({
			media_type: 'REELS',
			video_url: `${video(sim)}&processing=error`,
		});
		sim.control.advanceClock(1000);
		for (const [id, subcode] of [
			[tooShort.body.id, 2207026],
			[badOffset.body.id, 2207057],
			[flagged.body.id, 2207082],
		]) {
			const status = await call('GET', `/${id}`, { fields: 'status_code,status' });
			expect(status.body.status_code).toBe('ERROR');
			expect(status.body.status).toContain(String(subcode));
			expectError(
				await call('POST', `/${IG_BUSINESS}/media_publish`, { creation_id: id }),
				-1,
				2207032,
			);
		}
	});

	it('keeps videos IN_PROGRESS for the processing time (9007 on publish), then FINISHED', async () => {
		const created = await create({ media_type: 'REELS', video_url: video(sim) });
		expect(
			(await call('GET', `/${created.body.id}`, { fields: 'status_code' })).body.status_code,
		).toBe('IN_PROGRESS');
		expectError(
			await call('POST', `/${IG_BUSINESS}/media_publish`, { creation_id: created.body.id }),
			9007,
			2207027,
		);
		sim.control.advanceClock(400);
		expect(
			(await call('GET', `/${created.body.id}`, { fields: 'status_code' })).body.status_code,
		).toBe('FINISHED');
	});

	it('expires containers after 24 hours (-2/2207020) and answers 24/2207006 for unknown ones', async () => {
		const created = await create({ image_url: image(sim) });
		sim.control.advanceClock(24 * 3600 * 1000 + 1);
		expect(
			(await call('GET', `/${created.body.id}`, { fields: 'status_code' })).body.status_code,
		).toBe('EXPIRED');
		expectError(
			await call('POST', `/${IG_BUSINESS}/media_publish`, { creation_id: created.body.id }),
			-2,
			2207020,
		);
		expectError(
			await call('POST', `/${IG_BUSINESS}/media_publish`, { creation_id: '999' }),
			24,
			2207006,
		);
	});

	it('needs FINISHED children for a carousel and counts a published carousel once', async () => {
		const a = await create({ image_url: image(sim), is_carousel_item: true });
		const b = await create({ media_type: 'VIDEO', video_url: video(sim), is_carousel_item: true });
		expectError(
			await create({ media_type: 'CAROUSEL', children: `${a.body.id},${b.body.id}` }),
			9007,
			2207027,
		);
		sim.control.advanceClock(400);
		const parent = await create({
			media_type: 'CAROUSEL',
			children: `${a.body.id},${b.body.id}`,
			caption: 'Album',
		});
		expectError(
			await call('POST', `/${IG_BUSINESS}/media_publish`, { creation_id: a.body.id }),
			100,
			2207089,
		);
		const before = (
			await call('GET', `/${IG_BUSINESS}/content_publishing_limit`, { fields: 'quota_usage' })
		).body.data[0].quota_usage;
		const published = await call('POST', `/${IG_BUSINESS}/media_publish`, {
			creation_id: parent.body.id,
		});
		const media = await call('GET', `/${published.body.id}`, {
			fields: 'media_type,children{media_type}',
		});
		expect(media.body.media_type).toBe('CAROUSEL_ALBUM');
		expect(media.body.children.data.map((child: any) => child.media_type)).toEqual([
			'IMAGE',
			'VIDEO',
		]);
		const after = await call('GET', `/${IG_BUSINESS}/content_publishing_limit`, {
			fields: 'quota_usage,config',
		});
		expect(after.body.data[0]).toEqual({
			quota_usage: before + 1,
			config: { quota_total: 100, quota_duration: 86400 },
		});
	});

	it('enforces the publishing quota in a 24-hour sliding window (9/2207042)', async () => {
		sim.control.world().instagramAccounts.get(IG_BUSINESS)!.quotaTotal = 4; // 3 used in the demo scenario
		const first = await create({ image_url: image(sim) });
		const second = await create({ image_url: image(sim) });
		expect(
			(await call('POST', `/${IG_BUSINESS}/media_publish`, { creation_id: first.body.id })).status,
		).toBe(200);
		expectError(
			await call('POST', `/${IG_BUSINESS}/media_publish`, { creation_id: second.body.id }),
			9,
			2207042,
		);
		sim.control.advanceClock(24 * 3600 * 1000 - 5000);
		const third = await create({ image_url: image(sim) });
		expectError(
			await call('POST', `/${IG_BUSINESS}/media_publish`, { creation_id: third.body.id }),
			9,
			2207042,
		);
		sim.control.advanceClock(10000);
		expect(
			(await call('POST', `/${IG_BUSINESS}/media_publish`, { creation_id: third.body.id })).status,
		).toBe(200);
	});

	it('refuses callers without instagram_content_publish (10), personal accounts and foreign accounts', async () => {
		const world = sim.control.world();
		world.tokens.get(USER_TOKEN)!.scopes = world.tokens
			.get(USER_TOKEN)!
			.scopes.filter((scope) => scope !== 'instagram_content_publish');
		expectError(await create({ image_url: image(sim) }), 10);
		sim.control.reset();
		sim.control.world().instagramAccounts.get(IG_BUSINESS)!.accountType = 'PERSONAL';
		expectError(await create({ image_url: image(sim) }), 10);
		sim.control.reset();
		expectError(await create({ image_url: image(sim) }, IG_BUSINESS, IG_LOGIN_TOKEN), 100, 33);
		const own = await create({ image_url: image(sim) });
		expectError(
			await call('GET', `/${own.body.id}`, { fields: 'status_code' }, IG_LOGIN_TOKEN),
			100,
			33,
		);
	});

	it('publishes without instagram_basic but refuses to read the post (10)', async () => {
		const token = sim.control.world().tokens.get(USER_TOKEN)!;
		token.scopes = token.scopes.filter((scope) => scope !== 'instagram_basic');
		const created = await create({ image_url: image(sim) });
		const published = await call('POST', `/${IG_BUSINESS}/media_publish`, {
			creation_id: created.body.id,
		});
		expect(published.body.id).toMatch(/^\d+$/);
		expectError(await call('GET', `/${published.body.id}`, { fields: 'id,permalink' }), 10);
	});

	it('publishes and reads the post in one batch request ({result=publish:$.id})', async () => {
		const created = await create({ image_url: image(sim) });
		const batch = [
			{
				method: 'POST',
				relative_url: `${IG_BUSINESS}/media_publish`,
				body: `creation_id=${created.body.id}`,
				name: 'publish',
				omit_response_on_success: false,
			},
			{
				method: 'GET',
				relative_url: '{result=publish:$.id}?fields=id,permalink',
				depends_on: 'publish',
			},
		];
		const answer = await call('POST', '/', {
			batch: JSON.stringify(batch),
			include_headers: 'false',
		});
		expect(answer.status).toBe(200);
		const [publish, read] = answer.body.map((entry: { code: number; body: string }) => ({
			code: entry.code,
			body: JSON.parse(entry.body),
		}));
		expect(publish).toEqual({ code: 200, body: { id: expect.stringMatching(/^\d+$/) } });
		expect(read).toEqual({
			code: 200,
			body: { id: publish.body.id, permalink: expect.stringContaining('/p/') },
		});
		// Publishing the same container again inside a batch: 9007 for the publish, the read depends on it.
		const again = await call('POST', '/', {
			batch: JSON.stringify(batch),
			include_headers: 'false',
		});
		const [refused, skipped] = again.body.map((entry: { code: number; body: string }) => ({
			code: entry.code,
			body: JSON.parse(entry.body),
		}));
		expect(refused.body.error).toMatchObject({ code: 9007, error_subcode: 2207027 });
		expect(skipped.code).toBeGreaterThanOrEqual(400);
	});

	it('serves the graph.instagram.com flavour to Instagram Login tokens', async () => {
		const me = await call(
			'GET',
			'/me',
			{ fields: 'user_id,username,account_type' },
			IG_LOGIN_TOKEN,
		);
		expect(me.body).toMatchObject({
			user_id: IG_CREATOR,
			username: 'aurora.studio',
			account_type: 'MEDIA_CREATOR',
		});
		const created = await create({ image_url: image(sim) }, IG_CREATOR, IG_LOGIN_TOKEN);
		expect(created.status).toBe(200);
		const user = await call('GET', `/${IG_CREATOR}`, {
			fields: 'id,username,name,profile_picture_url,followers_count',
		});
		expect(user.body).toMatchObject({
			id: IG_CREATOR,
			username: 'aurora.studio',
			followers_count: 1204,
		});
	});

	it('refuses more than 400 containers in 24 hours', async () => {
		sim.control
			.world()
			.state.instagram.creations.set(IG_BUSINESS, Array(400).fill(sim.control.world().now()));
		expectError(await create({ image_url: image(sim) }), 9, 2207042);
	});
});

describe('resumable upload (rupload)', () => {
	const upload = async (
		uri: string,
		body: Buffer,
		headers: Record<string, string>,
		token = USER_TOKEN,
	) => {
		const response = await fetch(uri, {
			method: 'POST',
			headers: { authorization: `OAuth ${token}`, ...headers },
			body: new Uint8Array(body),
		});
		return { status: response.status, body: await response.json() };
	};

	it('returns an upload URI, accepts partial uploads resumed from the offset, then processes', async () => {
		const created = await create({ media_type: 'REELS', upload_type: 'resumable' });
		expect(created.body.uri).toBe(`${sim.baseUrl}/ig-api-upload/v26.0/${created.body.id}`);
		const bytes = Buffer.from(videoItem().binary!.data.data, 'base64');
		const half = Math.floor(bytes.length / 2);
		const first = await upload(created.body.uri, bytes.subarray(0, half), {
			offset: '0',
			file_size: String(bytes.length),
		});
		expect(first.body).toMatchObject({ success: true, offset: half });
		expect(
			(await call('GET', `/${created.body.id}`, { fields: 'status_code,status' })).body,
		).toMatchObject({ status_code: 'IN_PROGRESS' });
		const rest = await upload(created.body.uri, bytes.subarray(half), {
			offset: String(half),
			file_size: String(bytes.length),
		});
		expect(rest.body).toEqual({ success: true, message: 'Upload successful.' });
		sim.control.advanceClock(400);
		expect(
			(await call('GET', `/${created.body.id}`, { fields: 'status_code' })).body.status_code,
		).toBe('FINISHED');
	});

	it('accepts a file_url header instead of a body', async () => {
		const created = await create({ media_type: 'STORIES', upload_type: 'resumable' });
		const result = await upload(created.body.uri, Buffer.alloc(0), {
			file_url: video(sim, 'duration=10'),
		});
		expect(result.body).toEqual({ success: true, message: 'Upload successful.' });
	});

	it("answers in rupload's own error shape", async () => {
		const created = await create({ media_type: 'REELS', upload_type: 'resumable' });
		const unauthorized = await upload(
			created.body.uri,
			Buffer.from('x'),
			{ offset: '0', file_size: '1' },
			'nope',
		);
		expect(unauthorized.body.debug_info).toMatchObject({
			retriable: false,
			type: 'ProcessingFailedError',
		});
		expect(JSON.parse(unauthorized.body.debug_info.message)).toEqual({
			success: false,
			error: { message: 'unauthorized user request' },
		});
		const bearer = await fetch(created.body.uri, {
			method: 'POST',
			headers: { authorization: `Bearer ${USER_TOKEN}`, offset: '0', file_size: '1' },
			body: new Uint8Array(Buffer.from('x')),
		});
		expect(bearer.status).toBe(401);
		const gap = await upload(created.body.uri, Buffer.from('xx'), { offset: '5', file_size: '10' });
		expect(gap.body.debug_info.message).toContain('offset');
		const notVideo = await upload(created.body.uri, Buffer.from('not a video at all'), {
			offset: '0',
			file_size: '18',
		});
		expect(notVideo.body.success).toBe(true);
		sim.control.advanceClock(400);
		const status = await call('GET', `/${created.body.id}`, { fields: 'status_code,status' });
		expect(status.body.status).toContain('2207026');
	});
});
