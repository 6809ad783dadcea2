/**
 * Publishing one ready container and reading the new post back, never publishing twice:
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media_publish
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { createMetaApiError, getMetaErrorInfo } from '../../shared/errors';
import { graphBatch, graphRequest, requireAnswerField } from '../../shared/transport';
import type { ContainerState } from './containers';
import { attachContainers } from './containers';
import { containerFailedError, getContainerStatus } from './containerStatus';
import type { MediaKind } from './polling';
import { waitForContainers } from './polling';

export const MEDIA_FIELDS =
	'id,media_type,media_product_type,permalink,shortcode,timestamp,caption';

export interface MediaDetails {
	id: string;
	media_type?: string;
	media_product_type?: string;
	permalink?: string;
	shortcode?: string;
	timestamp?: string;
	caption?: string;
}

/** Errors after which Meta may still have done the work: check before doing anything again. */
function isAmbiguous(error: unknown): boolean {
	const info = getMetaErrorInfo(error);
	if (!info) return true;
	if (info.outcome === 'unknown' || info.isTransient === true) return true;
	if ((info.httpStatus ?? 0) >= 500) return true;
	return info.code === 1 || info.code === 2 || (info.code === 24 && info.subcode === 2207008);
}

/** `note` for an output whose post was published but could not be read back. */
export function readBackNote(outcome: { readError?: string }): IDataObject {
	return outcome.readError
		? { note: `Published, but reading the post back failed: ${outcome.readError}` }
		: {};
}

/** Reads the published post back; best effort: the post exists whatever this returns. */
export async function lookupMedia(
	this: IExecuteFunctions,
	itemIndex: number,
	mediaId: string,
): Promise<{ media?: MediaDetails; error?: string }> {
	try {
		const media = (await graphRequest.call(this, {
			method: 'GET',
			path: `/${mediaId}`,
			qs: { fields: MEDIA_FIELDS },
			itemIndex,
		})) as MediaDetails;
		return { media };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

/**
 * After a publish whose answer was lost, the container says PUBLISHED but not which post it
 * became (Meta does not link them). The newest post of the account with the same caption (or,
 * for stories, the newest story) is taken: it was published moments ago by this very request.
 */
export async function findPublishedMedia(
	this: IExecuteFunctions,
	itemIndex: number,
	igUserId: string,
	expect: { caption?: string; story: boolean },
): Promise<MediaDetails | undefined> {
	try {
		const page = (await graphRequest.call(this, {
			method: 'GET',
			path: `/${igUserId}/${expect.story ? 'stories' : 'media'}`,
			qs: { fields: MEDIA_FIELDS, limit: 10 },
			itemIndex,
		})) as { data?: MediaDetails[] };
		const candidates = page.data ?? [];
		if (expect.story) return candidates[0];
		return candidates.find((media) => (media.caption ?? '') === (expect.caption ?? ''));
	} catch {
		return undefined;
	}
}

export type PublishOutcome =
	| { kind: 'published'; mediaId: string; media?: MediaDetails; readError?: string }
	| { kind: 'recovered' }
	| { kind: 'pending'; state: ContainerState };

type Published = Extract<PublishOutcome, { kind: 'published' }>;

/**
 * `POST /{ig-user-id}/media_publish` and the read of the new post, in one round trip: a Graph
 * batch whose second operation reads `{result=publish:$.id}`
 * (https://developers.facebook.com/docs/graph-api/batch-requests). Only the publish can fail the
 * call; a failed read leaves a note. Instagram Login's host (graph.instagram.com) is not
 * documented to take batch requests, so there the read is a request of its own.
 */
async function sendPublish(
	this: IExecuteFunctions,
	itemIndex: number,
	igUserId: string,
	containerId: string,
): Promise<Published> {
	if (this.getNodeParameter('authentication', itemIndex, 'accessToken') === 'instagramLogin') {
		const answer = await graphRequest.call(this, {
			method: 'POST',
			path: `/${igUserId}/media_publish`,
			body: { creation_id: containerId },
			bodyType: 'form',
			retry: 'none',
			itemIndex,
		});
		const mediaId = requireAnswerField(this.getNode(), answer, 'id', {
			what: 'the publish',
			itemIndex,
			write: true,
		});
		const { media, error } = await lookupMedia.call(this, itemIndex, mediaId);
		return { kind: 'published', mediaId, media, readError: error };
	}
	const [publish, read] = await graphBatch.call(
		this,
		[
			{
				method: 'POST',
				relativeUrl: `${igUserId}/media_publish`,
				body: { creation_id: containerId },
				name: 'publish',
				omitResponseOnSuccess: false,
			},
			{
				method: 'GET',
				relativeUrl: `{result=publish:$.id}?fields=${MEDIA_FIELDS}`,
				dependsOn: 'publish',
			},
		],
		itemIndex,
	);
	if (publish.error) {
		throw createMetaApiError(this.getNode(), {
			metaError: publish.error,
			httpStatus: publish.code,
			outcome: 'failed',
			message: 'Meta did not say whether the publish went through',
			itemIndex,
		});
	}
	// Without an id (Meta answered `null` for the operation, or something unreadable) the outcome
	// is unknown and the container is checked.
	const mediaId = requireAnswerField(this.getNode(), publish.body, 'id', {
		what: 'the publish',
		itemIndex,
		write: true,
	});
	const media = read?.body as MediaDetails | undefined;
	const readError = media?.id
		? undefined
		: (read?.error?.message ?? 'Meta did not return the post');
	return { kind: 'published', mediaId, media: media?.id ? media : undefined, readError };
}

/**
 * Publishes a container and reads the post back, never publishing twice:
 * - 9007/2207027 (not ready): wait for the container (same deadline), then publish;
 * - an answer lost or a transient failure: read the container first. PUBLISHED means it worked;
 *   FINISHED means it did not, and the publish is sent once more; anything else is reported.
 */
export async function publishContainer(
	this: IExecuteFunctions,
	itemIndex: number,
	igUserId: string,
	containerId: string,
	deadline: number,
	kind: MediaKind = 'video',
): Promise<PublishOutcome> {
	let ambiguousRetries = 0;
	let notReadyRetries = 0;
	for (;;) {
		try {
			return await sendPublish.call(this, itemIndex, igUserId, containerId);
		} catch (error) {
			const info = getMetaErrorInfo(error);
			if (info?.code === 9007 && notReadyRetries < 3) {
				notReadyRetries++;
				const [state] = await waitForContainers.call(this, itemIndex, [containerId], deadline, {
					kind,
				});
				if (state.statusCode === 'PUBLISHED') return { kind: 'recovered' };
				if (state.statusCode === 'FINISHED') continue;
				if (state.statusCode === 'IN_PROGRESS') return { kind: 'pending', state };
				throw containerFailedError.call(this, itemIndex, state);
			}
			if (isAmbiguous(error)) {
				const state = await getContainerStatus.call(this, itemIndex, containerId);
				if (state.statusCode === 'PUBLISHED') return { kind: 'recovered' };
				if (state.statusCode === 'FINISHED' && ambiguousRetries < 1) {
					ambiguousRetries++;
					continue;
				}
			}
			throw attachContainers(error, { containerId });
		}
	}
}
