import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as reply from './reply.operation';

export { get, reply };

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['mention'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			description: 'Read the post or comment that mentioned the account (Facebook Login only)',
			action: 'Get a mention',
		},
		{
			name: 'Reply',
			value: 'reply',
			description: 'Comment on the post or comment that mentioned the account (both login types)',
			action: 'Reply to a mention',
		},
	],
	default: 'get',
};

export const fields: INodeProperties[] = [...get.description, ...reply.description];
