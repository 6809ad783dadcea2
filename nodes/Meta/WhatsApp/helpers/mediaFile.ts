import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WhatsAppMediaType } from './limits';
import { MEDIA_RULES, STATIC_STICKER_MAX_BYTES, mediaTypeOfMime } from './limits';

/** A binary file checked against Meta's rules for its media type, ready to upload. */
export interface MediaFile {
	mediaType: WhatsAppMediaType;
	mimeType: string;
	data: Buffer;
	fileName?: string;
}

/** A media reference as Meta takes it: an http(s) URL as `link`, digits as a media `id`. */
export function mediaReference(value: string): IDataObject | undefined {
	if (/^https?:\/\/\S+$/i.test(value)) return { link: value };
	if (/^\d+$/.test(value)) return { id: value };
	return undefined;
}

/** Whether WebP bytes declare an animation (VP8X chunk, animation flag). */
export function isAnimatedWebp(data: Buffer): boolean {
	return (
		data.length > 20 &&
		data.toString('latin1', 0, 4) === 'RIFF' &&
		data.toString('latin1', 8, 16) === 'WEBPVP8X' &&
		(data[20] & 0x02) !== 0
	);
}

function formatSize(bytes: number): string {
	return bytes < 1024 * 1024
		? `${Math.ceil(bytes / 1024)} KB`
		: `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Reads an input binary field and checks it the way Meta will
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types): the MIME type must
 * be one `mediaType` takes (or, without `mediaType`, any WhatsApp media type) and the size within
 * its limit; a static sticker may be 100 KB, an animated one 500 KB. Stops before any request.
 */
export async function readMediaFile(
	this: IExecuteFunctions,
	itemIndex: number,
	property: string,
	overrides: { mediaType?: WhatsAppMediaType; mimeType?: string; fileName?: string } = {},
): Promise<MediaFile> {
	const binary = this.helpers.assertBinaryData(itemIndex, property);
	const mimeType = String(overrides.mimeType || binary.mimeType || '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	const fail = (message: string, description: string): never => {
		throw new NodeOperationError(this.getNode(), message, { itemIndex, description });
	};
	let mediaType = overrides.mediaType;
	if (!mediaType) {
		mediaType = mediaTypeOfMime(mimeType);
		if (!mediaType) {
			const accepted = (Object.keys(MEDIA_RULES) as WhatsAppMediaType[])
				.map((type) => `${type}: ${MEDIA_RULES[type].label}`)
				.join('; ');
			return fail(
				`WhatsApp does not accept files of type '${mimeType || 'unknown'}'`,
				`Accepted: ${accepted}.`,
			);
		}
	}
	const rule = MEDIA_RULES[mediaType];
	if (!rule.mimeTypes.includes(mimeType)) {
		fail(
			`WhatsApp does not accept a ${mimeType || 'file of unknown type'} as ${mediaType === 'image' ? 'an' : 'a'} ${mediaType}`,
			`A ${mediaType} must be ${rule.label}. Convert the file or pick another Media Type.`,
		);
	}
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	const staticSticker = mediaType === 'sticker' && !isAnimatedWebp(data);
	const maxBytes = staticSticker ? STATIC_STICKER_MAX_BYTES : rule.maxBytes;
	if (data.length > maxBytes) {
		fail(
			`The ${staticSticker ? 'static sticker' : mediaType} is ${formatSize(data.length)}; WhatsApp accepts at most ${formatSize(maxBytes)}`,
			`A ${mediaType} must be ${rule.label}. Compress the file${mediaType === 'document' ? '' : ' or send it as a document'}.`,
		);
	}
	return { mediaType, mimeType, data, fileName: overrides.fileName || binary.fileName };
}
