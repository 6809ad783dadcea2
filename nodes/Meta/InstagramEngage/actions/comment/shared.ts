/** What the comment operations share. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { getCommentId, getPostId, requireSuccess } from '../../helpers/input';

/** The fields Meta returns for a comment. */
export const COMMENT_FIELDS = 'id,text,timestamp,username,from,like_count,hidden,parent_id';

/**
 * `POST /{ig-comment-id}?hide=true|false`: only the media owner's token may do it; the owner's own
 * comments stay visible (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment).
 * Repeated only when Meta throttled the call (it did nothing then).
 */
export async function setHidden(
	this: IExecuteFunctions,
	itemIndex: number,
	hide: boolean,
): Promise<IDataObject> {
	const commentId = getCommentId.call(this, itemIndex);
	const answer = await graphRequest.call(this, {
		method: 'POST',
		path: `/${commentId}`,
		qs: { hide },
		retry: 'throttleOnly',
		itemIndex,
	});
	requireSuccess.call(
		this,
		answer,
		hide ? 'hiding the comment' : 'unhiding the comment',
		itemIndex,
	);
	return { commentId, hidden: hide };
}

/** `POST /{ig-media-id}?comment_enabled=true|false` (https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/comment-moderation). */
export async function setCommentsEnabled(
	this: IExecuteFunctions,
	itemIndex: number,
	enabled: boolean,
): Promise<IDataObject> {
	const postId = getPostId.call(this, itemIndex);
	const answer = await graphRequest.call(this, {
		method: 'POST',
		path: `/${postId}`,
		qs: { comment_enabled: enabled },
		retry: 'throttleOnly',
		itemIndex,
	});
	requireSuccess.call(
		this,
		answer,
		enabled ? 'turning comments on' : 'turning comments off',
		itemIndex,
	);
	return { postId, commentsEnabled: enabled };
}
