/**
 * Builders of Meta webhook payloads, in the shapes Meta documents:
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_status_update
 * https://developers.facebook.com/docs/instagram-platform/webhooks/examples
 */
import { randomBytes } from 'crypto';

export type Json = Record<string, unknown>;

export interface WebhookChange {
	field: string;
	value: Json;
}

export interface WebhookEntry {
	id: string;
	time?: number;
	changes?: WebhookChange[];
	messaging?: Json[];
}

export interface WebhookEnvelope {
	object: string;
	entry: WebhookEntry[];
}

let counter = 0;
/** A wamid-looking id, unique per process. */
export function newWamid(): string {
	counter++;
	return `wamid.SIM${Date.now().toString(36)}${counter.toString(36)}${randomBytes(4).toString('hex')}`;
}

const nowSeconds = (): string => String(Math.floor(Date.now() / 1000));

// ---- Envelopes -----------------------------------------------------------------------------

export function whatsappEnvelope(
	wabaId: string,
	changes: WebhookChange[],
	time?: number,
): WebhookEnvelope {
	return {
		object: 'whatsapp_business_account',
		entry: [{ id: wabaId, ...(time !== undefined ? { time } : {}), changes }],
	};
}

export function instagramEnvelope(
	accountId: string,
	parts: { changes?: WebhookChange[]; messaging?: Json[] },
	time = Math.floor(Date.now() / 1000),
): WebhookEnvelope {
	return { object: 'instagram', entry: [{ id: accountId, time, ...parts }] };
}

/** Several deliveries of the same object as one POST (Meta batches up to 1000 updates). */
export function batchEnvelopes(envelopes: WebhookEnvelope[]): WebhookEnvelope {
	if (envelopes.length === 0) throw new Error('batchEnvelopes: nothing to batch');
	const object = envelopes[0].object;
	if (envelopes.some((envelope) => envelope.object !== object)) {
		throw new Error('batchEnvelopes: Meta batches one object per POST');
	}
	return { object, entry: envelopes.flatMap((envelope) => envelope.entry) };
}

// ---- WhatsApp: messages ----------------------------------------------------------------------

export interface Sender {
	/** Phone (wa_id); omitted for a username user whose phone Meta withholds. */
	phone?: string;
	/** Business-scoped user id (BSUID), e.g. US.13491208655302741918. */
	userId?: string;
	parentUserId?: string;
	name?: string;
	username?: string;
}

export interface BusinessNumber {
	phoneNumberId: string;
	displayPhoneNumber: string;
}

export type InboundType =
	| 'text'
	| 'image'
	| 'video'
	| 'audio'
	| 'voice'
	| 'document'
	| 'sticker'
	| 'location'
	| 'contacts'
	| 'button_reply'
	| 'list_reply'
	| 'nfm_reply'
	| 'button'
	| 'reaction'
	| 'unreaction'
	| 'order'
	| 'system'
	| 'unsupported';

export interface InboundOptions {
	id?: string;
	timestamp?: string;
	text?: string;
	mediaId?: string;
	caption?: string;
	replyId?: string;
	replyTitle?: string;
	reactToMessageId?: string;
	emoji?: string;
	/** The business message this one replies to (context.id). */
	contextMessageId?: string;
	forwarded?: boolean;
	referral?: Json;
}

function mediaObject(mimeType: string, options: InboundOptions, extra: Json = {}): Json {
	return {
		...(options.caption !== undefined ? { caption: options.caption } : {}),
		mime_type: mimeType,
		sha256: randomBytes(16).toString('base64'),
		id: options.mediaId ?? String(1_000_000_000 + counter++),
		...extra,
	};
}

/** The type-specific part of an inbound message (`{ type, <type>: {...} }`). */
function inboundContent(type: InboundType, options: InboundOptions): Json {
	switch (type) {
		case 'text':
			return { type: 'text', text: { body: options.text ?? 'Hello' } };
		case 'image':
			return { type: 'image', image: mediaObject('image/jpeg', options) };
		case 'video':
			return { type: 'video', video: mediaObject('video/mp4', options) };
		case 'audio':
			return {
				type: 'audio',
				audio: mediaObject('audio/ogg; codecs=opus', options, { voice: false }),
			};
		case 'voice':
			return {
				type: 'audio',
				audio: mediaObject('audio/ogg; codecs=opus', options, { voice: true }),
			};
		case 'document':
			return {
				type: 'document',
				document: mediaObject('application/pdf', options, { filename: 'invoice.pdf' }),
			};
		case 'sticker':
			return { type: 'sticker', sticker: mediaObject('image/webp', options, { animated: false }) };
		case 'location':
			return {
				type: 'location',
				location: {
					latitude: 37.4611978,
					longitude: -122.2164385,
					name: 'Facebook HQ',
					address: '1 Hacker Way, Menlo Park, CA 94025',
				},
			};
		case 'contacts':
			return {
				type: 'contacts',
				contacts: [
					{
						name: { first_name: 'Chandler', last_name: 'Bing', formatted_name: 'Chandler Bing' },
						phones: [{ phone: '+1 555-555-5555', wa_id: '15555555555', type: 'CELL' }],
					},
				],
			};
		case 'button_reply':
			return {
				type: 'interactive',
				interactive: {
					type: 'button_reply',
					button_reply: { id: options.replyId ?? 'yes', title: options.replyTitle ?? 'Yes' },
				},
			};
		case 'list_reply':
			return {
				type: 'interactive',
				interactive: {
					type: 'list_reply',
					list_reply: {
						id: options.replyId ?? 'row1',
						title: options.replyTitle ?? 'Row 1',
						description: 'First row',
					},
				},
			};
		case 'nfm_reply':
			return {
				type: 'interactive',
				interactive: {
					type: 'nfm_reply',
					nfm_reply: {
						response_json: '{"flow_token":"t1","answer":"v"}',
						body: 'Sent',
						name: 'flow',
					},
				},
			};
		case 'button':
			return {
				type: 'button',
				button: {
					payload: options.replyId ?? 'STOP',
					text: options.replyTitle ?? 'Stop promotions',
				},
			};
		case 'reaction':
			return {
				type: 'reaction',
				reaction: {
					message_id: options.reactToMessageId ?? newWamid(),
					emoji: options.emoji ?? '\u{1F62E}',
				},
			};
		case 'unreaction':
			return {
				type: 'reaction',
				reaction: { message_id: options.reactToMessageId ?? newWamid(), emoji: '' },
			};
		case 'order':
			return {
				type: 'order',
				order: {
					catalog_id: '354160437058781',
					text: '',
					product_items: [
						{ product_retailer_id: 'SKU1', quantity: 3, item_price: 30, currency: 'EUR' },
					],
				},
			};
		case 'system':
			return {
				type: 'system',
				system: {
					body: 'User A changed from 972987654321 to 972912345678',
					wa_id: '972912345678',
					type: 'user_changed_number',
				},
			};
		case 'unsupported':
			return {
				type: 'unsupported',
				unsupported: { type: 'pool' },
				errors: [
					{
						code: 131051,
						title: 'Message type unknown',
						message: 'Message type unknown',
						error_data: { details: 'Message type is currently not supported.' },
					},
				],
			};
	}
}

/** One inbound message (`value.messages[]` entry). */
export function inboundMessage(
	type: InboundType,
	sender: Sender,
	options: InboundOptions = {},
): Json {
	return {
		...(sender.phone ? { from: sender.phone } : {}),
		...(sender.userId ? { from_user_id: sender.userId } : {}),
		...(sender.parentUserId ? { from_parent_user_id: sender.parentUserId } : {}),
		id: options.id ?? newWamid(),
		timestamp: options.timestamp ?? nowSeconds(),
		...(options.contextMessageId || options.forwarded
			? {
					context: options.contextMessageId
						? { from: '15550783881', id: options.contextMessageId }
						: { forwarded: true },
				}
			: {}),
		...(options.referral ? { referral: options.referral } : {}),
		...inboundContent(type, options),
	};
}

function contactOf(sender: Sender): Json {
	return {
		profile: {
			name: sender.name ?? 'Sheena Nelson',
			...(sender.username ? { username: sender.username } : {}),
		},
		...(sender.phone ? { wa_id: sender.phone } : {}),
		...(sender.userId ? { user_id: sender.userId } : {}),
		...(sender.parentUserId ? { parent_user_id: sender.parentUserId } : {}),
	};
}

/** A `messages` change carrying inbound messages from one sender. */
export function messagesChange(
	number: BusinessNumber,
	sender: Sender,
	messages: Json[],
): WebhookChange {
	return {
		field: 'messages',
		value: {
			messaging_product: 'whatsapp',
			metadata: {
				display_phone_number: number.displayPhoneNumber,
				phone_number_id: number.phoneNumberId,
			},
			contacts: [contactOf(sender)],
			messages,
		},
	};
}

// ---- WhatsApp: statuses --------------------------------------------------------------------

/** Meta's asynchronous failures, as they arrive in `failed` statuses. */
export const ASYNC_STATUS_ERRORS: Record<number, { title: string; details: string }> = {
	131026: {
		title: 'Message undeliverable',
		details: 'Message failed to send because the recipient could not receive it.',
	},
	131047: {
		title: 'Re-engagement message',
		details:
			'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
	},
	131049: {
		title: 'Meta chose not to deliver.',
		details: 'This message was not delivered to maintain healthy ecosystem engagement.',
	},
	131050: {
		title:
			'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
		details: 'The user has stopped marketing messages.',
	},
	131053: {
		title: 'Media upload error',
		details: 'Unable to upload the media used in the message.',
	},
};

export interface StatusOptions {
	id: string;
	status: 'sent' | 'delivered' | 'read' | 'failed' | 'played';
	recipient?: string;
	recipientUserId?: string;
	timestamp?: string;
	category?: string;
	/** For `failed`: one of ASYNC_STATUS_ERRORS (default 131047). */
	errorCode?: number;
	bizOpaqueCallbackData?: string;
}

export function messageStatus(options: StatusOptions): Json {
	const failed = options.status === 'failed';
	const code = options.errorCode ?? 131047;
	const error = ASYNC_STATUS_ERRORS[code] ?? { title: `Error ${code}`, details: '' };
	return {
		id: options.id,
		status: options.status,
		timestamp: options.timestamp ?? nowSeconds(),
		...(options.recipient ? { recipient_id: options.recipient } : {}),
		...(options.recipientUserId ? { recipient_user_id: options.recipientUserId } : {}),
		...(options.bizOpaqueCallbackData
			? { biz_opaque_callback_data: options.bizOpaqueCallbackData }
			: {}),
		...(!failed && options.status !== 'read'
			? {
					pricing: {
						billable: true,
						pricing_model: 'PMP',
						type: 'regular',
						category: options.category ?? 'utility',
					},
				}
			: {}),
		...(failed
			? {
					errors: [
						{
							code,
							title: error.title,
							message: error.title,
							error_data: { details: error.details },
							href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
						},
					],
				}
			: {}),
	};
}

/** A `messages` change carrying statuses (failed ones carry no contacts, as Meta sends them). */
export function statusesChange(
	number: BusinessNumber,
	statuses: Json[],
	contacts: Sender[] = [],
): WebhookChange {
	const allFailed = statuses.every((status) => status.status === 'failed');
	return {
		field: 'messages',
		value: {
			messaging_product: 'whatsapp',
			metadata: {
				display_phone_number: number.displayPhoneNumber,
				phone_number_id: number.phoneNumberId,
			},
			...(contacts.length && !allFailed ? { contacts: contacts.map(contactOf) } : {}),
			statuses,
		},
	};
}

// ---- WhatsApp: templates and account ----------------------------------------------------------

export function templateStatusChange(
	event: string,
	template: { id: number; name: string; language?: string; category?: string },
	reason: string | null = 'NONE',
): WebhookChange {
	return {
		field: 'message_template_status_update',
		value: {
			event,
			message_template_id: template.id,
			message_template_name: template.name,
			message_template_language: template.language ?? 'en_US',
			reason,
			message_template_category: template.category ?? 'MARKETING',
		},
	};
}

export function templateQualityChange(
	template: { id: number; name: string; language?: string },
	previous: string,
	next: string,
): WebhookChange {
	return {
		field: 'message_template_quality_update',
		value: {
			previous_quality_score: previous,
			new_quality_score: next,
			message_template_id: template.id,
			message_template_name: template.name,
			message_template_language: template.language ?? 'en_US',
		},
	};
}

export function phoneNumberQualityChange(
	displayPhoneNumber: string,
	event = 'THROUGHPUT_UPGRADE',
	currentLimit = 'TIER_10K',
): WebhookChange {
	return {
		field: 'phone_number_quality_update',
		value: { display_phone_number: displayPhoneNumber, event, current_limit: currentLimit },
	};
}

export function phoneNumberNameChange(
	displayPhoneNumber: string,
	decision: 'APPROVED' | 'REJECTED',
	requestedName: string,
	rejectionReason?: string,
): WebhookChange {
	return {
		field: 'phone_number_name_update',
		value: {
			display_phone_number: displayPhoneNumber,
			decision,
			requested_verified_name: requestedName,
			...(rejectionReason ? { rejection_reason: rejectionReason } : {}),
		},
	};
}

export function accountUpdateChange(event: string, extra: Json = {}): WebhookChange {
	return { field: 'account_update', value: { event, ...extra } };
}

// ---- Instagram -----------------------------------------------------------------------------

export function instagramCommentChange(options: {
	id: string;
	text: string;
	fromId: string;
	username: string;
	mediaId: string;
	parentId?: string;
	idKey?: 'id' | 'comment_id';
	self?: boolean;
}): WebhookChange {
	return {
		field: 'comments',
		value: {
			from: {
				id: options.fromId,
				username: options.username,
				...(options.self ? { self_ig_scoped_id: options.fromId } : {}),
			},
			[options.idKey ?? 'id']: options.id,
			...(options.parentId ? { parent_id: options.parentId } : {}),
			text: options.text,
			media: { id: options.mediaId, media_product_type: 'FEED' },
		},
	};
}

export function instagramMentionChange(mediaId: string, commentId?: string): WebhookChange {
	return {
		field: 'mentions',
		value: { ...(commentId ? { comment_id: commentId } : {}), media_id: mediaId },
	};
}

/** One `messaging[]` event (times in milliseconds). `kind` picks the event. */
export function instagramMessaging(
	accountId: string,
	senderId: string,
	kind:
		| { message: Json }
		| { reaction: Json }
		| { postback: Json }
		| { read: Json }
		| { referral: Json },
	timestamp = Date.now(),
): Json {
	return { sender: { id: senderId }, recipient: { id: accountId }, timestamp, ...kind };
}

/**
 * The statuses Meta reports after a send, in order: sent then delivered then read, or sent then
 * failed with an asynchronous error (131047 and 131053 are asynchronous: the send answered 200).
 * `read` alone (no `delivered`) is what Meta sends when both happen at once.
 */
export function statusProgression(
	id: string,
	recipient: string,
	outcome: 'sent' | 'delivered' | 'read' | 'readOnly' | { failed: number },
	options: Partial<StatusOptions> = {},
): Json[] {
	const make = (status: StatusOptions['status'], extra: Partial<StatusOptions> = {}) =>
		messageStatus({ ...options, id, recipient, status, ...extra });
	if (typeof outcome === 'object')
		return [make('sent'), make('failed', { errorCode: outcome.failed })];
	if (outcome === 'sent') return [make('sent')];
	if (outcome === 'delivered') return [make('sent'), make('delivered')];
	if (outcome === 'readOnly') return [make('sent'), make('read')];
	return [make('sent'), make('delivered'), make('read')];
}
