/** Turns an incoming HTTP request into a SimRequest (version prefix, query, body encodings). */
import type { IncomingMessage } from 'http';

import type { SimRequest } from '../types';
import { GraphError } from './errors';

const VERSIONED = /^\/(v\d+\.\d+)(\/.*)?$/;
const MAX_BODY = 512 * 2 ** 20;

export function splitVersion(pathname: string): { path: string; version?: string } {
	const match = VERSIONED.exec(pathname);
	if (!match) return { path: normalise(pathname) };
	return { path: normalise(match[2] ?? '/'), version: match[1] };
}

function normalise(path: string): string {
	let decoded = path;
	try {
		decoded = decodeURIComponent(path);
	} catch {
		// keep raw
	}
	if (decoded.length > 1 && decoded.endsWith('/')) decoded = decoded.slice(0, -1);
	return decoded || '/';
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				reject(new Error('body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

export function searchToObject(search: URLSearchParams): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of search) out[key] = value;
	return out;
}

type Part = NonNullable<SimRequest['files']>[number];

export function parseMultipart(
	raw: Buffer,
	contentType: string,
): { fields: Record<string, string>; files: Part[] } {
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	const fields: Record<string, string> = {};
	const files: Part[] = [];
	if (!match) return { fields, files };
	const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
	let pos = raw.indexOf(delimiter);
	while (pos !== -1) {
		const start = pos + delimiter.length;
		if (raw[start] === 0x2d && raw[start + 1] === 0x2d) break; // closing "--"
		const headerEnd = raw.indexOf('\r\n\r\n', start);
		if (headerEnd === -1) break;
		const next = raw.indexOf(delimiter, headerEnd + 4);
		if (next === -1) break;
		const headerText = raw.toString('utf8', start, headerEnd);
		let data = raw.subarray(headerEnd + 4, next);
		if (data.length >= 2 && data[data.length - 2] === 0x0d && data[data.length - 1] === 0x0a)
			data = data.subarray(0, -2);
		const name = /name="([^"]*)"/i.exec(headerText)?.[1] ?? '';
		const filename = /filename="([^"]*)"/i.exec(headerText)?.[1];
		const partType = /content-type:\s*([^\r\n]+)/i.exec(headerText)?.[1]?.trim();
		if (filename !== undefined || (partType && !partType.startsWith('text/plain'))) {
			files.push({ field: name, filename, contentType: partType, data: Buffer.from(data) });
		} else {
			fields[name] = data.toString('utf8');
		}
		pos = next;
	}
	return { fields, files };
}

/** Parses the body by content type; params = query merged with body parameters (body wins). */
export function buildSimRequest(
	method: string,
	pathname: string,
	search: URLSearchParams,
	headers: Record<string, string | undefined>,
	rawBody: Buffer,
): SimRequest {
	const { path, version } = splitVersion(pathname);
	const query = searchToObject(search);
	const contentType = (headers['content-type'] ?? '').toLowerCase();
	let body: unknown;
	let bodyParams: Record<string, unknown> = {};
	let files: SimRequest['files'];
	if (rawBody.length > 0) {
		if (contentType.includes('application/json')) {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				throw new GraphError({
					code: 100,
					message: '(#100) The request body could not be parsed as JSON',
				});
			}
			if (body && typeof body === 'object' && !Array.isArray(body))
				bodyParams = body as Record<string, unknown>;
		} else if (contentType.includes('application/x-www-form-urlencoded')) {
			body = searchToObject(new URLSearchParams(rawBody.toString('utf8')));
			bodyParams = body as Record<string, unknown>;
		} else if (contentType.includes('multipart/form-data')) {
			const parsed = parseMultipart(rawBody, headers['content-type'] ?? '');
			body = parsed.fields;
			bodyParams = parsed.fields;
			files = parsed.files;
		}
	}
	return {
		method: method.toUpperCase() as SimRequest['method'],
		path,
		version,
		params: { ...query, ...bodyParams },
		query,
		body,
		rawBody,
		headers,
		files,
	};
}

/** Keys whose value is a secret wherever they appear (any depth, any endpoint). */
const SECRET_KEYS = new Set([
	'access_token',
	'appsecret_proof',
	'client_secret',
	'input_token',
	'fb_exchange_token',
	'refresh_token',
	'password',
	'pin',
	'authorization',
]);

/** OAuth endpoints, where a top-level `code` is an authorization code (a one-time secret). */
const OAUTH_PATHS = new Set([
	'/oauth/access_token',
	'/access_token',
	'/refresh_access_token',
	'/oauth/authorize',
	'/dialog/oauth',
]);

const SECRET_PARAM =
	'(?:access_token|appsecret_proof|client_secret|input_token|fb_exchange_token|refresh_token)';
/** `access_token=...` in URLs (also percent-encoded, e.g. a `paging.next` inside a parameter). */
const SECRET_IN_URL = new RegExp(`(${SECRET_PARAM}(?:=|%3D))(?:(?!%26)[^&"\\s\\\\])+`, 'gi');
/** `"access_token":"..."` inside JSON text (e.g. a batch's per-operation body). */
const SECRET_IN_JSON = new RegExp(
	`((?:\\\\?")${SECRET_PARAM}(?:\\\\?")\\s*:\\s*(?:\\\\?"))(?:[^"\\\\]|\\\\(?!"))+`,
	'gi',
);
/** `Bearer <token>` / `OAuth <token>` inside text. */
const SCHEME_TOKEN = /\b(Bearer|OAuth)\s+(?!\[REDACTED\])[A-Za-z0-9|._~+/=-]{20,}/g;

export interface RedactOptions {
	/** Path of the request (without version): `code` is redacted only on OAuth endpoints. */
	path?: string;
}

export function isOAuthPath(path: string | undefined): boolean {
	return path !== undefined && OAUTH_PATHS.has(path);
}

/** Text with every token, secret and proof in URLs, JSON or auth schemes replaced by "[REDACTED]". */
export function redactText(text: string): string {
	return text
		.replace(SECRET_IN_URL, '$1[REDACTED]')
		.replace(SECRET_IN_JSON, '$1[REDACTED]')
		.replace(SCHEME_TOKEN, '$1 [REDACTED]');
}

/**
 * Deep copy with every token, secret and proof replaced by "[REDACTED]". Only real secrets: an
 * ordinary field that happens to be called `code` (a WhatsApp template's `language.code`, a
 * country code) stays readable; the OAuth authorization `code` is redacted on OAuth endpoints.
 */
export function redact(value: unknown, options: RedactOptions = {}, depth = 0): unknown {
	if (depth > 12) return '[…]';
	if (typeof value === 'string') return redactText(value);
	if (Buffer.isBuffer(value)) return { binary: true, bytes: value.length };
	if (Array.isArray(value)) return value.map((item) => redact(item, options, depth + 1));
	if (value && typeof value === 'object') {
		const oauthCode = depth === 0 && isOAuthPath(options.path);
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) {
			const lower = key.toLowerCase();
			const secret = SECRET_KEYS.has(lower) || (oauthCode && lower === 'code');
			out[key] =
				secret && inner !== undefined && inner !== ''
					? '[REDACTED]'
					: redact(inner, options, depth + 1);
		}
		return out;
	}
	return value;
}
