/**
 * The one shape every node of this package gives a failed item under Continue On Fail, on the
 * regular output and on the error output alike:
 *
 *   { error, message, details: { status, code?, subcode?, fbtraceId?, title?, docsUrl?, itemIndex, ... } }
 *
 * Why exactly these three keys: n8n-core (WorkflowExecute.handleNodeErrorOutput, n8n-core 2.x)
 * moves an item to the error output of a node set to On Error "Continue (using error output)"
 * when `item.error` is set, or when `item.json.error` is truthy AND every top-level key of
 * `item.json` is one of `error`, `message`, `details`. It then merges the paired input item's JSON
 * under it (`{ ...inputJson, ...item.json }`). Any other top-level key keeps the item on the
 * regular output, so everything else lives under `details`.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { MetaErrorInfo } from './info';
import { getMetaErrorInfo } from './info';
import { scrubSecrets } from './scrub';

/**
 * `failed`: nothing happened, fix and run again. `unknown`: the request may have been processed
 * (connection dropped after sending, no readable answer): check before sending it again.
 */
export type MetaErrorItemStatus = 'failed' | 'unknown';

export interface MetaErrorItemOptions {
	/** Overrides the status derived from the error (WhatsApp treats a 5xx on a send as unknown). */
	status?: MetaErrorItemStatus;
}

/** Keys the builder owns in `details`; extra details never overwrite them. */
const RESERVED_DETAIL_KEYS = new Set([
	'status',
	'code',
	'subcode',
	'fbtraceId',
	'title',
	'docsUrl',
	'itemIndex',
]);

/** n8n only routes an item whose `error` is truthy, so it is never empty. */
const FALLBACK_ERROR_TEXT = 'The item failed';

function howToFix(error: unknown, meta: MetaErrorInfo | undefined): string {
	const description = (error as { description?: unknown } | undefined)?.description;
	if (typeof description === 'string' && description.trim() !== '') return description;
	return meta?.hint ?? '';
}

/**
 * The output item for a failed input item. `error` is what went wrong, `message` what to do about
 * it ('' when nothing is known), `details` Meta's numbers plus the node's own context
 * (`extraDetails`: container IDs, recipient, `ready: false`...). Errors reaching here are already
 * scrubbed by the transport; the texts are scrubbed again so a token pasted into a wrong field and
 * echoed by a validation message cannot leak either.
 */
export function metaErrorItem(
	error: unknown,
	itemIndex: number,
	extraDetails: IDataObject = {},
	options: MetaErrorItemOptions = {},
): INodeExecutionData {
	const meta = getMetaErrorInfo(error);
	const rawMessage =
		error instanceof Error ? error.message : typeof error === 'string' ? error : meta?.message;
	const status: MetaErrorItemStatus =
		options.status ?? (meta?.outcome === 'unknown' ? 'unknown' : 'failed');
	const details: IDataObject = {
		status,
		...(meta?.code !== undefined ? { code: meta.code } : {}),
		...(meta?.subcode !== undefined ? { subcode: meta.subcode } : {}),
		...(meta?.fbtraceId ? { fbtraceId: meta.fbtraceId } : {}),
		...(meta?.title ? { title: meta.title } : {}),
		...(meta?.docsUrl ? { docsUrl: meta.docsUrl } : {}),
		itemIndex,
	};
	for (const [key, value] of Object.entries(extraDetails)) {
		if (value !== undefined && !RESERVED_DETAIL_KEYS.has(key)) details[key] = value;
	}
	return {
		json: {
			error: scrubSecrets(rawMessage || FALLBACK_ERROR_TEXT),
			message: scrubSecrets(howToFix(error, meta)),
			details,
		},
		pairedItem: { item: itemIndex },
	};
}
