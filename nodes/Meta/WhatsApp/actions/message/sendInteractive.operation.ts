import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LIMITS } from '../../helpers/limits';
import { mediaReference } from '../../helpers/mediaFile';
import type { PreparedMessage } from '../../helpers/sender';
import {
	checkMaxLength,
	getOptions,
	messageDescription,
	messageOptions,
	requireValue,
	sendBuilt,
	startMessage,
} from './common';

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
				values: [
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. confirm',
						description: 'Returned in the reply webhook; unique, at most 256 characters',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. Confirm',
						description: 'The button label, at most 20 characters',
					},
				],
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
									{
										displayName: 'ID',
										name: 'id',
										type: 'string',
										default: '',
										required: true,
										description: 'Returned in the reply webhook; unique, at most 200 characters',
									},
									{
										displayName: 'Title',
										name: 'title',
										type: 'string',
										default: '',
										required: true,
										description: 'At most 24 characters',
									},
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

function fail(this: IExecuteFunctions, itemIndex: number, message: string, hint: string): never {
	throw new NodeOperationError(this.getNode(), message, { itemIndex, description: hint });
}

function buildButtons(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const buttons = ((this.getNodeParameter('buttons', itemIndex, {}) as IDataObject).button as IDataObject[]) ?? [];
	if (buttons.length === 0) {
		fail.call(this, itemIndex, 'No button defined', 'Add 1 to 3 buttons under "Buttons".');
	}
	if (buttons.length > LIMITS.buttonsMax) {
		fail.call(this, itemIndex, `${buttons.length} buttons; WhatsApp allows at most 3 reply buttons`, 'Remove buttons, or use Interactive Type "List" for up to 10 choices.');
	}
	const ids = new Set<string>();
	return {
		buttons: buttons.map((button, index) => {
			const id = String(button.id ?? '').trim();
			const title = String(button.title ?? '').trim();
			requireValue.call(this, itemIndex, id, `Button ${index + 1} ID`);
			requireValue.call(this, itemIndex, title, `Button ${index + 1} Title`);
			checkMaxLength.call(this, itemIndex, title, LIMITS.buttonTitle, `Button ${index + 1} Title`);
			checkMaxLength.call(this, itemIndex, id, LIMITS.buttonId, `Button ${index + 1} ID`);
			if (ids.has(id)) fail.call(this, itemIndex, `Two buttons have the ID '${id}'`, 'Give every button a different ID.');
			ids.add(id);
			return { type: 'reply', reply: { id, title } };
		}),
	};
}

function buildList(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const button = String(this.getNodeParameter('listButtonText', itemIndex, '')).trim();
	requireValue.call(this, itemIndex, button, 'Button Text');
	checkMaxLength.call(this, itemIndex, button, LIMITS.listButton, 'Button Text');
	const sections = ((this.getNodeParameter('sections', itemIndex, {}) as IDataObject).section as IDataObject[]) ?? [];
	if (sections.length === 0) fail.call(this, itemIndex, 'No section defined', 'Add at least one section with rows under "Sections".');
	if (sections.length > LIMITS.listSectionsMax) {
		fail.call(this, itemIndex, `${sections.length} sections; a list allows at most 10`, 'Merge sections.');
	}
	let rowCount = 0;
	const ids = new Set<string>();
	const built = sections.map((section, s) => {
		const title = String(section.title ?? '').trim();
		if (sections.length > 1) requireValue.call(this, itemIndex, title, `Section ${s + 1} Title`, 'Every section needs a title when the list has several sections.');
		checkMaxLength.call(this, itemIndex, title, LIMITS.listSectionTitle, `Section ${s + 1} Title`);
		const rows = ((section.rows as IDataObject | undefined)?.row as IDataObject[] | undefined) ?? [];
		if (rows.length === 0) fail.call(this, itemIndex, `Section ${s + 1} has no rows`, 'Add at least one row to every section.');
		return {
			...(title ? { title } : {}),
			rows: rows.map((row, r) => {
				rowCount++;
				const label = `Section ${s + 1} Row ${r + 1}`;
				const id = String(row.id ?? '').trim();
				const rowTitle = String(row.title ?? '').trim();
				const rowDescription = String(row.description ?? '').trim();
				requireValue.call(this, itemIndex, id, `${label} ID`);
				requireValue.call(this, itemIndex, rowTitle, `${label} Title`);
				checkMaxLength.call(this, itemIndex, id, LIMITS.listRowId, `${label} ID`);
				checkMaxLength.call(this, itemIndex, rowTitle, LIMITS.listRowTitle, `${label} Title`);
				checkMaxLength.call(this, itemIndex, rowDescription, LIMITS.listRowDescription, `${label} Description`);
				if (ids.has(id)) fail.call(this, itemIndex, `Two rows have the ID '${id}'`, 'Give every row a different ID.');
				ids.add(id);
				return { id, title: rowTitle, ...(rowDescription ? { description: rowDescription } : {}) };
			}),
		};
	});
	if (rowCount > LIMITS.listRowsMax) {
		fail.call(this, itemIndex, `${rowCount} rows; a list allows at most 10 rows in total`, 'Remove rows (all sections together may hold 10).');
	}
	return { button, sections: built };
}

function buildCtaUrl(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const displayText = String(this.getNodeParameter('ctaDisplayText', itemIndex, '')).trim();
	const url = String(this.getNodeParameter('ctaUrl', itemIndex, '')).trim();
	requireValue.call(this, itemIndex, displayText, 'Button Text');
	checkMaxLength.call(this, itemIndex, displayText, LIMITS.ctaDisplayText, 'Button Text');
	requireValue.call(this, itemIndex, url, 'URL');
	if (!/^https?:\/\/[^\s]+$/i.test(url)) {
		fail.call(this, itemIndex, `"URL" is not a web address: '${url}'`, 'Use a full http(s) URL, e.g. https://example.com/orders/42.');
	}
	return { name: 'cta_url', parameters: { display_text: displayText, url } };
}

/** The optional header: text, or (reply buttons only) image, video or document (reference C.3). */
function buildHeader(
	this: IExecuteFunctions,
	itemIndex: number,
	kind: string,
	options: IDataObject,
): IDataObject | undefined {
	const headerType = String(options.headerType ?? 'text') as 'text' | 'image' | 'video' | 'document';
	const headerText = String(options.headerText ?? '').trim();
	if (headerType === 'text') {
		checkMaxLength.call(this, itemIndex, headerText, LIMITS.headerText, 'Header Text');
		return headerText ? { type: 'text', text: headerText } : undefined;
	}
	if (kind !== 'button') {
		fail.call(this, itemIndex, `An ${headerType} header needs Interactive Type "Reply Buttons"`, 'Lists and call-to-action messages take a text header only: set Header Type to Text.');
	}
	if (headerText) {
		fail.call(this, itemIndex, `"Header Text" does not go with Header Type "${headerType}"`, `Remove "Header Text", or set Header Type to Text.`);
	}
	const value = String(options.headerMedia ?? '').trim();
	requireValue.call(this, itemIndex, value, 'Header Media', `An ${headerType} header needs "Header Media": a public https URL or a media ID.`);
	const media = mediaReference(value);
	if (!media) {
		return fail.call(this, itemIndex, `"Header Media" must be an https URL or a media ID: '${value}'`, 'Use a public URL (https://...) or the ID returned by Media > Upload.');
	}
	const fileName = String(options.headerFileName ?? '').trim();
	if (headerType === 'document' && fileName) media.filename = fileName;
	return { type: headerType, [headerType]: media };
}

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const { phoneNumberId, to, body } = startMessage.call(this, itemIndex, 'interactive');
	const kind = this.getNodeParameter('interactiveType', itemIndex) as 'button' | 'list' | 'ctaUrl';
	const options = getOptions.call(this, itemIndex);
	const bodyText = String(this.getNodeParameter('bodyText', itemIndex, ''));
	requireValue.call(this, itemIndex, bodyText, 'Body Text');
	checkMaxLength.call(this, itemIndex, bodyText, kind === 'list' ? LIMITS.textBody : LIMITS.buttonBody, 'Body Text');
	const header = buildHeader.call(this, itemIndex, kind, options);
	const footerText = String(options.footerText ?? '').trim();
	checkMaxLength.call(this, itemIndex, footerText, LIMITS.footer, 'Footer Text');
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
	return { itemIndex, phoneNumberId, body, summary: { to, type: 'interactive', interactiveType: interactive.type } };
}

export const execute = sendBuilt(build);
