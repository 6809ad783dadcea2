/**
 * Reads and checks an item's parameters into container specs, before any request. Every value a
 * user can fill with an expression goes through the shared typed reader (../../shared/parameters),
 * so null, undefined, objects and lists are refused by name instead of reaching Meta as "null",
 * "undefined" or "[object Object]".
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	expectBoolean,
	expectNumber,
	expectObject,
	expectList,
	expectText,
	readCollection,
	readOption,
	readText,
} from '../../shared/parameters';
import type { BinaryMedia, ContainerSpec } from './containers';
import { DEFAULT_MAX_WAIT_SECONDS } from './fields';
import {
	IMAGE_BINARY_UNSUPPORTED_DESCRIPTION,
	VIDEO_MIME_TYPES,
	invalid,
	validateAltText,
	validateCaption,
	validateCollaborators,
	validateLocationId,
	validateMediaUrl,
	validateThumbOffset,
	validateUserTags,
} from './validation';

/** Media read from the item: a URL or a binary video, and what to warn about in the output. */
export interface ReadMedia {
	url?: string;
	binary?: BinaryMedia;
	warnings?: string[];
}

export function getInstagramAccountId(this: IExecuteFunctions, itemIndex: number): string {
	const value = readText.call(this, 'instagramAccountId', itemIndex, 'Instagram Account', {
		extractValue: true,
	});
	if (!/^[0-9]{5,}$/.test(value)) {
		throw invalid.call(
			this,
			itemIndex,
			value
				? `Instagram Account "${value.slice(0, 60)}" is not an Instagram account ID`
				: 'Instagram Account is empty',
			'Pick the account from the list, or enter its numeric ID (e.g. 17841400008460056). With Instagram Login, the list shows the signed-in account.',
		);
	}
	return value;
}

export function getOptions(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return readCollection.call(this, 'options', itemIndex, 'Options');
}

/** Max Wait (Seconds) from the options, in milliseconds; `fallbackSeconds` when not set. */
export function getMaxWaitMs(
	this: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	fallbackSeconds = DEFAULT_MAX_WAIT_SECONDS,
): number {
	if (!('maxWaitSeconds' in options)) return fallbackSeconds * 1000;
	const seconds = expectNumber(
		this.getNode(),
		options.maxWaitSeconds,
		{ label: 'Max Wait (Seconds)', itemIndex },
		{ min: 0 },
	);
	return (seconds ?? fallbackSeconds) * 1000;
}

/** A binary video from an earlier node; images cannot be uploaded (Meta fetches them by URL). */
export async function readBinaryVideo(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	field: string,
): Promise<BinaryMedia> {
	const name = propertyName.trim() || 'data';
	const item = this.getInputData()[itemIndex];
	const binary = item?.binary?.[name];
	if (!binary) {
		throw invalid.call(
			this,
			itemIndex,
			`${field}: the input item has no binary field "${name.slice(0, 60)}"`,
			'Check the name of the binary field the previous node produced (often "data"), or use Public URL.',
		);
	}
	const mimeType = String(binary.mimeType ?? '').toLowerCase();
	if (mimeType.startsWith('image/')) {
		throw invalid.call(
			this,
			itemIndex,
			`${field}: images cannot be uploaded as binary data`,
			IMAGE_BINARY_UNSUPPORTED_DESCRIPTION,
		);
	}
	if (!VIDEO_MIME_TYPES.includes(mimeType)) {
		throw invalid.call(
			this,
			itemIndex,
			`${field}: unsupported media type "${mimeType || 'unknown'}"`,
			'Instagram accepts MP4 (video/mp4) or MOV (video/quicktime) videos. Convert the file first.',
		);
	}
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, name);
	return { data, mimeType, fileName: binary.fileName };
}

/**
 * URL or binary for one media, following the item's `mediaSource`. Errors name `field`, or the
 * field at fault when the node has separate ones (`labels`: Media Source, Input Binary Field).
 */
export async function readMedia(
	this: IExecuteFunctions,
	itemIndex: number,
	kind: 'image' | 'video',
	field: string,
	values: { mediaSource: unknown; mediaUrl?: unknown; binaryPropertyName?: unknown },
	labels: { source?: string; binary?: string } = {},
): Promise<ReadMedia> {
	const node = this.getNode();
	const sourceField = labels.source ?? field;
	const mediaSource = expectText(
		node,
		values.mediaSource,
		{ label: sourceField, itemIndex },
		{ allowNumber: false },
	);
	if (mediaSource === 'binary') {
		if (kind === 'image') {
			throw invalid.call(
				this,
				itemIndex,
				`${sourceField}: images cannot be uploaded as binary data`,
				IMAGE_BINARY_UNSUPPORTED_DESCRIPTION,
			);
		}
		const binaryField = labels.binary ?? field;
		const propertyName = expectText(node, values.binaryPropertyName ?? 'data', {
			label: binaryField,
			itemIndex,
		});
		return { binary: await readBinaryVideo.call(this, itemIndex, propertyName, binaryField) };
	}
	if (mediaSource !== 'url') {
		throw invalid.call(
			this,
			itemIndex,
			`${sourceField}: unknown media source "${mediaSource.slice(0, 40)}"`,
			'Use "url" or "binary".',
		);
	}
	const text = expectText(
		node,
		values.mediaUrl,
		{ label: field, itemIndex },
		{ allowNumber: false },
	);
	const { url, warning } = validateMediaUrl.call(this, itemIndex, text, field);
	return warning ? { url, warnings: [warning] } : { url };
}

/** The node's own Media Source, URL field (`urlField` names it) and Input Binary Field. */
export async function readNodeMedia(
	this: IExecuteFunctions,
	itemIndex: number,
	kind: 'image' | 'video',
	urlField: string,
): Promise<ReadMedia> {
	const mediaSource = (readOption<'url' | 'binary'>).call(
		this,
		'mediaSource',
		itemIndex,
		'Media Source',
		['url', 'binary'],
		'url',
	);
	return await readMedia.call(
		this,
		itemIndex,
		kind,
		urlField,
		{
			mediaSource,
			mediaUrl:
				mediaSource === 'url' ? this.getNodeParameter('mediaUrl', itemIndex, '') : undefined,
			binaryPropertyName:
				mediaSource === 'binary'
					? this.getNodeParameter('binaryPropertyName', itemIndex, 'data')
					: undefined,
		},
		{ source: 'Media Source', binary: 'Input Binary Field' },
	);
}

/** The caption, or undefined when empty. Refuses null, objects and lists ("null" is no caption). */
export function readCaption(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const caption = readText.call(this, 'caption', itemIndex, 'Caption', { trim: false });
	if (!caption.trim()) return undefined;
	validateCaption.call(this, itemIndex, caption);
	return caption;
}

/** Applies the options an operation offers to a spec, each checked as Meta would. */
export function applyOptions(
	this: IExecuteFunctions,
	itemIndex: number,
	spec: ContainerSpec,
	options: IDataObject,
	tagCoordinates: 'required' | 'optional' | 'ignored',
): { spec: ContainerSpec; warnings: string[] } {
	const node = this.getNode();
	const field = (label: string) => ({ label, itemIndex });
	const text = (name: string, label: string) =>
		name in options
			? expectText(node, options[name], field(label), { allowNumber: name === 'locationId' })
			: '';
	const warnings: string[] = [];
	const altText = text('altText', 'Alt Text');
	if (altText) {
		validateAltText.call(this, itemIndex, altText);
		spec.altText = altText;
	}
	const locationId = text('locationId', 'Location ID');
	if (locationId) spec.locationId = validateLocationId.call(this, itemIndex, locationId);
	if ('userTags' in options) {
		const userTags = expectObject(node, options.userTags, field('User Tags'));
		const tags = expectList(node, userTags.tags, field('User Tags'));
		if (tags.length) {
			spec.userTags = validateUserTags.call(this, itemIndex, tags, {
				field: 'User Tags',
				coordinates: tagCoordinates,
			});
		}
	}
	if ('collaborators' in options) {
		const collaborators = validateCollaborators.call(this, itemIndex, options.collaborators);
		if (collaborators.length) spec.collaborators = collaborators;
	}
	const coverUrl = text('coverUrl', 'Cover URL');
	if (coverUrl) {
		const cover = validateMediaUrl.call(this, itemIndex, coverUrl, 'Cover URL');
		spec.coverUrl = cover.url;
		if (cover.warning) warnings.push(cover.warning);
	}
	if ('thumbOffset' in options) {
		const offset = expectNumber(node, options.thumbOffset, field('Thumbnail Offset (Ms)'));
		if (offset !== undefined) spec.thumbOffset = validateThumbOffset.call(this, itemIndex, offset);
	}
	if ('shareToFeed' in options)
		spec.shareToFeed = expectBoolean(node, options.shareToFeed, field('Share to Feed'));
	const audioName = text('audioName', 'Audio Name');
	if (audioName) spec.audioName = audioName;
	return { spec, warnings };
}
