import type { INodeProperties } from 'n8n-workflow';

/** A Facebook Page the user manages. Same parameter name (`pageId`) in every node. */
export const pageLocator: INodeProperties = {
	displayName: 'Facebook Page',
	name: 'pageId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A Facebook Page you manage (listed from /me/accounts)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a Page...',
			typeOptions: {
				searchListMethod: 'searchPages',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 104927225532561',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[0-9]{5,}$',
						errorMessage: 'A Page ID is a number, e.g. 104927225532561',
					},
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://www.facebook.com/104927225532561',
			extractValue: {
				type: 'regex',
				regex: 'facebook\\.com/(?:profile\\.php\\?id=)?([0-9]{5,})',
			},
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '.*facebook\\.com/(?:profile\\.php\\?id=)?[0-9]{5,}.*',
						errorMessage: 'Use a Page URL that contains the numeric Page ID',
					},
				},
			],
		},
	],
};
