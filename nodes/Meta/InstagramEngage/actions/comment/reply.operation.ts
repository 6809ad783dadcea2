import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequest, requireAnswerField } from '../../../shared/transport';
import { commentIdField, textField } from '../../descriptions/fields';
import { getCommentId, getCommentText } from '../../helpers/input';
import { pacedCommentReply, replyOptionsField } from '../../helpers/pacing';

const properties: INodeProperties[] = [
	commentIdField,
	textField('The public reply, up to 2,200 characters', 'e.g. Thank you! Check your DMs'),
	replyOptionsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['reply'] } },
	properties,
);

/**
 * `POST /{ig-comment-id}/replies` with `message`
 * (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies).
 * Paced (helpers/pacing.ts). Not idempotent: repeated only when Meta throttled it; an unreadable
 * answer is an unknown outcome.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const commentId = getCommentId.call(this, itemIndex);
	const text = getCommentText.call(this, itemIndex);
	const answer = await pacedCommentReply.call(
		this,
		itemIndex,
		async () =>
			await graphRequest.call(this, {
				method: 'POST',
				path: `/${commentId}/replies`,
				body: { message: text },
				retry: 'throttleOnly',
				itemIndex,
			}),
	);
	const id = requireAnswerField(this.getNode(), answer, 'id', {
		what: 'the reply to the comment',
		itemIndex,
		write: true,
	});
	return { id, repliedTo: commentId, text };
}
