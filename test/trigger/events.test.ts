/**
 * One item per event, flattened, for every event type the trigger offers; batches of entries,
 * changes, messages and statuses; the event, status, message-type and account filters.
 * Deliveries come from the simulator's emitter, signed, over real HTTP.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import {
	ASYNC_STATUS_ERRORS,
	WebhookEmitter,
	accountUpdateChange,
	batchEnvelopes,
	inboundMessage,
	instagramCommentChange,
	instagramEnvelope,
	instagramMentionChange,
	instagramMessaging,
	messageStatus,
	messagesChange,
	phoneNumberNameChange,
	phoneNumberQualityChange,
	statusesChange,
	templateQualityChange,
	templateStatusChange,
	whatsappEnvelope,
} from '../../simulator/webhooks';
import type { InboundType, WebhookEnvelope } from '../../simulator/webhooks';
import { describeMetaError } from '../../nodes/Meta/shared/errors';
import {
	ALL_EVENTS,
	APP_SECRET,
	CUSTOMER,
	IG_ACCOUNT_ID,
	NUMBER_A,
	NUMBER_B,
	USERNAME_CUSTOMER,
	WABA_ID,
	credentials,
	parameters,
} from './fixtures';
import type { TriggerHarness } from './webhook-harness';
import { startTrigger } from './webhook-harness';

const emitter = new WebhookEmitter({ appSecret: APP_SECRET, maxAttempts: 1 });
let trigger: TriggerHarness | undefined;

afterEach(async () => {
	await trigger?.close();
	trigger = undefined;
});

async function itemsFor(
	envelope: WebhookEnvelope,
	overrides: Parameters<typeof parameters>[0] = {},
): Promise<INodeExecutionData[]> {
	trigger = await startTrigger({
		parameters: parameters({
			events: ALL_EVENTS,
			statuses: ['sent', 'delivered', 'read', 'failed'],
			...overrides,
		}),
		credentials: credentials(),
	});
	const result = await emitter.deliver(trigger.url, envelope);
	expect(result.lastStatus).toBe(200);
	const items = trigger.executions.flatMap((run) => run[0]);
	for (const item of items) expect(typeof item.json.eventId).toBe('string');
	return items;
}

const inbound = (type: InboundType, options = {}) =>
	whatsappEnvelope(WABA_ID, [
		messagesChange(NUMBER_A, CUSTOMER, [inboundMessage(type, CUSTOMER, options)]),
	]);

describe('WhatsApp incoming messages, one item each, flattened', () => {
	it.each([
		['text', { type: 'text', text: 'Hello' }],
		['image', { type: 'image', mediaId: 'M1', caption: 'look', mimeType: 'image/jpeg' }],
		['video', { type: 'video', mediaId: 'M1', mimeType: 'video/mp4' }],
		['audio', { type: 'audio', mediaId: 'M1', voice: false }],
		['voice', { type: 'audio', mediaId: 'M1', voice: true }],
		['document', { type: 'document', mediaId: 'M1', fileName: 'invoice.pdf' }],
		['sticker', { type: 'sticker', mediaId: 'M1', animated: false }],
		[
			'location',
			{
				type: 'location',
				latitude: 37.4611978,
				longitude: -122.2164385,
				locationName: 'Facebook HQ',
			},
		],
		[
			'contacts',
			{
				type: 'contacts',
				sharedContacts: [
					expect.objectContaining({
						name: expect.objectContaining({ formatted_name: 'Chandler Bing' }),
					}),
				],
			},
		],
		[
			'button_reply',
			{
				type: 'interactive',
				interactiveType: 'button_reply',
				replyId: 'yes',
				replyTitle: 'Yes',
				text: 'Yes',
			},
		],
		[
			'list_reply',
			{
				type: 'interactive',
				interactiveType: 'list_reply',
				replyId: 'row1',
				replyTitle: 'Row 1',
				replyDescription: 'First row',
			},
		],
		[
			'nfm_reply',
			{
				type: 'interactive',
				interactiveType: 'nfm_reply',
				flowResponseJson: '{"flow_token":"t1","answer":"v"}',
			},
		],
		['button', { type: 'button', replyId: 'STOP', replyTitle: 'Stop promotions' }],
		['reaction', { type: 'reaction', reactionMessageId: 'wamid.R', reactionEmoji: '\u{1F62E}' }],
		['unreaction', { type: 'reaction', reactionMessageId: 'wamid.R', reactionEmoji: '' }],
		['order', { type: 'order', order: expect.objectContaining({ catalog_id: '354160437058781' }) }],
		['system', { type: 'system', systemType: 'user_changed_number', newWaId: '972912345678' }],
		['unsupported', { type: 'unsupported', errorCode: 131051, errorTitle: 'Message type unknown' }],
	])('%s', async (type, expected) => {
		const items = await itemsFor(
			inbound(type as InboundType, {
				mediaId: 'M1',
				caption: type === 'image' ? 'look' : undefined,
				reactToMessageId: 'wamid.R',
			}),
		);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			event: 'whatsapp.message',
			source: 'whatsapp',
			whatsAppBusinessAccountId: WABA_ID,
			phoneNumberId: NUMBER_A.phoneNumberId,
			businessPhoneNumber: NUMBER_A.displayPhoneNumber,
			from: CUSTOMER.phone,
			fromUserId: CUSTOMER.userId,
			profileName: CUSTOMER.name,
			timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			...expected,
		});
		expect(items[0].json.eventId).toBe(`whatsapp:message:${items[0].json.messageId}`);
		expect(items[0].json).not.toHaveProperty('rawValue');
	});

	it('carries the replied-to message, forwarding, the ad referral and the raw value on request', async () => {
		const referral = {
			source_url: 'https://fb.me/ad',
			source_id: '120',
			source_type: 'ad',
			headline: 'Sale',
			ctwa_clid: 'abc',
		};
		const items = await itemsFor(
			inbound('text', { contextMessageId: 'wamid.ORIGINAL', referral }),
			{ options: { includeRawValue: true } },
		);
		expect(items[0].json).toMatchObject({ repliedToMessageId: 'wamid.ORIGINAL', referral });
		expect(items[0].json.rawValue).toMatchObject({
			messaging_product: 'whatsapp',
			messages: [expect.objectContaining({ type: 'text' })],
		});
		await trigger?.close();
		const forwarded = await itemsFor(inbound('text', { forwarded: true }));
		expect(forwarded[0].json).toMatchObject({ forwarded: true });
	});

	it('reads a username user whose phone Meta withholds (business-scoped user id)', async () => {
		const envelope = whatsappEnvelope(WABA_ID, [
			messagesChange(NUMBER_A, USERNAME_CUSTOMER, [
				inboundMessage('text', USERNAME_CUSTOMER, { text: 'Hi' }),
			]),
		]);
		const [item] = await itemsFor(envelope);
		expect(item.json).toMatchObject({
			fromUserId: USERNAME_CUSTOMER.userId,
			fromParentUserId: USERNAME_CUSTOMER.parentUserId,
			username: 'pablomorales',
			profileName: 'Pablo M.',
		});
		expect(item.json).not.toHaveProperty('from');
	});
});

describe('WhatsApp statuses', () => {
	it('flattens sent, delivered and read with pricing, recipient and the status in the event id', async () => {
		const statuses = (['sent', 'delivered', 'read'] as const).map((status) =>
			messageStatus({
				id: 'wamid.S1',
				status,
				recipient: CUSTOMER.phone,
				recipientUserId: CUSTOMER.userId,
				category: 'marketing',
				bizOpaqueCallbackData: 'order-42',
			}),
		);
		const items = await itemsFor(
			whatsappEnvelope(WABA_ID, [
				statusesChange(NUMBER_A, statuses, [{ ...CUSTOMER, username: 'sheena' }]),
			]),
		);
		expect(items.map((item) => item.json.eventId)).toEqual([
			'whatsapp:status:wamid.S1:sent',
			'whatsapp:status:wamid.S1:delivered',
			'whatsapp:status:wamid.S1:read',
		]);
		expect(items[0].json).toMatchObject({
			event: 'whatsapp.status',
			messageId: 'wamid.S1',
			status: 'sent',
			recipient: CUSTOMER.phone,
			recipientUserId: CUSTOMER.userId,
			recipientUsername: 'sheena',
			pricingCategory: 'marketing',
			pricingType: 'regular',
			pricingModel: 'PMP',
			bizOpaqueCallbackData: 'order-42',
		});
	});

	it.each(Object.keys(ASYNC_STATUS_ERRORS).map(Number))(
		"failed with %i carries Meta's code and the catalogue's title and fix",
		async (code) => {
			const [item] = await itemsFor(
				whatsappEnvelope(WABA_ID, [
					statusesChange(NUMBER_A, [
						messageStatus({
							id: 'wamid.F',
							status: 'failed',
							recipient: CUSTOMER.phone,
							errorCode: code,
						}),
					]),
				]),
			);
			const described = describeMetaError(code);
			expect(described.known).toBe(true);
			expect(item.json).toMatchObject({
				status: 'failed',
				errorCode: code,
				errorTitle: ASYNC_STATUS_ERRORS[code].title,
				errorDetails: ASYNC_STATUS_ERRORS[code].details,
				errorHint: described.title,
				errorFix: described.hint,
			});
		},
	);

	it('keeps only the statuses picked (failed by default) and starts nothing for the others', async () => {
		trigger = await startTrigger({
			parameters: parameters({ events: ['whatsappStatuses'] }),
			credentials: credentials(),
		});
		const statuses = ['sent', 'delivered', 'read', 'failed'].map((status) =>
			messageStatus({ id: 'wamid.X', status: status as 'sent', recipient: CUSTOMER.phone }),
		);
		await emitter.deliver(
			trigger.url,
			whatsappEnvelope(WABA_ID, [statusesChange(NUMBER_A, statuses.slice(0, 3))]),
		);
		expect(trigger.executions).toHaveLength(0);
		await emitter.deliver(
			trigger.url,
			whatsappEnvelope(WABA_ID, [statusesChange(NUMBER_A, statuses)]),
		);
		expect(trigger.executions).toHaveLength(1);
		expect(trigger.executions[0][0].map((item) => item.json.status)).toEqual(['failed']);
	});
});

describe('WhatsApp template, number and account updates', () => {
	it('one item per update, each with its own event name and fields', async () => {
		const envelope = whatsappEnvelope(
			WABA_ID,
			[
				templateStatusChange(
					'REJECTED',
					{ id: 1689556908129835, name: 'abandoned_cart', language: 'en' },
					'INVALID_FORMAT',
				),
				templateQualityChange({ id: 806312974732579, name: 'welcome_template' }, 'GREEN', 'YELLOW'),
				phoneNumberQualityChange('15550783881', 'THROUGHPUT_UPGRADE', 'TIER_10K'),
				phoneNumberNameChange(
					'15550783881',
					'REJECTED',
					'Lucky Shrub',
					'Name does not follow the guidelines',
				),
				accountUpdateChange('ACCOUNT_RESTRICTION', {
					restriction_info: [
						{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: 1641330498 },
					],
				}),
			],
			1751247548,
		);
		const items = await itemsFor(envelope);
		expect(items.map((item) => item.json.event)).toEqual([
			'whatsapp.templateStatus',
			'whatsapp.templateQuality',
			'whatsapp.phoneNumberQuality',
			'whatsapp.phoneNumberName',
			'whatsapp.accountUpdate',
		]);
		expect(items[0].json).toMatchObject({
			templateId: '1689556908129835',
			templateName: 'abandoned_cart',
			templateEvent: 'REJECTED',
			reason: 'INVALID_FORMAT',
			time: '2025-06-30T01:39:08.000Z',
		});
		expect(items[1].json).toMatchObject({
			previousQualityScore: 'GREEN',
			newQualityScore: 'YELLOW',
			templateName: 'welcome_template',
		});
		expect(items[2].json).toMatchObject({
			displayPhoneNumber: '15550783881',
			updateEvent: 'THROUGHPUT_UPGRADE',
			currentLimit: 'TIER_10K',
		});
		expect(items[3].json).toMatchObject({
			decision: 'REJECTED',
			requestedVerifiedName: 'Lucky Shrub',
			rejectionReason: 'Name does not follow the guidelines',
		});
		expect(items[4].json).toMatchObject({
			updateEvent: 'ACCOUNT_RESTRICTION',
			restrictions: [
				expect.objectContaining({ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING' }),
			],
		});
		expect(new Set(items.map((item) => item.json.eventId)).size).toBe(5);
	});
});

describe('Instagram comments, mentions and messages', () => {
	it('flattens comments (id or comment_id), replies, own comments and mentions', async () => {
		const envelope = instagramEnvelope(IG_ACCOUNT_ID, {
			changes: [
				instagramCommentChange({
					id: 'C1',
					text: 'Love it',
					fromId: '232323232',
					username: 'test_user',
					mediaId: 'MEDIA1',
				}),
				instagramCommentChange({
					id: 'C2',
					text: 'Thanks!',
					fromId: IG_ACCOUNT_ID,
					username: 'brand',
					mediaId: 'MEDIA1',
					parentId: 'C1',
					idKey: 'comment_id',
					self: true,
				}),
				instagramMentionChange('MEDIA2'),
				instagramMentionChange('MEDIA3', 'C9'),
			],
		});
		const items = await itemsFor(envelope);
		expect(items.map((item) => item.json.event)).toEqual([
			'instagram.comment',
			'instagram.comment',
			'instagram.mention',
			'instagram.mention',
		]);
		expect(items[0].json).toMatchObject({
			source: 'instagram',
			instagramAccountId: IG_ACCOUNT_ID,
			commentId: 'C1',
			text: 'Love it',
			fromId: '232323232',
			fromUsername: 'test_user',
			mediaId: 'MEDIA1',
			mediaProductType: 'FEED',
		});
		expect(items[0].json).not.toHaveProperty('fromSelf');
		expect(items[1].json).toMatchObject({ commentId: 'C2', parentCommentId: 'C1', fromSelf: true });
		expect(items[2].json).toMatchObject({ mentionIn: 'caption', mediaId: 'MEDIA2' });
		expect(items[3].json).toMatchObject({
			mentionIn: 'comment',
			mediaId: 'MEDIA3',
			commentId: 'C9',
		});
	});

	it('flattens messages, echoes, reactions, postbacks, story replies and read receipts (millisecond times)', async () => {
		const at = 1569262485349;
		const envelope = instagramEnvelope(
			IG_ACCOUNT_ID,
			{
				messaging: [
					instagramMessaging(
						IG_ACCOUNT_ID,
						'IGSID1',
						{ message: { mid: 'MID1', text: 'Is it in stock?' } },
						at,
					),
					instagramMessaging(
						IG_ACCOUNT_ID,
						'IGSID1',
						{
							message: {
								mid: 'MID2',
								attachments: [{ type: 'image', payload: { url: 'https://cdn.example/x.jpg' } }],
								reply_to: { story: { url: 'https://story', id: 'ST1' } },
							},
						},
						at,
					),
					instagramMessaging(
						IG_ACCOUNT_ID,
						'IGSID1',
						{ message: { mid: 'MID3', text: 'Our answer', is_echo: true } },
						at,
					),
					instagramMessaging(
						IG_ACCOUNT_ID,
						'IGSID1',
						{ reaction: { mid: 'MID1', action: 'react', reaction: 'love', emoji: '\u2764\ufe0f' } },
						at,
					),
					instagramMessaging(
						IG_ACCOUNT_ID,
						'IGSID1',
						{ postback: { mid: 'MID4', title: 'Start Chatting', payload: 'START' } },
						at,
					),
					instagramMessaging(IG_ACCOUNT_ID, 'IGSID1', { read: { mid: 'MID3' } }, at),
				],
			},
			at,
		);
		const items = await itemsFor(envelope);
		expect(items.map((item) => item.json.event)).toEqual([
			'instagram.message',
			'instagram.message',
			'instagram.messageEcho',
			'instagram.reaction',
			'instagram.postback',
			'instagram.read',
		]);
		expect(items[0].json).toMatchObject({
			messageId: 'MID1',
			text: 'Is it in stock?',
			senderId: 'IGSID1',
			recipientId: IG_ACCOUNT_ID,
			timestamp: '2019-09-23T18:14:45.349Z',
			eventId: 'instagram:message:MID1',
		});
		expect(items[1].json).toMatchObject({
			attachmentType: 'image',
			attachmentUrl: 'https://cdn.example/x.jpg',
			storyReplyId: 'ST1',
		});
		expect(items[3].json).toMatchObject({
			reaction: 'love',
			reactionEmoji: '\u2764\ufe0f',
			reactionAction: 'react',
			messageId: 'MID1',
		});
		expect(items[4].json).toMatchObject({ payload: 'START', text: 'Start Chatting' });
	});
});

describe('batches and filters', () => {
	it('a POST with several entries, changes, messages and statuses gives one item per event', async () => {
		const envelope = batchEnvelopes([
			whatsappEnvelope(WABA_ID, [
				messagesChange(NUMBER_A, CUSTOMER, [
					inboundMessage('text', CUSTOMER, { text: 'one' }),
					inboundMessage('image', CUSTOMER),
				]),
				statusesChange(NUMBER_A, [
					messageStatus({ id: 'wamid.1', status: 'delivered', recipient: CUSTOMER.phone }),
					messageStatus({
						id: 'wamid.2',
						status: 'failed',
						recipient: CUSTOMER.phone,
						errorCode: 131026,
					}),
				]),
			]),
			whatsappEnvelope('999000111', [
				messagesChange(NUMBER_B, CUSTOMER, [inboundMessage('text', CUSTOMER, { text: 'two' })]),
			]),
		]);
		const items = await itemsFor(envelope);
		expect(trigger!.executions).toHaveLength(1);
		expect(
			items.map((item) => [
				item.json.event,
				item.json.whatsAppBusinessAccountId,
				item.json.phoneNumberId,
			]),
		).toEqual([
			['whatsapp.message', WABA_ID, NUMBER_A.phoneNumberId],
			['whatsapp.message', WABA_ID, NUMBER_A.phoneNumberId],
			['whatsapp.status', WABA_ID, NUMBER_A.phoneNumberId],
			['whatsapp.status', WABA_ID, NUMBER_A.phoneNumberId],
			['whatsapp.message', '999000111', NUMBER_B.phoneNumberId],
		]);
		expect(new Set(items.map((item) => item.json.eventId)).size).toBe(5);
	});

	it('phone number, account and message type filters keep only matching events', async () => {
		const envelope = batchEnvelopes([
			whatsappEnvelope(WABA_ID, [
				messagesChange(NUMBER_A, CUSTOMER, [
					inboundMessage('text', CUSTOMER),
					inboundMessage('image', CUSTOMER),
				]),
			]),
			whatsappEnvelope(WABA_ID, [
				messagesChange(NUMBER_B, CUSTOMER, [inboundMessage('text', CUSTOMER)]),
			]),
			whatsappEnvelope('999000111', [
				messagesChange(NUMBER_A, CUSTOMER, [inboundMessage('text', CUSTOMER)]),
			]),
		]);
		const items = await itemsFor(envelope, {
			filters: {
				phoneNumberIds: ` ${NUMBER_A.phoneNumberId} `,
				whatsAppBusinessAccountIds: `${WABA_ID}, 555`,
				messageTypes: ['text'],
			},
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			type: 'text',
			phoneNumberId: NUMBER_A.phoneNumberId,
			whatsAppBusinessAccountId: WABA_ID,
		});
	});

	it('the Instagram account filter and the event choice apply to Instagram too', async () => {
		const envelope = batchEnvelopes([
			instagramEnvelope(IG_ACCOUNT_ID, {
				changes: [
					instagramCommentChange({ id: 'C1', text: 'a', fromId: '1', username: 'u', mediaId: 'M' }),
				],
			}),
			instagramEnvelope('17840000000000000', {
				changes: [
					instagramCommentChange({ id: 'C2', text: 'b', fromId: '1', username: 'u', mediaId: 'M' }),
				],
			}),
			instagramEnvelope(IG_ACCOUNT_ID, {
				messaging: [instagramMessaging(IG_ACCOUNT_ID, 'S', { message: { mid: 'M1', text: 'dm' } })],
			}),
		]);
		const items = await itemsFor(envelope, {
			events: ['instagramComments'],
			filters: { instagramAccountIds: IG_ACCOUNT_ID },
		});
		expect(items.map((item) => item.json.commentId)).toEqual(['C1']);
	});

	it("a workflow registered for one number keeps only that number's events with empty filters", async () => {
		const envelope = whatsappEnvelope(WABA_ID, [
			messagesChange(NUMBER_A, CUSTOMER, [inboundMessage('text', CUSTOMER, { text: 'for A' })]),
			messagesChange(NUMBER_B, CUSTOMER, [inboundMessage('text', CUSTOMER, { text: 'for B' })]),
		]);
		const items = await itemsFor(envelope, {
			registration: 'phoneNumberOverride',
			wabaId: { __rl: true, mode: 'id', value: WABA_ID },
			phoneNumberId: { __rl: true, mode: 'id', value: NUMBER_B.phoneNumberId },
		});
		expect(items.map((item) => item.json.text)).toEqual(['for B']);
	});
});
