import type { INodeProperties } from 'n8n-workflow';

import * as checkEverything from './checkEverything.operation';
import * as checkInstagramPublishing from './checkInstagramPublishing.operation';
import * as checkToken from './checkToken.operation';
import * as checkWhatsAppMessaging from './checkWhatsAppMessaging.operation';

export { checkEverything, checkInstagramPublishing, checkToken, checkWhatsAppMessaging };

/** Asset Check has one resource (a check), so its operations show without a Resource field. */
export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Check Everything',
			value: 'checkEverything',
			description: 'Check the token, Instagram publishing and WhatsApp messaging',
			action: 'Check everything which only reads',
		},
		{
			name: 'Check Instagram Publishing',
			value: 'checkInstagramPublishing',
			description:
				'Check the token, the Page, its linked Instagram account, your Page role and the publishing quota',
			action: 'Check instagram publishing which only reads',
		},
		{
			name: 'Check Token',
			value: 'checkToken',
			description: 'Check that the token is valid, when it expires and which permissions it has',
			action: 'Check token which only reads',
		},
		{
			name: 'Check WhatsApp Messaging',
			value: 'checkWhatsAppMessaging',
			description:
				'Check the business portfolio, WhatsApp accounts, phone numbers, templates and webhooks',
			action: 'Check whatsapp messaging which only reads',
		},
	],
	default: 'checkEverything',
};

export const fields: INodeProperties[] = [
	...checkEverything.description,
	...checkInstagramPublishing.description,
	...checkToken.description,
	...checkWhatsAppMessaging.description,
];
