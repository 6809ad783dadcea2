import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { searchInstagramAccounts } from '../shared/methods/instagram';
import { whatsAppListSearch } from '../shared/methods/whatsapp';
import { triggerProperties } from './descriptions/properties';
import { receive } from './helpers/receive';
import { checkExists, create, remove } from './helpers/registration';

export class MetaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Meta Trigger',
		name: 'metaTrigger',
		icon: { light: 'file:../../../icons/meta.svg', dark: 'file:../../../icons/meta.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).length + " event type(s)" }}',
		description:
			'Starts the workflow on WhatsApp messages and statuses, template and account updates, and Instagram comments, mentions and messages, verified with the app secret',
		defaults: {
			name: 'Meta Trigger',
		},
		inputs: [],
		outputs: `={{ $parameter.options && $parameter.options.emitRejected ? [{ "type": "main", "displayName": "Events" }, { "type": "main", "displayName": "Rejected" }] : [{ "type": "main" }] }}`,
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
			{
				name: 'metaBusinessInstagramLoginApi',
				required: true,
				displayOptions: { show: { authentication: ['instagramLogin'] } },
			},
		],
		webhooks: [
			{
				name: 'setup',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: 'webhook',
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
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
						description: 'A System User token; its App Secret verifies the webhooks',
					},
					{
						name: 'OAuth2 (Facebook Login)',
						value: 'oAuth2',
						description: "Sign in with Facebook; the app's Client Secret verifies the webhooks",
					},
					{
						name: 'Instagram Login',
						value: 'instagramLogin',
						description:
							'Instagram API with Instagram Login; the Instagram App Secret verifies the webhooks',
					},
				],
				default: 'accessToken',
			},
			{
				displayName:
					'Meta signs every delivery with the app secret: the credential must hold it. Webhooks work only with apps in Live mode.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			...triggerProperties,
		],
	};

	methods = {
		listSearch: { ...whatsAppListSearch, searchInstagramAccounts },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receive.call(this);
	}
}
