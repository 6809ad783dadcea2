/**
 * Media fixtures (HTTPS, generated on the fly) and ctx.fetchMedia, Meta's crawler.
 */
import * as net from 'net';

import { parseMedia } from '../../simulator';
import { fetchMedia } from '../../simulator/engine/media';
import { SlidingWindowLimiter } from '../../simulator/engine/rate-limit';
import type { DomainModule } from '../../simulator/types';
import { USER_TOKEN, bearer, start, type Harness } from './helpers';

const probeModule: DomainModule = {
	name: 'probe',
	nodeTypes: [],
	routes: [
		{
			method: 'GET',
			pattern: '/probe',
			handler: async (ctx) => {
				const media = await ctx.fetchMedia(String(ctx.req.params.url));
				return { ...media, data: undefined, fixturesBaseUrl: ctx.fixturesBaseUrl };
			},
		},
	],
};

let h: Harness;
beforeAll(async () => {
	h = await start('demo', { extraModules: [probeModule], settings: { mediaFetchTimeoutMs: 1500 } });
});
afterAll(async () => h.sim.stop());

const fetch = (path: string, timeoutMs = 3000) =>
	fetchMedia(`${h.sim.fixturesBaseUrl}${path}`, { timeoutMs });

describe('fixtures carry the requested properties in real headers', () => {
	it('JPEG: SOF dimensions and exact byte size', async () => {
		const media = await fetch('/fixtures/image.jpg?width=1080&height=1350&bytes=200000');
		expect(media).toMatchObject({
			ok: true,
			status: 200,
			contentType: 'image/jpeg',
			format: 'jpeg',
			width: 1080,
			height: 1350,
			bytes: 200000,
		});
		expect(media.data.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
		expect(media.data.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
	});

	it('PNG: IHDR dimensions', async () => {
		expect(await fetch('/fixtures/photo.png?width=640&height=480')).toMatchObject({
			ok: true,
			contentType: 'image/png',
			format: 'png',
			width: 640,
			height: 480,
		});
	});

	it('WebP: VP8X canvas', async () => {
		expect(await fetch('/fixtures/a.webp?width=1920&height=1080&bytes=5000')).toMatchObject({
			format: 'webp',
			width: 1920,
			height: 1080,
			contentType: 'image/webp',
		});
	});

	it('MP4: mvhd duration and tkhd dimensions; MOV brand', async () => {
		const mp4 = await fetch('/fixtures/video.mp4?width=1080&height=1920&duration=12&bytes=300000');
		expect(mp4).toMatchObject({
			ok: true,
			contentType: 'video/mp4',
			format: 'mp4',
			width: 1080,
			height: 1920,
			durationSeconds: 12,
			bytes: 300000,
		});
		expect(mp4.data.toString('latin1', 4, 8)).toBe('ftyp');
		const mov = await fetch('/fixtures/clip.mov?width=720&height=1280&duration=3.5');
		expect(mov).toMatchObject({
			contentType: 'video/quicktime',
			format: 'mov',
			width: 720,
			height: 1280,
			durationSeconds: 3.5,
		});
	});

	it('large videos stream without being built in memory (bytes counted)', async () => {
		const big = await fetch('/fixtures/big.mp4?bytes=30000000&duration=60', 20000);
		expect(big).toMatchObject({ ok: true, bytes: 30_000_000, durationSeconds: 60 });
	});

	it('documents, audio and text', async () => {
		expect(await fetch('/fixtures/invoice.pdf')).toMatchObject({
			format: 'pdf',
			contentType: 'application/pdf',
		});
		expect(await fetch('/fixtures/voice.ogg')).toMatchObject({
			format: 'ogg',
			contentType: 'audio/ogg',
		});
		expect(await fetch('/fixtures/song.mp3')).toMatchObject({
			format: 'mp3',
			contentType: 'audio/mpeg',
		});
		const text = await fetch('/fixtures/notes.txt');
		expect(text).toMatchObject({ ok: true, contentType: 'text/plain; charset=utf-8' });
		expect(text.format).toBeUndefined();
		const html = await fetch('/fixtures/page.html');
		expect(html.format).toBeUndefined();
	});

	it('content type can lie (a PNG labelled image/jpeg is still recognised as png)', async () => {
		expect(await fetch('/fixtures/x.png?contentType=image/jpeg')).toMatchObject({
			contentType: 'image/jpeg',
			format: 'png',
		});
	});

	it('missing.jpg is a 404, redirects are followed', async () => {
		expect(await fetch('/fixtures/missing.jpg')).toMatchObject({
			ok: false,
			status: 404,
			bytes: 0,
		});
		expect(await fetch('/fixtures/redirect/image.jpg?width=500&height=500')).toMatchObject({
			ok: true,
			width: 500,
			height: 500,
		});
		expect(await fetch('/fixtures/unknown.xyz')).toMatchObject({ ok: false, status: 404 });
	});

	it('slow fixtures time out; refused ports and unresolvable hosts are ok:false', async () => {
		expect(await fetch('/fixtures/slow.jpg?delayMs=2000', 300)).toMatchObject({
			ok: false,
			status: 0,
		});
		expect(await fetch('/fixtures/slow.jpg?delayMs=50', 3000)).toMatchObject({
			ok: true,
			format: 'jpeg',
		});
		const closed = await new Promise<number>((resolve) => {
			const server = net.createServer().listen(0, '127.0.0.1', () => {
				const port = (server.address() as net.AddressInfo).port;
				server.close(() => resolve(port));
			});
		});
		expect(
			await fetchMedia(`https://127.0.0.1:${closed}/x.jpg`, { timeoutMs: 2000 }),
		).toMatchObject({ ok: false, status: 0 });
		expect(await fetchMedia('https://media.invalid/x.jpg', { timeoutMs: 2000 })).toMatchObject({
			ok: false,
			status: 0,
		});
		expect(await fetchMedia('ftp://127.0.0.1/x.jpg', { timeoutMs: 2000 })).toMatchObject({
			ok: false,
		});
		expect(await fetchMedia('not a url', { timeoutMs: 2000 })).toMatchObject({ ok: false });
	});

	it('fixtures are also served on the plain HTTP listener', async () => {
		expect(
			await fetchMedia(`${h.sim.baseUrl}/fixtures/image.jpg?width=10&height=20`, {
				timeoutMs: 2000,
			}),
		).toMatchObject({ ok: true, width: 10, height: 20 });
	});
});

describe('ctx.fetchMedia from a route', () => {
	it('fetches through the handler context, with the configured timeout', async () => {
		const url = `${h.sim.fixturesBaseUrl}/fixtures/image.jpg?width=1080&height=566`;
		const res = await h.http.get('/v26.0/probe', { params: { url }, ...bearer(USER_TOKEN) });
		expect(res.data).toMatchObject({
			ok: true,
			format: 'jpeg',
			width: 1080,
			height: 566,
			fixturesBaseUrl: h.sim.fixturesBaseUrl,
		});
		const slow = await h.http.get('/v26.0/probe', {
			params: { url: `${h.sim.fixturesBaseUrl}/fixtures/slow.jpg?delayMs=5000` },
			...bearer(USER_TOKEN),
		});
		expect(slow.data).toMatchObject({ ok: false, status: 0 });
	});
});

describe('parseMedia on bytes', () => {
	it('recognises GIF and rejects unknown bytes', () => {
		const gif = Buffer.alloc(13);
		gif.write('GIF89a', 0, 'latin1');
		gif.writeUInt16LE(300, 6);
		gif.writeUInt16LE(200, 8);
		expect(parseMedia(gif)).toEqual({ format: 'gif', width: 300, height: 200 });
		expect(parseMedia(Buffer.from('hello'))).toEqual({});
	});
});

describe('SlidingWindowLimiter', () => {
	it('allows `limit` hits per window per key and frees them as time passes', () => {
		const limiter = new SlidingWindowLimiter();
		expect(limiter.tryHit('a', 2, 1000, 0)).toBe(true);
		expect(limiter.tryHit('a', 2, 1000, 10)).toBe(true);
		expect(limiter.tryHit('a', 2, 1000, 20)).toBe(false);
		expect(limiter.tryHit('b', 2, 1000, 20)).toBe(true);
		expect(limiter.count('a', 1000, 500)).toBe(2);
		expect(limiter.tryHit('a', 2, 1000, 1001)).toBe(true);
		limiter.reset();
		expect(limiter.count('a', 1000, 1001)).toBe(0);
	});
});

describe('fixture defaults', () => {
	it('serves full-size defaults when width, height and bytes are absent', async () => {
		const image = await fetch('/fixtures/image.jpg');
		expect(image).toMatchObject({ ok: true, format: 'jpeg', width: 1080, height: 1080 });
		expect(image.bytes).toBeGreaterThanOrEqual(50_000);
		const video = await fetch('/fixtures/video.mp4');
		expect(video).toMatchObject({ ok: true, width: 1080, height: 1920 });
		expect(video.bytes).toBeGreaterThanOrEqual(500_000);
	});
});
