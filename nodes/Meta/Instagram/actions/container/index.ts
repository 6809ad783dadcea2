import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getStatus from './getStatus.operation';
import * as publish from './publish.operation';

export { create, getStatus, publish };

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['container'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			description: 'Create a media container (and upload a binary video) without publishing it',
			action: 'Create a container which writes but publishes nothing',
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			description: 'Whether a container is ready to publish',
			action: 'Get container status which only reads',
		},
		{
			name: 'Publish',
			value: 'publish',
			description: 'Publish a ready container; never publishes the same container twice',
			action: 'Publish a container which writes once and is never repeated on retry',
		},
	],
	default: 'create',
};

export const fields: INodeProperties[] = [
	...create.description,
	...getStatus.description,
	...publish.description,
];
