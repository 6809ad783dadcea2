import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { expectBoolean, readCollection, readOption, readText } from '../../../shared/parameters';
import { answerObject, graphRequest, requireAnswerField } from '../../../shared/transport';
import { accountField, quickRepliesField } from '../../descriptions/fields';
import { getAccountId, readId } from '../../helpers/input';
import { checkMessageText, checkUrl, readCard, readQuickReplies } from '../../helpers/messages';
import {
	MESSAGES_PER_SECOND,
	messagesPerSecondOption,
	paced,
	readRate,
} from '../../helpers/pacing';
import { cardFields } from './shared';

const MESSAGE_TYPES = ['text', 'image', 'video', 'genericTemplate'] as const;

const properties: INodeProperties[] = [
	accountField,
	{
		displayName: 'Recipient ID',
		name: 'recipientId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 6310000000000001',
		description:
			'The Instagram-scoped ID of the person (sender.ID of a Meta Trigger message event). They must have written to the account first.',
	},
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		default: 'text',
		options: [
			{
				name: 'Card (Generic Template)',
				value: 'genericTemplate',
				description: 'A card with a title, image and up to 3 buttons',
			},
			{
				name: 'Image',
				value: 'image',
				description: 'An image from an https URL (PNG or JPEG, up to 8 MB)',
			},
			{ name: 'Text', value: 'text', description: 'Text, with optional quick replies' },
			{
				name: 'Video',
				value: 'video',
				description: 'A video from an https URL (MP4, OGG, AVI, MOV or WebM, up to 25 MB)',
			},
		],
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'Up to 1000 bytes of UTF-8',
		displayOptions: { show: { messageType: ['text'] } },
	},
	{
		...quickRepliesField,
		displayOptions: { show: { messageType: ['text'] } },
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/photo.jpg',
		description: 'An https URL Meta can download',
		displayOptions: { show: { messageType: ['image', 'video'] } },
	},
	...cardFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Human Agent',
				name: 'humanAgent',
				type: 'boolean',
				default: false,
				description:
					"Whether a person answers: sends with the HUMAN_AGENT tag, allowed up to 7 days after the user's last message instead of 24 hours. Needs Meta's Human Agent permission for the app.",
			},
			messagesPerSecondOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['send'] } },
	properties,
);

function buildMessage(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const type = readOption.call(
		this,
		'messageType',
		itemIndex,
		'Message Type',
		MESSAGE_TYPES,
		'text',
	);
	if (type === 'text') {
		const text = readText.call(this, 'text', itemIndex, 'Text', {
			required: true,
			hint: 'Enter the message to send.',
		});
		checkMessageText.call(this, text, itemIndex);
		const quickReplies = readQuickReplies.call(this, itemIndex);
		return quickReplies ? { text, quick_replies: quickReplies } : { text };
	}
	if (type === 'genericTemplate') return readCard.call(this, itemIndex);
	const url = readText.call(this, 'mediaUrl', itemIndex, 'Media URL', { required: true });
	return {
		attachment: { type, payload: { url: checkUrl.call(this, url, itemIndex, 'Media URL') } },
	};
}

/**
 * `POST /{ig-id}/messages` with `recipient.id` (the Send API:
 * https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api).
 * The person must have written first; Meta accepts answers for 24 hours after their last message,
 * 7 days with the HUMAN_AGENT tag. Paced to Meta's Send API rate (helpers/pacing.ts); repeated
 * only when Meta throttled the call: a lost answer is reported as unknown, never sent again.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const igUserId = getAccountId.call(this, itemIndex);
	const recipientId = readId.call(
		this,
		'recipientId',
		itemIndex,
		'Recipient ID',
		'Use sender.id of the Meta Trigger message event (an Instagram-scoped ID, not a username).',
	);
	const message = buildMessage.call(this, itemIndex);
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	const humanAgent =
		options.humanAgent === undefined
			? false
			: expectBoolean(this.getNode(), options.humanAgent, { label: 'Human Agent', itemIndex });
	const perSecond = readRate.call(
		this,
		options,
		'messagesPerSecond',
		'Messages Per Second',
		MESSAGES_PER_SECOND,
		itemIndex,
	);
	const body: IDataObject = { recipient: { id: recipientId }, message };
	if (humanAgent) {
		body.messaging_type = 'MESSAGE_TAG';
		body.tag = 'HUMAN_AGENT';
	}
	const answer = await paced.call(
		this,
		'messages',
		igUserId,
		perSecond,
		async () =>
			await graphRequest.call(this, {
				method: 'POST',
				path: `/${igUserId}/messages`,
				body,
				retry: 'throttleOnly',
				itemIndex,
			}),
	);
	const messageId = requireAnswerField(this.getNode(), answer, 'message_id', {
		what: 'the message send',
		itemIndex,
		write: true,
	});
	return {
		sent: true,
		messageId,
		recipientId: String(answerObject(answer)?.recipient_id ?? recipientId),
		...(humanAgent ? { tag: 'HUMAN_AGENT' } : {}),
	};
}
