import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	options: [
		{
			name: 'Send',
			value: 'send',
			description:
				"Send a direct message within 24 hours of the person's last message (Instagram Login, or a Page or system user token with Facebook Login)",
			action: 'Send a message',
		},
	],
	default: 'send',
};

export const fields: INodeProperties[] = [...send.description];
