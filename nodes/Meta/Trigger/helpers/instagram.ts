/**
 * Instagram webhooks (`object: instagram`) flattened to one item per comment, mention or
 * messaging event. Comments and mentions come as `changes[]`; messaging as `messaging[]`, whose
 * times are in milliseconds.
 * https://developers.facebook.com/docs/instagram-platform/webhooks
 * https://developers.facebook.com/docs/instagram-platform/webhooks/examples
 */
import type { IDataObject } from 'n8n-workflow';

import type { FlatEvent, Flattened, Selection, TriggerEvent } from './events';
import { asList, asObject, asText, compact, isoTime, stableHash } from './events';

function commentEvent(
	entry: IDataObject,
	field: string,
	value: IDataObject,
	base: IDataObject,
): FlatEvent {
	const from = asObject(value.from);
	const media = asObject(value.media);
	// Meta's pages disagree on the key: `id` (Instagram Login, the webhook reference) or `comment_id`.
	const commentId = asText(value.id) ?? asText(value.comment_id);
	const selfScopedId = asText(from.self_ig_scoped_id) ?? asText(value.self_ig_scoped_id);
	return {
		eventId: `instagram:${field}:${commentId ?? stableHash(entry.id, value)}`,
		json: compact({
			...base,
			event: field === 'live_comments' ? 'instagram.liveComment' : 'instagram.comment',
			commentId,
			parentCommentId: asText(value.parent_id),
			text: asText(value.text),
			fromId: asText(from.id),
			fromUsername: asText(from.username),
			// Set when the account itself commented: lets a workflow skip its own replies.
			fromSelf: selfScopedId !== undefined || undefined,
			mediaId: asText(media.id),
			mediaProductType: asText(media.media_product_type),
			adId: asText(media.ad_id),
			time: isoTime(entry.time),
		}),
	};
}

function mentionEvent(entry: IDataObject, value: IDataObject, base: IDataObject): FlatEvent {
	const mediaId = asText(value.media_id);
	const commentId = asText(value.comment_id);
	return {
		eventId: `instagram:mention:${mediaId ?? ''}:${commentId ?? ''}`,
		json: compact({
			...base,
			event: 'instagram.mention',
			mentionIn: commentId ? 'comment' : 'caption',
			mediaId,
			commentId,
			time: isoTime(entry.time),
		}),
	};
}

function messagingEvent(entry: IDataObject, messaging: IDataObject, base: IDataObject): FlatEvent {
	const sender = asText(asObject(messaging.sender).id);
	const recipient = asText(asObject(messaging.recipient).id);
	const message = asObject(messaging.message);
	const common = {
		...base,
		senderId: sender,
		recipientId: recipient,
		timestamp: isoTime(messaging.timestamp, 'milliseconds'),
	};
	if (messaging.message) {
		const attachment = asList(message.attachments)[0] ?? {};
		const replyTo = asObject(message.reply_to);
		const mid = asText(message.mid);
		return {
			eventId: `instagram:message:${mid ?? stableHash(messaging)}`,
			json: compact({
				...common,
				event: message.is_echo === true ? 'instagram.messageEcho' : 'instagram.message',
				messageId: mid,
				text: asText(message.text),
				attachmentType: asText(attachment.type),
				attachmentUrl: asText(asObject(attachment.payload).url),
				attachments:
					asList(message.attachments).length > 1 ? asList(message.attachments) : undefined,
				quickReplyPayload: asText(asObject(message.quick_reply).payload),
				repliedToMessageId: asText(replyTo.mid),
				storyReplyUrl: asText(asObject(replyTo.story).url),
				storyReplyId: asText(asObject(replyTo.story).id),
				referral: message.referral !== undefined ? asObject(message.referral) : undefined,
				isEcho: message.is_echo === true || undefined,
				isDeleted: message.is_deleted === true || undefined,
				isUnsupported: message.is_unsupported === true || undefined,
			}),
		};
	}
	const kinds: Array<[string, string]> = [
		['reaction', 'instagram.reaction'],
		['postback', 'instagram.postback'],
		['referral', 'instagram.referral'],
		['read', 'instagram.read'],
		['message_edit', 'instagram.messageEdit'],
	];
	const [key, name] = kinds.find(([candidate]) => messaging[candidate] !== undefined) ?? [
		'other',
		'instagram.messagingEvent',
	];
	const detail = asObject(messaging[key]);
	return {
		eventId: `instagram:${key}:${stableHash(entry.id, messaging)}`,
		json: compact({
			...common,
			event: name,
			messageId: asText(detail.mid),
			text: asText(detail.text) ?? asText(detail.title),
			reaction: asText(detail.reaction),
			reactionEmoji: asText(detail.emoji),
			reactionAction: asText(detail.action),
			payload: asText(detail.payload),
			referralRef: asText(detail.ref),
			referralSource: asText(detail.source),
		}),
	};
}

/** Every event of an `instagram` delivery that the selection keeps. */
export function flattenInstagram(body: IDataObject, selection: Selection): Flattened {
	const events: FlatEvent[] = [];
	let filteredOut = 0;
	const keep = (
		event: TriggerEvent,
		accountAllowed: boolean,
		flat: FlatEvent,
		raw: IDataObject,
	) => {
		if (accountAllowed && selection.events.has(event)) {
			events.push({
				eventId: flat.eventId,
				json: { ...flat.json, ...(selection.includeRaw ? raw : {}) },
			});
		} else {
			filteredOut++;
		}
	};
	for (const entry of asList(body.entry)) {
		const accountId = asText(entry.id);
		const accountAllowed =
			selection.instagramAccountIds.size === 0 ||
			(accountId !== undefined && selection.instagramAccountIds.has(accountId));
		const base = compact({ source: 'instagram', instagramAccountId: accountId });
		for (const change of asList(entry.changes)) {
			const field = asText(change.field) ?? '';
			const value = asObject(change.value);
			const raw = { rawValue: value };
			if (field === 'comments' || field === 'live_comments') {
				keep(
					'instagramComments',
					accountAllowed,
					commentEvent(entry, field, value, { ...base, field }),
					raw,
				);
			} else if (field === 'mentions') {
				keep(
					'instagramMentions',
					accountAllowed,
					mentionEvent(entry, value, { ...base, field }),
					raw,
				);
			} else {
				filteredOut++;
			}
		}
		for (const messaging of asList(entry.messaging)) {
			keep(
				'instagramMessages',
				accountAllowed,
				messagingEvent(entry, messaging, { ...base, field: 'messaging' }),
				{ rawValue: messaging },
			);
		}
	}
	return { events, filteredOut };
}
