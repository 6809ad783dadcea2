/** The card (generic template) fields of Message > Send. */
import type { INodeProperties } from 'n8n-workflow';

const showCard = { show: { messageType: ['genericTemplate'] } };

export const cardFields: INodeProperties[] = [
	{
		displayName: 'Card Title',
		name: 'cardTitle',
		type: 'string',
		default: '',
		required: true,
		description: 'Up to 80 characters',
		displayOptions: showCard,
	},
	{
		displayName: 'Card Subtitle',
		name: 'cardSubtitle',
		type: 'string',
		default: '',
		description: 'Up to 80 characters',
		displayOptions: showCard,
	},
	{
		displayName: 'Card Image URL',
		name: 'cardImageUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/card.jpg',
		displayOptions: showCard,
	},
	{
		displayName: 'Card Link',
		name: 'cardDefaultUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com',
		description: 'Opened when the card itself is tapped',
		displayOptions: showCard,
	},
	{
		displayName: 'Card Buttons',
		name: 'cardButtons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Button',
		default: {},
		description: 'Up to 3 buttons',
		displayOptions: showCard,
		options: [
			{
				displayName: 'Button',
				name: 'values',
				values: [
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						default: 'web_url',
						options: [
							{ name: 'Open URL', value: 'web_url' },
							{ name: 'Postback', value: 'postback' },
						],
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'Up to 20 characters',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						displayOptions: { show: { type: ['web_url'] } },
					},
					{
						displayName: 'Payload',
						name: 'payload',
						type: 'string',
						default: '',
						description: 'Sent back in a messaging_postbacks webhook when tapped',
						displayOptions: { show: { type: ['postback'] } },
					},
				],
			},
		],
	},
];
