import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, requireAnswerField } from '../../../shared/transport';
import { accountField, textField } from '../../descriptions/fields';
import { pacedCommentReply, replyOptionsField } from '../../helpers/pacing';
import { getAccountId, getCommentText } from '../../helpers/input';
import { getMention, mentionFields } from './shared';

const properties: INodeProperties[] = [
	accountField,
	...mentionFields,
	textField(
		'The public comment posted in answer to the mention, up to 2,200 characters',
		'e.g. Thanks for the shout-out!',
	),
	replyOptionsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mention'], operation: ['reply'] } },
	properties,
);

/**
 * `POST /{ig-user-id}/mentions` with `media_id`, `message` and, for a comment mention, `comment_id`
 * (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentions).
 * Paced (helpers/pacing.ts). Not idempotent: repeated only when Meta throttled it.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const igUserId = getAccountId.call(this, itemIndex);
	const { mediaId, commentId } = getMention.call(this, itemIndex);
	const text = getCommentText.call(this, itemIndex);
	const body: IDataObject = { media_id: mediaId, message: text };
	if (commentId) body.comment_id = commentId;
	const answer = await pacedCommentReply.call(
		this,
		itemIndex,
		async () =>
			await graphRequest.call(this, {
				method: 'POST',
				path: `/${igUserId}/mentions`,
				body,
				retry: 'throttleOnly',
				itemIndex,
			}),
	);
	const id = requireAnswerField(this.getNode(), answer, 'id', {
		what: 'the reply to the mention',
		itemIndex,
		write: true,
	});
	return { id, mediaId, ...(commentId ? { commentId } : {}), text };
}
