import type { INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/execute';
import * as getMany from './getMany.operation';

export { getMany };

/** The template operations by the value of the Operation parameter. */
export const operations = { getMany } satisfies Record<string, ItemOperation>;

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['template'] } },
	options: [
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List the message templates of a WhatsApp Business Account',
			action: 'Get many templates which only reads',
		},
	],
	default: 'getMany',
};

export const fields: INodeProperties[] = [...getMany.description];
