import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { answerObject, graphRequest, requireAnswerField } from '../../../shared/transport';
import { accountField } from '../../descriptions/fields';
import { getAccountId, usesInstagramLogin } from '../../helpers/input';
import { getMention, mentionFields } from './shared';

const properties: INodeProperties[] = [accountField, ...mentionFields];

export const description = updateDisplayOptions(
	{ show: { resource: ['mention'], operation: ['get'] } },
	properties,
);

const MEDIA_FIELDS = 'id,caption,media_type,comments_count,like_count,permalink,timestamp,username';
const COMMENT_FIELDS =
	'id,text,timestamp,like_count,username,media{id,caption,media_type,permalink,username}';

/**
 * `GET /{ig-user-id}?fields=mentioned_media.media_id(...)` or `mentioned_comment.comment_id(...)`
 * (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentioned_media,
 * .../mentioned_comment). Meta offers both with Facebook Login only.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	if (usesInstagramLogin.call(this)) {
		throw new NodeOperationError(this.getNode(), 'Mention > Get works with Facebook Login only', {
			itemIndex,
			description:
				'Meta serves mentioned posts and comments only through Facebook Login (graph.facebook.com). Choose an Access Token or OAuth2 (Facebook Login) credential, or use the mention event of the Meta Trigger, which carries the comment text.',
		});
	}
	const igUserId = getAccountId.call(this, itemIndex);
	const { mediaId, commentId } = getMention.call(this, itemIndex);
	const fields = commentId
		? `mentioned_comment.comment_id(${commentId}){${COMMENT_FIELDS}}`
		: `mentioned_media.media_id(${mediaId}){${MEDIA_FIELDS}}`;
	const answer = await graphRequest.call(this, {
		method: 'GET',
		path: `/${igUserId}`,
		qs: { fields },
		itemIndex,
	});
	const key = commentId ? 'mentioned_comment' : 'mentioned_media';
	const found = answerObject(answerObject(answer)?.[key]);
	if (!found)
		requireAnswerField(this.getNode(), {}, key, {
			what: 'the read of the mention',
			itemIndex,
			write: false,
		});
	return {
		type: commentId ? 'comment' : 'caption',
		mediaId,
		...(commentId ? { commentId } : {}),
		...found,
	};
}
