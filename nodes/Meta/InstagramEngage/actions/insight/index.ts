import type { INodeProperties } from 'n8n-workflow';

import * as getAccountInsights from './getAccountInsights.operation';
import * as getPostInsights from './getPostInsights.operation';

export { getAccountInsights, getPostInsights };

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['insight'] } },
	options: [
		{
			name: 'Get Account Insights',
			value: 'getAccountInsights',
			description: "The account's totals for a period, one item per metric (both login types)",
			action: 'Get account insights',
		},
		{
			name: 'Get Post Insights',
			value: 'getPostInsights',
			description: "A post's lifetime metrics, one item per metric (both login types)",
			action: 'Get post insights',
		},
	],
	default: 'getPostInsights',
};

export const fields: INodeProperties[] = [
	...getPostInsights.description,
	...getAccountInsights.description,
];
