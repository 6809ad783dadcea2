/**
 * Media fixtures (real bytes whose headers carry the requested dimensions / duration) and the
 * crawler Meta uses to fetch `image_url` / `video_url` / media links (`ctx.fetchMedia`).
 */
import * as http from 'http';
import * as https from 'https';
import { crc32 } from 'zlib';

import type { FetchedMedia } from '../types';

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

export interface FixtureFile {
	contentType: string;
	head: Buffer;
	/** Zero bytes streamed between head and tail. */
	padding: number;
	tail: Buffer;
}

function u16(n: number): Buffer {
	const b = Buffer.alloc(2);
	b.writeUInt16BE(n & 0xffff);
	return b;
}
function u32(n: number): Buffer {
	const b = Buffer.alloc(4);
	b.writeUInt32BE(n >>> 0);
	return b;
}
function box(type: string, ...parts: Buffer[]): Buffer {
	const body = Buffer.concat(parts);
	return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body]);
}
const IDENTITY_MATRIX = Buffer.concat(
	[0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map((v) => u32(v)),
);

function clampInt(value: unknown, fallback: number, min: number, max: number): number {
	// An absent query parameter is null, and Number(null) is 0: it must mean "use the default".
	if (value === null || value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isFinite(n)) return fallback;
	return Math.max(min, Math.min(max, Math.round(n)));
}

function jpeg(width: number, height: number, bytes: number): FixtureFile {
	const app0 = Buffer.from([
		0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
		0x00, 0x00,
	]);
	const sof0 = Buffer.concat([
		Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08]),
		u16(height),
		u16(width),
		Buffer.from([0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]),
	]);
	const sos = Buffer.from([
		0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00,
	]);
	const head = Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof0, sos]);
	const tail = Buffer.from([0xff, 0xd9]);
	return {
		contentType: 'image/jpeg',
		head,
		tail,
		padding: Math.max(0, bytes - head.length - tail.length),
	};
}

function pngChunk(type: string, data: Buffer): Buffer {
	const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	return Buffer.concat([u32(data.length), typeAndData, u32(crc32(typeAndData))]);
}

function png(width: number, height: number, bytes: number): FixtureFile {
	const ihdr = pngChunk(
		'IHDR',
		Buffer.concat([u32(width), u32(height), Buffer.from([8, 2, 0, 0, 0])]),
	);
	const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const iend = pngChunk('IEND', Buffer.alloc(0));
	const fixed = signature.length + ihdr.length + iend.length + 12;
	const idat = pngChunk('IDAT', Buffer.alloc(Math.max(0, bytes - fixed)));
	return {
		contentType: 'image/png',
		head: Buffer.concat([signature, ihdr, idat, iend]),
		padding: 0,
		tail: Buffer.alloc(0),
	};
}

function webp(width: number, height: number, bytes: number): FixtureFile {
	const vp8x = Buffer.alloc(18);
	vp8x.write('VP8X', 0, 'latin1');
	vp8x.writeUInt32LE(10, 4);
	vp8x.writeUIntLE(width - 1, 12, 3);
	vp8x.writeUIntLE(height - 1, 15, 3);
	const padLength = Math.max(0, bytes - 12 - vp8x.length - 8) & ~1;
	const riffSize = 4 + vp8x.length + 8 + padLength;
	const head = Buffer.alloc(12);
	head.write('RIFF', 0, 'latin1');
	head.writeUInt32LE(riffSize, 4);
	head.write('WEBP', 8, 'latin1');
	const padHeader = Buffer.alloc(8);
	padHeader.write('VP8 ', 0, 'latin1');
	padHeader.writeUInt32LE(padLength, 4);
	return {
		contentType: 'image/webp',
		head: Buffer.concat([head, vp8x, padHeader]),
		padding: padLength,
		tail: Buffer.alloc(0),
	};
}

function gif(width: number, height: number, bytes: number): FixtureFile {
	const head = Buffer.alloc(13);
	head.write('GIF89a', 0, 'latin1');
	head.writeUInt16LE(width, 6);
	head.writeUInt16LE(height, 8);
	const tail = Buffer.from([0x3b]);
	return { contentType: 'image/gif', head, padding: Math.max(0, bytes - head.length - 1), tail };
}

function isoVideo(
	brand: 'isom' | 'qt  ',
	width: number,
	height: number,
	durationSeconds: number,
	bytes: number,
): FixtureFile {
	const timescale = 1000;
	const duration = Math.round(durationSeconds * timescale);
	const ftyp = box(
		'ftyp',
		Buffer.from(brand, 'latin1'),
		u32(0x200),
		Buffer.from(brand === 'qt  ' ? 'qt  ' : 'isomiso2avc1mp41', 'latin1'),
	);
	const mvhd = box(
		'mvhd',
		u32(0), // version 0, flags
		u32(0),
		u32(0),
		u32(timescale),
		u32(duration),
		u32(0x00010000),
		u16(0x0100),
		Buffer.alloc(10),
		IDENTITY_MATRIX,
		Buffer.alloc(24),
		u32(2),
	);
	const tkhd = box(
		'tkhd',
		u32(3), // version 0, flags enabled|in_movie
		u32(0),
		u32(0),
		u32(1),
		u32(0),
		u32(duration),
		Buffer.alloc(8),
		u16(0),
		u16(0),
		u16(0),
		u16(0),
		IDENTITY_MATRIX,
		u32(width * 65536),
		u32(height * 65536),
	);
	const hdlr = box(
		'hdlr',
		u32(0),
		u32(0),
		Buffer.from('vide', 'latin1'),
		Buffer.alloc(12),
		Buffer.from('VideoHandler\0', 'latin1'),
	);
	const mdhd = box(
		'mdhd',
		u32(0),
		u32(0),
		u32(0),
		u32(timescale),
		u32(duration),
		u16(0x55c4),
		u16(0),
	);
	const trak = box('trak', tkhd, box('mdia', mdhd, hdlr));
	const moov = box('moov', mvhd, trak);
	const fixed = ftyp.length + moov.length + 8;
	const padding = Math.max(0, bytes - fixed);
	const mdatHeader = Buffer.concat([u32(padding + 8), Buffer.from('mdat', 'latin1')]);
	return {
		contentType: brand === 'qt  ' ? 'video/quicktime' : 'video/mp4',
		head: Buffer.concat([ftyp, moov, mdatHeader]),
		padding,
		tail: Buffer.alloc(0),
	};
}

function simple(contentType: string, head: Buffer, tail: Buffer, bytes: number): FixtureFile {
	return { contentType, head, tail, padding: Math.max(0, bytes - head.length - tail.length) };
}

/** Builds the fixture for `/fixtures/<name>`; undefined when the name is unknown (404). */
export function buildFixture(name: string, query: URLSearchParams): FixtureFile | undefined {
	const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
	const isVideo = ext === 'mp4' || ext === 'mov';
	const width = clampInt(query.get('width'), isVideo ? 1080 : 1080, 1, 65535);
	const height = clampInt(query.get('height'), isVideo ? 1920 : 1080, 1, 65535);
	const bytes = clampInt(query.get('bytes'), isVideo ? 500_000 : 50_000, 0, 2 ** 32 - 1);
	const duration = Number(query.get('duration') ?? 10);
	let file: FixtureFile | undefined;
	switch (ext) {
		case 'jpg':
		case 'jpeg':
			file = jpeg(width, height, bytes);
			break;
		case 'png':
			file = png(width, height, Math.min(bytes, 64 * 2 ** 20));
			break;
		case 'webp':
			file = webp(width, height, bytes);
			break;
		case 'gif':
			file = gif(width, height, bytes);
			break;
		case 'mp4':
			file = isoVideo('isom', width, height, Number.isFinite(duration) ? duration : 10, bytes);
			break;
		case 'mov':
			file = isoVideo('qt  ', width, height, Number.isFinite(duration) ? duration : 10, bytes);
			break;
		case 'pdf':
			file = simple(
				'application/pdf',
				Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
				Buffer.from('\n%%EOF\n'),
				bytes || 2000,
			);
			break;
		case 'ogg':
		case 'opus':
			file = simple(
				'audio/ogg',
				Buffer.concat([
					Buffer.from('OggS', 'latin1'),
					Buffer.from([0, 2]),
					Buffer.alloc(20),
					Buffer.from([1, 19]),
					Buffer.from('OpusHead', 'latin1'),
				]),
				Buffer.alloc(0),
				bytes || 8000,
			);
			break;
		case 'mp3':
			file = simple(
				'audio/mpeg',
				Buffer.concat([
					Buffer.from('ID3', 'latin1'),
					Buffer.from([4, 0, 0, 0, 0, 0, 0]),
					Buffer.from([0xff, 0xfb, 0x90, 0x64]),
				]),
				Buffer.alloc(0),
				bytes || 8000,
			);
			break;
		case 'txt':
			file = simple(
				'text/plain; charset=utf-8',
				Buffer.from('Simulator fixture text.\n'),
				Buffer.alloc(0),
				bytes || 24,
			);
			break;
		case 'html':
			file = simple(
				'text/html; charset=utf-8',
				Buffer.from('<!doctype html><html><body>Not a media file.</body></html>'),
				Buffer.alloc(0),
				0,
			);
			break;
		default:
			return undefined;
	}
	const override = query.get('contentType');
	if (override) file.contentType = override;
	return file;
}

const ZEROES = Buffer.alloc(64 * 1024);

/** Streams a fixture to a response (large videos never sit in memory). */
export function writeFixture(res: http.ServerResponse, file: FixtureFile, headOnly: boolean): void {
	const total = file.head.length + file.padding + file.tail.length;
	res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(total) });
	if (headOnly) {
		res.end();
		return;
	}
	res.write(file.head);
	let remaining = file.padding;
	const pump = (): void => {
		while (remaining > 0) {
			const n = Math.min(remaining, ZEROES.length);
			remaining -= n;
			if (!res.write(n === ZEROES.length ? ZEROES : ZEROES.subarray(0, n))) {
				res.once('drain', pump);
				return;
			}
		}
		res.end(file.tail);
	};
	pump();
}

// ---------------------------------------------------------------------------------------------
// Parsers
// ---------------------------------------------------------------------------------------------

export interface MediaProperties {
	format?: string;
	width?: number;
	height?: number;
	durationSeconds?: number;
}

function parseJpeg(data: Buffer): MediaProperties {
	let i = 2;
	while (i + 4 <= data.length) {
		if (data[i] !== 0xff) {
			i++;
			continue;
		}
		const marker = data[i + 1];
		if (marker === 0xff) {
			i++;
			continue;
		}
		if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
			i += 2;
			continue;
		}
		const length = data.readUInt16BE(i + 2);
		const isSof =
			marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
		if (isSof && i + 9 <= data.length) {
			return { format: 'jpeg', height: data.readUInt16BE(i + 5), width: data.readUInt16BE(i + 7) };
		}
		if (marker === 0xda) break;
		i += 2 + length;
	}
	return { format: 'jpeg' };
}

function parseWebp(data: Buffer): MediaProperties {
	const chunk = data.toString('latin1', 12, 16);
	if (chunk === 'VP8X' && data.length >= 30) {
		return {
			format: 'webp',
			width: data.readUIntLE(24, 3) + 1,
			height: data.readUIntLE(27, 3) + 1,
		};
	}
	if (chunk === 'VP8 ' && data.length >= 30) {
		return {
			format: 'webp',
			width: data.readUInt16LE(26) & 0x3fff,
			height: data.readUInt16LE(28) & 0x3fff,
		};
	}
	if (chunk === 'VP8L' && data.length >= 25) {
		const bits = data.readUInt32LE(21);
		return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
	}
	return { format: 'webp' };
}

function parseIsoBoxes(data: Buffer, start: number, end: number, out: MediaProperties): void {
	let i = start;
	while (i + 8 <= end) {
		let size = data.readUInt32BE(i);
		const type = data.toString('latin1', i + 4, i + 8);
		let header = 8;
		if (size === 1 && i + 16 <= end) {
			size = Number(data.readBigUInt64BE(i + 8));
			header = 16;
		} else if (size === 0) {
			size = end - i;
		}
		if (size < header) return;
		const boxEnd = Math.min(end, i + size);
		if (type === 'moov' || type === 'trak') parseIsoBoxes(data, i + header, boxEnd, out);
		else if (type === 'mvhd' && boxEnd - i >= 32) {
			const version = data[i + 8];
			const timescale = version === 1 ? data.readUInt32BE(i + 28) : data.readUInt32BE(i + 20);
			const duration =
				version === 1 ? Number(data.readBigUInt64BE(i + 32)) : data.readUInt32BE(i + 24);
			if (timescale > 0) out.durationSeconds = duration / timescale;
		} else if (type === 'tkhd' && out.width === undefined) {
			const version = data[i + 8];
			const at = version === 1 ? i + 96 : i + 84;
			if (at + 8 <= boxEnd) {
				const width = data.readUInt32BE(at) / 65536;
				const height = data.readUInt32BE(at + 4) / 65536;
				if (width > 0 && height > 0) {
					out.width = Math.round(width);
					out.height = Math.round(height);
				}
			}
		}
		i += size;
	}
}

/** Recognises the format from magic bytes and reads dimensions / duration from the headers. */
export function parseMedia(data: Buffer): MediaProperties {
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff)
		return parseJpeg(data);
	if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47) {
		return { format: 'png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
	}
	if (
		data.length >= 16 &&
		data.toString('latin1', 0, 4) === 'RIFF' &&
		data.toString('latin1', 8, 12) === 'WEBP'
	)
		return parseWebp(data);
	if (data.length >= 10 && data.toString('latin1', 0, 4) === 'GIF8') {
		return { format: 'gif', width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
	}
	if (data.length >= 12 && data.toString('latin1', 4, 8) === 'ftyp') {
		const brand = data.toString('latin1', 8, 12);
		const out: MediaProperties = { format: brand === 'qt  ' ? 'mov' : 'mp4' };
		parseIsoBoxes(data, 0, data.length, out);
		return out;
	}
	if (data.length >= 4 && data.toString('latin1', 0, 4) === '%PDF') return { format: 'pdf' };
	if (data.length >= 4 && data.toString('latin1', 0, 4) === 'OggS') return { format: 'ogg' };
	if (
		data.length >= 3 &&
		(data.toString('latin1', 0, 3) === 'ID3' || (data[0] === 0xff && (data[1] & 0xe0) === 0xe0))
	) {
		return { format: 'mp3' };
	}
	return {};
}

// ---------------------------------------------------------------------------------------------
// Crawler
// ---------------------------------------------------------------------------------------------

export interface FetchOptions {
	timeoutMs: number;
	maxRedirects?: number;
	/** Bytes kept in `data`; the rest is only counted. */
	keepBytes?: number;
}

const insecureAgent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
const plainAgent = new http.Agent({ keepAlive: true });

function failed(status = 0, contentType?: string): FetchedMedia {
	return { ok: false, status, contentType, bytes: 0, data: Buffer.alloc(0) };
}

/** GETs a URL like Meta's media crawler: follows redirects, accepts our self-signed cert. */
export function fetchMedia(url: string, options: FetchOptions): Promise<FetchedMedia> {
	const keepBytes = options.keepBytes ?? 64 * 2 ** 20;
	let redirectsLeft = options.maxRedirects ?? 5;
	return new Promise((resolve) => {
		let settled = false;
		let current: http.ClientRequest | undefined;
		const finish = (result: FetchedMedia): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve(result);
		};
		const timer = setTimeout(() => {
			current?.destroy();
			finish(failed(0));
		}, options.timeoutMs);

		const get = (target: string): void => {
			let parsed: URL;
			try {
				parsed = new URL(target);
			} catch {
				finish(failed(0));
				return;
			}
			const isHttps = parsed.protocol === 'https:';
			if (!isHttps && parsed.protocol !== 'http:') {
				finish(failed(0));
				return;
			}
			const request = (isHttps ? https : http).get(
				parsed,
				{
					agent: isHttps ? insecureAgent : plainAgent,
					headers: { 'User-Agent': 'facebookexternalhit/1.1 (simulator)' },
				},
				(res) => {
					const status = res.statusCode ?? 0;
					const location = res.headers.location;
					if (status >= 300 && status < 400 && location) {
						res.resume();
						if (redirectsLeft-- <= 0) return finish(failed(status));
						return get(new URL(location, parsed).toString());
					}
					const contentType = res.headers['content-type'];
					if (status < 200 || status >= 300) {
						res.resume();
						return finish(failed(status, contentType));
					}
					const chunks: Buffer[] = [];
					let kept = 0;
					let bytes = 0;
					res.on('data', (chunk: Buffer) => {
						bytes += chunk.length;
						if (kept < keepBytes) {
							const part =
								chunk.length + kept > keepBytes ? chunk.subarray(0, keepBytes - kept) : chunk;
							chunks.push(part);
							kept += part.length;
						}
					});
					res.on('end', () => {
						const data = Buffer.concat(chunks);
						finish({ ok: true, status, contentType, bytes, data, ...parseMedia(data) });
					});
					res.on('error', () => finish(failed(0)));
				},
			);
			current = request;
			request.on('error', () => finish(failed(0)));
		};
		get(url);
	});
}
