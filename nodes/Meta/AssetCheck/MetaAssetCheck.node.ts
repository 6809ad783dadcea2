import type {
	IExecuteFunctions,
	NodeConnectionType,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchInstagramAccounts, searchPages } from '../shared/methods/instagram';
import { searchPhoneNumbers, searchWhatsAppBusinessAccounts } from '../shared/methods/whatsapp';
import * as check from './actions/check';
import { router } from './actions/router';

export class MetaAssetCheck implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Meta Asset Check',
		name: 'metaAssetCheck',
		icon: {
			light: 'file:../../../icons/meta-asset-check.svg',
			dark: 'file:../../../icons/meta-asset-check.dark.svg',
		},
		group: ['input'],
		version: 1,
		subtitle:
			'={{ { checkEverything: "Check Everything", checkInstagramPublishing: "Check Instagram Publishing", checkToken: "Check Token", checkWhatsAppMessaging: "Check WhatsApp Messaging" }[$parameter["operation"]] }}',
		description:
			'Check, without changing anything, whether a Meta token, its Pages, Instagram accounts and WhatsApp numbers can publish and send, with the fix for each problem',
		defaults: {
			name: 'Meta Asset Check',
		},
		usableAsTool: true,
		// Typed as a connection list: eslint-plugin-n8n-nodes-base wants the literal 'main' and the
		// community-nodes rules want the enum; both accept a typed list of the enum value.
		inputs: [NodeConnectionTypes.Main] as NodeConnectionType[],
		outputs: `={{ $parameter.options && $parameter.options.splitOutput ? [{ "type": "main", "displayName": "Ready" }, { "type": "main", "displayName": "Not Ready" }] : [{ "type": "main" }] }}`,
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
						description: 'A System User, Page or user token pasted into the credential',
					},
					{
						name: 'OAuth2 (Facebook Login)',
						value: 'oAuth2',
						description: 'Sign in with Facebook (Facebook Login or Facebook Login for Business)',
					},
					{
						name: 'Instagram Login',
						value: 'instagramLogin',
						description:
							'Instagram API with Instagram Login (no Facebook Page; Instagram checks only)',
					},
				],
				default: 'accessToken',
			},
			check.operationField,
			...check.fields,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Expected Webhook URL',
						name: 'expectedWebhookUrl',
						type: 'string',
						default: '',
						placeholder: 'https://n8n.example.com/webhook/…/webhook',
						description:
							"Where Meta must send this account's WhatsApp webhooks (the Production URL of your Meta Trigger). The phone number's or account's override, else the app's callback URL, must equal it. Leave out to report what is configured.",
						displayOptions: {
							show: { '/operation': ['checkEverything', 'checkWhatsAppMessaging'] },
						},
					},
					{
						displayName: 'Expiry Warning (Days)',
						name: 'expiryWarningDays',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 7,
						description: 'Warn when the token or its data access expires within this many days',
					},
					{
						displayName: 'Graph Version Warning (Days)',
						name: 'versionWarningDays',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 90,
						description:
							"Warn when the credential's Graph API version stops working within this many days",
					},
					{
						displayName: 'People Messaged per Day',
						name: 'dailyRecipients',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'How many different people your workflows start WhatsApp conversations with in 24 hours. Warns when the portfolio messaging limit is lower. 0 reports the limit without judging it.',
					},
					{
						displayName: 'Split Output by Readiness',
						name: 'splitOutput',
						type: 'boolean',
						default: false,
						description:
							'Whether to send ready reports to a "Ready" output and the others to a "Not Ready" output, instead of one output',
					},
				],
			},
		],
	};

	methods = {
		listSearch: {
			searchInstagramAccounts,
			searchPages,
			searchWhatsAppBusinessAccounts,
			searchPhoneNumbers,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
