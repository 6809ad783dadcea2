import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberLocator } from '../../../shared/descriptions/phoneNumber';
import type { PreparedMessage } from '../../helpers/sender';
import { getOptions, getPhoneNumberId, messageOptions, requireValue, sendSingle } from './common';

const properties: INodeProperties[] = [
	phoneNumberLocator,
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
	messageOptions(
		[
			{
				displayName: 'Show Typing Indicator',
				name: 'typingIndicator',
				type: 'boolean',
				default: false,
				description:
					'Whether to show "typing…" to the user until you reply or for up to 25 seconds',
			},
		],
		false,
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['markAsRead'] } },
	properties,
);

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const phoneNumberId = getPhoneNumberId.call(this, itemIndex);
	const messageId = String(this.getNodeParameter('messageId', itemIndex, '')).trim();
	requireValue.call(
		this,
		itemIndex,
		messageId,
		'Message ID',
		'Use the wamid of the received message, e.g. {{ $json.messages[0].id }} from the WhatsApp Trigger.',
	);
	const options = getOptions.call(this, itemIndex);
	const body = {
		messaging_product: 'whatsapp',
		status: 'read',
		message_id: messageId,
		...(options.typingIndicator === true ? { typing_indicator: { type: 'text' } } : {}),
	};
	return {
		itemIndex,
		phoneNumberId,
		body,
		summary: { messageId, typingIndicator: options.typingIndicator === true },
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return await sendSingle.call(this, await build.call(this, itemIndex));
}
