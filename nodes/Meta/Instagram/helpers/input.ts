/** Reads and checks an item's parameters into container specs, before any request. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_MAX_WAIT_SECONDS } from './fields';
import type { BinaryMedia, ContainerSpec } from './publishing';
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

export function getInstagramAccountId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = String(
		ctx.getNodeParameter('instagramAccountId', itemIndex, '', { extractValue: true }) ?? '',
	).trim();
	if (!/^[0-9]{5,}$/.test(value)) {
		throw invalid(
			ctx,
			itemIndex,
			value ? `Instagram Account "${value}" is not an Instagram account ID` : 'Instagram Account is empty',
			'Pick the account from the list, or enter its numeric ID (e.g. 17841400008460056). With Instagram Login, the list shows the signed-in account.',
		);
	}
	return value;
}

export function getOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('options', itemIndex, {}) ?? {}) as IDataObject;
}

export function getMaxWaitMs(options: IDataObject): number {
	const seconds = options.maxWaitSeconds === undefined ? DEFAULT_MAX_WAIT_SECONDS : Number(options.maxWaitSeconds);
	return Math.max(0, Number.isFinite(seconds) ? seconds : DEFAULT_MAX_WAIT_SECONDS) * 1000;
}

/** A binary video from an earlier node; images cannot be uploaded (Meta fetches them by URL). */
export async function readBinaryVideo(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	field: string,
): Promise<BinaryMedia> {
	const name = propertyName.trim() || 'data';
	const item = ctx.getInputData()[itemIndex];
	const binary = item?.binary?.[name];
	if (!binary) {
		throw invalid(
			ctx,
			itemIndex,
			`${field}: the input item has no binary field "${name}"`,
			'Check the name of the binary field the previous node produced (often "data"), or use Public URL.',
		);
	}
	const mimeType = String(binary.mimeType ?? '').toLowerCase();
	if (mimeType.startsWith('image/')) {
		throw invalid(ctx, itemIndex, `${field}: images cannot be uploaded as binary data`, IMAGE_BINARY_UNSUPPORTED_DESCRIPTION);
	}
	if (!VIDEO_MIME_TYPES.includes(mimeType)) {
		throw invalid(
			ctx,
			itemIndex,
			`${field}: unsupported media type "${mimeType || 'unknown'}"`,
			'Instagram accepts MP4 (video/mp4) or MOV (video/quicktime) videos. Convert the file first.',
		);
	}
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
	return { data, mimeType, fileName: binary.fileName };
}

/**
 * URL or binary for one media, following the item's `mediaSource`. Errors name `field`, or the
 * field at fault when the node has separate ones (`labels`: Media Source, Input Binary Field).
 */
export async function readMedia(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: 'image' | 'video',
	field: string,
	values: { mediaSource: string; mediaUrl?: string; binaryPropertyName?: string },
	labels: { source?: string; binary?: string } = {},
): Promise<{ url?: string; binary?: BinaryMedia }> {
	const sourceField = labels.source ?? field;
	if (values.mediaSource === 'binary') {
		if (kind === 'image') {
			throw invalid(ctx, itemIndex, `${sourceField}: images cannot be uploaded as binary data`, IMAGE_BINARY_UNSUPPORTED_DESCRIPTION);
		}
		return { binary: await readBinaryVideo(ctx, itemIndex, values.binaryPropertyName ?? 'data', labels.binary ?? field) };
	}
	if (values.mediaSource !== 'url') {
		throw invalid(ctx, itemIndex, `${sourceField}: unknown media source "${values.mediaSource}"`, 'Use "url" or "binary".');
	}
	return { url: validateMediaUrl(ctx, itemIndex, String(values.mediaUrl ?? ''), field) };
}

/** The node's own Media Source, URL field (`urlField` names it) and Input Binary Field. */
export async function readNodeMedia(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: 'image' | 'video',
	urlField: string,
): Promise<{ url?: string; binary?: BinaryMedia }> {
	const mediaSource = ctx.getNodeParameter('mediaSource', itemIndex, 'url') as string;
	return await readMedia(
		ctx,
		itemIndex,
		kind,
		urlField,
		{
			mediaSource,
			mediaUrl: mediaSource === 'url' ? (ctx.getNodeParameter('mediaUrl', itemIndex, '') as string) : undefined,
			binaryPropertyName:
				mediaSource === 'binary' ? (ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string) : undefined,
		},
		{ source: 'Media Source', binary: 'Input Binary Field' },
	);
}

export function readCaption(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	const caption = String(ctx.getNodeParameter('caption', itemIndex, '') ?? '');
	if (!caption) return undefined;
	validateCaption(ctx, itemIndex, caption);
	return caption;
}

/** Applies the options an operation offers to a spec, each checked as Meta would. */
export function applyOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	spec: ContainerSpec,
	options: IDataObject,
	tagCoordinates: 'required' | 'optional' | 'ignored',
): ContainerSpec {
	if (options.altText) {
		validateAltText(ctx, itemIndex, String(options.altText));
		spec.altText = String(options.altText);
	}
	if (options.locationId) spec.locationId = validateLocationId(ctx, itemIndex, String(options.locationId));
	const tags = ((options.userTags as IDataObject | undefined)?.tags ?? []) as unknown[];
	if (tags.length) {
		spec.userTags = validateUserTags(ctx, itemIndex, tags, { field: 'User Tags', coordinates: tagCoordinates });
	}
	if (options.collaborators) {
		const collaborators = validateCollaborators(ctx, itemIndex, options.collaborators);
		if (collaborators.length) spec.collaborators = collaborators;
	}
	if (options.coverUrl) spec.coverUrl = validateMediaUrl(ctx, itemIndex, String(options.coverUrl), 'Cover URL');
	if (options.thumbOffset !== undefined && options.thumbOffset !== '') {
		spec.thumbOffset = validateThumbOffset(ctx, itemIndex, options.thumbOffset);
	}
	if (options.shareToFeed !== undefined) spec.shareToFeed = options.shareToFeed === true;
	if (options.audioName) spec.audioName = String(options.audioName);
	return spec;
}
