/**
 * Media containers: what a container is made of and its creation (with the video upload); the
 * status reads are in containerStatus.ts. Containers are invisible until published, so creating one again is always safe.
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getMetaErrorInfo, withCallHint } from '../../shared/errors';
import { graphRequest, requireAnswerField } from '../../shared/transport';
import type { UserTag } from './validation';

export type ContainerType =
	| 'image'
	| 'reel'
	| 'storyImage'
	| 'storyVideo'
	| 'carouselImageItem'
	| 'carouselVideoItem'
	| 'carousel';

export const CONTAINER_TYPES: readonly ContainerType[] = [
	'image',
	'reel',
	'storyImage',
	'storyVideo',
	'carouselImageItem',
	'carouselVideoItem',
	'carousel',
];

export type StatusCode = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

export interface BinaryMedia {
	data: Buffer;
	mimeType: string;
	fileName?: string;
}

export interface ContainerSpec {
	type: ContainerType;
	url?: string;
	binary?: BinaryMedia;
	caption?: string;
	altText?: string;
	locationId?: string;
	userTags?: UserTag[];
	collaborators?: string[];
	coverUrl?: string;
	thumbOffset?: number;
	shareToFeed?: boolean;
	audioName?: string;
	children?: string[];
	/** Names the media in error messages, e.g. "Carousel item 3". */
	label?: string;
}

export interface ContainerState {
	id: string;
	statusCode: StatusCode;
	status?: string;
}

const VIDEO_TYPES: ContainerType[] = ['reel', 'storyVideo', 'carouselVideoItem'];

export function isVideo(type: ContainerType): boolean {
	return VIDEO_TYPES.includes(type);
}

/** Graph parameters of `POST /{ig-user-id}/media` for one container. */
export function containerParams(spec: ContainerSpec): IDataObject {
	const params: IDataObject = {};
	switch (spec.type) {
		case 'image':
			break;
		case 'reel':
			params.media_type = 'REELS';
			break;
		case 'storyImage':
		case 'storyVideo':
			params.media_type = 'STORIES';
			break;
		case 'carouselImageItem':
			params.is_carousel_item = true;
			break;
		case 'carouselVideoItem':
			params.media_type = 'VIDEO';
			params.is_carousel_item = true;
			break;
		case 'carousel':
			params.media_type = 'CAROUSEL';
			params.children = (spec.children ?? []).join(',');
			break;
	}
	if (spec.type !== 'carousel') {
		if (spec.binary) params.upload_type = 'resumable';
		else if (isVideo(spec.type)) params.video_url = spec.url;
		else params.image_url = spec.url;
	}
	if (spec.caption) params.caption = spec.caption;
	if (spec.altText) params.alt_text = spec.altText;
	if (spec.locationId) params.location_id = spec.locationId;
	if (spec.userTags?.length) params.user_tags = JSON.stringify(spec.userTags);
	if (spec.collaborators?.length) params.collaborators = JSON.stringify(spec.collaborators);
	if (spec.coverUrl) params.cover_url = spec.coverUrl;
	if (spec.thumbOffset !== undefined) params.thumb_offset = spec.thumbOffset;
	if (spec.shareToFeed !== undefined) params.share_to_feed = spec.shareToFeed;
	if (spec.audioName) params.audio_name = spec.audioName;
	return params;
}

/** Prefixes an error with the media it concerns, keeping code, subcode and hint. */
export function labelError(error: unknown, label: string | undefined, itemIndex: number): unknown {
	if (!label) return error;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.message = `${label}: ${error.message}`;
		error.context.itemIndex = itemIndex;
	}
	return error;
}

/** Puts container ids on an error, so the error item tells a later run what it can publish. */
export function attachContainers(error: unknown, containers: IDataObject): unknown {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.instagram = {
			...((error.context.instagram as IDataObject) ?? {}),
			...containers,
		};
	}
	return error;
}

/**
 * Advice for `(#10)` on `POST /{ig-user-id}/media` with Facebook Login. The catalogue's text for
 * code 10 is written for any call; for content creation the usual cause is the person's role on
 * the linked Page, which Meta requires to include creating content:
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/content-publishing#requirements
 */
export const CREATE_PERMISSION_ADVICE =
	"Most likely the Facebook user of this credential has a role on the Facebook Page linked to the Instagram account that cannot create content: give them Full control, or Partial access with Content (Meta Business Suite > Settings > Page access), then try again. If the role is right: the Instagram account must be a Business or Creator account (not a personal one) linked to that Page. Then: an app in development mode only works for people with a role on the app, and the token must include instagram_content_publish. The Meta Asset Check node's Check Instagram Publishing operation shows which of these it is (check instagram.page-role).";

/**
 * Advice for `9004/2207052` (media could not be fetched) on an image: images can only come from a
 * public URL (Meta takes no image upload), so the catalogue's "or send the file as binary data"
 * does not apply:
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media#creating
 */
export const IMAGE_FETCH_ADVICE =
	'Instagram could not download the image from the Image URL. It must be a public, direct link to a JPEG file that answers without a login, a redirect to a web page or an expiry; open it in a private browser window to check. Images can only be published from a URL.';

/**
 * Advice for `100/33` (object not found or not accessible) with an Instagram Login credential:
 * its token reaches only the Instagram account that logged in:
 * https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login
 */
export const INSTAGRAM_LOGIN_NOT_FOUND_ADVICE =
	'This node uses an Instagram Login credential, which only reaches the Instagram account that logged in: choose that account (pick it from the list), or use an Access Token credential (a System User token) or a Facebook Login credential to publish to other accounts.';

function withCreateAdvice(
	this: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	spec: ContainerSpec,
): unknown {
	const info = getMetaErrorInfo(error);
	const instagramLogin =
		this.getNodeParameter('authentication', itemIndex, 'accessToken') === 'instagramLogin';
	if (info?.code === 10 && !instagramLogin) return withCallHint(error, CREATE_PERMISSION_ADVICE);
	if (info?.code === 9004 && info.subcode === 2207052 && !VIDEO_TYPES.includes(spec.type)) {
		return withCallHint(error, IMAGE_FETCH_ADVICE);
	}
	if (info?.code === 100 && info.subcode === 33 && instagramLogin) {
		return withCallHint(error, INSTAGRAM_LOGIN_NOT_FOUND_ADVICE);
	}
	return error;
}

/**
 * Binary video to the container's resumable upload URI (an `OAuth` header, not Bearer):
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/content-publishing#resumable-upload-protocol
 */
async function uploadBinary(
	this: IExecuteFunctions,
	itemIndex: number,
	uri: string,
	media: BinaryMedia,
): Promise<void> {
	const send = async () =>
		await graphRequest.call(this, {
			method: 'POST',
			path: uri,
			body: media.data,
			bodyType: 'binary',
			authScheme: 'OAuth',
			headers: {
				offset: '0',
				file_size: String(media.data.length),
				'Content-Type': 'application/octet-stream',
			},
			retry: 'none',
			itemIndex,
			timeoutMs: 10 * 60 * 1000,
		});
	try {
		await send();
	} catch (error) {
		// An upload whose answer was lost is sent again from byte 0: Meta's upload session simply
		// overwrites what it got, nothing is published by an upload.
		if (getMetaErrorInfo(error)?.outcome !== 'unknown')
			throw uploadError.call(this, itemIndex, error);
		try {
			await send();
		} catch (retryError) {
			throw uploadError.call(this, itemIndex, retryError);
		}
	}
}

function uploadError(this: IExecuteFunctions, itemIndex: number, error: unknown): Error {
	// Refused before sending (the upload address is not one the token may go to): said as it is.
	if (error instanceof NodeOperationError && !getMetaErrorInfo(error)) return error;
	const raw = error as { message?: string };
	return new NodeOperationError(
		this.getNode(),
		`Meta's upload server refused the video: ${raw?.message ?? 'unknown error'}`,
		{
			itemIndex,
			description:
				'The video was sent to rupload.facebook.com (resumable upload). Check that the file is an MP4 or MOV and that the credential may publish to this account (instagram_content_publish). Resumable upload is documented for Facebook Login; with Instagram Login, publish from a public video URL if it fails.',
		},
	);
}

/** `POST /{ig-user-id}/media`, then the binary upload when the media is a file. */
export async function createContainer(
	this: IExecuteFunctions,
	itemIndex: number,
	igUserId: string,
	spec: ContainerSpec,
): Promise<string> {
	const request = async () => {
		const answer = await graphRequest.call(this, {
			method: 'POST',
			path: `/${igUserId}/media`,
			body: containerParams(spec),
			bodyType: 'form',
			retry: 'throttleOnly',
			itemIndex,
		});
		// An answer without an id (cut short, not JSON) is an unknown outcome, never an undefined id
		// handed to the publish.
		const id = requireAnswerField(this.getNode(), answer, 'id', {
			what: 'the container creation',
			itemIndex,
			write: true,
		});
		return { id, uri: (answer as { uri?: unknown }).uri };
	};
	let response: { id: string; uri?: unknown };
	try {
		response = await request();
	} catch (error) {
		// A container whose answer was lost is invisible and expires unused: creating another one
		// cannot publish anything twice.
		if (getMetaErrorInfo(error)?.outcome !== 'unknown') {
			throw labelError(withCreateAdvice.call(this, error, itemIndex, spec), spec.label, itemIndex);
		}
		try {
			response = await request();
		} catch (retryError) {
			throw labelError(
				withCreateAdvice.call(this, retryError, itemIndex, spec),
				spec.label,
				itemIndex,
			);
		}
	}
	if (spec.binary) {
		if (typeof response.uri !== 'string' || !response.uri) {
			throw new NodeOperationError(
				this.getNode(),
				`${spec.label ? `${spec.label}: ` : ''}Meta did not return an upload address for the video`,
				{
					itemIndex,
					description:
						'Resumable upload needs a Facebook Login app. Publish from a public video URL instead.',
				},
			);
		}
		try {
			await uploadBinary.call(this, itemIndex, response.uri, spec.binary);
		} catch (error) {
			throw labelError(error, spec.label, itemIndex);
		}
	}
	return response.id;
}
