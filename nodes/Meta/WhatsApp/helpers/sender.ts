/**
 * Sending prepared messages: the media upload that may precede a send, one send with its
 * throttling retries, and many sends paced per business number. Each item ends exactly once:
 * accepted (with its wamid), failed with its reason, or `unknown` when Meta may have sent it.
 * WhatsApp has no idempotency key, so nothing that may have gone out is ever sent again.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { getMetaErrorInfo } from '../../shared/errors';
import { toNodeError } from '../../shared/execute';
import {
	answerObject,
	graphRequest,
	requireAnswerField,
	unreadableAnswerError,
} from '../../shared/transport';
import type { WhatsAppMediaType } from './limits';
import { Pacer } from './pacer';

/** Throughput reply (130429) and pair-rate reply (131056): Meta did not send, so a retry is safe. */
export const THROTTLE_CODE = 130429;
export const PAIR_RATE_CODE = 131056;
/** The token was revoked or expired: every further send would fail the same way. */
export const TOKEN_INVALID_CODES = new Set([190]);

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

export type SendFailure = {
	itemIndex: number;
	ok: false;
	error: NodeApiError | NodeOperationError;
	status: 'failed' | 'unknown';
	summary?: IDataObject;
};

export type SendOutcome = { itemIndex: number; ok: true; json: IDataObject } | SendFailure;

/** The form fields of a media upload besides the file. */
const uploadFields = (mimeType: string) => ({ messaging_product: 'whatsapp', type: mimeType });
const UPLOAD_FILE_PART = 'file';

/**
 * POST /{phone-number-id}/media, multipart with the file and `messaging_product`
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#upload-media).
 * Returns the media id; an answer without one is an unknown outcome (the file may be stored).
 */
export async function uploadMedia(
	this: IExecuteFunctions,
	itemIndex: number,
	phoneNumberId: string,
	file: { data: Buffer; mimeType: string; fileName?: string },
): Promise<string> {
	const response: unknown = await graphRequest.call(this, {
		method: 'POST',
		path: `/${phoneNumberId}/media`,
		bodyType: 'multipart',
		multipart: [
			// Built from an object: n8n's lint reads a literal { name, value } as a node parameter.
			...Object.entries(uploadFields(file.mimeType)).map(([name, value]) => ({ name, value })),
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
	});
	return requireAnswerField(this.getNode(), response, 'id', {
		what: 'the media upload',
		itemIndex,
		write: true,
	});
}

/** Errors of the upload that precedes a send: the message itself never went out. */
const uploadFailures = new WeakSet<object>();

const NOT_RESENT =
	'It was NOT sent again, because WhatsApp has no way to de-duplicate a repeated send. Check the chat or the status webhooks before sending it again.';

/** The thrown error, annotated for the output item and for n8n's error output. */
function describeFailure(
	this: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): { error: NodeApiError | NodeOperationError; status: 'failed' | 'unknown' } {
	const nodeError = toNodeError(this.getNode(), error, itemIndex);
	if (nodeError instanceof NodeOperationError) return { error: nodeError, status: 'failed' };
	nodeError.context.itemIndex = itemIndex;
	if (uploadFailures.has(nodeError)) {
		nodeError.message = `Upload of the media failed, so nothing was sent: ${nodeError.message}`;
		return { error: nodeError, status: 'failed' };
	}
	const info = getMetaErrorInfo(nodeError);
	if (info?.outcome === 'unknown') {
		nodeError.message = `Outcome unknown: no readable answer from Meta after the message went out (${info.message})`;
		nodeError.description = `Meta may or may not have delivered this message. ${NOT_RESENT}`;
		return { error: nodeError, status: 'unknown' };
	}
	if (info?.httpStatus !== undefined && info.httpStatus >= 500) {
		// A server error on a send does not prove Meta dropped the message.
		nodeError.message = `Outcome unknown: Meta answered with a server error (HTTP ${info.httpStatus}, code ${info.code ?? 'none'})`;
		nodeError.description = `Meta may or may not have delivered this message. ${NOT_RESENT}${info.fbtraceId ? ` (fbtrace_id ${info.fbtraceId})` : ''}`;
		return { error: nodeError, status: 'unknown' };
	}
	return { error: nodeError, status: 'failed' };
}

/** The output of an accepted send; an answer without a wamid is an unknown outcome. */
function toOutput(
	this: IExecuteFunctions,
	message: PreparedMessage,
	response: unknown,
	mediaId?: string,
): IDataObject {
	const answer = answerObject(response);
	const check = { what: 'the message send', itemIndex: message.itemIndex, write: true };
	if (message.body.status === 'read') {
		if (answer?.success !== true) throw unreadableAnswerError(this.getNode(), check, 'success');
		return {
			...message.summary,
			status: 'read',
			success: true,
			phoneNumberId: message.phoneNumberId,
		};
	}
	const messages = answer?.messages;
	const sent = Array.isArray(messages) ? answerObject(messages[0]) : undefined;
	const wamid = requireAnswerField(this.getNode(), sent, 'id', {
		...check,
		what: 'the message send (messages[0].id)',
	});
	const contacts = answer?.contacts;
	const contact = Array.isArray(contacts) ? answerObject(contacts[0]) : undefined;
	const json: IDataObject = {
		status: 'accepted',
		wamid,
		...message.summary,
		waId: contact?.wa_id,
		phoneNumberId: message.phoneNumberId,
	};
	if (sent?.message_status) json.messageStatus = sent.message_status;
	if (mediaId) json.mediaId = mediaId;
	return json;
}

/**
 * Sends one prepared message: upload first when needed, then the message. Retries only what Meta
 * refused before doing anything: 130429 slows the number's pace, 131056 waits 4^X seconds as Meta
 * advises (https://developers.facebook.com/docs/whatsapp/cloud-api/overview#pair-rate-limits), and
 * the transport's `throttleOnly` policy repeats the rate limits 4/17/32/613/80004/80007. Returns undefined, sending nothing, when `isStopped()` turned true while it waited.
 */
async function sendOne(
	this: IExecuteFunctions,
	message: PreparedMessage,
	pacer: Pacer,
	isStopped: () => boolean,
): Promise<IDataObject | undefined> {
	let body = message.body;
	let mediaId: string | undefined;
	if (message.upload) {
		try {
			mediaId = await uploadMedia.call(
				this,
				message.itemIndex,
				message.phoneNumberId,
				message.upload,
			);
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, message.itemIndex);
			uploadFailures.add(nodeError);
			throw nodeError;
		}
		const type = message.upload.mediaType;
		body = { ...body, [type]: { ...((body[type] as IDataObject | undefined) ?? {}), id: mediaId } };
	}
	let throttleRetries = 0;
	let pairRetries = 0;
	for (;;) {
		const startedAt = await pacer.acquire();
		if (isStopped()) return undefined;
		let response: unknown;
		try {
			response = await graphRequest.call(this, {
				method: 'POST',
				path: `/${message.phoneNumberId}/messages`,
				body,
				// Rate limits (4/17/32/613/80004/80007) are refusals: nothing was sent, so the
				// transport may repeat them after the wait Meta's usage headers ask for. The
				// per-number limits stay with the pacer below.
				retry: 'throttleOnly',
				callerHandlesCodes: [THROTTLE_CODE, PAIR_RATE_CODE],
				itemIndex: message.itemIndex,
			});
		} catch (error) {
			const info = getMetaErrorInfo(error);
			const code = info?.code;
			if (code === THROTTLE_CODE && throttleRetries < MAX_THROTTLE_RETRIES) {
				throttleRetries++;
				pacer.slowDown(startedAt);
				continue;
			}
			if (code === PAIR_RATE_CODE && pairRetries < MAX_PAIR_RATE_RETRIES) {
				await sleep(4 ** pairRetries * 1000);
				pairRetries++;
				continue;
			}
			throw toNodeError(this.getNode(), error, message.itemIndex);
		}
		pacer.recover();
		return toOutput.call(this, message, response, mediaId);
	}
}

export interface SendOptions {
	messagesPerSecond: number;
	maxParallelRequests: number;
	/** Continue On Fail off: no new item starts after a failure. */
	stopOnFirstError: boolean;
}

/** The error of an item not sent because the token stopped working earlier in the run. */
function notSentError(
	this: IExecuteFunctions,
	itemIndex: number,
	sent: number,
): NodeOperationError {
	return new NodeOperationError(
		this.getNode(),
		'Not sent: the access token stopped working (Meta error 190) while this run was sending',
		{
			itemIndex,
			description: `Nothing was sent for this item. ${sent} item(s) of this run were sent before the token stopped working and must not be sent again. Reconnect the credential (or create a new System User token), then run only the items that were not sent.`,
		},
	);
}

/**
 * Sends `count` messages concurrently, paced to `messagesPerSecond` with at most
 * `maxParallelRequests` in flight. `getMessage(position)` supplies each message; when it throws
 * (the item's input was invalid) only that item fails, before anything is sent for it. Outcomes
 * are indexed by position.
 *
 * With `stopOnFirstError`, no new item starts after a failure; items in flight finish, and the
 * outcomes gathered so far are returned. A revoked or expired token stops every run after its
 * first 190: the items not started are reported as not sent.
 */
export async function sendPrepared(
	this: IExecuteFunctions,
	count: number,
	getMessage: (position: number) => Promise<PreparedMessage>,
	options: SendOptions,
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
	const outcomes: Array<SendOutcome | undefined> = new Array<SendOutcome | undefined>(count);
	let next = 0;
	let stopped = false;
	let tokenStopped = false;
	let sent = 0;
	const isStopped = () => stopped;
	const worker = async () => {
		while (!stopped && next < count) {
			const position = next++;
			let message: PreparedMessage | undefined;
			try {
				message = await getMessage(position);
				const json = await sendOne.call(this, message, pacerFor(message.phoneNumberId), isStopped);
				if (json === undefined) continue;
				sent++;
				outcomes[position] = { itemIndex: message.itemIndex, ok: true, json };
			} catch (error) {
				const itemIndex = message?.itemIndex ?? position;
				const failure = describeFailure.call(this, error, itemIndex);
				// The summary (recipient, type...) and the sender go into the error item's details.
				const summary = message
					? { ...message.summary, phoneNumberId: message.phoneNumberId }
					: undefined;
				outcomes[position] = { itemIndex, ok: false, ...failure, summary };
				const code = getMetaErrorInfo(failure.error)?.code;
				if (code !== undefined && TOKEN_INVALID_CODES.has(code)) tokenStopped = true;
				if (options.stopOnFirstError || tokenStopped) stopped = true;
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(options.maxParallelRequests) || 1, count));
	await Promise.all(Array.from({ length: workers }, async () => await worker()));
	if (tokenStopped && !options.stopOnFirstError) {
		for (let position = 0; position < count; position++) {
			if (outcomes[position]) continue;
			outcomes[position] = {
				itemIndex: position,
				ok: false,
				error: notSentError.call(this, position, sent),
				status: 'failed',
			};
		}
	}
	return outcomes;
}
