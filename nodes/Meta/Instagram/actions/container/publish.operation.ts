import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { maxWaitOption, optionsCollection } from '../../helpers/fields';
import { getMaxWaitMs, getInstagramAccountId, getOptions } from '../../helpers/input';
import {
	containerFailedError,
	getContainerStatus,
	publishContainer,
	readBackNote,
	waitForContainers,
} from '../../helpers/publishing';
import type { MediaDetails } from '../../helpers/publishing';
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
 * Safe to run again: the container is read first, and one that is already PUBLISHED is reported
 * as such (with its post when it can be found) instead of being published a second time.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const igUserId = getInstagramAccountId(this, itemIndex);
	const containerId = readContainerId(this, itemIndex);
	const options = getOptions(this, itemIndex);
	const maxWaitMs = getMaxWaitMs({ maxWaitSeconds: options.maxWaitSeconds ?? 0 });
	const deadline = Date.now() + maxWaitMs;

	let state = await getContainerStatus(this, itemIndex, containerId);
	if (state.statusCode === 'IN_PROGRESS' && maxWaitMs > 0) {
		[state] = await waitForContainers(this, itemIndex, [containerId], deadline);
	}
	const base = { containerId, instagramAccountId: igUserId };
	if (state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED') {
		throw containerFailedError(this, itemIndex, state);
	}
	if (state.statusCode === 'IN_PROGRESS') {
		return { published: false, status: state.statusCode, statusText: state.status ?? null, ...base };
	}
	let mediaId: string | undefined;
	let media: MediaDetails | undefined;
	let note: IDataObject = {};
	let alreadyPublished = state.statusCode === 'PUBLISHED';
	if (!alreadyPublished) {
		const outcome = await publishContainer(this, itemIndex, igUserId, containerId, deadline);
		if (outcome.kind === 'pending') {
			return { published: false, status: outcome.state.statusCode, statusText: outcome.state.status ?? null, ...base };
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
					note: 'This container was already published, so it was not published again. Meta does not link a container to its post; see the account\'s latest posts.',
				}
			: {}),
	};
}
