/**
 * What goes on the wire and what comes back: query strings, forms, multipart bodies and raw
 * uploads in the shape Meta reads them, and the answer body decoded (JSON, text or bytes), with
 * Meta's error object found in it.
 */
import { randomBytes } from 'crypto';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { ResolvedCredential } from './credential';
import { buildUrl } from './credential';
import { isGraphHostUrl } from './credentialParts';
import { appSecretProof } from './tokens';
import type { BatchOperation, GraphRequestOptions, MetaGraphErrorBody } from './types';

/** Meta wants nested values in query strings and forms as JSON strings. */
export function flattenParameters(parameters: IDataObject): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [key, value] of Object.entries(parameters)) {
		if (value === undefined || value === null) continue;
		flat[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
	return flat;
}

export function encodeForm(parameters: IDataObject): string {
	return new URLSearchParams(flattenParameters(parameters)).toString();
}

export function encodeMultipart(parts: NonNullable<GraphRequestOptions['multipart']>): {
	body: Buffer;
	contentType: string;
} {
	const boundary = `----n8nMetaBoundary${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const part of parts) {
		const filename = part.filename ? `; filename="${part.filename.replace(/"/g, '')}"` : '';
		const type =
			part.contentType ??
			(Buffer.isBuffer(part.value) || part.filename ? 'application/octet-stream' : undefined);
		const header =
			`--${boundary}\r\nContent-Disposition: form-data; name="${part.name.replace(/"/g, '')}"${filename}\r\n` +
			(type ? `Content-Type: ${type}\r\n` : '') +
			'\r\n';
		chunks.push(Buffer.from(header, 'utf8'));
		chunks.push(Buffer.isBuffer(part.value) ? part.value : Buffer.from(String(part.value), 'utf8'));
		chunks.push(Buffer.from('\r\n', 'utf8'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function hasHeader(headers: IDataObject, name: string): boolean {
	return Object.keys(headers).some((key) => key.toLowerCase() === name.toLowerCase());
}

/**
 * n8n's request options for one Graph call. `appsecret_proof` goes only to the Graph host of the
 * credential (the upload host does not take it).
 */
export function buildRequest(
	credential: ResolvedCredential,
	options: GraphRequestOptions,
): IHttpRequestOptions {
	const url = buildUrl(credential, options.path);
	const qs: IDataObject = flattenParameters(options.qs ?? {});
	// The proof belongs to the token Meta uses: a call that names its own token in the query (the
	// app token of `/{app-id}/subscriptions`) gets that token's proof, not the credential's.
	const queryToken = typeof qs.access_token === 'string' && qs.access_token ? qs.access_token : '';
	const provenToken = queryToken || credential.accessToken;
	if (credential.appSecret && provenToken && isGraphHostUrl(credential.baseUrl, url)) {
		qs.appsecret_proof = appSecretProof(credential.appSecret, provenToken);
	}
	const headers: IDataObject = { ...(options.headers ?? {}) };
	const request: IHttpRequestOptions = {
		method: options.method,
		url,
		qs,
		headers,
		timeout: options.timeoutMs ?? 60_000,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: !options.binary,
	};
	if (options.binary) request.encoding = 'arraybuffer';
	const bodyType =
		options.bodyType ??
		(Buffer.isBuffer(options.body) ? 'binary' : options.multipart ? 'multipart' : 'json');
	if (bodyType === 'multipart') {
		const encoded = encodeMultipart(options.multipart ?? []);
		headers['Content-Type'] = encoded.contentType;
		request.body = encoded.body;
		request.json = false;
	} else if (options.body !== undefined) {
		if (bodyType === 'binary') {
			if (!hasHeader(headers, 'Content-Type')) headers['Content-Type'] = 'application/octet-stream';
			request.body = options.body as Buffer;
			request.json = false;
		} else if (bodyType === 'form') {
			headers['Content-Type'] = 'application/x-www-form-urlencoded';
			request.body = encodeForm(options.body as IDataObject);
		} else {
			request.body = options.body as IDataObject;
		}
	}
	return request;
}

/** A `{result=name:$.path}` reference to an earlier operation, as form encoding writes it. */
const ENCODED_RESULT_REFERENCE = /%7Bresult%3D[^&]*?%7D/gi;

/**
 * The form-encoded body of one batch operation. References to earlier operations' results stay as
 * written: Meta substitutes them in the raw body text before reading the form
 * (https://developers.facebook.com/docs/graph-api/batch-requests#operations-dependencies).
 */
export function batchBody(operation: BatchOperation): string | undefined {
	if (!operation.body) return undefined;
	return encodeForm(operation.body).replace(ENCODED_RESULT_REFERENCE, (reference) =>
		decodeURIComponent(reference),
	);
}

/** The answer body as data: JSON parsed when it is JSON, bytes kept for a binary download. */
export function parseBody(body: unknown, binary: boolean): unknown {
	if (Buffer.isBuffer(body) || body instanceof ArrayBuffer) {
		if (binary) return body;
		const text = Buffer.from(body as Buffer).toString('utf8');
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	if (typeof body === 'string' && !binary) {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	return body;
}

/** Meta's error object, or an equivalent for the upload host's `debug_info` shape. */
export function errorBodyOf(body: unknown): MetaGraphErrorBody | undefined {
	const envelope = body as { error?: MetaGraphErrorBody; debug_info?: IDataObject } | undefined;
	if (envelope?.error && typeof envelope.error === 'object') return envelope.error;
	const debugInfo = envelope?.debug_info;
	if (debugInfo && typeof debugInfo === 'object') {
		let message = String(debugInfo.message ?? 'Upload failed');
		try {
			const inner = JSON.parse(message) as { error?: { message?: string } };
			if (inner?.error?.message) message = inner.error.message;
		} catch {
			// debug_info.message is sometimes plain text.
		}
		return {
			message: `Instagram's upload service refused the upload: ${message}`,
			type: String(debugInfo.type ?? 'ProcessingFailedError'),
			is_transient: debugInfo.retriable === true,
		};
	}
	return undefined;
}
