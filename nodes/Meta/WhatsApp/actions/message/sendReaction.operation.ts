import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readText } from '../../../shared/parameters';
import type { PreparedMessage } from '../../helpers/sender';
import { messageDescription, messageOptions, startMessage } from './shared';

const fields: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA',
		description: 'The wamid of the message to react to',
	},
	{
		displayName: 'Emoji',
		name: 'emoji',
		type: 'string',
		default: '👍',
		description: 'One emoji. Leave empty to remove an earlier reaction.',
	},
];

const optionsCollection = messageOptions([], false);

export const description = messageDescription('sendReaction', fields, optionsCollection);

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const { phoneNumberId, to, body } = startMessage.call(this, itemIndex, 'reaction', false);
	const messageId = readText.call(this, 'messageId', itemIndex, 'Message ID', {
		required: true,
		allowNumber: false,
		hint: 'A reaction needs the wamid of the message it reacts to, e.g. from the WhatsApp Trigger ({{ $json.messages[0].id }}).',
	});
	// Empty removes an earlier reaction
	// (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/reaction-messages).
	const emoji = readText.call(this, 'emoji', itemIndex, 'Emoji', { allowNumber: false });
	body.reaction = { message_id: messageId, emoji };
	return {
		itemIndex,
		phoneNumberId,
		body,
		summary: { to, type: 'reaction', reactedTo: messageId, emoji },
	};
}
