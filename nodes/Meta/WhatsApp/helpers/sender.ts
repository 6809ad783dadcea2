import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { getMetaErrorInfo } from '../../shared/errors';
import { graphRequest } from '../../shared/transport';
import type { WhatsAppMediaType } from './limits';
import { Pacer } from './pacer';

/** Throughput reply (130429) and pair-rate reply (131056): Meta did not send, so a retry is safe. */
export const THROTTLE_CODE = 130429;
export const PAIR_RATE_CODE = 131056;

const MAX_THROTTLE_RETRIES = 8;
const MAX_PAIR_RATE_RETRIES = 3;

/** A message ready to go: validated, normalised, nothing sent yet. */
export interface PreparedMessage {
	itemIndex: number;
	phoneNumberId: string;
	/** The JSON body of POST /{phone-number-id}/messages. */
	body: IDataObject;
	/** Binary data uploaded to /{phone-number-id}/media right before the send. */
	upload?: {
		mediaType: WhatsAppMediaType;
		data: Buffer;
		mimeType: string;
		fileName?: string;
	};
	/** Echoed in the output item (recipient, type...). */
	summary: IDataObject;
}

export interface SendOptions {
	messagesPerSecond: number;
	maxParallelRequests: number;
}

export type SendOutcome =
	| { itemIndex: number; ok: true; json: IDataObject; summary?: IDataObject }
	| {
			itemIndex: number;
			ok: false;
			error: NodeApiError | NodeOperationError;
			status: 'failed' | 'unknown';
			summary?: IDataObject;
	  };

/** The form fields of a media upload besides the file (reference C.6). */
const UPLOAD_FIELDS = (mimeType: string) => ({ messaging_product: 'whatsapp', type: mimeType });
const UPLOAD_FILE_PART = 'file';

/** POST /{phone-number-id}/media (multipart, reference C.6). Returns the media id. */
export async function uploadMedia(
	this: IExecuteFunctions,
	itemIndex: number,
	phoneNumberId: string,
	file: { data: Buffer; mimeType: string; fileName?: string },
): Promise<string> {
	const response = (await graphRequest.call(this, {
		method: 'POST',
		path: `/${phoneNumberId}/media`,
		bodyType: 'multipart',
		multipart: [
			...Object.entries(UPLOAD_FIELDS(file.mimeType)).map(([name, value]) => ({ name, value })),
			{
				name: UPLOAD_FILE_PART,
				value: file.data,
				// A line break would end the part's header early.
				filename: (file.fileName || 'file').replace(/[\r\n]/g, '_'),
				contentType: file.mimeType,
			},
		],
		retry: 'throttleOnly',
		itemIndex,
	})) as { id?: string } | string;
	const parsed = typeof response === 'string' ? (JSON.parse(response) as { id?: string }) : response;
	if (!parsed?.id) {
		throw new NodeOperationError(this.getNode(), 'Meta accepted the upload but returned no media ID', {
			itemIndex,
		});
	}
	return String(parsed.id);
}

/** Errors of the upload that precedes a send: the message itself never went out. */
const uploadFailures = new WeakSet<object>();

/** The thrown error, annotated for the output item and for n8n's error output. */
function describeFailure(
	this: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): { error: NodeApiError | NodeOperationError; status: 'failed' | 'unknown' } {
	if (error instanceof NodeOperationError) return { error, status: 'failed' };
	if (error instanceof NodeApiError && uploadFailures.has(error)) {
		error.message = `Upload of the media failed, so nothing was sent: ${error.message}`;
		return { error, status: 'failed' };
	}
	const info = getMetaErrorInfo(error);
	const apiError =
		error instanceof NodeApiError
			? error
			: new NodeApiError(this.getNode(), { message: String((error as Error)?.message ?? error) }, { itemIndex });
	apiError.context.itemIndex = itemIndex;
	const notResent =
		'It was NOT sent again, because WhatsApp has no way to de-duplicate a repeated send. Check the chat or the status webhooks before sending it again.';
	if (info?.outcome === 'unknown') {
		apiError.message = `Outcome unknown: no readable answer from Meta after the message went out (${info.message})`;
		apiError.description = `Meta may or may not have delivered this message. ${notResent}`;
		return { error: apiError, status: 'unknown' };
	}
	if (info?.httpStatus !== undefined && info.httpStatus >= 500) {
		// A server error on a send does not prove Meta dropped the message.
		apiError.message = `Outcome unknown: Meta answered with a server error (HTTP ${info.httpStatus}, code ${info.code ?? 'none'})`;
		apiError.description = `Meta may or may not have delivered this message. ${notResent}${info.fbtraceId ? ` (fbtrace_id ${info.fbtraceId})` : ''}`;
		return { error: apiError, status: 'unknown' };
	}
	return { error: apiError, status: 'failed' };
}

/**
 * Sends one prepared message: upload first when needed, then the message; retries only
 * throttling. Returns undefined, sending nothing, when `isStopped()` turned true while it waited.
 */
async function sendOne(
	this: IExecuteFunctions,
	message: PreparedMessage,
	pacer: Pacer,
	isStopped: () => boolean,
): Promise<IDataObject | undefined> {
	const body: IDataObject = { ...message.body };
	let mediaId: string | undefined;
	if (message.upload) {
		try {
			mediaId = await uploadMedia.call(this, message.itemIndex, message.phoneNumberId, message.upload);
		} catch (error) {
			const nodeError = asNodeError(this, error, message.itemIndex);
			uploadFailures.add(nodeError);
			throw nodeError;
		}
		const type = message.upload.mediaType;
		body[type] = { ...((body[type] as IDataObject | undefined) ?? {}), id: mediaId };
	}
	let throttleRetries = 0;
	let pairRetries = 0;
	for (;;) {
		const startedAt = await pacer.acquire();
		if (isStopped()) return undefined;
		try {
			const response = (await graphRequest.call(this, {
				method: 'POST',
				path: `/${message.phoneNumberId}/messages`,
				body,
				retry: 'none',
				itemIndex: message.itemIndex,
			})) as IDataObject;
			pacer.recover();
			return toOutput(message, response, mediaId);
		} catch (error) {
			const code = getMetaErrorInfo(error)?.code;
			if (code === THROTTLE_CODE && throttleRetries < MAX_THROTTLE_RETRIES) {
				throttleRetries++;
				pacer.slowDown(startedAt);
				continue;
			}
			if (code === PAIR_RATE_CODE && pairRetries < MAX_PAIR_RATE_RETRIES) {
				// Meta's advice for the pair rate: wait 4^X seconds, X counting retries from 0.
				await sleep(4 ** pairRetries * 1000);
				pairRetries++;
				continue;
			}
			throw asNodeError(this, error, message.itemIndex);
		}
	}
}

/** Errors leave the node as NodeApiError / NodeOperationError (the transport already maps Meta's). */
export function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

function toOutput(message: PreparedMessage, response: IDataObject, mediaId?: string): IDataObject {
	if (message.body.status === 'read') {
		return {
			...message.summary,
			status: 'read',
			success: response?.success === true,
			phoneNumberId: message.phoneNumberId,
		};
	}
	const contact = (response?.contacts as IDataObject[] | undefined)?.[0];
	const sent = (response?.messages as IDataObject[] | undefined)?.[0];
	const json: IDataObject = {
		status: 'accepted',
		wamid: sent?.id,
		...message.summary,
		waId: contact?.wa_id,
		phoneNumberId: message.phoneNumberId,
	};
	if (sent?.message_status) json.messageStatus = sent.message_status;
	if (mediaId) json.mediaId = mediaId;
	return json;
}

/**
 * Sends `count` messages concurrently, paced to `messagesPerSecond` with at most
 * `maxParallelRequests` in flight. `getMessage(position)` supplies each message: already built
 * (validated up front), or built on demand so building overlaps with pacing; a build that throws
 * fails only that item, before anything is sent for it. Each item ends exactly once: sent, failed
 * with its reason, or `unknown` (never resent). Outcomes are indexed by position.
 *
 * With `stopOnFirstError` (Continue On Fail off), no new item starts after a failure; items
 * already in flight finish, and the outcomes gathered so far are returned.
 */
export async function sendPrepared(
	this: IExecuteFunctions,
	count: number,
	getMessage: (position: number) => Promise<PreparedMessage>,
	options: SendOptions & { stopOnFirstError: boolean },
): Promise<Array<SendOutcome | undefined>> {
	// Meta's throughput is per business number: each sender gets its own pace.
	const pacers = new Map<string, Pacer>();
	const pacerFor = (phoneNumberId: string) => {
		let pacer = pacers.get(phoneNumberId);
		if (!pacer) {
			pacer = new Pacer(options.messagesPerSecond);
			pacers.set(phoneNumberId, pacer);
		}
		return pacer;
	};
	const outcomes: Array<SendOutcome | undefined> = new Array(count);
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < count) {
			const position = next++;
			let message: PreparedMessage | undefined;
			try {
				message = await getMessage(position);
				const json = await sendOne.call(this, message, pacerFor(message.phoneNumberId), () => stopped);
				if (json === undefined) continue;
				outcomes[position] = { itemIndex: message.itemIndex, ok: true, json, summary: message.summary };
			} catch (error) {
				const itemIndex = message?.itemIndex ?? position;
				const failure = describeFailure.call(this, error, itemIndex);
				// The summary (recipient, type...) and the sender go into the error item's details.
				const summary = message ? { ...message.summary, phoneNumberId: message.phoneNumberId } : undefined;
				outcomes[position] = { itemIndex, ok: false, ...failure, summary };
				if (options.stopOnFirstError) stopped = true;
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(options.maxParallelRequests) || 1, count));
	await Promise.all(Array.from({ length: workers }, async () => await worker()));
	return outcomes;
}
