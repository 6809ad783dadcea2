/**
 * Download Media: the files of incoming WhatsApp media messages (image, video, audio, document,
 * sticker) fetched into each item's binary `data`, the way WhatsApp Send's Media > Download does:
 * GET /{media-id} for a short-lived URL, then the authenticated GET of that URL through the shared
 * transport, which sends the token only over https to Meta's hosts or the credential's base URL
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media).
 * Runs after Meta has had its answer. A failed download never drops the event: the item goes
 * out with `mediaDownloadError` instead of the file.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { answerObject, graphRequest } from '../../shared/transport';

/** Each request of a download gives up after this long, so a stuck file cannot hold the webhook. */
export const MEDIA_DOWNLOAD_TIMEOUT_MS = 20_000;
/** Upper bound of the waits between retries of a transient failure of the metadata lookup. */
const MEDIA_RETRY_WAIT_MS = 2_000;

function bufferOf(response: unknown): Buffer {
	if (Buffer.isBuffer(response)) return response;
	if (response instanceof ArrayBuffer) return Buffer.from(response);
	if (ArrayBuffer.isView(response))
		return Buffer.from(response.buffer, response.byteOffset, response.byteLength);
	if (typeof response === 'string') return Buffer.from(response, 'binary');
	throw new Error('the media URL did not answer with a file');
}

function extensionOf(mimeType: string): string {
	const subtype = mimeType.split('/')[1]?.split(';')[0]?.trim() ?? '';
	if (subtype === 'jpeg') return 'jpg';
	if (subtype === 'mpeg') return 'mp3';
	return /^[a-z0-9]+$/i.test(subtype) ? subtype : 'bin';
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

async function download(
	this: IWebhookFunctions,
	item: INodeExecutionData,
	mediaId: string,
): Promise<INodeExecutionData> {
	const phoneNumberId = text(item.json.phoneNumberId);
	const answer: unknown = await graphRequest.call(this, {
		method: 'GET',
		path: `/${encodeURIComponent(mediaId)}`,
		qs: phoneNumberId ? { phone_number_id: phoneNumberId } : undefined,
		timeoutMs: MEDIA_DOWNLOAD_TIMEOUT_MS,
		maxRetryWaitMs: MEDIA_RETRY_WAIT_MS,
	});
	const metadata = answerObject(answer) as IDataObject;
	const url = text(metadata.url);
	if (!url || !/^https?:\/\//i.test(url)) throw new Error('Meta returned no download URL');
	const response: unknown = await graphRequest.call(this, {
		method: 'GET',
		path: url,
		binary: true,
		timeoutMs: MEDIA_DOWNLOAD_TIMEOUT_MS,
		// The file itself is fetched once: a second 20 s attempt would only hold the execution longer.
		retry: 'none',
	});
	const data = bufferOf(response);
	const mimeType =
		text(metadata.mime_type) ?? text(item.json.mimeType) ?? 'application/octet-stream';
	const fileName = text(item.json.fileName) ?? `${mediaId}.${extensionOf(mimeType)}`;
	const binary = await this.helpers.prepareBinaryData(data, fileName, mimeType);
	return { ...item, binary: { ...(item.binary ?? {}), data: binary } };
}

/** A plain reason for the item: the transport's messages are already free of tokens and proofs. */
function reasonOf(error: unknown): string {
	const message = error instanceof Error ? error.message : '';
	return message.trim() || 'the download failed for an unknown reason';
}

/**
 * The items with the file of every WhatsApp media message attached; items without a media id
 * come back unchanged. Downloads run side by side, each bounded by the timeout above.
 */
export async function attachMedia(
	this: IWebhookFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await Promise.all(
		items.map(async (item) => {
			const mediaId = text(item.json.mediaId);
			if (item.json.event !== 'whatsapp.message' || !mediaId) return item;
			try {
				return await download.call(this, item, mediaId);
			} catch (error) {
				const reason = reasonOf(error);
				this.logger.warn(
					`Meta Trigger "${this.getNode().name}" could not download media ${mediaId}: ${reason}`,
					{ node: this.getNode().name, mediaId },
				);
				return {
					...item,
					json: {
						...item.json,
						mediaDownloadError: `Could not download media ${mediaId}: ${reason}`,
					},
				};
			}
		}),
	);
}
