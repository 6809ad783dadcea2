import type { INodeProperties } from 'n8n-workflow';

import * as deleteComment from './delete.operation';
import * as disableComments from './disableComments.operation';
import * as enableComments from './enableComments.operation';
import * as getMany from './getMany.operation';
import * as hide from './hide.operation';
import * as reply from './reply.operation';
import * as unhide from './unhide.operation';

export { deleteComment, disableComments, enableComments, getMany, hide, reply, unhide };

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['comment'] } },
	options: [
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete a comment on one of your posts (both login types)',
			action: 'Delete a comment',
		},
		{
			name: 'Disable Comments',
			value: 'disableComments',
			description: 'Turn comments off for a post (both login types)',
			action: 'Disable comments on a post',
		},
		{
			name: 'Enable Comments',
			value: 'enableComments',
			description: 'Turn comments on for a post (both login types)',
			action: 'Enable comments on a post',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description:
				'List the comments of a post, newest first, with their replies (both login types)',
			action: 'Get many comments',
		},
		{
			name: 'Hide',
			value: 'hide',
			description: 'Hide a comment from everyone but its author (both login types)',
			action: 'Hide a comment',
		},
		{
			name: 'Reply',
			value: 'reply',
			description: 'Reply publicly to a comment (both login types)',
			action: 'Reply to a comment',
		},
		{
			name: 'Unhide',
			value: 'unhide',
			description: 'Show a hidden comment again (both login types)',
			action: 'Unhide a comment',
		},
	],
	default: 'getMany',
};

export const fields: INodeProperties[] = [
	...getMany.description,
	...reply.description,
	...hide.description,
	...unhide.description,
	...deleteComment.description,
	...enableComments.description,
	...disableComments.description,
];
