import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { maxWaitOption, optionsCollection } from '../../helpers/fields';
import { transportClock } from '../../../shared/transport';
import { containerFailedError, getContainerStatus } from '../../helpers/containerStatus';
import { getInstagramAccountId, getMaxWaitMs, getOptions } from '../../helpers/input';
import { waitForContainers } from '../../helpers/polling';
import type { MediaDetails } from '../../helpers/publish';
import { publishContainer, readBackNote } from '../../helpers/publish';
import type { PreparedPost } from '../post/shared';
import { containerIdField } from './getStatus.operation';
import { readContainerId } from './shared';

const properties: INodeProperties[] = [
	containerIdField,
	optionsCollection([
		{
			...maxWaitOption,
			default: 0,
			description:
				'How long to wait when the container is still processing. When it runs out the item returns published = false with the status, so a Wait node can loop.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['container'], operation: ['publish'] } },
	properties,
);

/**
 * Reads and checks the item; nothing is sent until the returned function runs.
 * Safe to run again: the container is read first, and one that is already PUBLISHED is reported
 * as such instead of being published a second time.
 */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedPost> {
	const igUserId = getInstagramAccountId.call(this, itemIndex);
	const containerId = readContainerId.call(this, itemIndex);
	const maxWaitMs = getMaxWaitMs.call(this, itemIndex, getOptions.call(this, itemIndex), 0);
	return async () => await publishExisting.call(this, itemIndex, igUserId, containerId, maxWaitMs);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await (
		await prepare.call(this, itemIndex)
	)();
}

async function publishExisting(
	this: IExecuteFunctions,
	itemIndex: number,
	igUserId: string,
	containerId: string,
	maxWaitMs: number,
): Promise<IDataObject> {
	const deadline = transportClock.now() + maxWaitMs;
	let state = await getContainerStatus.call(this, itemIndex, containerId);
	if (state.statusCode === 'IN_PROGRESS' && maxWaitMs > 0) {
		[state] = await waitForContainers.call(this, itemIndex, [containerId], deadline, {
			kind: 'video',
		});
	}
	const base = { containerId, instagramAccountId: igUserId };
	if (state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED') {
		throw containerFailedError.call(this, itemIndex, state);
	}
	if (state.statusCode === 'IN_PROGRESS') {
		return {
			published: false,
			status: state.statusCode,
			statusText: state.status ?? null,
			...base,
		};
	}
	let mediaId: string | undefined;
	let media: MediaDetails | undefined;
	let note: IDataObject = {};
	let alreadyPublished = state.statusCode === 'PUBLISHED';
	if (!alreadyPublished) {
		const outcome = await publishContainer.call(this, itemIndex, igUserId, containerId, deadline);
		if (outcome.kind === 'pending') {
			return {
				published: false,
				status: outcome.state.statusCode,
				statusText: outcome.state.status ?? null,
				...base,
			};
		}
		if (outcome.kind === 'published') {
			({ mediaId, media } = outcome);
			note = readBackNote(outcome);
		} else alreadyPublished = true;
	}
	return {
		published: true,
		mediaId: media?.id ?? mediaId ?? null,
		permalink: media?.permalink ?? null,
		mediaType: media?.media_type ?? null,
		mediaProductType: media?.media_product_type ?? null,
		timestamp: media?.timestamp ?? null,
		shortcode: media?.shortcode ?? null,
		...base,
		...note,
		...(alreadyPublished
			? {
					alreadyPublished: true,
					note: "This container was already published, so it was not published again. Meta does not link a container to its post; see the account's latest posts.",
				}
			: {}),
	};
}
