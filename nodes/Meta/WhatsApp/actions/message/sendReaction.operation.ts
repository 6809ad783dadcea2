import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PreparedMessage } from '../../helpers/sender';
import {
	messageDescription,
	messageOptions,
	requireValue,
	sendBuilt,
	startMessage,
} from './common';

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
	const messageId = String(this.getNodeParameter('messageId', itemIndex, '')).trim();
	requireValue.call(
		this,
		itemIndex,
		messageId,
		'Message ID',
		'A reaction needs the wamid of the message it reacts to, e.g. from the WhatsApp Trigger ({{ $json.messages[0].id }}).',
	);
	const emoji = String(this.getNodeParameter('emoji', itemIndex, '') ?? '').trim();
	body.reaction = { message_id: messageId, emoji };
	return {
		itemIndex,
		phoneNumberId,
		body,
		summary: { to, type: 'reaction', reactedTo: messageId, emoji },
	};
}

export const execute = sendBuilt(build);
