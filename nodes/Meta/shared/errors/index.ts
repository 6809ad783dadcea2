/**
 * Graph error -> NodeApiError. BASELINE written by the coordinator: the foundation work (issue 2)
 * adds the full catalogue (errors/catalogue.ts) and token scrubbing WITHOUT changing these exports.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { MetaGraphErrorBody } from '../transport/types';

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
}

export function getMetaErrorInfo(error: unknown): MetaErrorInfo | undefined {
	const context = (error as NodeApiError | undefined)?.context as { meta?: MetaErrorInfo } | undefined;
	return context?.meta;
}

export function toNodeApiError(
	node: INode,
	error: unknown,
	options: { itemIndex?: number } = {},
): NodeApiError {
	if (error instanceof NodeApiError && getMetaErrorInfo(error)) return error;
	const raw = error as { response?: { status?: number; data?: unknown; body?: unknown }; httpCode?: string; message?: string; cause?: any };
	const data = (raw?.response?.data ?? raw?.response?.body ?? raw?.cause?.response?.data) as
		| { error?: MetaGraphErrorBody }
		| undefined;
	const metaError = data?.error;
	const meta: MetaErrorInfo = metaError
		? {
				code: metaError.code,
				subcode: metaError.error_subcode,
				fbtraceId: metaError.fbtrace_id,
				type: metaError.type,
				httpStatus: raw?.response?.status,
				isTransient: metaError.is_transient,
				outcome: 'failed',
				message: metaError.message ?? 'Meta returned an error',
			}
		: { outcome: 'unknown', message: raw?.message ?? 'The request to Meta failed' };
	const apiError = new NodeApiError(node, (metaError ?? { message: meta.message }) as JsonObject, {
		message: meta.message,
		itemIndex: options.itemIndex,
	});
	apiError.context.meta = meta;
	if (options.itemIndex !== undefined) apiError.context.itemIndex = options.itemIndex;
	return apiError;
}
