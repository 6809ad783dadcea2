import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['privateReply'] } },
	options: [
		{
			name: 'Send',
			value: 'send',
			description:
				'Answer a comment with a direct message, once per comment, within 7 days (Instagram Login, or a Page or system user token with Facebook Login)',
			action: 'Send a private reply',
		},
	],
	default: 'send',
};

export const fields: INodeProperties[] = [...send.description];
