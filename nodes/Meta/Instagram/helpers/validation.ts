/**
 * Input checks that run BEFORE any request, mirroring the limits Meta enforces, so a bad item
 * stops with a message naming the field instead of a Graph error:
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
 * The values arrive already typed (helpers/input.ts reads them with the shared typed reader).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { expectNumber, expectObject, expectText } from '../../shared/parameters';

export const CAPTION_MAX_CHARS = 2200;
export const CAPTION_MAX_HASHTAGS = 30;
export const CAPTION_MAX_MENTIONS = 20;
export const ALT_TEXT_MAX_CHARS = 1000;
export const CAROUSEL_MIN_ITEMS = 2;
export const CAROUSEL_MAX_ITEMS = 10;
export const COLLABORATORS_MAX = 3;
export const VIDEO_MIME_TYPES = ['video/mp4', 'video/quicktime'];

export interface UserTag {
	username: string;
	x?: number;
	y?: number;
}

export function invalid(
	this: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), message, { itemIndex, description });
}

export function countHashtags(caption: string): number {
	return (caption.match(/(^|\s)#[^\s#]+/gu) ?? []).length;
}

export function countMentions(caption: string): number {
	return (caption.match(/(^|[^\w@])@[A-Za-z0-9._]+/g) ?? []).length;
}

export function validateCaption(
	this: IExecuteFunctions,
	itemIndex: number,
	caption: string,
	field = 'Caption',
): void {
	const length = [...caption].length;
	if (length > CAPTION_MAX_CHARS) {
		throw invalid.call(
			this,
			itemIndex,
			`${field} is ${length} characters long; Instagram allows at most ${CAPTION_MAX_CHARS}`,
			`Shorten the ${field.toLowerCase()} by ${length - CAPTION_MAX_CHARS} characters.`,
		);
	}
	const hashtags = countHashtags(caption);
	if (hashtags > CAPTION_MAX_HASHTAGS) {
		throw invalid.call(
			this,
			itemIndex,
			`${field} has ${hashtags} hashtags; Instagram allows at most ${CAPTION_MAX_HASHTAGS}`,
			`Remove ${hashtags - CAPTION_MAX_HASHTAGS} hashtags from the ${field.toLowerCase()}.`,
		);
	}
	const mentions = countMentions(caption);
	if (mentions > CAPTION_MAX_MENTIONS) {
		throw invalid.call(
			this,
			itemIndex,
			`${field} mentions ${mentions} accounts; Instagram allows at most ${CAPTION_MAX_MENTIONS} @mentions`,
			`Remove ${mentions - CAPTION_MAX_MENTIONS} @mentions from the ${field.toLowerCase()}.`,
		);
	}
}

/** Said in the output item when a media URL is on plain http. */
export function httpWarning(field: string): string {
	return `${field} uses http, not https. Meta fetches it as it is, but https is safer and some hosts redirect http to https or to a page Meta cannot read; use an https URL if the post fails or shows the wrong media.`;
}

/**
 * Meta fetches media itself from a public URL: it must be absolute, http or https, with no user
 * name or password in it. Meta asks for a public URL, not specifically https
 * (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media#query-string-parameters),
 * so http is sent, with a warning for the output item.
 */
export function validateMediaUrl(
	this: IExecuteFunctions,
	itemIndex: number,
	value: string,
	field: string,
): { url: string; warning?: string } {
	const url = value.trim();
	if (!url) {
		throw invalid.call(
			this,
			itemIndex,
			`${field} is empty`,
			`Enter a public https URL, e.g. https://example.com/photo.jpg.`,
		);
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw invalid.call(
			this,
			itemIndex,
			`${field} is not a valid URL: "${url.slice(0, 200)}"`,
			'Enter a complete public URL starting with https://, e.g. https://example.com/photo.jpg.',
		);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw invalid.call(
			this,
			itemIndex,
			`${field} must start with https:// or http:// (got ${parsed.protocol}//)`,
			'Meta downloads the media itself from a public web address. Host the file on https (for example S3, Cloudinary or your website) and use that URL.',
		);
	}
	if (!parsed.hostname || parsed.username || parsed.password) {
		throw invalid.call(
			this,
			itemIndex,
			`${field} is not a usable public URL`,
			'Use a plain public https URL without a user name or password in it.',
		);
	}
	return parsed.protocol === 'http:' ? { url, warning: httpWarning(field) } : { url };
}

export function validateAltText(
	this: IExecuteFunctions,
	itemIndex: number,
	altText: string,
	field = 'Alt Text',
): void {
	const length = [...altText].length;
	if (length > ALT_TEXT_MAX_CHARS) {
		throw invalid.call(
			this,
			itemIndex,
			`${field} is ${length} characters long; Instagram allows at most ${ALT_TEXT_MAX_CHARS}`,
			`Shorten the alt text by ${length - ALT_TEXT_MAX_CHARS} characters.`,
		);
	}
}

function cleanUsername(value: string): string {
	return value.trim().replace(/^@/, '');
}

/** User tags: usernames, and coordinates 0..1 measured from the image's left/top edge. */
export function validateUserTags(
	this: IExecuteFunctions,
	itemIndex: number,
	tags: unknown[],
	options: { field: string; coordinates: 'required' | 'optional' | 'ignored' },
): UserTag[] {
	const node = this.getNode();
	return tags.map((raw, index) => {
		const position = `${options.field} > Tag ${index + 1}`;
		const tag = expectObject(node, raw, { label: position, itemIndex });
		const text = expectText(
			node,
			'username' in tag ? tag.username : '',
			{ label: `${position} > Username`, itemIndex },
			{ allowNumber: false },
		);
		const username = cleanUsername(text);
		if (!/^[A-Za-z0-9._]{1,30}$/.test(username)) {
			throw invalid.call(
				this,
				itemIndex,
				`${position}: "${text.slice(0, 40)}" is not an Instagram username`,
				"Use the account's username without spaces, e.g. jane.doe (the leading @ is optional).",
			);
		}
		const result: UserTag = { username };
		if (options.coordinates === 'ignored') return result;
		for (const axis of ['x', 'y'] as const) {
			const value = tag[axis];
			const numeric =
				value === undefined || value === ''
					? undefined
					: expectNumber(node, value, { label: `${position} > ${axis.toUpperCase()}`, itemIndex });
			if (numeric === undefined) {
				if (options.coordinates === 'required') {
					throw invalid.call(
						this,
						itemIndex,
						`${position}: the ${axis.toUpperCase()} coordinate is missing`,
						'Image tags need X and Y between 0 and 1 (0,0 is the top-left corner, 1,1 the bottom-right).',
					);
				}
				continue;
			}
			if (numeric < 0 || numeric > 1) {
				throw invalid.call(
					this,
					itemIndex,
					`${position}: ${axis.toUpperCase()} must be between 0 and 1 (got ${numeric})`,
					'Coordinates are fractions of the image size: 0 is the left/top edge, 1 the right/bottom edge, 0.5 the centre.',
				);
			}
			result[axis] = numeric;
		}
		return result;
	});
}

/** Parses user tags given as JSON text or a list (carousel items, expressions). */
export function parseUserTagsJson(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	field: string,
): unknown[] {
	if (value === undefined || value === '') return [];
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') {
		try {
			const parsed: unknown = JSON.parse(value);
			if (Array.isArray(parsed)) return parsed;
		} catch {
			// reported below
		}
	}
	throw invalid.call(
		this,
		itemIndex,
		`${field} must be a JSON array of tags`,
		'e.g. [{"username": "jane", "x": 0.5, "y": 0.8}]',
	);
}

/** Collaborators as text ("a, b") or a list of usernames. */
export function validateCollaborators(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): string[] {
	const node = this.getNode();
	const label = 'Collaborators';
	const texts = Array.isArray(value)
		? value.map((entry, index) =>
				expectText(
					node,
					entry,
					{ label: `${label} > entry ${index + 1}`, itemIndex },
					{ allowNumber: false },
				),
			)
		: expectText(node, value, { label, itemIndex }, { allowNumber: false }).split(',');
	const list = texts.map(cleanUsername).filter(Boolean);
	if (list.length > COLLABORATORS_MAX) {
		throw invalid.call(
			this,
			itemIndex,
			`Collaborators lists ${list.length} accounts; Instagram allows at most ${COLLABORATORS_MAX}`,
			'Keep up to three usernames, separated by commas.',
		);
	}
	for (const username of list) {
		if (!/^[A-Za-z0-9._]{1,30}$/.test(username)) {
			throw invalid.call(
				this,
				itemIndex,
				`Collaborators: "${username.slice(0, 40)}" is not an Instagram username`,
				'Separate usernames with commas, e.g. jane.doe, acme_shop.',
			);
		}
	}
	return list;
}

export function validateLocationId(
	this: IExecuteFunctions,
	itemIndex: number,
	value: string,
): string {
	const id = value.trim();
	if (!/^[0-9]{3,}$/.test(id)) {
		throw invalid.call(
			this,
			itemIndex,
			`Location ID "${id.slice(0, 60)}" is not a Facebook Page ID`,
			'Instagram locations are Facebook Pages that have an address: use the numeric Page ID, e.g. 110843418940484.',
		);
	}
	return id;
}

/** A thumbnail offset already read as a number. */
export function validateThumbOffset(
	this: IExecuteFunctions,
	itemIndex: number,
	offset: number,
): number {
	if (!Number.isInteger(offset) || offset < 0) {
		throw invalid.call(
			this,
			itemIndex,
			`Thumbnail Offset must be a whole number of milliseconds, 0 or more (got ${offset})`,
			'e.g. 1500 takes the cover frame 1.5 seconds into the video.',
		);
	}
	return offset;
}

/** `field` 'Carousel Items' (Post > Publish Carousel) or 'Children' (Container > Create). */
export function validateCarouselCount(
	this: IExecuteFunctions,
	itemIndex: number,
	count: number,
	field: 'Carousel Items' | 'Children' = 'Carousel Items',
): void {
	if (count < CAROUSEL_MIN_ITEMS || count > CAROUSEL_MAX_ITEMS) {
		const what = field === 'Children' ? 'container ID' : 'item';
		throw invalid.call(
			this,
			itemIndex,
			`${field} has ${count} ${what}${count === 1 ? '' : 's'}; a carousel needs ${CAROUSEL_MIN_ITEMS} to ${CAROUSEL_MAX_ITEMS}`,
			count < CAROUSEL_MIN_ITEMS
				? field === 'Children'
					? 'List 2 to 10 carousel item container IDs (from Container > Create, Carousel Image/Video Item), separated by commas.'
					: 'Add items, or use Publish Image / Publish Reel for a single media.'
				: 'Split the media over several carousels of at most 10 items.',
		);
	}
}

export const IMAGE_BINARY_UNSUPPORTED_DESCRIPTION =
	'Instagram only fetches images from a public URL; it has no upload for image files. Upload the image somewhere public over https first (for example S3, Cloudinary, Google Drive with a direct link, or your website), then pass that URL. Videos (reels, video stories, carousel videos) can come from binary data.';
