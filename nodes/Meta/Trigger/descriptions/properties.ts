/**
 * The Meta Trigger's fields: which events, how Meta reaches this workflow (registration), filters
 * and options. Parameter names match the other nodes where they mean the same thing
 * (`wabaId`, `phoneNumberId`, `instagramAccountId`).
 */
import type { INodeProperties } from 'n8n-workflow';

import { instagramAccountLocator } from '../../shared/descriptions/instagramAccount';
import { phoneNumberLocator } from '../../shared/descriptions/phoneNumber';
import { whatsAppBusinessAccountLocator } from '../../shared/descriptions/whatsAppBusinessAccount';

export const REGISTRATIONS = [
	'none',
	'phoneNumberOverride',
	'whatsAppBusinessAccountOverride',
	'appSubscription',
	'instagramAccount',
] as const;
export type Registration = (typeof REGISTRATIONS)[number];

export const WHATSAPP_MESSAGE_TYPES = [
	'audio',
	'button',
	'contacts',
	'document',
	'image',
	'interactive',
	'location',
	'order',
	'reaction',
	'sticker',
	'system',
	'text',
	'unsupported',
	'video',
] as const;

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{
				name: 'Instagram Comments',
				value: 'instagramComments',
				description:
					'Comments and live comments on your Instagram media (with Instagram Login, @mentions in comments too)',
			},
			{
				name: 'Instagram Mentions',
				value: 'instagramMentions',
				description: '@mentions of your account in captions and comments (Facebook Login)',
			},
			{
				name: 'Instagram Messages',
				value: 'instagramMessages',
				description: 'Direct messages, reactions, postbacks, referrals, read receipts and edits',
			},
			{
				name: 'WhatsApp Account Updates',
				value: 'whatsappAccountUpdate',
				description:
					'Restrictions, violations, deletion and other changes to the WhatsApp Business Account',
			},
			{
				name: 'WhatsApp Incoming Messages',
				value: 'whatsappMessages',
				description:
					'Every message a customer sends: text, media, button and list replies, reactions, locations and more',
			},
			{
				name: 'WhatsApp Message Statuses',
				value: 'whatsappStatuses',
				description:
					'Sent, delivered, read and failed reports for messages you sent (choose which below)',
			},
			{
				name: 'WhatsApp Phone Number Name Updates',
				value: 'whatsappPhoneNumberName',
				description: 'Display name approvals and rejections',
			},
			{
				name: 'WhatsApp Phone Number Quality Updates',
				value: 'whatsappPhoneNumberQuality',
				description: 'Quality rating and messaging limit changes of your numbers',
			},
			{
				name: 'WhatsApp Template Quality Updates',
				value: 'whatsappTemplateQuality',
				description: 'Quality score changes of your message templates',
			},
			{
				name: 'WhatsApp Template Status Updates',
				value: 'whatsappTemplateStatus',
				description: 'Template approvals, rejections, pauses and disabling',
			},
		],
		default: ['whatsappMessages', 'whatsappStatuses'],
		description: 'What starts the workflow. Each message, status or update becomes one item.',
	},
	{
		displayName: 'Statuses',
		name: 'statuses',
		type: 'multiOptions',
		options: [
			{ name: 'Delivered', value: 'delivered' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Played (Voice Messages)', value: 'played' },
			{ name: 'Read', value: 'read' },
			{ name: 'Sent', value: 'sent' },
		],
		default: ['failed'],
		displayOptions: { show: { events: ['whatsappStatuses'] } },
		description:
			'Which message statuses start the workflow. Failed carries the reason (for example 131047: the 24-hour window is closed) and how to fix it.',
	},
	{
		displayName: 'Verify Token',
		name: 'verifyToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description:
			'Any text you choose. Meta sends it back when it checks the callback URL; the same text goes into the App Dashboard when you set the webhook up by hand.',
	},
	{
		displayName: 'Register Webhook',
		name: 'registration',
		type: 'options',
		options: [
			{
				name: 'App Subscription',
				value: 'appSubscription',
				description:
					"Make this workflow the app's one callback URL (every account of the app; needs App ID and App Secret in the Access Token credential)",
			},
			{
				name: 'Instagram Account',
				value: 'instagramAccount',
				description:
					'Subscribe the Instagram account (or its Facebook Page) to the app; the app-level Instagram callback is set in the App Dashboard',
			},
			{
				name: 'None (Set Up in the App Dashboard)',
				value: 'none',
				description: 'Meta is configured by hand; the node only receives',
			},
			{
				name: 'Per Phone Number (Override)',
				value: 'phoneNumberOverride',
				description:
					"Point one WhatsApp number's messages and statuses at this workflow; other numbers of the app keep their own",
			},
			{
				name: 'Per WhatsApp Business Account (Override)',
				value: 'whatsAppBusinessAccountOverride',
				description: "Point one WhatsApp Business Account's messages and statuses at this workflow",
			},
		],
		default: 'none',
		description:
			"What the node sets up at Meta when the workflow is activated, and removes when it is deactivated. Template, quality and account updates always go to the app subscription's URL, never to an override.",
	},
	{
		...whatsAppBusinessAccountLocator,
		description:
			'The WhatsApp Business Account the app is subscribed to (subscribed automatically when it is not)',
		displayOptions: {
			show: {
				registration: ['phoneNumberOverride', 'whatsAppBusinessAccountOverride', 'appSubscription'],
			},
		},
	},
	{
		...phoneNumberLocator,
		displayName: 'Phone Number',
		description: 'The business phone number whose messages and statuses come to this workflow',
		displayOptions: { show: { registration: ['phoneNumberOverride'] } },
	},
	{
		...instagramAccountLocator,
		displayOptions: { show: { registration: ['instagramAccount'] } },
	},
	{
		displayName: 'Replace Another Callback URL',
		name: 'replaceExisting',
		type: 'boolean',
		default: false,
		displayOptions: {
			show: {
				registration: ['phoneNumberOverride', 'whatsAppBusinessAccountOverride', 'appSubscription'],
			},
		},
		description:
			'Whether to take over when Meta already sends these events to another URL (another workflow or tool). Off: activation stops and names the URL in use.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Instagram Account IDs',
				name: 'instagramAccountIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 17841405726653026',
				description:
					'Only events of these Instagram accounts (IDs separated by commas). Empty: all.',
			},
			{
				displayName: 'Message Types',
				name: 'messageTypes',
				type: 'multiOptions',
				options: WHATSAPP_MESSAGE_TYPES.map((type) => ({
					name:
						type === 'button'
							? 'Button (Template Quick Reply)'
							: type.charAt(0).toUpperCase() + type.slice(1),
					value: type,
				})),
				default: [],
				description: 'Only incoming WhatsApp messages of these types. Empty: all.',
			},
			{
				displayName: 'Phone Number IDs',
				name: 'phoneNumberIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 106540352242922, 106540352242923',
				description:
					'Only events of these business phone numbers (Phone Number IDs separated by commas). Empty: all.',
			},
			{
				displayName: 'WhatsApp Business Account IDs',
				name: 'whatsAppBusinessAccountIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 102290129340398',
				description:
					'Only events of these WhatsApp Business Accounts (IDs separated by commas). Empty: all.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Download Media',
				name: 'downloadMedia',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '/events': ['whatsappMessages'] } },
				description:
					"Whether to download the file of each incoming image, video, audio, document or sticker into the item's binary field `data`. Meta gets its answer first; large files delay the start of the execution (each download gives up after 20 seconds). A failed download keeps the item, with `mediaDownloadError` instead of the file.",
			},
			{
				displayName: 'Drop Duplicates Within (Minutes)',
				name: 'duplicateWindowMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description:
					'Meta redelivers an event until it is acknowledged and may send it twice. An event seen again within this time starts nothing. 0 turns the check off.',
			},
			{
				displayName: 'Emit Rejected Deliveries',
				name: 'emitRejected',
				type: 'boolean',
				default: false,
				description:
					'Whether to add a Rejected output with a small item for every delivery refused (bad signature, wrong verify token, unknown object, duplicate), so you can alert on it. Never contains the refused body.',
			},
			{
				displayName: 'Include Raw Value',
				name: 'includeRawValue',
				type: 'boolean',
				default: false,
				description: "Whether to add Meta's original `value` of the change to each item",
			},
		],
	},
];
