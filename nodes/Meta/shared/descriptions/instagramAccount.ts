import type { INodeProperties } from 'n8n-workflow';

/**
 * The Instagram professional account a call acts on. Same parameter name (`instagramAccountId`)
 * in every node, so switching operation or node keeps the user's choice.
 */
export const instagramAccountLocator: INodeProperties = {
	displayName: 'Instagram Account',
	name: 'instagramAccountId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The Instagram professional account (Business or Creator). With Facebook Login it must be linked to one of your Facebook Pages; with Instagram Login it is the account that signed in.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an account...',
			typeOptions: {
				searchListMethod: 'searchInstagramAccounts',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 17841400008460056',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[0-9]{5,}$',
						errorMessage: 'An Instagram account ID is a number, e.g. 17841400008460056',
					},
				},
			],
		},
	],
};
