/**
 * WhatsApp Cloud API webhooks (`object: whatsapp_business_account`) flattened to one item per
 * message, status or account event, in the words a no-code user reads.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
 */
import type { IDataObject } from 'n8n-workflow';

import { describeMetaError } from '../../shared/errors';
import type { FlatEvent, Flattened, Selection, TriggerEvent } from './events';
import { asList, asObject, asText, compact, isoTime, stableHash } from './events';

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];

/** The field of each non-message event, and the node's event that selects it. */
const ACCOUNT_FIELDS: Record<string, { event: TriggerEvent; name: string }> = {
	message_template_status_update: {
		event: 'whatsappTemplateStatus',
		name: 'whatsapp.templateStatus',
	},
	message_template_quality_update: {
		event: 'whatsappTemplateQuality',
		name: 'whatsapp.templateQuality',
	},
	phone_number_quality_update: {
		event: 'whatsappPhoneNumberQuality',
		name: 'whatsapp.phoneNumberQuality',
	},
	phone_number_name_update: { event: 'whatsappPhoneNumberName', name: 'whatsapp.phoneNumberName' },
	account_update: { event: 'whatsappAccountUpdate', name: 'whatsapp.accountUpdate' },
};

/** Fields the node understands; a delivery holding only others is "filtered out". */
export const WHATSAPP_FIELDS = ['messages', ...Object.keys(ACCOUNT_FIELDS)];

function errorFields(errors: unknown): IDataObject {
	const first = asList(errors)[0];
	if (!first) return {};
	const code = typeof first.code === 'number' ? first.code : Number(first.code);
	const described = describeMetaError(Number.isFinite(code) ? code : undefined);
	return compact({
		errorCode: Number.isFinite(code) ? code : undefined,
		errorTitle: asText(first.title) ?? asText(first.message),
		errorDetails: asText(asObject(first.error_data).details),
		errorHint: described.known ? described.title : undefined,
		errorFix: described.known ? described.hint : undefined,
		errorDocsUrl: described.docsUrl,
	});
}

/** The contact entry that belongs to a message's sender or a status's recipient. */
function contactFor(contacts: IDataObject[], phone?: string, userId?: string): IDataObject {
	return (
		contacts.find(
			(contact) =>
				(phone !== undefined && contact.wa_id === phone) ||
				(userId !== undefined && contact.user_id === userId),
		) ?? (contacts.length === 1 ? contacts[0] : {})
	);
}

function messageContent(message: IDataObject): IDataObject {
	const type = asText(message.type) ?? 'unknown';
	const content = asObject(message[type]);
	const fields: IDataObject = {};
	if (type === 'text') fields.text = asText(content.body);
	if (MEDIA_TYPES.includes(type)) {
		Object.assign(fields, {
			mediaId: asText(content.id),
			mimeType: asText(content.mime_type),
			caption: asText(content.caption),
			fileName: asText(content.filename),
			mediaUrl: asText(content.url),
			sha256: asText(content.sha256),
			voice: typeof content.voice === 'boolean' ? content.voice : undefined,
			animated: typeof content.animated === 'boolean' ? content.animated : undefined,
		});
		fields.text = fields.caption;
	}
	if (type === 'interactive') {
		const kind = asText(content.type);
		const reply = asObject(kind ? content[kind] : undefined);
		Object.assign(fields, {
			interactiveType: kind,
			replyId: asText(reply.id),
			replyTitle: asText(reply.title),
			replyDescription: asText(reply.description),
			flowResponseJson: asText(reply.response_json),
		});
		fields.text = fields.replyTitle ?? asText(reply.body);
	}
	if (type === 'button') {
		Object.assign(fields, { replyId: asText(content.payload), replyTitle: asText(content.text) });
		fields.text = fields.replyTitle;
	}
	if (type === 'reaction') {
		Object.assign(fields, {
			reactionMessageId: asText(content.message_id),
			reactionEmoji: asText(content.emoji) ?? '',
		});
	}
	if (type === 'location') {
		Object.assign(fields, {
			latitude: typeof content.latitude === 'number' ? content.latitude : undefined,
			longitude: typeof content.longitude === 'number' ? content.longitude : undefined,
			locationName: asText(content.name),
			locationAddress: asText(content.address),
			locationUrl: asText(content.url),
		});
	}
	if (type === 'contacts') fields.sharedContacts = asList(message.contacts);
	if (type === 'order') fields.order = content;
	if (type === 'system') {
		Object.assign(fields, {
			text: asText(content.body),
			systemType: asText(content.type),
			newWaId: asText(content.wa_id),
			newUserId: asText(content.user_id),
		});
	}
	if (Array.isArray(message.errors)) Object.assign(fields, errorFields(message.errors));
	return fields;
}

function messageEvent(value: IDataObject, message: IDataObject, base: IDataObject): FlatEvent {
	const contacts = asList(value.contacts);
	const from = asText(message.from);
	const fromUserId = asText(message.from_user_id);
	const contact = contactFor(contacts, from, fromUserId);
	const profile = asObject(contact.profile);
	const context = asObject(message.context);
	const referral = asObject(message.referral);
	const id = asText(message.id) ?? stableHash(message);
	return {
		eventId: `whatsapp:message:${id}`,
		json: compact({
			...base,
			event: 'whatsapp.message',
			messageId: id,
			from: from ?? asText(contact.wa_id),
			fromUserId: fromUserId ?? asText(contact.user_id),
			fromParentUserId: asText(message.from_parent_user_id) ?? asText(contact.parent_user_id),
			profileName: asText(profile.name),
			username: asText(profile.username),
			type: asText(message.type),
			...messageContent(message),
			repliedToMessageId: asText(context.id),
			forwarded: context.forwarded === true || context.frequently_forwarded === true || undefined,
			frequentlyForwarded: context.frequently_forwarded === true || undefined,
			referral: Object.keys(referral).length ? referral : undefined,
			timestamp: isoTime(message.timestamp),
		}),
	};
}

function statusEvent(value: IDataObject, status: IDataObject, base: IDataObject): FlatEvent {
	const recipient = asText(status.recipient_id);
	const recipientUserId = asText(status.recipient_user_id);
	const contact = contactFor(asList(value.contacts), recipient, recipientUserId);
	const profile = asObject(contact.profile);
	const pricing = asObject(status.pricing);
	const conversation = asObject(status.conversation);
	const id = asText(status.id) ?? stableHash(status);
	const state = asText(status.status) ?? 'unknown';
	return {
		eventId: `whatsapp:status:${id}:${state}`,
		json: compact({
			...base,
			event: 'whatsapp.status',
			messageId: id,
			status: state,
			recipient,
			recipientUserId,
			recipientParentUserId:
				asText(status.recipient_parent_user_id) ?? asText(status.parent_recipient_user_id),
			recipientUsername: asText(profile.username),
			recipientProfileName: asText(profile.name),
			timestamp: isoTime(status.timestamp),
			pricingCategory: asText(pricing.category),
			pricingType: asText(pricing.type),
			pricingModel: asText(pricing.pricing_model),
			billable: typeof pricing.billable === 'boolean' ? pricing.billable : undefined,
			conversationId: asText(conversation.id),
			conversationOrigin: asText(asObject(conversation.origin).type),
			bizOpaqueCallbackData: asText(status.biz_opaque_callback_data),
			...errorFields(status.errors),
		}),
	};
}

function accountEvent(
	field: string,
	name: string,
	entry: IDataObject,
	value: IDataObject,
	base: IDataObject,
): FlatEvent {
	const extra: IDataObject = {};
	if (field.startsWith('message_template')) {
		Object.assign(extra, {
			templateId: asText(value.message_template_id),
			templateName: asText(value.message_template_name),
			templateLanguage: asText(value.message_template_language),
			templateCategory: asText(value.message_template_category),
			templateEvent: asText(value.event),
			reason: value.reason === null ? null : asText(value.reason),
			rejectionReason: asText(asObject(value.rejection_info).reason),
			recommendation: asText(asObject(value.rejection_info).recommendation),
			previousQualityScore: asText(value.previous_quality_score),
			newQualityScore: asText(value.new_quality_score),
		});
	} else {
		Object.assign(extra, {
			displayPhoneNumber: asText(value.display_phone_number),
			updateEvent: asText(value.event),
			currentLimit: asText(value.current_limit),
			decision: asText(value.decision),
			requestedVerifiedName: asText(value.requested_verified_name),
			rejectionReason: asText(value.rejection_reason),
			restrictions: Array.isArray(value.restriction_info) ? value.restriction_info : undefined,
			violation: value.violation_info !== undefined ? asObject(value.violation_info) : undefined,
		});
	}
	return {
		eventId: `whatsapp:${field}:${stableHash(entry.id, field, value)}`,
		json: compact({ ...base, event: name, ...extra, time: isoTime(entry.time) }),
	};
}

/** Every event of a `whatsapp_business_account` delivery that the selection keeps. */
export function flattenWhatsApp(body: IDataObject, selection: Selection): Flattened {
	const events: FlatEvent[] = [];
	let filteredOut = 0;
	for (const entry of asList(body.entry)) {
		const wabaId = asText(entry.id);
		const wabaAllowed =
			selection.whatsAppBusinessAccountIds.size === 0 ||
			(wabaId !== undefined && selection.whatsAppBusinessAccountIds.has(wabaId));
		for (const change of asList(entry.changes)) {
			const field = asText(change.field) ?? '';
			const value = asObject(change.value);
			const metadata = asObject(value.metadata);
			const phoneNumberId = asText(metadata.phone_number_id);
			const base: IDataObject = compact({
				source: 'whatsapp',
				whatsAppBusinessAccountId: wabaId,
				phoneNumberId,
				businessPhoneNumber: asText(metadata.display_phone_number),
				field,
			});
			const raw = selection.includeRaw ? { rawValue: value } : {};
			const candidates: Array<{
				event: TriggerEvent;
				flat: FlatEvent;
				messageType?: string;
				status?: string;
			}> = [];
			if (field === 'messages') {
				for (const message of asList(value.messages)) {
					candidates.push({
						event: 'whatsappMessages',
						flat: messageEvent(value, message, base),
						messageType: asText(message.type),
					});
				}
				for (const status of asList(value.statuses)) {
					candidates.push({
						event: 'whatsappStatuses',
						flat: statusEvent(value, status, base),
						status: asText(status.status),
					});
				}
				if (!value.messages && !value.statuses && Array.isArray(value.errors)) {
					// A system-level problem (no message, no status) reaches whoever listens to statuses.
					candidates.push({
						event: 'whatsappStatuses',
						flat: {
							eventId: `whatsapp:error:${stableHash(wabaId, value)}`,
							json: compact({ ...base, event: 'whatsapp.error', ...errorFields(value.errors) }),
						},
						status: 'failed',
					});
				}
			} else if (ACCOUNT_FIELDS[field]) {
				const { event, name } = ACCOUNT_FIELDS[field];
				candidates.push({ event, flat: accountEvent(field, name, entry, value, base) });
			} else {
				filteredOut++;
				continue;
			}
			for (const candidate of candidates) {
				const phoneAllowed =
					selection.phoneNumberIds.size === 0 ||
					phoneNumberId === undefined ||
					selection.phoneNumberIds.has(phoneNumberId);
				const keep =
					wabaAllowed &&
					phoneAllowed &&
					selection.events.has(candidate.event) &&
					(candidate.status === undefined || selection.statuses.has(candidate.status)) &&
					(candidate.messageType === undefined ||
						selection.messageTypes.size === 0 ||
						selection.messageTypes.has(candidate.messageType));
				if (!keep) {
					filteredOut++;
					continue;
				}
				events.push({ eventId: candidate.flat.eventId, json: { ...candidate.flat.json, ...raw } });
			}
		}
	}
	return { events, filteredOut };
}
