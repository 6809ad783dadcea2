import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { getMetaErrorInfo } from '../../../shared/errors';
import { toNodeError } from '../../../shared/execute';
import { collectionValue, readCollection, readOption, readText } from '../../../shared/parameters';
import { answerObject, graphRequest, requireAnswerField } from '../../../shared/transport';
import {
	accountField,
	commentIdField,
	quickRepliesField,
	textField,
} from '../../descriptions/fields';
import {
	ALREADY_ANSWERED_CODES,
	PRIVATE_REPLY_WINDOW_MS,
	answeredAt,
	rememberAnswered,
} from '../../helpers/answered';
import { getAccountId, getCommentId } from '../../helpers/input';
import { checkMessageText, checkUrl, readQuickReplies } from '../../helpers/messages';
import {
	MESSAGES_PER_SECOND,
	PRIVATE_REPLIES_PER_HOUR,
	messagesPerSecondOption,
	paced,
	privateRepliesPerHourOption,
	readRate,
} from '../../helpers/pacing';
import { iso, parseMetaTime, readTime } from '../../helpers/time';

const properties: INodeProperties[] = [
	accountField,
	commentIdField,
	textField(
		'The direct message, up to 1000 bytes with the link. Meta adds a link to the post the comment is on.',
		'e.g. Here is the menu you asked for',
	),
	{
		displayName: 'Link',
		name: 'link',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/menu',
		description: 'An https link added on a new line after the text',
	},
	{
		displayName: 'If Already Answered',
		name: 'ifAlreadyAnswered',
		type: 'options',
		default: 'error',
		description:
			'What to do when this workflow (or Meta) says the comment already got its one private reply',
		options: [
			{
				name: 'Fail',
				value: 'error',
				description: 'Stop with an error (or an error item with Continue On Fail)',
			},
			{
				name: 'Skip',
				value: 'skip',
				description: 'Send nothing and output the item with skipped: true',
			},
		],
	},
	quickRepliesField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Comment Time',
				name: 'commentTime',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.time }}',
				description:
					'When the comment was written (ISO or Unix seconds). Empty: the node reads it from Meta. Used to refuse comments older than 7 days before sending.',
			},
			messagesPerSecondOption,
			privateRepliesPerHourOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['privateReply'], operation: ['send'] } },
	properties,
);

function skipped(commentId: string, detectedBy: 'workflow' | 'meta', at?: string): IDataObject {
	return {
		commentId,
		sent: false,
		skipped: true,
		reason: 'alreadyAnswered',
		detectedBy,
		...(at ? { answeredAt: at } : {}),
	};
}

/** When the comment was written: the given time, or `GET /{ig-comment-id}?fields=timestamp`. */
async function commentTime(
	this: IExecuteFunctions,
	commentId: string,
	itemIndex: number,
	given: unknown,
): Promise<number> {
	const known = readTime.call(this, given, itemIndex, 'Comment Time');
	if (known !== undefined) return known;
	const answer = answerObject(
		await graphRequest.call(this, {
			method: 'GET',
			path: `/${commentId}`,
			qs: { fields: 'id,timestamp' },
			itemIndex,
		}),
	);
	const time = parseMetaTime(answer?.timestamp);
	if (time === undefined) {
		requireAnswerField(this.getNode(), {}, 'timestamp', {
			what: 'the read of the comment',
			itemIndex,
			write: false,
		});
	}
	return time as number;
}

/**
 * A private reply: `POST /{ig-id}/messages` with `recipient.comment_id`
 * (https://developers.facebook.com/docs/instagram-platform/private-replies). One message per
 * comment, within 7 days of the comment: both are checked before sending; Meta's own refusal of a
 * second reply is recognised too. Paced to Meta's private-reply and Send API rates
 * (helpers/pacing.ts); repeated only when Meta throttled the call.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const igUserId = getAccountId.call(this, itemIndex);
	const commentId = getCommentId.call(this, itemIndex);
	const ifAnswered = readOption.call(
		this,
		'ifAlreadyAnswered',
		itemIndex,
		'If Already Answered',
		['error', 'skip'] as const,
		'error',
	);
	let text = readText.call(this, 'text', itemIndex, 'Text', {
		required: true,
		hint: 'Enter the message to send.',
	});
	const link = readText.call(this, 'link', itemIndex, 'Link');
	if (link) text = `${text}\n${checkUrl.call(this, link, itemIndex, 'Link')}`;
	checkMessageText.call(this, text, itemIndex, link ? 'Text with the link' : 'Text');
	const quickReplies = readQuickReplies.call(this, itemIndex);
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	// An added Comment Time whose expression gave nothing is refused, not taken as "not given":
	// the reply must not go out on a time nobody checked.
	const givenTime = collectionValue(this.getNode(), options, 'commentTime', {
		label: 'Comment Time',
		itemIndex,
	});

	const perSecond = readRate.call(
		this,
		options,
		'messagesPerSecond',
		'Messages Per Second',
		MESSAGES_PER_SECOND,
		itemIndex,
	);
	const perHour = readRate.call(
		this,
		options,
		'privateRepliesPerHour',
		'Private Replies Per Hour',
		PRIVATE_REPLIES_PER_HOUR,
		itemIndex,
	);

	const earlier = answeredAt.call(this, commentId);
	if (earlier) {
		if (ifAnswered === 'skip') return skipped(commentId, 'workflow', earlier);
		throw new NodeOperationError(
			this.getNode(),
			`Comment ${commentId} was already answered with a private reply (at ${earlier})`,
			{
				itemIndex,
				description:
					'Meta allows one private reply per comment. Set "If Already Answered" to Skip to let such items pass without sending.',
			},
		);
	}

	const writtenAt = await commentTime.call(this, commentId, itemIndex, givenTime);
	const now = Date.now();
	if (now - writtenAt > PRIVATE_REPLY_WINDOW_MS) {
		throw new NodeOperationError(
			this.getNode(),
			`Comment ${commentId} is older than 7 days: Meta no longer accepts a private reply to it`,
			{
				itemIndex,
				description: `The comment was written at ${iso(writtenAt)}. Meta allows a private reply only within 7 days of the comment; reply publicly instead (Comment > Reply).`,
			},
		);
	}

	const message: IDataObject = { text };
	if (quickReplies) message.quick_replies = quickReplies;
	// A private reply counts against both the hourly private-reply limit and the Send API rate.
	let answer: unknown;
	try {
		answer = await paced.call(
			this,
			'privateReplies',
			igUserId,
			perHour,
			async () =>
				await paced.call(
					this,
					'messages',
					igUserId,
					perSecond,
					async () =>
						await graphRequest.call(this, {
							method: 'POST',
							path: `/${igUserId}/messages`,
							body: { recipient: { comment_id: commentId }, message },
							retry: 'throttleOnly',
							itemIndex,
						}),
				),
		);
	} catch (error) {
		const code = getMetaErrorInfo(error)?.code;
		if (code !== undefined && ALREADY_ANSWERED_CODES.includes(code)) {
			rememberAnswered.call(this, commentId, now);
			if (ifAnswered === 'skip') return skipped(commentId, 'meta');
		}
		throw toNodeError(this.getNode(), error, itemIndex);
	}
	const messageId = requireAnswerField(this.getNode(), answer, 'message_id', {
		what: 'the private reply',
		itemIndex,
		write: true,
	});
	rememberAnswered.call(this, commentId, now);
	const recipientId = answerObject(answer)?.recipient_id;
	return {
		commentId,
		sent: true,
		messageId,
		...(recipientId !== undefined ? { recipientId: String(recipientId) } : {}),
		text,
	};
}
