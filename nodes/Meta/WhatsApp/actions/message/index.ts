import type { INodeProperties } from 'n8n-workflow';

import type { MessageOperation } from '../../helpers/bulk';
import * as markAsRead from './markAsRead.operation';
import * as sendContacts from './sendContacts.operation';
import * as sendInteractive from './sendInteractive.operation';
import * as sendLocation from './sendLocation.operation';
import * as sendMedia from './sendMedia.operation';
import * as sendReaction from './sendReaction.operation';
import * as sendTemplate from './sendTemplate.operation';
import * as sendText from './sendText.operation';

export {
	markAsRead,
	sendContacts,
	sendInteractive,
	sendLocation,
	sendMedia,
	sendReaction,
	sendTemplate,
	sendText,
};

/** The message operations by the value of the Operation parameter. */
export const operations = {
	markAsRead,
	sendContacts,
	sendInteractive,
	sendLocation,
	sendMedia,
	sendReaction,
	sendTemplate,
	sendText,
} satisfies Record<string, MessageOperation>;

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	options: [
		{
			name: 'Mark as Read',
			value: 'markAsRead',
			description: 'Mark a received message as read, optionally showing the typing indicator',
			action: 'Mark a message as read which writes and is never repeated on retry',
		},
		{
			name: 'Send Contacts',
			value: 'sendContacts',
			description: 'Send one or more contact cards',
			action: 'Send contacts which writes once and is never repeated on retry',
		},
		{
			name: 'Send Interactive',
			value: 'sendInteractive',
			description: 'Send reply buttons, a list or a call-to-action URL button',
			action: 'Send an interactive message which writes once and is never repeated on retry',
		},
		{
			name: 'Send Location',
			value: 'sendLocation',
			description: 'Send a map pin',
			action: 'Send a location which writes once and is never repeated on retry',
		},
		{
			name: 'Send Media',
			value: 'sendMedia',
			description: 'Send an image, video, audio, document or sticker',
			action: 'Send media which writes once and is never repeated on retry',
		},
		{
			name: 'Send Reaction',
			value: 'sendReaction',
			description: 'React to a message with an emoji',
			action: 'Send a reaction which writes once and is never repeated on retry',
		},
		{
			name: 'Send Template',
			value: 'sendTemplate',
			description: 'Send an approved message template (works outside the 24-hour window)',
			action: 'Send a template which writes once and is never repeated on retry',
		},
		{
			name: 'Send Text',
			value: 'sendText',
			description: 'Send a text message',
			action: 'Send a text message which writes once and is never repeated on retry',
		},
	],
	default: 'sendText',
};

export const fields: INodeProperties[] = [
	...sendText.description,
	...sendTemplate.description,
	...sendMedia.description,
	...sendInteractive.description,
	...sendLocation.description,
	...sendContacts.description,
	...sendReaction.description,
	...markAsRead.description,
];
