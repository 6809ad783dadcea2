import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ContainerType } from '../../helpers/containers';
import { isVideo } from '../../helpers/containers';
import {
	applyOptions,
	getInstagramAccountId,
	getMaxWaitMs,
	getOptions,
	readCaption,
	readNodeMedia,
} from '../../helpers/input';
import type { PostPlan } from '../../helpers/post';
import { publishPost } from '../../helpers/post';

/** An item read and checked, ready to publish: nothing has been sent yet. */
export type PreparedPost = () => Promise<IDataObject>;

/** A post operation: `prepare` reads and checks the item (no request), the returned function publishes it. */
export function preparedPost(
	this: IExecuteFunctions,
	itemIndex: number,
	plan: PostPlan,
): PreparedPost {
	return async () => await publishPost.call(this, itemIndex, plan);
}

/** Image, reel or story: one container, created, awaited and published for the item. */
export async function prepareSingle(
	this: IExecuteFunctions,
	itemIndex: number,
	post: {
		type: Extract<ContainerType, 'image' | 'reel' | 'storyImage' | 'storyVideo'>;
		/** Display name of the URL field, used in error messages. */
		urlField: string;
		tagCoordinates: 'required' | 'optional' | 'ignored';
	},
): Promise<PreparedPost> {
	const igUserId = getInstagramAccountId.call(this, itemIndex);
	const { warnings: mediaWarnings = [], ...media } = await readNodeMedia.call(
		this,
		itemIndex,
		isVideo(post.type) ? 'video' : 'image',
		post.urlField,
	);
	const options = getOptions.call(this, itemIndex);
	const story = post.type === 'storyImage' || post.type === 'storyVideo';
	// Stories have no caption field (Meta refuses one).
	const caption = story ? undefined : readCaption.call(this, itemIndex);
	const { spec, warnings } = applyOptions.call(
		this,
		itemIndex,
		{ type: post.type, ...media, caption },
		options,
		post.tagCoordinates,
	);
	return preparedPost.call(this, itemIndex, {
		igUserId,
		single: spec,
		maxWaitMs: getMaxWaitMs.call(this, itemIndex, options),
		caption,
		story,
		warnings: [...mediaWarnings, ...warnings],
	});
}
