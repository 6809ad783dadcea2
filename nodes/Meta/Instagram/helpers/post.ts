/**
 * One post, end to end: create the container(s), wait until Meta has processed them, publish,
 * read the post back, with a memory that survives n8n's Retry On Fail. Every step is safe to
 * repeat: containers are invisible until published, and a publish is never sent again without
 * first checking the container.
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/content-publishing
 */
import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { transportClock } from '../../shared/transport';
import type { ContainerSpec, ContainerState } from './containers';
import { attachContainers, createContainer, isVideo } from './containers';
import { containerFailedError, getContainerStatus, getContainerStatuses } from './containerStatus';
import { waitForContainers } from './polling';
import type { MediaDetails } from './publish';
import { findPublishedMedia, lookupMedia, publishContainer, readBackNote } from './publish';

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
	/** Said in the output item (e.g. a media URL on http). */
	warnings?: string[];
}

interface ItemMemory {
	fingerprint: string;
	childIds?: string[];
	containerId?: string;
	mediaId?: string;
	published?: boolean;
}

/** The bucket of the node's static data, typed as it is stored. */
interface MemoryBucket extends IDataObject {
	executionId: string;
	items: Record<string, ItemMemory & IDataObject>;
}

const MEMORY_KEY = 'instagramPublishGuard';

function isBucket(value: unknown): value is MemoryBucket {
	return typeof value === 'object' && value !== null && 'executionId' in value && 'items' in value;
}

/**
 * Per-execution memory of what each item already created and published. n8n's Retry On Fail
 * re-runs the node inside the same execution with the same items; the node's static data
 * survives between those attempts, so a retried item reuses its containers and never publishes
 * again. Cleared when the node finishes without throwing.
 */
function itemMemory(this: IExecuteFunctions, itemIndex: number, fingerprint: string): ItemMemory {
	const staticData = this.getWorkflowStaticData('node');
	const executionId = String(this.getExecutionId() ?? '');
	const stored = staticData[MEMORY_KEY];
	const bucket: MemoryBucket =
		isBucket(stored) && stored.executionId === executionId ? stored : { executionId, items: {} };
	staticData[MEMORY_KEY] = bucket;
	const existing = bucket.items[String(itemIndex)];
	if (existing && existing.fingerprint === fingerprint) return existing;
	const fresh: ItemMemory & IDataObject = { fingerprint };
	bucket.items[String(itemIndex)] = fresh;
	return fresh;
}

export function clearPublishMemory(this: IExecuteFunctions): void {
	const staticData = this.getWorkflowStaticData('node');
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

function warningsOf(plan: PostPlan): IDataObject {
	return plan.warnings?.length ? { warnings: plan.warnings } : {};
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
		...warningsOf(plan),
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
		waitedSeconds: Math.round((transportClock.now() - startedAt) / 1000),
		hint: memory.containerId
			? 'Meta is still processing the media. Add a Wait node, then Instagram Publish > Container > Get Status / Publish with this containerId (containers expire after 24 hours).'
			: 'Meta is still processing the carousel items. Add a Wait node, then Instagram Publish > Container > Create (type Carousel) with these childContainerIds, then Container > Publish.',
		...warningsOf(plan),
	};
}

async function recoveredOutput(
	this: IExecuteFunctions,
	itemIndex: number,
	plan: PostPlan,
	memory: ItemMemory,
): Promise<IDataObject> {
	memory.published = true;
	const media = memory.mediaId
		? (await lookupMedia.call(this, itemIndex, memory.mediaId)).media
		: await findPublishedMedia.call(this, itemIndex, plan.igUserId, {
				caption: plan.caption,
				story: plan.story,
			});
	if (media?.id) memory.mediaId = media.id;
	return publishedOutput(plan, memory, media, {
		alreadyPublished: true,
		...(media
			? {}
			: {
					note: "The container is PUBLISHED but the post could not be matched; look at the account's latest posts.",
				}),
	});
}

function failedIndex(states: ContainerState[]): number {
	return states.findIndex(
		(state) => state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED',
	);
}

/** The carousel's item containers (created once, reused on Retry On Fail), then its parent. */
async function createCarousel(
	this: IExecuteFunctions,
	itemIndex: number,
	plan: PostPlan & { children: ContainerSpec[]; parent: ContainerSpec },
	memory: ItemMemory,
	deadline: number,
	startedAt: number,
): Promise<IDataObject | undefined> {
	if (memory.childIds) {
		const states = await getContainerStatuses.call(this, itemIndex, memory.childIds);
		if (failedIndex(states) >= 0) memory.childIds = undefined;
	}
	if (!memory.childIds) {
		const created = await Promise.allSettled(
			plan.children.map(
				async (spec) => await createContainer.call(this, itemIndex, plan.igUserId, spec),
			),
		);
		const failure = created.find((result) => result.status === 'rejected');
		if (failure) throw (failure as PromiseRejectedResult).reason;
		memory.childIds = created.map((result) => (result as PromiseFulfilledResult<string>).value);
	}
	const states = await waitForContainers.call(this, itemIndex, memory.childIds, deadline, {
		videos: plan.children.map((spec) => isVideo(spec.type)),
	});
	const failed = failedIndex(states);
	if (failed >= 0) {
		throw containerFailedError.call(this, itemIndex, states[failed], plan.children[failed].label);
	}
	if (states.some((state) => state.statusCode === 'IN_PROGRESS')) {
		return pendingOutput(plan, memory, states, startedAt);
	}
	memory.containerId = await createContainer.call(this, itemIndex, plan.igUserId, {
		...plan.parent,
		children: memory.childIds,
	});
	return undefined;
}

export async function publishPost(
	this: IExecuteFunctions,
	itemIndex: number,
	plan: PostPlan,
): Promise<IDataObject> {
	const startedAt = transportClock.now();
	const deadline = startedAt + plan.maxWaitMs;
	const memory = itemMemory.call(this, itemIndex, planFingerprint(plan));

	try {
		// A previous attempt of this item (Retry On Fail) got this far: continue from there.
		if (memory.published) return await recoveredOutput.call(this, itemIndex, plan, memory);
		if (memory.containerId) {
			const state = await getContainerStatus.call(this, itemIndex, memory.containerId);
			if (state.statusCode === 'PUBLISHED')
				return await recoveredOutput.call(this, itemIndex, plan, memory);
			if (state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED') {
				memory.containerId = undefined;
				memory.childIds = undefined;
			}
		}

		const { children, parent } = plan;
		if (!memory.containerId && children && parent) {
			const pending = await createCarousel.call(
				this,
				itemIndex,
				{ ...plan, children, parent },
				memory,
				deadline,
				startedAt,
			);
			if (pending) return pending;
		} else if (!memory.containerId && plan.single) {
			memory.containerId = await createContainer.call(this, itemIndex, plan.igUserId, plan.single);
		}

		const containerId = memory.containerId!;
		const video = plan.single !== undefined && isVideo(plan.single.type);
		// Videos take a while: wait before the first publish attempt. Images and carousel parents are
		// usually ready at once, so they are published straight away (9007 means wait, nothing else).
		if (plan.single && video) {
			const [state] = await waitForContainers.call(this, itemIndex, [containerId], deadline, {
				kind: 'video',
			});
			if (state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED') {
				throw containerFailedError.call(this, itemIndex, state, plan.single.label);
			}
			if (state.statusCode === 'IN_PROGRESS')
				return pendingOutput(plan, memory, [state], startedAt);
			if (state.statusCode === 'PUBLISHED')
				return await recoveredOutput.call(this, itemIndex, plan, memory);
		}

		const outcome = await publishContainer.call(
			this,
			itemIndex,
			plan.igUserId,
			containerId,
			deadline,
			video ? 'video' : 'image',
		);
		if (outcome.kind === 'pending') return pendingOutput(plan, memory, [outcome.state], startedAt);
		if (outcome.kind === 'recovered')
			return await recoveredOutput.call(this, itemIndex, plan, memory);
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
