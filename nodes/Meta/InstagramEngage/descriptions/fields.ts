/** Fields used by several operations. Each operation scopes them with `updateDisplayOptions`. */
import type { INodeProperties } from 'n8n-workflow';

import { instagramAccountLocator } from '../../shared/descriptions/instagramAccount';

export const accountField: INodeProperties = instagramAccountLocator;

export const postIdField: INodeProperties = {
	displayName: 'Post ID',
	name: 'postId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 17895695668004550',
	description:
		'The post (media) ID: from Post > Get Many, or media.ID of a Meta Trigger comment event',
};

export const commentIdField: INodeProperties = {
	displayName: 'Comment ID',
	name: 'commentId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 17870913679156914',
	description: 'The comment: from Comment > Get Many, or the ID of a Meta Trigger comment event',
};

export function textField(description: string, placeholder = 'e.g. Thank you!'): INodeProperties {
	return {
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		placeholder,
		description,
	};
}

export const quickRepliesField: INodeProperties = {
	displayName: 'Quick Replies',
	name: 'quickReplies',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Quick Reply',
	default: {},
	description: 'Buttons shown under the message; a tap sends the title back (up to 13)',
	options: [
		{
			displayName: 'Quick Reply',
			name: 'values',
			values: [
				{
					displayName: 'Title',
					name: 'title',
					type: 'string',
					default: '',
					description: 'Up to 20 characters',
				},
				{
					displayName: 'Payload',
					name: 'payload',
					type: 'string',
					default: '',
					description:
						'Sent back in the messaging webhook when tapped (up to 1000 characters); empty: the title',
				},
			],
		},
	],
};
