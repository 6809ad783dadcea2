import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	NodeConnectionType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { instagramAccountLocator } from '../shared/descriptions/instagramAccount';
import { searchInstagramAccounts } from '../shared/methods/instagram';
import * as account from './actions/account';
import * as container from './actions/container';
import * as post from './actions/post';
import { router } from './actions/router';

export class InstagramPublish implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Instagram Publish',
		name: 'instagramPublish',
		icon: {
			light: 'file:../../../icons/instagram.svg',
			dark: 'file:../../../icons/instagram.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle:
			'={{ { "post:publishCarousel": "Publish Carousel", "post:publishImage": "Publish Image", "post:publishReel": "Publish Reel", "post:publishStory": "Publish Story", "container:create": "Create Container", "container:getStatus": "Get Container Status", "container:publish": "Publish Container", "account:getPublishingLimit": "Get Publishing Limit" }[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description:
			'Publish images, reels, carousels and stories to Instagram professional accounts, from URLs or binary video, without ever posting twice',
		defaults: { name: 'Instagram Publish' },
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
			{
				name: 'metaBusinessInstagramLoginApi',
				required: true,
				displayOptions: { show: { authentication: ['instagramLogin'] } },
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
						description:
							'A System User, Page or long-lived user token; the Instagram account is linked to a Facebook Page',
					},
					{
						name: 'OAuth2 (Facebook Login)',
						value: 'oAuth2',
						description:
							'Sign in with Facebook; the Instagram account is linked to one of your Pages',
					},
					{
						name: 'Instagram Login',
						value: 'instagramLogin',
						description: 'An Instagram User token from Instagram Login: no Facebook Page needed',
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
					{
						name: 'Account',
						value: 'account',
						description: "The Instagram account's publishing limit",
					},
					{
						name: 'Container',
						value: 'container',
						description:
							'Create, check and publish media containers step by step (long videos, Wait loops)',
					},
					{
						name: 'Post',
						value: 'post',
						description: 'Publish in one step: create, wait until ready, publish',
					},
				],
				default: 'post',
			},
			post.operationField,
			container.operationField,
			account.operationField,
			{
				...instagramAccountLocator,
				displayOptions: {
					show: { resource: ['post', 'container', 'account'] },
					hide: { operation: ['getStatus'] },
				},
			},
			...post.fields,
			...container.fields,
			...account.fields,
		],
	};

	methods = {
		listSearch: {
			searchInstagramAccounts,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
