import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readBoolean, readText } from '../../../shared/parameters';
import type { PreparedMessage } from '../../helpers/sender';
import { getPhoneNumberId, messageDescription, messageOptions } from './shared';

const fields: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA',
		description:
			'The wamid of a message this number received in the last 30 days. It and every earlier message in the chat are marked as read.',
	},
];

const optionsCollection = messageOptions(
	[
		{
			displayName: 'Show Typing Indicator',
			name: 'typingIndicator',
			type: 'boolean',
			default: false,
			description: 'Whether to show "typing…" to the user until you reply or for up to 25 seconds',
		},
	],
	false,
);

export const description = messageDescription('markAsRead', fields, optionsCollection, {
	recipient: false,
});

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const phoneNumberId = getPhoneNumberId.call(this, itemIndex);
	const messageId = readText.call(this, 'messageId', itemIndex, 'Message ID', {
		required: true,
		allowNumber: false,
		hint: 'Use the wamid of the received message, e.g. {{ $json.messages[0].id }} from the WhatsApp Trigger.',
	});
	const typingIndicator = readBoolean.call(
		this,
		'options.typingIndicator',
		itemIndex,
		'Show Typing Indicator',
	);
	const body = {
		messaging_product: 'whatsapp',
		status: 'read',
		message_id: messageId,
		...(typingIndicator ? { typing_indicator: { type: 'text' } } : {}),
	};
	return {
		itemIndex,
		phoneNumberId,
		body,
		summary: { messageId, typingIndicator },
	};
}
