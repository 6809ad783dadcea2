import type { INodeProperties } from 'n8n-workflow';

/**
 * The business phone number that sends (its Phone Number ID, not the phone number itself). The
 * list shows the display number, verified name, quality rating and status of each number.
 */
export const phoneNumberLocator: INodeProperties = {
	displayName: 'Sender Phone Number',
	name: 'phoneNumberId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The business phone number to send from. The list shows each number with its verified name, quality rating and status.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a phone number...',
			typeOptions: {
				searchListMethod: 'searchPhoneNumbers',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 106540352242922',
			hint: 'The Phone Number ID from WhatsApp Manager or the App Dashboard (WhatsApp > API Setup), not the phone number',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*\\d+\\s*$',
						errorMessage: 'A Phone Number ID contains digits only',
					},
				},
			],
		},
	],
};
