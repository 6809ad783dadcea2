/**
 * Limits Meta enforces on messages, checked before any request
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages).
 */
export const LIMITS = {
	callbackData: 512,
	textBody: 4096,
	caption: 1024,
	buttonsMax: 3,
	buttonTitle: 20,
	buttonId: 256,
	buttonBody: 1024,
	footer: 60,
	headerText: 60,
	listButton: 20,
	listSectionsMax: 10,
	listRowsMax: 10,
	listSectionTitle: 24,
	listRowId: 200,
	listRowTitle: 24,
	listRowDescription: 72,
	ctaDisplayText: 20,
	ctaBody: 1024,
} as const;

export type WhatsAppMediaType = 'audio' | 'document' | 'image' | 'sticker' | 'video';

/** MIME types and maximum sizes Meta accepts per media type (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types). */
export const MEDIA_RULES: Record<
	WhatsAppMediaType,
	{ mimeTypes: string[]; maxBytes: number; label: string }
> = {
	image: {
		mimeTypes: ['image/jpeg', 'image/png'],
		maxBytes: 5 * 1024 * 1024,
		label: 'JPEG or PNG, at most 5 MB',
	},
	video: {
		mimeTypes: ['video/mp4', 'video/3gpp'],
		maxBytes: 16 * 1024 * 1024,
		label: 'MP4 or 3GPP, at most 16 MB',
	},
	audio: {
		mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
		maxBytes: 16 * 1024 * 1024,
		label: 'AAC, AMR, MP3, M4A or OGG (Opus), at most 16 MB',
	},
	document: {
		mimeTypes: [
			'text/plain',
			'application/pdf',
			'application/msword',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'application/vnd.ms-excel',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'application/vnd.ms-powerpoint',
			'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		],
		maxBytes: 100 * 1024 * 1024,
		label: 'TXT, PDF, DOC(X), XLS(X) or PPT(X), at most 100 MB',
	},
	sticker: {
		mimeTypes: ['image/webp'],
		maxBytes: 500 * 1024,
		label: 'WebP, at most 100 KB (animated: 500 KB)',
	},
};

/** A sticker without animation may be at most 100 KB (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types). */
export const STATIC_STICKER_MAX_BYTES = 100 * 1024;

/** The media type a MIME type belongs to, for uploads without a declared type. */
export function mediaTypeOfMime(mimeType: string): WhatsAppMediaType | undefined {
	const clean = mimeType.split(';')[0].trim().toLowerCase();
	return (Object.keys(MEDIA_RULES) as WhatsAppMediaType[]).find((type) =>
		MEDIA_RULES[type].mimeTypes.includes(clean),
	);
}
