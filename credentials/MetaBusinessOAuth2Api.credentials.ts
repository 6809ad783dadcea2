import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import {
	DEFAULT_GRAPH_API_VERSION,
	DEFAULT_GRAPH_BASE_URL,
} from '../nodes/Meta/shared/transport/constants';
import {
	baseUrlProperty,
	graphApiVersionProperty,
} from '../nodes/Meta/shared/transport/credentialParts';

/**
 * Permissions the three nodes use: Instagram publishing through a Page, Page discovery, business
 * portfolios, WhatsApp management and messaging. Meta grants only what the app has access to;
 * the Meta Asset Check node reports anything missing.
 */
const FACEBOOK_LOGIN_SCOPES = [
	'public_profile',
	'pages_show_list',
	'pages_read_engagement',
	'pages_manage_metadata',
	'instagram_basic',
	'instagram_content_publish',
	'business_management',
	'whatsapp_business_management',
	'whatsapp_business_messaging',
];

export class MetaBusinessOAuth2Api implements ICredentialType {
	name = 'metaBusinessOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Meta Business OAuth2 API';

	icon: Icon = { light: 'file:../icons/meta.svg', dark: 'file:../icons/meta.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-meta-business/n8n-nodes-meta-business#credentials-which-one-to-choose';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		graphApiVersionProperty(
			'Version of the Meta Graph API used for the login dialog and every request',
		),
		{
			displayName: 'Login Type',
			name: 'loginType',
			type: 'options',
			options: [
				{
					name: 'Facebook Login (Permissions)',
					value: 'scopes',
					description: 'Ask for the permissions the nodes need',
				},
				{
					name: 'Facebook Login for Business (Configuration)',
					value: 'configuration',
					description:
						'Use a configuration created under Facebook Login for Business > Configurations; it decides the permissions and assets',
				},
			],
			default: 'scopes',
		},
		{
			displayName: 'Configuration ID',
			name: 'configId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 1234567890123456',
			description:
				'ID of the Facebook Login for Business configuration (App Dashboard > Facebook Login for Business > Configurations)',
			displayOptions: {
				show: {
					loginType: ['configuration'],
				},
			},
		},
		{
			displayName: 'Additional Scopes',
			name: 'additionalScopes',
			type: 'string',
			default: '',
			placeholder: 'e.g. pages_manage_posts,ads_read',
			description: 'Comma-separated permissions to ask for on top of the ones the nodes need',
			displayOptions: {
				show: {
					loginType: ['scopes'],
				},
			},
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ "https://www.facebook.com/" + ($self["graphApiVersion"] || "${DEFAULT_GRAPH_API_VERSION}") + "/dialog/oauth" }}`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ($self["baseUrl"] || "${DEFAULT_GRAPH_BASE_URL}").replace(/\\/+$/, "") + "/" + ($self["graphApiVersion"] || "${DEFAULT_GRAPH_API_VERSION}") + "/oauth/access_token" }}`,
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: `={{ $self["loginType"] === "configuration" ? "" : "${FACEBOOK_LOGIN_SCOPES.join(' ')}" + ($self["additionalScopes"] ? " " + $self["additionalScopes"].split(",").join(" ") : "") }}`,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default:
				'={{ $self["loginType"] === "configuration" ? "config_id=" + encodeURIComponent($self["configId"] || "") + "&override_default_response_type=true" : "" }}',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
		{
			displayName: 'Use App Secret Proof',
			name: 'sendAppProof',
			type: 'boolean',
			default: false,
			description:
				'Whether to sign every request with appsecret_proof computed from the Client Secret (the app secret). Turn on when the app has "Require App Secret" enabled (App Dashboard > App settings > Advanced).',
		},
		baseUrlProperty('Graph API Base URL', DEFAULT_GRAPH_BASE_URL),
	];
}
