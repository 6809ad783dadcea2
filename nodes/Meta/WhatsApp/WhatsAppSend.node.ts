import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	NodeConnectionType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { whatsAppListSearch } from '../shared/methods/whatsapp';
import * as media from './actions/media';
import * as message from './actions/message';
import { router } from './actions/router';
import * as template from './actions/template';
import { getTemplateFields } from './helpers/templates';

export class WhatsAppSend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Send',
		name: 'whatsAppSend',
		icon: { light: 'file:../../../icons/whatsapp.svg', dark: 'file:../../../icons/whatsapp.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send WhatsApp messages (text, templates, media, buttons, lists, locations, contacts, reactions) with the WhatsApp Cloud API, in bulk at Meta’s throughput',
		defaults: { name: 'WhatsApp Send' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main] as NodeConnectionType[],
		outputs: [NodeConnectionTypes.Main] as NodeConnectionType[],
		credentials: [
			{
				name: 'metaBusinessAccessTokenApi',
				required: true,
				displayOptions: { show: { authentication: ['accessToken'] } },
			},
			{
				name: 'metaBusinessOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{
						name: 'Access Token (System User)',
						value: 'accessToken',
						description: 'A System User token of your own business (no login needed)',
					},
					{
						name: 'OAuth2 (Facebook Login)',
						value: 'oAuth2',
						description: "Facebook Login (for Business), e.g. to send from your customers' numbers",
					},
				],
				default: 'accessToken',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Media', value: 'media' },
					{ name: 'Message', value: 'message' },
					{ name: 'Template', value: 'template' },
				],
				default: 'message',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['message'] } },
				options: [
					{
						name: 'Mark as Read',
						value: 'markAsRead',
						description: 'Mark a received message as read, optionally showing the typing indicator',
						action: 'Mark a message as read',
					},
					{
						name: 'Send Contacts',
						value: 'sendContacts',
						description: 'Send one or more contact cards',
						action: 'Send contacts',
					},
					{
						name: 'Send Interactive',
						value: 'sendInteractive',
						description: 'Send reply buttons, a list or a call-to-action URL button',
						action: 'Send an interactive message',
					},
					{
						name: 'Send Location',
						value: 'sendLocation',
						description: 'Send a map pin',
						action: 'Send a location',
					},
					{
						name: 'Send Media',
						value: 'sendMedia',
						description: 'Send an image, video, audio, document or sticker',
						action: 'Send media',
					},
					{
						name: 'Send Reaction',
						value: 'sendReaction',
						description: 'React to a message with an emoji',
						action: 'Send a reaction',
					},
					{
						name: 'Send Template',
						value: 'sendTemplate',
						description: 'Send an approved message template (works outside the 24-hour window)',
						action: 'Send a template',
					},
					{
						name: 'Send Text',
						value: 'sendText',
						description: 'Send a text message',
						action: 'Send a text message',
					},
				],
				default: 'sendText',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['media'] } },
				options: [
					{
						name: 'Delete',
						value: 'delete',
						description: 'Delete an uploaded media file',
						action: 'Delete media',
					},
					{
						name: 'Download',
						value: 'download',
						description: 'Download a media file to binary data',
						action: 'Download media',
					},
					{
						name: 'Get',
						value: 'get',
						description: 'Get the URL and metadata of a media file',
						action: 'Get media',
					},
					{
						name: 'Upload',
						value: 'upload',
						description: 'Upload a file to send it later by its media ID',
						action: 'Upload media',
					},
				],
				default: 'upload',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['template'] } },
				options: [
					{
						name: 'Get Many',
						value: 'getMany',
						description: 'List the message templates of a WhatsApp Business Account',
						action: 'Get many templates',
					},
				],
				default: 'getMany',
			},
			...message.sendText.description,
			...message.sendTemplate.description,
			...message.sendMedia.description,
			...message.sendInteractive.description,
			...message.sendLocation.description,
			...message.sendContacts.description,
			...message.sendReaction.description,
			...message.markAsRead.description,
			...media.upload.description,
			...media.get.description,
			...media.download.description,
			...media.delete.description,
			...template.getMany.description,
		],
	};

	methods = {
		listSearch: whatsAppListSearch,
		resourceMapping: { getTemplateFields },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
