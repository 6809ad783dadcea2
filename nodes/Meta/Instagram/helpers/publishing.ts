/**
 * Instagram's publishing flow (reference A.2): create container(s), wait until Meta has processed
 * them, publish, read the post back. Every step is safe to repeat: containers are invisible
 * until published, and a publish is never sent again without first checking the container.
 */
import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { createMetaApiError, getMetaErrorInfo, toNodeApiError } from '../../shared/errors';
import { META_ERROR_CATALOGUE } from '../../shared/errors/catalogue';
import { graphBatch, graphRequest } from '../../shared/transport';
import type { UserTag } from './validation';

export type ContainerType =
	| 'image'
	| 'reel'
	| 'storyImage'
	| 'storyVideo'
	| 'carouselImageItem'
	| 'carouselVideoItem'
	| 'carousel';

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

export const MEDIA_FIELDS = 'id,media_type,media_product_type,permalink,shortcode,timestamp,caption';

const VIDEO_TYPES: ContainerType[] = ['reel', 'storyVideo', 'carouselVideoItem'];

export function isVideo(type: ContainerType): boolean {
	return VIDEO_TYPES.includes(type);
}

/** Graph parameters of `POST /{ig-user-id}/media` for one container (reference A.3). */
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

/** Prefixes a Meta error with the media it concerns, keeping code, subcode and hint. */
function labelError(error: unknown, label: string | undefined, itemIndex: number): unknown {
	if (!label) return error;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.message = `${label}: ${error.message}`;
		error.context.itemIndex = itemIndex;
	}
	return error;
}

function attachContainers(error: unknown, containers: IDataObject): unknown {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.instagram = { ...((error.context.instagram as IDataObject) ?? {}), ...containers };
	}
	return error;
}

/** Errors after which Meta may still have done the work: check before doing anything again. */
function isAmbiguous(error: unknown): boolean {
	const info = getMetaErrorInfo(error);
	if (!info) return true;
	if (info.outcome === 'unknown' || info.isTransient === true) return true;
	if ((info.httpStatus ?? 0) >= 500) return true;
	return info.code === 1 || info.code === 2 || (info.code === 24 && info.subcode === 2207008);
}

async function uploadBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	uri: string,
	media: BinaryMedia,
): Promise<void> {
	const send = async () =>
		await graphRequest.call(ctx, {
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
		if (getMetaErrorInfo(error)?.outcome !== 'unknown') throw uploadError(ctx, itemIndex, error);
		try {
			await send();
		} catch (retryError) {
			throw uploadError(ctx, itemIndex, retryError);
		}
	}
}

function uploadError(ctx: IExecuteFunctions, itemIndex: number, error: unknown): Error {
	const raw = error as { message?: string; description?: string };
	return new NodeOperationError(ctx.getNode(), `Meta's upload server refused the video: ${raw?.message ?? 'unknown error'}`, {
		itemIndex,
		description:
			'The video was sent to rupload.facebook.com (resumable upload). Check that the file is an MP4 or MOV and that the credential may publish to this account (instagram_content_publish). Resumable upload is documented for Facebook Login; with Instagram Login, publish from a public video URL if it fails.',
	});
}

/** `POST /{ig-user-id}/media`, then the binary upload when the media is a file. */
export async function createContainer(
	ctx: IExecuteFunctions,
	itemIndex: number,
	igUserId: string,
	spec: ContainerSpec,
): Promise<string> {
	const request = async () =>
		(await graphRequest.call(ctx, {
			method: 'POST',
			path: `/${igUserId}/media`,
			body: containerParams(spec),
			bodyType: 'form',
			retry: 'throttleOnly',
			itemIndex,
		})) as { id: string; uri?: string };
	let response: { id: string; uri?: string };
	try {
		response = await request();
	} catch (error) {
		// A container whose answer was lost is invisible and expires unused: creating another one
		// cannot publish anything twice.
		if (getMetaErrorInfo(error)?.outcome !== 'unknown') throw labelError(error, spec.label, itemIndex);
		try {
			response = await request();
		} catch (retryError) {
			throw labelError(retryError, spec.label, itemIndex);
		}
	}
	if (spec.binary) {
		if (!response.uri) {
			throw new NodeOperationError(ctx.getNode(), `${spec.label ? `${spec.label}: ` : ''}Meta did not return an upload address for the video`, {
				itemIndex,
				description: 'Resumable upload needs a Facebook Login app. Publish from a public video URL instead.',
			});
		}
		try {
			await uploadBinary(ctx, itemIndex, response.uri, spec.binary);
		} catch (error) {
			throw labelError(error, spec.label, itemIndex);
		}
	}
	return String(response.id);
}

export async function getContainerStatus(
	ctx: IExecuteFunctions,
	itemIndex: number,
	containerId: string,
): Promise<ContainerState> {
	const response = (await graphRequest.call(ctx, {
		method: 'GET',
		path: `/${containerId}`,
		qs: { fields: 'id,status_code,status' },
		itemIndex,
	})) as { id?: string; status_code?: StatusCode; status?: string };
	return { id: containerId, statusCode: response.status_code ?? 'IN_PROGRESS', status: response.status };
}

/** Several containers in one request (`GET /?ids=a,b&fields=...`, reference E.3); one by one
 *  when Meta refuses the multi-id read. */
async function getStatuses(
	ctx: IExecuteFunctions,
	itemIndex: number,
	ids: string[],
): Promise<ContainerState[]> {
	if (ids.length > 1 && ids.length <= 50) {
		try {
			const response = (await graphRequest.call(ctx, {
				method: 'GET',
				path: '/',
				qs: { ids: ids.join(','), fields: 'id,status_code,status' },
				itemIndex,
			})) as Record<string, { status_code?: StatusCode; status?: string } | undefined>;
			if (ids.every((id) => response?.[id]?.status_code)) {
				return ids.map((id) => ({ id, statusCode: response[id]!.status_code!, status: response[id]!.status }));
			}
		} catch (error) {
			if (getMetaErrorInfo(error)?.code !== 100) throw toNodeApiError(ctx.getNode(), error, { itemIndex });
		}
	}
	return await Promise.all(ids.map(async (id) => await getContainerStatus(ctx, itemIndex, id)));
}

/** Milliseconds before the next status check: quick at first (images, short videos), then
 *  backing off towards Meta's advice of about once a minute for long videos. */
export function pollDelay(elapsedMs: number): number {
	if (elapsedMs < 3000) return 100;
	if (elapsedMs < 10000) return 250;
	if (elapsedMs < 30000) return 1000;
	const cap = elapsedMs < 120000 ? 10000 : 30000;
	return Math.min(cap, Math.max(1000, Math.round(elapsedMs * 0.1)));
}

const TERMINAL: StatusCode[] = ['FINISHED', 'ERROR', 'EXPIRED', 'PUBLISHED'];

/**
 * Polls the containers in parallel until all are done, one fails, or the deadline passes.
 * Returns the last known state of every container.
 */
export async function waitForContainers(
	ctx: IExecuteFunctions,
	itemIndex: number,
	ids: string[],
	deadline: number,
): Promise<ContainerState[]> {
	const latest = new Map<string, ContainerState>();
	const started = Date.now();
	for (;;) {
		const pending = ids.filter((id) => !TERMINAL.includes(latest.get(id)?.statusCode as StatusCode));
		const pollStartedAt = Date.now();
		for (const state of await getStatuses(ctx, itemIndex, pending)) latest.set(state.id, state);
		const states = ids.map((id) => latest.get(id)!);
		const done = states.every((state) => TERMINAL.includes(state.statusCode));
		const failed = states.some((state) => state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED');
		const now = Date.now();
		if (done || failed || now >= deadline) return states;
		// Fixed rate: the next read starts `pollDelay` after the previous one started, so a slow
		// network does not stretch the gap between reads.
		const nextAt = pollStartedAt + pollDelay(pollStartedAt - started);
		await sleep(Math.max(0, Math.min(nextAt, deadline) - now));
	}
}

/** The catalogue's advice for a subcode Meta reports inside a container's `status` text. */
export function hintForStatus(status: string | undefined): { subcode?: number; hint?: string } {
	const match = /\b(2207\d{3})\b/.exec(status ?? '');
	if (!match) return {};
	const subcode = Number(match[1]);
	const key = Object.keys(META_ERROR_CATALOGUE).find((entry) => entry.endsWith(`/${subcode}`));
	return { subcode, hint: key ? META_ERROR_CATALOGUE[key].hint : undefined };
}

export function containerFailedError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	state: ContainerState,
	label?: string,
): NodeOperationError {
	const who = label ? `${label}: ` : '';
	if (state.statusCode === 'EXPIRED') {
		return new NodeOperationError(ctx.getNode(), `${who}the media container ${state.id} has expired`, {
			itemIndex,
			description:
				'Meta deletes containers that are not published within 24 hours. Create the media again (Post > Publish, or Container > Create).',
		});
	}
	const { subcode, hint } = hintForStatus(state.status);
	const error = new NodeOperationError(
		ctx.getNode(),
		`${who}Instagram could not process the media (container ${state.id}): ${state.status ?? 'status ERROR'}`,
		{
			itemIndex,
			description:
				hint ??
				'Meta rejected the media while processing it. Check the format (JPEG images; MP4 or MOV videos with H.264 and AAC), the size and the duration, then create it again.',
		},
	);
	error.context.meta = { code: undefined, subcode, outcome: 'failed', message: state.status ?? 'ERROR' };
	return error;
}

/** `note` for an output whose post was published but could not be read back. */
export function readBackNote(outcome: { readError?: string }): IDataObject {
	return outcome.readError ? { note: `Published, but reading the post back failed: ${outcome.readError}` } : {};
}

export interface MediaDetails {
	id: string;
	media_type?: string;
	media_product_type?: string;
	permalink?: string;
	shortcode?: string;
	timestamp?: string;
	caption?: string;
}

/** Reads the published post back; best effort: the post exists whatever this returns. */
export async function lookupMedia(
	ctx: IExecuteFunctions,
	itemIndex: number,
	mediaId: string,
): Promise<{ media?: MediaDetails; error?: string }> {
	try {
		const media = (await graphRequest.call(ctx, {
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
	ctx: IExecuteFunctions,
	itemIndex: number,
	igUserId: string,
	expect: { caption?: string; story: boolean },
): Promise<MediaDetails | undefined> {
	try {
		const page = (await graphRequest.call(ctx, {
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
 * batch whose second operation reads `{result=publish:$.id}`. Only the publish can fail the
 * call; a failed read leaves a note. Instagram Login's host (graph.instagram.com) is not
 * documented to take batch requests, so there the read is a request of its own.
 */
async function sendPublish(
	ctx: IExecuteFunctions,
	itemIndex: number,
	igUserId: string,
	containerId: string,
): Promise<Published> {
	if (ctx.getNodeParameter('authentication', itemIndex, 'accessToken') === 'instagramLogin') {
		const response = (await graphRequest.call(ctx, {
			method: 'POST',
			path: `/${igUserId}/media_publish`,
			body: { creation_id: containerId },
			bodyType: 'form',
			retry: 'none',
			itemIndex,
		})) as { id: string };
		const mediaId = String(response.id);
		const { media, error } = await lookupMedia(ctx, itemIndex, mediaId);
		return { kind: 'published', mediaId, media, readError: error };
	}
	const [publish, read] = await graphBatch.call(
		ctx,
		[
			{
				method: 'POST',
				relativeUrl: `${igUserId}/media_publish`,
				body: { creation_id: containerId },
				name: 'publish',
				omitResponseOnSuccess: false,
			},
			{ method: 'GET', relativeUrl: `{result=publish:$.id}?fields=${MEDIA_FIELDS}`, dependsOn: 'publish' },
		],
		itemIndex,
	);
	const mediaId = (publish.body as { id?: unknown } | undefined)?.id;
	if (publish.error || mediaId === undefined || mediaId === null) {
		// The same error the single request would have thrown; without one (Meta answered `null`
		// for the operation) the outcome is unknown and the container is checked.
		throw createMetaApiError(ctx.getNode(), {
			metaError: publish.error,
			httpStatus: publish.error ? publish.code : undefined,
			outcome: publish.error ? 'failed' : 'unknown',
			message: 'Meta did not say whether the publish went through',
			itemIndex,
		});
	}
	const media = read?.body as MediaDetails | undefined;
	const readError = media?.id ? undefined : (read?.error?.message ?? 'Meta did not return the post');
	return { kind: 'published', mediaId: String(mediaId), media: media?.id ? media : undefined, readError };
}

/**
 * Publishes a container and reads the post back, never publishing twice:
 * - 9007/2207027 (not ready): wait for the container (same deadline), then publish;
 * - an answer lost or a transient failure: read the container first. PUBLISHED means it worked;
 *   FINISHED means it did not, and the publish is sent once more; anything else is reported.
 */
export async function publishContainer(
	ctx: IExecuteFunctions,
	itemIndex: number,
	igUserId: string,
	containerId: string,
	deadline: number,
): Promise<PublishOutcome> {
	let ambiguousRetries = 0;
	let notReadyRetries = 0;
	for (;;) {
		try {
			return await sendPublish(ctx, itemIndex, igUserId, containerId);
		} catch (error) {
			const info = getMetaErrorInfo(error);
			if (info?.code === 9007 && notReadyRetries < 3) {
				notReadyRetries++;
				const [state] = await waitForContainers(ctx, itemIndex, [containerId], deadline);
				if (state.statusCode === 'PUBLISHED') return { kind: 'recovered' };
				if (state.statusCode === 'FINISHED') continue;
				if (state.statusCode === 'IN_PROGRESS') return { kind: 'pending', state };
				throw containerFailedError(ctx, itemIndex, state);
			}
			if (isAmbiguous(error)) {
				const state = await getContainerStatus(ctx, itemIndex, containerId);
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

// ---------------------------------------------------------------------------------------------
// One post, end to end, with memory across n8n's Retry On Fail
// ---------------------------------------------------------------------------------------------

export interface PostPlan {
	igUserId: string;
	/** Image, reel or story. */
	single?: ContainerSpec;
	/** Carousel: the items, then the parent (its `children` are filled in). */
	children?: ContainerSpec[];
	parent?: ContainerSpec;
	maxWaitMs: number;
	/** What the recovered post should look like (lost publish answers). */
	caption?: string;
	story: boolean;
}

interface ItemMemory {
	fingerprint: string;
	childIds?: string[];
	containerId?: string;
	mediaId?: string;
	published?: boolean;
}

const MEMORY_KEY = 'instagramPublishGuard';

/**
 * Per-execution memory of what each item already created and published. n8n's Retry On Fail
 * re-runs the node inside the same execution with the same items; the node's static data
 * survives between those attempts, so a retried item reuses its containers and never publishes
 * again. Cleared when the node finishes without throwing.
 */
function itemMemory(ctx: IExecuteFunctions, itemIndex: number, fingerprint: string): ItemMemory {
	const staticData = ctx.getWorkflowStaticData('node');
	const executionId = String(ctx.getExecutionId() ?? '');
	let bucket = staticData[MEMORY_KEY] as { executionId: string; items: Record<string, ItemMemory> } | undefined;
	if (!bucket || bucket.executionId !== executionId) {
		bucket = { executionId, items: {} };
		staticData[MEMORY_KEY] = bucket as unknown as IDataObject;
	}
	const existing = bucket.items[String(itemIndex)];
	if (existing && existing.fingerprint === fingerprint) return existing;
	const fresh: ItemMemory = { fingerprint };
	bucket.items[String(itemIndex)] = fresh;
	return fresh;
}

export function clearPublishMemory(ctx: IExecuteFunctions): void {
	const staticData = ctx.getWorkflowStaticData('node');
	delete staticData[MEMORY_KEY];
}

function planFingerprint(plan: PostPlan): string {
	const describe = (spec?: ContainerSpec) =>
		spec && {
			...spec,
			binary: spec.binary
				? {
						size: spec.binary.data.length,
						sha: createHash('sha256').update(spec.binary.data).digest('hex'),
					}
				: undefined,
		};
	return createHash('sha256')
		.update(
			JSON.stringify({
				account: plan.igUserId,
				single: describe(plan.single),
				children: plan.children?.map(describe),
				parent: describe(plan.parent),
			}),
		)
		.digest('hex');
}

function publishedOutput(
	plan: PostPlan,
	memory: ItemMemory,
	media: MediaDetails | undefined,
	extra: IDataObject,
): IDataObject {
	return {
		published: true,
		mediaId: media?.id ?? memory.mediaId ?? null,
		permalink: media?.permalink ?? null,
		mediaType: media?.media_type ?? null,
		mediaProductType: media?.media_product_type ?? null,
		timestamp: media?.timestamp ?? null,
		shortcode: media?.shortcode ?? null,
		containerId: memory.containerId,
		...(memory.childIds ? { childContainerIds: memory.childIds } : {}),
		instagramAccountId: plan.igUserId,
		...extra,
	};
}

function pendingOutput(
	plan: PostPlan,
	memory: ItemMemory,
	states: ContainerState[],
	startedAt: number,
): IDataObject {
	const waiting = states.find((state) => state.statusCode === 'IN_PROGRESS') ?? states[0];
	return {
		published: false,
		status: waiting?.statusCode ?? 'IN_PROGRESS',
		statusText: waiting?.status ?? null,
		containerId: memory.containerId ?? null,
		...(memory.childIds ? { childContainerIds: memory.childIds } : {}),
		instagramAccountId: plan.igUserId,
		waitedSeconds: Math.round((Date.now() - startedAt) / 1000),
		hint: memory.containerId
			? 'Meta is still processing the media. Add a Wait node, then Instagram Publish > Container > Get Status / Publish with this containerId (containers expire after 24 hours).'
			: 'Meta is still processing the carousel items. Add a Wait node, then Instagram Publish > Container > Create (type Carousel) with these childContainerIds, then Container > Publish.',
	};
}

async function recoveredOutput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	plan: PostPlan,
	memory: ItemMemory,
): Promise<IDataObject> {
	memory.published = true;
	const media = memory.mediaId
		? (await lookupMedia(ctx, itemIndex, memory.mediaId)).media
		: await findPublishedMedia(ctx, itemIndex, plan.igUserId, { caption: plan.caption, story: plan.story });
	if (media?.id) memory.mediaId = media.id;
	return publishedOutput(plan, memory, media, {
		alreadyPublished: true,
		...(media ? {} : { note: 'The container is PUBLISHED but the post could not be matched; look at the account\'s latest posts.' }),
	});
}

export async function publishPost(
	ctx: IExecuteFunctions,
	itemIndex: number,
	plan: PostPlan,
): Promise<IDataObject> {
	const startedAt = Date.now();
	const deadline = startedAt + plan.maxWaitMs;
	const memory = itemMemory(ctx, itemIndex, planFingerprint(plan));

	try {
		// A previous attempt of this item (Retry On Fail) got this far: continue from there.
		if (memory.published) return await recoveredOutput(ctx, itemIndex, plan, memory);
		if (memory.containerId) {
			const state = await getContainerStatus(ctx, itemIndex, memory.containerId);
			if (state.statusCode === 'PUBLISHED') return await recoveredOutput(ctx, itemIndex, plan, memory);
			if (state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED') {
				memory.containerId = undefined;
				memory.childIds = undefined;
			}
		}

		if (!memory.containerId && plan.children && plan.parent) {
			if (memory.childIds) {
				const states = await getStatuses(ctx, itemIndex, memory.childIds);
				if (states.some((state) => state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED')) {
					memory.childIds = undefined;
				}
			}
			if (!memory.childIds) {
				const created = await Promise.allSettled(
					plan.children.map(async (spec) => await createContainer(ctx, itemIndex, plan.igUserId, spec)),
				);
				const failure = created.find((result) => result.status === 'rejected');
				if (failure) throw (failure as PromiseRejectedResult).reason;
				memory.childIds = created.map((result) => (result as PromiseFulfilledResult<string>).value);
			}
			const states = await waitForContainers(ctx, itemIndex, memory.childIds, deadline);
			const failedIndex = states.findIndex(
				(state) => state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED',
			);
			if (failedIndex >= 0) {
				throw containerFailedError(ctx, itemIndex, states[failedIndex], plan.children[failedIndex].label);
			}
			if (states.some((state) => state.statusCode === 'IN_PROGRESS')) {
				return pendingOutput(plan, memory, states, startedAt);
			}
			memory.containerId = await createContainer(ctx, itemIndex, plan.igUserId, {
				...plan.parent,
				children: memory.childIds,
			});
		} else if (!memory.containerId && plan.single) {
			memory.containerId = await createContainer(ctx, itemIndex, plan.igUserId, plan.single);
		}

		const containerId = memory.containerId!;
		// Videos take a while: wait before the first publish attempt. Images and carousel parents are
		// usually ready at once, so they are published straight away (9007 means wait, nothing else).
		if (plan.single && isVideo(plan.single.type)) {
			const [state] = await waitForContainers(ctx, itemIndex, [containerId], deadline);
			if (state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED') {
				throw containerFailedError(ctx, itemIndex, state, plan.single.label);
			}
			if (state.statusCode === 'IN_PROGRESS') return pendingOutput(plan, memory, [state], startedAt);
			if (state.statusCode === 'PUBLISHED') return await recoveredOutput(ctx, itemIndex, plan, memory);
		}

		const outcome = await publishContainer(ctx, itemIndex, plan.igUserId, containerId, deadline);
		if (outcome.kind === 'pending') return pendingOutput(plan, memory, [outcome.state], startedAt);
		if (outcome.kind === 'recovered') return await recoveredOutput(ctx, itemIndex, plan, memory);
		memory.published = true;
		memory.mediaId = outcome.mediaId;
		return publishedOutput(plan, memory, outcome.media, readBackNote(outcome));
	} catch (error) {
		throw attachContainers(error, {
			...(memory.containerId ? { containerId: memory.containerId } : {}),
			...(memory.childIds ? { childContainerIds: memory.childIds } : {}),
		});
	}
}
