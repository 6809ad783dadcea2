import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readOption, readText } from '../../../shared/parameters';
import { LIMITS } from '../../helpers/limits';
import type { PreparedMessage } from '../../helpers/sender';
import { buildButtons, buildCtaUrl, buildHeader, buildList, choiceFields } from './interactive';
import { getOptions, messageDescription, messageOptions, optionText, startMessage } from './shared';

const INTERACTIVE_TYPES = ['button', 'list', 'ctaUrl'] as const;

const fields: INodeProperties[] = [
	{
		displayName: 'Interactive Type',
		name: 'interactiveType',
		type: 'options',
		default: 'button',
		options: [
			{
				name: 'Call-to-Action URL',
				value: 'ctaUrl',
				description: 'One button that opens a web page',
			},
			{ name: 'List', value: 'list', description: 'A menu of up to 10 rows in sections' },
			{ name: 'Reply Buttons', value: 'button', description: 'Up to 3 quick-reply buttons' },
		],
	},
	{
		displayName: 'Body Text',
		name: 'bodyText',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 3 },
		description: 'The message text (1,024 characters; 4,096 for lists)',
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		default: {},
		placeholder: 'Add Button',
		typeOptions: { multipleValues: true },
		description: 'Up to 3 buttons; the user’s reply carries the button’s ID',
		displayOptions: { show: { interactiveType: ['button'] } },
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: choiceFields({
					idDescription: 'Returned in the reply webhook; unique, at most 256 characters',
					idPlaceholder: 'e.g. confirm',
					titleDescription: 'The button label, at most 20 characters',
					titlePlaceholder: 'e.g. Confirm',
				}),
			},
		],
	},
	{
		displayName: 'Button Text',
		name: 'listButtonText',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Choose',
		description: 'The label of the button that opens the list, at most 20 characters',
		displayOptions: { show: { interactiveType: ['list'] } },
	},
	{
		displayName: 'Sections',
		name: 'sections',
		type: 'fixedCollection',
		default: {},
		placeholder: 'Add Section',
		typeOptions: { multipleValues: true },
		description: 'Up to 10 sections with 10 rows in total',
		displayOptions: { show: { interactiveType: ['list'] } },
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'At most 24 characters; required when there are several sections',
					},
					{
						displayName: 'Rows',
						name: 'rows',
						type: 'fixedCollection',
						default: {},
						placeholder: 'Add Row',
						typeOptions: { multipleValues: true },
						options: [
							{
								displayName: 'Row',
								name: 'row',
								values: [
									...choiceFields({
										idDescription: 'Returned in the reply webhook; unique, at most 200 characters',
										titleDescription: 'At most 24 characters',
									}),
									{
										displayName: 'Description',
										name: 'description',
										type: 'string',
										default: '',
										description: 'At most 72 characters',
									},
								],
							},
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Button Text',
		name: 'ctaDisplayText',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Track order',
		description: 'The button label, at most 20 characters',
		displayOptions: { show: { interactiveType: ['ctaUrl'] } },
	},
	{
		displayName: 'URL',
		name: 'ctaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/orders/42',
		displayOptions: { show: { interactiveType: ['ctaUrl'] } },
	},
];

const optionsCollection = messageOptions([
	{
		displayName: 'Footer Text',
		name: 'footerText',
		type: 'string',
		default: '',
		description: 'Small text under the body, at most 60 characters',
	},
	{
		displayName: 'Header File Name',
		name: 'headerFileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. menu.pdf',
		description: 'The name the recipient sees for a document header',
	},
	{
		displayName: 'Header Media',
		name: 'headerMedia',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/menu.jpg',
		description:
			'For an image, video or document header: a public https URL that Meta downloads, or a media ID from Media > Upload',
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		description: 'A bold title above the body, at most 60 characters',
	},
	{
		displayName: 'Header Type',
		name: 'headerType',
		type: 'options',
		default: 'text',
		description: 'What the header shows; image, video and document headers need Reply Buttons',
		options: [
			{ name: 'Document', value: 'document' },
			{ name: 'Image', value: 'image' },
			{ name: 'Text', value: 'text' },
			{ name: 'Video', value: 'video' },
		],
	},
]);

export const description = messageDescription('sendInteractive', fields, optionsCollection);

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const { phoneNumberId, to, body } = startMessage.call(this, itemIndex, 'interactive');
	const kind = readOption.call(
		this,
		'interactiveType',
		itemIndex,
		'Interactive Type',
		INTERACTIVE_TYPES,
		'button',
	);
	const options = getOptions.call(this, itemIndex);
	const bodyText = readText.call(this, 'bodyText', itemIndex, 'Body Text', {
		required: true,
		trim: false,
		maxLength: kind === 'list' ? LIMITS.textBody : LIMITS.buttonBody,
	});
	const header = buildHeader.call(this, itemIndex, kind, options);
	const footerText = optionText.call(this, itemIndex, options, 'footerText', 'Footer Text', {
		maxLength: LIMITS.footer,
	});
	const action =
		kind === 'button'
			? buildButtons.call(this, itemIndex)
			: kind === 'list'
				? buildList.call(this, itemIndex)
				: buildCtaUrl.call(this, itemIndex);
	const interactive: IDataObject = {
		type: kind === 'ctaUrl' ? 'cta_url' : kind,
		body: { text: bodyText },
		action,
	};
	if (header) interactive.header = header;
	if (footerText) interactive.footer = { text: footerText };
	body.interactive = interactive;
	return {
		itemIndex,
		phoneNumberId,
		body,
		summary: { to, type: 'interactive', interactiveType: interactive.type },
	};
}
