/**
 * Graph error -> NodeApiError with Meta's numbers kept and a how-to-fix hint from the catalogue.
 * Everything an error carries (message, description, messages, stack, context) is scrubbed of
 * access tokens, app secrets, appsecret_proof values and URL user info (see `scrub.ts`).
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { MetaGraphErrorBody } from '../transport/types';
import type { MetaRetryClass } from './catalogue';
import { lookupMetaError } from './catalogue';
import { scrubSecrets, scrubValue } from './scrub';

/** What node code branches on. Kept on the thrown NodeApiError as `context.meta`. */
export interface MetaErrorInfo {
	/** Meta's numeric code; undefined for network failures. */
	code?: number;
	subcode?: number;
	fbtraceId?: string;
	type?: string;
	httpStatus?: number;
	isTransient?: boolean;
	/**
	 * `failed`: Meta answered with an error, nothing happened.
	 * `unknown`: the request may have been processed (connection dropped, timeout after sending).
	 */
	outcome: 'failed' | 'unknown';
	/** Meta's message, scrubbed of tokens. */
	message: string;
	/** Catalogue title, hint and retry class for the code/subcode. */
	title?: string;
	hint?: string;
	retry?: MetaRetryClass;
	docsUrl?: string;
	/** Meta's end-user texts, when it sent them (Instagram publishing usually does). */
	userTitle?: string;
	userMessage?: string;
	/** WhatsApp `error_data.details`. */
	details?: string;
	/** Network error code (ECONNRESET, ETIMEDOUT, ...) when there was no Meta answer. */
	networkCode?: string;
	/** How many times the request was sent. */
	attempts?: number;
	/** How long Meta asked to wait (usage headers, Retry-After) when the transport gave up, in ms. */
	retryAfterMs?: number;
}

export interface MetaErrorDescription {
	title: string;
	hint: string;
	retry: MetaRetryClass;
	docsUrl: string;
	/** Whether the code/subcode is in the catalogue (false: a generic description). */
	known: boolean;
}

const GENERIC_DOCS_URL = 'https://developers.facebook.com/docs/graph-api/guides/error-handling';

/**
 * Title, hint and retry class for a Meta code/subcode, for nodes that report problems as data
 * (the Meta Asset Check) rather than throwing.
 */
export function describeMetaError(code?: number, subcode?: number): MetaErrorDescription {
	const found = lookupMetaError(code, subcode);
	if (found) return { ...found, known: true };
	return {
		title: code === undefined ? 'Request to Meta failed' : `Meta error ${code}`,
		hint: "Meta returned an error this node does not know. Read Meta's message, check the node's fields and the credential, and search the code on Meta's error reference.",
		retry: 'never',
		docsUrl: GENERIC_DOCS_URL,
		known: false,
	};
}

/**
 * How the transport may repeat a request that failed with this error. Meta's own `is_transient`
 * flag upgrades an unknown or non-retryable code to transient.
 */
export function classifyMetaError(
	code: number | undefined,
	subcode?: number,
	isTransient?: boolean,
): MetaRetryClass {
	const found = lookupMetaError(code, subcode);
	if (found?.retry === 'throttled') return 'throttled';
	if (found?.retry === 'transient') {
		// -1 is Instagram's "unknown server error": transient only when Meta says so.
		if (code === -1 && subcode === undefined) return isTransient ? 'transient' : 'never';
		return 'transient';
	}
	return isTransient === true ? 'transient' : 'never';
}

export function getMetaErrorInfo(error: unknown): MetaErrorInfo | undefined {
	const context = (error as NodeApiError | undefined)?.context as
		{ meta?: MetaErrorInfo } | undefined;
	return context?.meta;
}

export interface MetaApiErrorInput {
	/** Meta's error object (`error` of the envelope), when Meta answered. */
	metaError?: MetaGraphErrorBody;
	httpStatus?: number;
	outcome?: 'failed' | 'unknown';
	/** Fallback message when Meta sent no error object (network failure, non-JSON answer). */
	message?: string;
	/** Description to use instead of the catalogue hint (network failures). */
	description?: string;
	networkCode?: string;
	itemIndex?: number;
	attempts?: number;
	retryAfterMs?: number;
	/** Token, app secret, proof... removed from everything the error carries. */
	secrets?: Array<string | undefined | null>;
}

/** A text as one sentence: trimmed, ending in exactly one full stop (or its own ! or ?). */
function asSentence(text: string): string {
	const trimmed = text.trim().replace(/[\s.:;,]+$/, '');
	if (!trimmed) return '';
	return /[!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * The description under our headline: what to do (the hint), then Meta's own words and numbers,
 * so nothing Meta said is lost when the headline is the catalogue's title.
 */
function describeForUser(meta: MetaErrorInfo, hint: string, headline: string): string {
	const parts = [asSentence(hint)];
	const said: string[] = [];
	if (meta.message && meta.message !== headline) said.push(asSentence(meta.message));
	if (meta.userMessage && meta.userMessage !== meta.message) {
		if (meta.userTitle) said.push(asSentence(meta.userTitle));
		said.push(asSentence(meta.userMessage));
	} else if (meta.details && meta.details !== meta.message) {
		said.push(asSentence(meta.details));
	}
	const meaningful = said.filter(Boolean);
	if (meaningful.length) parts.push(`Meta says: ${meaningful.join(' ')}`);
	const numbers = [
		meta.code !== undefined ? `code ${meta.code}` : undefined,
		meta.subcode !== undefined ? `subcode ${meta.subcode}` : undefined,
		meta.fbtraceId ? `fbtrace_id ${meta.fbtraceId}` : undefined,
	].filter(Boolean);
	if (numbers.length) parts.push(`(${numbers.join(', ')})`);
	return parts.filter(Boolean).join(' ');
}

/**
 * Replaces the catalogue's hint on a Meta error with advice for this call (the catalogue's text is
 * written for any call), keeping Meta's words and numbers after it. Errors without Meta's
 * details are left as they are.
 */
export function withCallHint<E>(error: E, hint: string): E {
	const meta = getMetaErrorInfo(error);
	if (!meta || !(error instanceof NodeApiError)) return error;
	meta.hint = hint;
	error.description = describeForUser(meta, hint, error.message);
	return error;
}

/** Builds the NodeApiError for a Meta failure. Nothing secret survives into it. */
export function createMetaApiError(node: INode, input: MetaApiErrorInput): NodeApiError {
	const secrets = input.secrets ?? [];
	const metaError = input.metaError ? scrubValue(input.metaError, secrets) : undefined;
	const errorData =
		metaError?.error_data && typeof metaError.error_data === 'object'
			? (metaError.error_data as IDataObject)
			: undefined;
	const code = metaError?.code !== undefined ? Number(metaError.code) : undefined;
	const subcode =
		metaError?.error_subcode !== undefined && metaError?.error_subcode !== null
			? Number(metaError.error_subcode)
			: undefined;
	const described = metaError ? describeMetaError(code, subcode) : undefined;
	const message = scrubSecrets(
		metaError?.message || input.message || 'The request to Meta failed',
		secrets,
	);
	// The headline is ours when the catalogue knows the code ("Re-engagement message" reads
	// "Outside the 24-hour window"); Meta's text stays in `meta.message` and the description.
	const headline = described?.known ? described.title : message;
	const meta: MetaErrorInfo = {
		code,
		subcode,
		fbtraceId: metaError?.fbtrace_id,
		type: metaError?.type,
		httpStatus: input.httpStatus,
		isTransient: metaError?.is_transient,
		outcome: input.outcome ?? 'failed',
		message,
		...(described
			? {
					title: described.title,
					hint: described.hint,
					retry: classifyMetaError(code, subcode, metaError?.is_transient),
					docsUrl: described.docsUrl,
				}
			: {}),
		...(metaError?.error_user_title ? { userTitle: metaError.error_user_title } : {}),
		...(metaError?.error_user_msg ? { userMessage: metaError.error_user_msg } : {}),
		...(typeof errorData?.details === 'string' ? { details: errorData.details } : {}),
		...(input.networkCode ? { networkCode: input.networkCode } : {}),
		...(input.attempts !== undefined ? { attempts: input.attempts } : {}),
		...(input.retryAfterMs ? { retryAfterMs: input.retryAfterMs } : {}),
	};
	const description = scrubSecrets(
		input.description ?? describeForUser(meta, described?.hint ?? '', headline),
		secrets,
	);
	const errorResponse: JsonObject = metaError
		? (JSON.parse(JSON.stringify({ ...metaError, message })) as JsonObject)
		: { message, ...(input.networkCode ? { code: input.networkCode } : {}) };
	const apiError = new NodeApiError(node, errorResponse, {
		message: headline,
		description,
		...(input.httpStatus ? { httpCode: String(input.httpStatus) } : {}),
		...(input.itemIndex !== undefined ? { itemIndex: input.itemIndex } : {}),
	});
	// NodeApiError may swap the message for a generic one when it recognises a network code.
	apiError.message = headline;
	apiError.description = description;
	apiError.messages = (apiError.messages ?? []).map((text) => scrubSecrets(text, secrets));
	apiError.context.meta = meta;
	if (input.itemIndex !== undefined) apiError.context.itemIndex = input.itemIndex;
	if (apiError.stack) {
		apiError.stack = scrubSecrets(apiError.stack, secrets);
	}
	return apiError;
}

/** Meta's error object in whatever shape an HTTP library left it. */
function findMetaErrorBody(error: unknown): { body?: MetaGraphErrorBody; status?: number } {
	const candidate = error as {
		response?: { status?: number; statusCode?: number; data?: unknown; body?: unknown };
		cause?: { response?: { status?: number; data?: unknown; body?: unknown } };
		errorResponse?: unknown;
		context?: { data?: unknown };
		httpCode?: string | null;
		error?: unknown;
	};
	const sources: unknown[] = [
		candidate?.response?.data,
		candidate?.response?.body,
		candidate?.cause?.response?.data,
		candidate?.cause?.response?.body,
		candidate?.context?.data,
		candidate?.errorResponse,
		candidate?.error,
		candidate,
	];
	const status =
		candidate?.response?.status ??
		candidate?.response?.statusCode ??
		candidate?.cause?.response?.status ??
		(candidate?.httpCode ? Number(candidate.httpCode) : undefined);
	for (const source of sources) {
		let parsed = source;
		if (typeof parsed === 'string') {
			try {
				parsed = JSON.parse(parsed);
			} catch {
				continue;
			}
		}
		const envelope = parsed as { error?: MetaGraphErrorBody } | undefined;
		if (envelope?.error && typeof envelope.error === 'object' && 'code' in envelope.error) {
			return { body: envelope.error, status };
		}
	}
	return { status };
}

/**
 * Any error (an HTTP library's, n8n's, Meta's envelope) -> NodeApiError with `context.meta`.
 * An error already built by this module is returned as is, with the item index added.
 */
export function toNodeApiError(
	node: INode,
	error: unknown,
	options: { itemIndex?: number; secrets?: Array<string | undefined | null> } = {},
): NodeApiError {
	if (error instanceof NodeApiError && getMetaErrorInfo(error)) {
		if (options.itemIndex !== undefined) error.context.itemIndex = options.itemIndex;
		return error;
	}
	const { body, status } = findMetaErrorBody(error);
	const raw = error as { message?: string; code?: string; cause?: { code?: string } };
	return createMetaApiError(node, {
		metaError: body,
		httpStatus: status && !Number.isNaN(status) ? status : undefined,
		outcome: body ? 'failed' : 'unknown',
		message: raw?.message ?? 'The request to Meta failed',
		networkCode: body ? undefined : (raw?.code ?? raw?.cause?.code),
		itemIndex: options.itemIndex,
		secrets: options.secrets,
	});
}
