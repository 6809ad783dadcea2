import type { INodeProperties } from 'n8n-workflow';

import * as getPublishingLimit from './getPublishingLimit.operation';

export { getPublishingLimit };

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['account'] } },
	options: [
		{
			name: 'Get Publishing Limit',
			value: 'getPublishingLimit',
			description: 'How many posts the account may still publish in the rolling 24 hours',
			action: 'Get the publishing limit which only reads',
		},
	],
	default: 'getPublishingLimit',
};

export const fields: INodeProperties[] = [...getPublishingLimit.description];
