import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { applyOptions, getInstagramAccountId, getMaxWaitMs, getOptions, readCaption, readNodeMedia } from '../../helpers/input';
import type { ContainerType } from '../../helpers/publishing';
import { isVideo, publishPost } from '../../helpers/publishing';

/** Image, reel or story: one container, created, awaited and published for the item. */
export async function publishSingle(
	ctx: IExecuteFunctions,
	itemIndex: number,
	post: {
		type: Extract<ContainerType, 'image' | 'reel' | 'storyImage' | 'storyVideo'>;
		/** Display name of the URL field, used in error messages. */
		urlField: string;
		tagCoordinates: 'required' | 'optional' | 'ignored';
	},
): Promise<IDataObject> {
	const igUserId = getInstagramAccountId(ctx, itemIndex);
	const media = await readNodeMedia(ctx, itemIndex, isVideo(post.type) ? 'video' : 'image', post.urlField);
	const options = getOptions(ctx, itemIndex);
	const story = post.type === 'storyImage' || post.type === 'storyVideo';
	// Stories have no caption field (Meta refuses one).
	const caption = story ? undefined : readCaption(ctx, itemIndex);
	const spec = applyOptions(ctx, itemIndex, { type: post.type, ...media, caption }, options, post.tagCoordinates);
	return await publishPost(ctx, itemIndex, {
		igUserId,
		single: spec,
		maxWaitMs: getMaxWaitMs(options),
		caption,
		story,
	});
}
