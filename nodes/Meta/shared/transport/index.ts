/**
 * The only place HTTP happens. Every request is authenticated by n8n
 * (`httpRequestWithAuthentication`) with the credential the node's `authentication` parameter
 * selects; version and base URL come from that credential; `appsecret_proof` is added whenever
 * the credential holds the app secret. Failures become NodeApiErrors from the error catalogue,
 * scrubbed of every secret. Retries follow Meta's own classification (see `retryDecision`).
 */
import { randomBytes } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { classifyMetaError, createMetaApiError, scrubValue, toNodeApiError } from '../errors';
import {
	DEFAULT_GRAPH_API_VERSION,
	DEFAULT_GRAPH_BASE_URL,
	DEFAULT_INSTAGRAM_BASE_URL,
} from './constants';
import { credentialBaseUrl, isGraphHostUrl } from './credentialParts';
import { appSecretProof, effectiveAccessToken } from './tokens';
import type {
	BatchOperation,
	BatchResult,
	GraphAllItemsOptions,
	GraphRequestOptions,
	MetaAuthentication,
	MetaGraphErrorBody,
	RetryPolicy,
} from './types';
import { META_CREDENTIAL_TYPES } from './types';

export * from './types';
export { DEFAULT_GRAPH_API_VERSION, DEFAULT_GRAPH_BASE_URL, DEFAULT_INSTAGRAM_BASE_URL };
export { appSecretProof };

export type MetaFunctions = IExecuteFunctions | ILoadOptionsFunctions;

export interface ResolvedCredential {
	credentialType: string;
	baseUrl: string;
	version: string;
	accessToken: string;
	appSecret?: string;
}

/** Largest number of operations Meta accepts in one batch request (reference E.2). */
export const GRAPH_BATCH_LIMIT = 50;
/** Default upper bound of the total time spent waiting between attempts. */
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;
/** Attempts per request at most, whatever the wait budget. */
export const MAX_ATTEMPTS = 6;
const TRANSIENT_BASE_DELAY_MS = 1_000;
const THROTTLED_BASE_DELAY_MS = 2_000;
const MAX_SINGLE_BACKOFF_MS = 30_000;

/**
 * Time source of the retry loop. Tests replace these members to record and skip waits; nodes
 * never touch it.
 */
export const transportClock = {
	sleep: async (ms: number): Promise<void> => await sleep(ms),
	now: (): number => Date.now(),
	random: (): number => Math.random(),
};

/** The credential type the node's `authentication` parameter selects. */
export function getCredentialType(this: MetaFunctions): string {
	let authentication: MetaAuthentication = 'accessToken';
	try {
		authentication = this.getNodeParameter('authentication', 0, 'accessToken') as MetaAuthentication;
	} catch {
		authentication = 'accessToken';
	}
	return META_CREDENTIAL_TYPES[authentication] ?? META_CREDENTIAL_TYPES.accessToken;
}

interface LoadedCredential {
	resolved: ResolvedCredential;
	/** Every secret value the credential holds, for scrubbing errors. */
	secrets: string[];
}

function credentialSecrets(credentials: ICredentialDataDecryptedObject, extra: string[]): string[] {
	const oauthTokenData = credentials.oauthTokenData as IDataObject | undefined;
	const packed = typeof credentials.longLivedAccessToken === 'string'
		? credentials.longLivedAccessToken
		: '';
	const values = [
		credentials.accessToken,
		credentials.appSecret,
		credentials.clientSecret,
		packed,
		packed.includes(':') ? packed.slice(packed.indexOf(':') + 1) : '',
		oauthTokenData?.access_token,
		oauthTokenData?.refresh_token,
		...extra,
	];
	return values.filter((value): value is string => typeof value === 'string' && value.length >= 4);
}

async function loadCredential(this: MetaFunctions): Promise<LoadedCredential> {
	const credentialType = getCredentialType.call(this);
	const credentials = await this.getCredentials(credentialType);
	const oauthTokenData = credentials.oauthTokenData as IDataObject | undefined;
	const isOAuth2 = credentialType === META_CREDENTIAL_TYPES.oAuth2;
	const accessToken = isOAuth2
		? String(oauthTokenData?.access_token ?? '')
		: effectiveAccessToken(credentials);
	const defaultBase =
		credentialType === META_CREDENTIAL_TYPES.instagramLogin
			? DEFAULT_INSTAGRAM_BASE_URL
			: DEFAULT_GRAPH_BASE_URL;
	// On the OAuth2 credential the app secret is the Client Secret, used only when asked for.
	const appSecret =
		(credentials.appSecret as string | undefined) ||
		(isOAuth2 && credentials.sendAppProof === true
			? (credentials.clientSecret as string | undefined)
			: undefined) ||
		undefined;
	const resolved: ResolvedCredential = {
		credentialType,
		baseUrl: credentialBaseUrl(credentials, defaultBase),
		version: String(credentials.graphApiVersion || DEFAULT_GRAPH_API_VERSION).trim(),
		accessToken,
		appSecret,
	};
	const proof = appSecret && accessToken ? appSecretProof(appSecret, accessToken) : '';
	return { resolved, secrets: credentialSecrets(credentials, [accessToken, proof]) };
}

export async function resolveCredential(this: MetaFunctions): Promise<ResolvedCredential> {
	return (await loadCredential.call(this)).resolved;
}

export function buildUrl(credential: ResolvedCredential, path: string): string {
	if (/^https?:\/\//i.test(path)) return path;
	const cleanPath = path.startsWith('/') ? path : `/${path}`;
	return `${credential.baseUrl}/${credential.version}${cleanPath}`;
}

function isGraphUrl(credential: ResolvedCredential, url: string): boolean {
	return isGraphHostUrl(credential.baseUrl, url);
}

/** Meta wants nested values in query strings and forms as JSON strings. */
function flattenParameters(parameters: IDataObject): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [key, value] of Object.entries(parameters)) {
		if (value === undefined || value === null) continue;
		flat[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
	return flat;
}

function encodeForm(parameters: IDataObject): string {
	return new URLSearchParams(flattenParameters(parameters)).toString();
}

function encodeMultipart(
	parts: NonNullable<GraphRequestOptions['multipart']>,
): { body: Buffer; contentType: string } {
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

function buildRequest(
	credential: ResolvedCredential,
	options: GraphRequestOptions,
): IHttpRequestOptions {
	const url = buildUrl(credential, options.path);
	const qs: IDataObject = flattenParameters(options.qs ?? {});
	if (credential.appSecret && credential.accessToken && isGraphUrl(credential, url)) {
		qs.appsecret_proof = appSecretProof(credential.appSecret, credential.accessToken);
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

/** Header value, whatever the case of its name. */
function headerValue(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	if (!headers) return undefined;
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== name) continue;
		if (Array.isArray(value)) return value.map(String).join(',');
		return value === undefined || value === null ? undefined : String(value);
	}
	return undefined;
}

/** Wait Meta asks for: `Retry-After` (seconds or a date) or BUC `estimated_time_to_regain_access` (minutes). */
export function waitFromHeaders(
	headers: Record<string, unknown> | undefined,
	now: number = transportClock.now(),
): number {
	let waitMs = 0;
	const retryAfter = headerValue(headers, 'retry-after');
	if (retryAfter) {
		const seconds = Number(retryAfter);
		if (!Number.isNaN(seconds)) waitMs = Math.max(waitMs, seconds * 1000);
		else {
			const date = Date.parse(retryAfter);
			if (!Number.isNaN(date)) waitMs = Math.max(waitMs, date - now);
		}
	}
	const businessUsage = headerValue(headers, 'x-business-use-case-usage');
	if (businessUsage) {
		try {
			const parsed = JSON.parse(businessUsage) as Record<string, Array<IDataObject>>;
			for (const entries of Object.values(parsed ?? {})) {
				for (const usage of Array.isArray(entries) ? entries : []) {
					const minutes = Number(usage?.estimated_time_to_regain_access ?? 0);
					if (minutes > 0) waitMs = Math.max(waitMs, minutes * 60_000);
				}
			}
		} catch {
			// An unreadable usage header gives no wait hint; the backoff still applies.
		}
	}
	return Math.max(0, Math.round(waitMs));
}

/** Whether `X-App-Usage` (or a BUC entry) says the app is at or over its allowance. */
export function usageExhausted(headers: Record<string, unknown> | undefined): boolean {
	const percentages: number[] = [];
	const appUsage = headerValue(headers, 'x-app-usage');
	const businessUsage = headerValue(headers, 'x-business-use-case-usage');
	try {
		if (appUsage) {
			const parsed = JSON.parse(appUsage) as IDataObject;
			percentages.push(
				Number(parsed.call_count ?? 0),
				Number(parsed.total_time ?? 0),
				Number(parsed.total_cputime ?? 0),
			);
		}
		if (businessUsage) {
			const parsed = JSON.parse(businessUsage) as Record<string, IDataObject[]>;
			for (const entries of Object.values(parsed ?? {})) {
				for (const usage of Array.isArray(entries) ? entries : []) {
					percentages.push(
						Number(usage?.call_count ?? 0),
						Number(usage?.total_time ?? 0),
						Number(usage?.total_cputime ?? 0),
					);
				}
			}
		}
	} catch {
		return false;
	}
	return percentages.some((value) => value >= 100);
}

/** Exponential backoff with full jitter: a random wait in [0, base * 2^attempt], capped. */
export function backoffDelay(attempt: number, baseMs: number): number {
	const ceiling = Math.min(MAX_SINGLE_BACKOFF_MS, baseMs * 2 ** attempt);
	return Math.floor(transportClock.random() * ceiling);
}

type FailureKind = 'transient' | 'throttled' | 'never';

/**
 * Which failures each policy repeats:
 * - idempotent: transient and throttled Meta codes, HTTP 5xx, and network errors.
 * - throttleOnly: throttled codes only (Meta refused before doing anything).
 * - none: nothing.
 */
function policyAllows(policy: RetryPolicy, kind: FailureKind): boolean {
	if (policy === 'none' || kind === 'never') return false;
	if (policy === 'throttleOnly') return kind === 'throttled';
	return true;
}

const NOT_SENT_NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_INVALID_URL',
]);

/** The network error code buried in whatever n8n and axios wrapped around it. */
function networkCodeOf(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	for (let depth = 0; current && depth < 6; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]{3,}$|^ERR_|^UND_ERR/.test(current.code)) {
			return current.code;
		}
		current = current.cause as typeof current;
	}
	const text = String((error as { message?: unknown })?.message ?? '');
	if (/socket hang up/i.test(text)) return 'ECONNRESET';
	if (/timeout|timed out/i.test(text)) return 'ETIMEDOUT';
	const match = /\b(ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/.exec(text);
	return match?.[1];
}

function parseBody(body: unknown, binary: boolean): unknown {
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
function errorBodyOf(body: unknown): MetaGraphErrorBody | undefined {
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

interface SendOutcome {
	response?: IN8nHttpFullResponse;
	networkError?: unknown;
}

async function send(
	this: MetaFunctions,
	credential: ResolvedCredential,
	options: GraphRequestOptions,
	request: IHttpRequestOptions,
): Promise<SendOutcome> {
	try {
		if (options.authScheme === 'OAuth' && credential.credentialType === META_CREDENTIAL_TYPES.oAuth2) {
			// n8n signs OAuth2 requests as `Bearer` only; Meta's upload host wants `OAuth <token>`.
			const headers = { ...(request.headers ?? {}), Authorization: `OAuth ${credential.accessToken}` };
			const response = (await this.helpers.httpRequest({ ...request, headers })) as IN8nHttpFullResponse;
			return { response };
		}
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			credential.credentialType,
			request,
		)) as IN8nHttpFullResponse;
		return { response };
	} catch (error) {
		const status = (error as { response?: { status?: number } })?.response?.status;
		const body = (error as { response?: { data?: unknown } })?.response?.data;
		if (status) {
			// Some n8n paths (OAuth2 token refresh) still throw on HTTP errors: treat as an answer.
			return {
				response: {
					statusCode: status,
					body: body as IN8nHttpFullResponse['body'],
					headers: (error as { response?: { headers?: IDataObject } }).response?.headers ?? {},
					statusMessage: '',
				},
			};
		}
		return { networkError: error };
	}
}

function defaultPolicy(options: GraphRequestOptions): RetryPolicy {
	return options.retry ?? (options.method === 'GET' ? 'idempotent' : 'none');
}

export async function graphRequest<T = any>(
	this: MetaFunctions,
	options: GraphRequestOptions,
): Promise<T> {
	const { resolved: credential, secrets } = await loadCredential.call(this);
	const request = buildRequest(credential, options);
	const policy = defaultPolicy(options);
	const maxWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
	let waitedMs = 0;
	for (let attempt = 0; ; attempt++) {
		const outcome = await send.call(this, credential, options, request);
		const attempts = attempt + 1;
		let kind: FailureKind;
		let buildError: (retryAfterMs?: number) => Error;
		let hintedWaitMs = 0;
		if (outcome.response) {
			const { statusCode, headers } = outcome.response;
			const body = parseBody(outcome.response.body, Boolean(options.binary) && statusCode < 400);
			const metaError = statusCode >= 400 || (body as IDataObject | undefined)?.error
				? errorBodyOf(body)
				: undefined;
			if (statusCode < 400 && !metaError) {
				if (options.returnFullResponse) {
					return { body, headers, statusCode } as T;
				}
				return body as T;
			}
			const code = metaError?.code !== undefined ? Number(metaError.code) : undefined;
			const subcode =
				metaError?.error_subcode !== undefined ? Number(metaError.error_subcode) : undefined;
			kind =
				code !== undefined
					? classifyMetaError(code, subcode, metaError?.is_transient)
					: metaError?.is_transient === true
						? 'transient'
						: 'never';
			if (kind === 'never' && code === undefined && statusCode >= 500) kind = 'transient';
			if (kind === 'never' && statusCode === 429) kind = 'throttled';
			hintedWaitMs = waitFromHeaders(headers as Record<string, unknown>);
			const fallbackMessage =
				typeof body === 'string' && body.trim()
					? `Meta answered HTTP ${statusCode}: ${body.trim().slice(0, 200)}`
					: `Meta answered HTTP ${statusCode}`;
			// Throttled with the allowance used up but no time given (X-App-Usage at 100): the
			// window is a rolling hour, so a quick retry is wasted; wait as long as one backoff may.
			if (kind === 'throttled' && hintedWaitMs === 0 && usageExhausted(headers as Record<string, unknown>)) {
				hintedWaitMs = MAX_SINGLE_BACKOFF_MS;
			}
			buildError = (retryAfterMs) =>
				createMetaApiError(this.getNode(), {
					metaError: metaError ?? { message: fallbackMessage },
					httpStatus: statusCode,
					outcome: 'failed',
					itemIndex: options.itemIndex,
					attempts,
					retryAfterMs,
					secrets,
				});
		} else {
			const networkCode = networkCodeOf(outcome.networkError);
			if (!networkCode) {
				// Not a network failure: n8n could not prepare the request (credential missing, the
				// credential's token exchange refused...). Nothing was sent to Meta.
				const failure = outcome.networkError as { message?: string; description?: string };
				throw createMetaApiError(this.getNode(), {
					outcome: 'failed',
					message: failure?.message || 'The request to Meta could not be prepared',
					description:
						failure?.description ||
						'Nothing was sent to Meta. Check the credential selected in this node.',
					itemIndex: options.itemIndex,
					attempts,
					secrets,
				});
			}
			// Refused or unresolvable connections never reached Meta; anything else (reset, timeout,
			// hang-up) may have.
			const ambiguous = !NOT_SENT_NETWORK_CODES.has(networkCode);
			// A read (or a write the caller marked idempotent) can be sent again; anything else
			// may already have happened at Meta and is reported as such.
			kind = policy === 'idempotent' ? 'transient' : 'never';
			const unknownOutcome = ambiguous && options.method !== 'GET' && policy !== 'idempotent';
			buildError = () =>
				createMetaApiError(this.getNode(), {
					outcome: unknownOutcome ? 'unknown' : 'failed',
					message: unknownOutcome
						? `The connection to Meta dropped after the request was sent (${networkCode})`
						: `Could not reach Meta (${networkCode})`,
					description: unknownOutcome
						? 'The request reached the network but no answer came back, so Meta may or may not have carried it out. It was not repeated automatically, to avoid doing it twice. Check in Meta (the Instagram profile, the WhatsApp chat) before running it again.'
						: `Check the Graph API Base URL in the credential (${credential.baseUrl}) and this machine's network connection, then run the workflow again.`,
					networkCode,
					itemIndex: options.itemIndex,
					attempts,
					secrets,
				});
		}
		if (!policyAllows(policy, kind) || attempts >= MAX_ATTEMPTS) {
			throw buildError(hintedWaitMs || undefined);
		}
		const waitMs =
			hintedWaitMs > 0
				? hintedWaitMs
				: backoffDelay(
						attempt,
						kind === 'throttled' ? THROTTLED_BASE_DELAY_MS : TRANSIENT_BASE_DELAY_MS,
					);
		if (waitedMs + waitMs > maxWaitMs) {
			throw buildError(waitMs);
		}
		waitedMs += waitMs;
		await transportClock.sleep(waitMs);
	}
}

export async function graphRequestAllItems<T = IDataObject>(
	this: MetaFunctions,
	options: GraphRequestOptions,
	allItems: GraphAllItemsOptions = {},
): Promise<T[]> {
	const results: T[] = [];
	const pageSize = allItems.pageSize ?? 100;
	const seenCursors = new Set<string>();
	let after: string | undefined;
	do {
		const remaining =
			allItems.limit !== undefined ? Math.max(allItems.limit - results.length, 1) : undefined;
		const qs: IDataObject = {
			...(options.qs ?? {}),
			limit: remaining !== undefined ? Math.min(pageSize, remaining) : pageSize,
		};
		if (after) qs.after = after;
		const page = (await graphRequest.call(this, { ...options, qs })) as {
			data?: T[];
			paging?: { next?: string; cursors?: { after?: string } };
		};
		results.push(...(Array.isArray(page?.data) ? page.data : []));
		if (allItems.limit !== undefined && results.length >= allItems.limit) {
			return results.slice(0, allItems.limit);
		}
		after = page?.paging?.next ? page?.paging?.cursors?.after : undefined;
		// A cursor seen before would loop forever; Meta's paging is over.
		if (after && seenCursors.has(after)) after = undefined;
		if (after) seenCursors.add(after);
	} while (after);
	return results;
}

/** A `{result=name:$.path}` reference to an earlier operation, as form encoding writes it. */
const ENCODED_RESULT_REFERENCE = /%7Bresult%3D[^&]*?%7D/gi;

/**
 * The form-encoded body of one operation. References to earlier operations' results stay as
 * written: Meta substitutes them in the raw body text before reading the form.
 */
function batchBody(operation: BatchOperation): string | undefined {
	if (!operation.body) return undefined;
	return encodeForm(operation.body).replace(ENCODED_RESULT_REFERENCE, (reference) =>
		decodeURIComponent(reference),
	);
}

export async function graphBatch<T = IDataObject>(
	this: MetaFunctions,
	operations: BatchOperation[],
	itemIndex?: number,
): Promise<Array<BatchResult<T>>> {
	const results: Array<BatchResult<T>> = [];
	let secrets: string[] | undefined;
	const readOnly = operations.every((operation) => operation.method === 'GET');
	for (let start = 0; start < operations.length; start += GRAPH_BATCH_LIMIT) {
		const chunk = operations.slice(start, start + GRAPH_BATCH_LIMIT);
		const batch = chunk.map((operation) => {
			const body = batchBody(operation);
			return {
				method: operation.method,
				relative_url: operation.relativeUrl.replace(/^\/+/, ''),
				...(body !== undefined ? { body } : {}),
				...(operation.name ? { name: operation.name } : {}),
				...(operation.dependsOn ? { depends_on: operation.dependsOn } : {}),
				...(operation.omitResponseOnSuccess !== undefined
					? { omit_response_on_success: operation.omitResponseOnSuccess }
					: {}),
			};
		});
		const response = (await graphRequest.call(this, {
			method: 'POST',
			path: '/',
			body: { batch: JSON.stringify(batch), include_headers: 'false' },
			bodyType: 'form',
			// Reads only: the whole batch may be sent again. Any write: the caller decides.
			retry: readOnly ? 'idempotent' : 'none',
			itemIndex,
		})) as Array<{ code: number; body?: string | null } | null> | unknown;
		if (!Array.isArray(response)) {
			throw toNodeApiError(
				this.getNode(),
				{ message: 'Meta answered the batch request with something other than a list' },
				{ itemIndex },
			);
		}
		for (let index = 0; index < chunk.length; index++) {
			const entry = response[index] as { code: number; body?: string | null } | null | undefined;
			if (entry === null || entry === undefined) {
				results.push({ code: 0, incomplete: true });
				continue;
			}
			let parsed: unknown = entry.body ?? undefined;
			if (typeof entry.body === 'string') {
				try {
					parsed = JSON.parse(entry.body);
				} catch {
					parsed = entry.body;
				}
			}
			const parsedError = (parsed as { error?: MetaGraphErrorBody } | undefined)?.error;
			if (entry.code >= 400 || parsedError) {
				secrets ??= (await loadCredential.call(this)).secrets;
				results.push({
					code: entry.code,
					error: scrubValue(parsedError ?? { message: `HTTP ${entry.code}` }, secrets),
				});
			} else {
				results.push({ code: entry.code, body: parsed as T });
			}
		}
	}
	return results;
}

export { answerObject, requireAnswerField, unreadableAnswerError } from './answer';
export type { AnswerCheck } from './answer';
