import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberLocator } from '../../../shared/descriptions/phoneNumber';
import { getRecipient } from '../../helpers/recipient';
import type { PreparedMessage } from '../../helpers/sender';
import {
	getPhoneNumberId,
	messageEnvelope,
	messageOptions,
	recipientField,
	requireValue,
	sendSingle,
} from './common';

const properties: INodeProperties[] = [
	phoneNumberLocator,
	recipientField,
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
	messageOptions([], false),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendReaction'] } },
	properties,
);

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const phoneNumberId = getPhoneNumberId.call(this, itemIndex);
	const to = getRecipient.call(this, itemIndex);
	const messageId = String(this.getNodeParameter('messageId', itemIndex, '')).trim();
	requireValue.call(
		this,
		itemIndex,
		messageId,
		'Message ID',
		'A reaction needs the wamid of the message it reacts to, e.g. from the WhatsApp Trigger ({{ $json.messages[0].id }}).',
	);
	const emoji = String(this.getNodeParameter('emoji', itemIndex, '') ?? '').trim();
	const body = messageEnvelope.call(this, itemIndex, to, 'reaction', false);
	body.reaction = { message_id: messageId, emoji };
	return {
		itemIndex,
		phoneNumberId,
		body,
		summary: { to, type: 'reaction', reactedTo: messageId, emoji },
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return await sendSingle.call(this, await build.call(this, itemIndex));
}
