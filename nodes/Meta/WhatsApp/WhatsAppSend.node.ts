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
		icon: {
			light: 'file:../../../icons/whatsapp.svg',
			dark: 'file:../../../icons/whatsapp.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle:
			'={{ { "message:markAsRead": "Mark as Read", "message:sendContacts": "Send Contacts", "message:sendInteractive": "Send Interactive", "message:sendLocation": "Send Location", "message:sendMedia": "Send Media", "message:sendReaction": "Send Reaction", "message:sendTemplate": "Send Template", "message:sendText": "Send Text", "media:delete": "Delete Media", "media:download": "Download Media", "media:get": "Get Media", "media:upload": "Upload Media", "template:getMany": "Get Many Templates" }[$parameter["resource"] + ":" + $parameter["operation"]] }}',
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
						name: 'Access Token',
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
			message.operationField,
			media.operationField,
			template.operationField,
			...message.fields,
			...media.fields,
			...template.fields,
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
