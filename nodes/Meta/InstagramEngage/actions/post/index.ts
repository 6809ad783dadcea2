import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['post'] } },
	options: [
		{
			name: 'Get Many',
			value: 'getMany',
			description:
				"List the account's posts and reels with their like and comment counts (both login types)",
			action: 'Get many posts',
		},
	],
	default: 'getMany',
};

export const fields: INodeProperties[] = [...getMany.description];
