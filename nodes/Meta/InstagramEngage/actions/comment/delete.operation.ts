import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { commentIdField } from '../../descriptions/fields';
import { getCommentId, requireSuccess } from '../../helpers/input';

const properties: INodeProperties[] = [commentIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['delete'] } },
	properties,
);

/**
 * `DELETE /{ig-comment-id}`: only the media owner can delete, even the comment's author cannot
 * (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const commentId = getCommentId.call(this, itemIndex);
	const answer = await graphRequest.call(this, {
		method: 'DELETE',
		path: `/${commentId}`,
		retry: 'throttleOnly',
		itemIndex,
	});
	requireSuccess.call(this, answer, 'deleting the comment', itemIndex);
	return { commentId, deleted: true };
}
