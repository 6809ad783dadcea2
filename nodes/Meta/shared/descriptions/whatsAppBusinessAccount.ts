import type { INodeProperties } from 'n8n-workflow';

/**
 * The WhatsApp Business Account (WABA) picker. Listed from the business portfolios the token can
 * see (needs business_management); By ID always works.
 */
export const whatsAppBusinessAccountLocator: INodeProperties = {
	displayName: 'WhatsApp Business Account',
	name: 'wabaId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The WhatsApp Business Account that owns the phone number and the message templates',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a WhatsApp Business Account...',
			typeOptions: {
				searchListMethod: 'searchWhatsAppBusinessAccounts',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 102290129340398',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*\\d+\\s*$',
						errorMessage: 'A WhatsApp Business Account ID contains digits only',
					},
				},
			],
		},
	],
};
