/** What the mention operations share: the mentioning post and, for a comment mention, the comment. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readId } from '../../helpers/input';

export const mentionFields: INodeProperties[] = [
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 17918195224117851',
		description:
			'The post that mentions the account, or holds the comment that does (media_id of the mention event)',
	},
	{
		displayName: 'Comment ID',
		name: 'mentionCommentId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 17894227972186120',
		description:
			'For a mention in a comment: the comment (comment_ID of the mention event). Empty: the mention is in the caption.',
	},
];

export function getMention(
	this: IExecuteFunctions,
	itemIndex: number,
): { mediaId: string; commentId: string } {
	const mediaId = readId.call(
		this,
		'mediaId',
		itemIndex,
		'Media ID',
		'Use media_id of the Meta Trigger mention event.',
	);
	const commentId = readId.call(
		this,
		'mentionCommentId',
		itemIndex,
		'Comment ID',
		'Use comment_id of the Meta Trigger mention event, or leave it empty for a caption mention.',
		{ required: false },
	);
	return { mediaId, commentId };
}
