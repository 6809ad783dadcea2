import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	NodeConnectionType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchInstagramAccounts } from '../shared/methods/instagram';
import * as comment from './actions/comment';
import * as insight from './actions/insight';
import * as mention from './actions/mention';
import * as message from './actions/message';
import * as post from './actions/post';
import * as privateReply from './actions/privateReply';
import { router } from './actions/router';

export class InstagramEngage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Instagram Engage',
		name: 'instagramEngage',
		icon: {
			light: 'file:../../../icons/instagram.svg',
			dark: 'file:../../../icons/instagram.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle:
			'={{ { "comment:delete": "Delete Comment", "comment:disableComments": "Disable Comments", "comment:enableComments": "Enable Comments", "comment:getMany": "Get Many Comments", "comment:hide": "Hide Comment", "comment:reply": "Reply to Comment", "comment:unhide": "Unhide Comment", "insight:getAccountInsights": "Get Account Insights", "insight:getPostInsights": "Get Post Insights", "mention:get": "Get Mention", "mention:reply": "Reply to Mention", "message:send": "Send Message", "post:getMany": "Get Many Posts", "privateReply:send": "Send Private Reply" }[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description:
			'Answer comments, send private replies and direct messages, react to mentions and read insights of Instagram professional accounts',
		defaults: { name: 'Instagram Engage' },
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
							'A System User, Page or long-lived user token. Private replies and messages need a Page or System User token.',
					},
					{
						name: 'OAuth2 (Facebook Login)',
						value: 'oAuth2',
						description:
							'Sign in with Facebook. A user token: comments, mentions, insights and posts; not private replies or messages.',
					},
					{
						name: 'Instagram Login',
						value: 'instagramLogin',
						description:
							'An Instagram User token from Instagram Login: everything except Mention > Get',
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
						name: 'Comment',
						value: 'comment',
						description: 'Read, answer, hide and delete comments; turn comments on or off',
					},
					{
						name: 'Insight',
						value: 'insight',
						description: 'Metrics of a post or of the account, one item per metric',
					},
					{
						name: 'Mention',
						value: 'mention',
						description: 'Posts and comments that @mention the account',
					},
					{
						name: 'Message',
						value: 'message',
						description: 'Direct messages to people who wrote to the account',
					},
					{
						name: 'Post',
						value: 'post',
						description: "The account's posts, to pick one for comments or insights",
					},
					{
						name: 'Private Reply',
						value: 'privateReply',
						description: 'Answer a comment with a direct message',
					},
				],
				default: 'comment',
			},
			comment.operationField,
			privateReply.operationField,
			mention.operationField,
			message.operationField,
			insight.operationField,
			post.operationField,
			...comment.fields,
			...privateReply.fields,
			...mention.fields,
			...message.fields,
			...insight.fields,
			...post.fields,
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
