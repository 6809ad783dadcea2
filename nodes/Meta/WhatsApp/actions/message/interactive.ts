import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	collectionValue,
	expectList,
	expectObject,
	expectOption,
	readCollection,
	readText,
} from '../../../shared/parameters';
import { LIMITS } from '../../helpers/limits';
import { mediaReference } from '../../helpers/mediaFile';
import { optionText } from './shared';

/**
 * Builders of Send Interactive's parts; every limit is checked before sending
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-cta-url-messages).
 */

/** The ID and Title fields of a reply button or a list row. */
export function choiceFields(text: {
	idDescription: string;
	titleDescription: string;
	idPlaceholder?: string;
	titlePlaceholder?: string;
}): INodeProperties[] {
	const field = (
		displayName: string,
		name: string,
		description: string,
		placeholder?: string,
	): INodeProperties => ({
		displayName,
		name,
		type: 'string',
		default: '',
		required: true,
		...(placeholder ? { placeholder } : {}),
		description,
	});
	return [
		field('ID', 'id', text.idDescription, text.idPlaceholder),
		field('Title', 'title', text.titleDescription, text.titlePlaceholder),
	];
}

function fail(this: IExecuteFunctions, itemIndex: number, message: string, hint: string): never {
	throw new NodeOperationError(this.getNode(), message, { itemIndex, description: hint });
}

/** A button's or row's ID and title: both present, within limits, the ID unique among `ids`. */
function readChoice(
	this: IExecuteFunctions,
	itemIndex: number,
	entry: IDataObject,
	label: string,
	ids: Set<string>,
	limits: { idMax: number; titleMax: number; duplicate: [plural: string, singular: string] },
): { id: string; title: string } {
	const id = optionText.call(this, itemIndex, entry, 'id', `${label} ID`, {
		required: true,
		maxLength: limits.idMax,
	});
	const title = optionText.call(this, itemIndex, entry, 'title', `${label} Title`, {
		required: true,
		maxLength: limits.titleMax,
	});
	const [plural, singular] = limits.duplicate;
	if (ids.has(id)) {
		fail.call(
			this,
			itemIndex,
			`Two ${plural} have the ID '${id.slice(0, 40)}'`,
			`Give every ${singular} a different ID.`,
		);
	}
	ids.add(id);
	return { id, title };
}

/** The entries of a fixed collection (`parameter.key`), each checked to be a set of fields. */
function entries(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string,
): IDataObject[] {
	const node = this.getNode();
	return expectList(node, value, { label, itemIndex }).map((entry, index) =>
		expectObject(node, entry, { label: `${label} ${index + 1}`, itemIndex }),
	);
}

export function buildButtons(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const buttons = entries.call(
		this,
		itemIndex,
		readCollection.call(this, 'buttons', itemIndex, 'Buttons').button,
		'Button',
	);
	if (buttons.length === 0) {
		fail.call(this, itemIndex, 'No button defined', 'Add 1 to 3 buttons under "Buttons".');
	}
	if (buttons.length > LIMITS.buttonsMax) {
		fail.call(
			this,
			itemIndex,
			`${buttons.length} buttons; WhatsApp allows at most 3 reply buttons`,
			'Remove buttons, or use Interactive Type "List" for up to 10 choices.',
		);
	}
	const ids = new Set<string>();
	return {
		buttons: buttons.map((button, index) => {
			const { id, title } = readChoice.call(this, itemIndex, button, `Button ${index + 1}`, ids, {
				idMax: LIMITS.buttonId,
				titleMax: LIMITS.buttonTitle,
				duplicate: ['buttons', 'button'],
			});
			return { type: 'reply', reply: { id, title } };
		}),
	};
}

export function buildList(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const button = readText.call(this, 'listButtonText', itemIndex, 'Button Text', {
		required: true,
		maxLength: LIMITS.listButton,
	});
	const sections = entries.call(
		this,
		itemIndex,
		readCollection.call(this, 'sections', itemIndex, 'Sections').section,
		'Section',
	);
	if (sections.length === 0)
		fail.call(
			this,
			itemIndex,
			'No section defined',
			'Add at least one section with rows under "Sections".',
		);
	if (sections.length > LIMITS.listSectionsMax) {
		fail.call(
			this,
			itemIndex,
			`${sections.length} sections; a list allows at most 10`,
			'Merge sections.',
		);
	}
	let rowCount = 0;
	const ids = new Set<string>();
	const built = sections.map((section, s) => {
		const title = optionText.call(this, itemIndex, section, 'title', `Section ${s + 1} Title`, {
			maxLength: LIMITS.listSectionTitle,
		});
		if (sections.length > 1 && !title) {
			fail.call(
				this,
				itemIndex,
				`Section ${s + 1} Title (item ${itemIndex + 1}): is empty`,
				'Every section needs a title when the list has several sections.',
			);
		}
		const rowsCollection = expectObject(this.getNode(), section.rows, {
			label: `Section ${s + 1} Rows`,
			itemIndex,
		});
		const rows = entries.call(this, itemIndex, rowsCollection.row, `Section ${s + 1} Row`);
		if (rows.length === 0)
			fail.call(
				this,
				itemIndex,
				`Section ${s + 1} has no rows`,
				'Add at least one row to every section.',
			);
		return {
			...(title ? { title } : {}),
			rows: rows.map((row, r) => {
				rowCount++;
				const label = `Section ${s + 1} Row ${r + 1}`;
				const { id, title: rowTitle } = readChoice.call(this, itemIndex, row, label, ids, {
					idMax: LIMITS.listRowId,
					titleMax: LIMITS.listRowTitle,
					duplicate: ['rows', 'row'],
				});
				const rowDescription = optionText.call(
					this,
					itemIndex,
					row,
					'description',
					`${label} Description`,
					{
						maxLength: LIMITS.listRowDescription,
					},
				);
				return { id, title: rowTitle, ...(rowDescription ? { description: rowDescription } : {}) };
			}),
		};
	});
	if (rowCount > LIMITS.listRowsMax) {
		fail.call(
			this,
			itemIndex,
			`${rowCount} rows; a list allows at most 10 rows in total`,
			'Remove rows (all sections together may hold 10).',
		);
	}
	return { button, sections: built };
}

export function buildCtaUrl(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const displayText = readText.call(this, 'ctaDisplayText', itemIndex, 'Button Text', {
		required: true,
		maxLength: LIMITS.ctaDisplayText,
	});
	const url = readText.call(this, 'ctaUrl', itemIndex, 'URL', {
		required: true,
		allowNumber: false,
	});
	if (!/^https?:\/\/[^\s]+$/i.test(url)) {
		fail.call(
			this,
			itemIndex,
			`"URL" is not a web address: '${url.slice(0, 80)}'`,
			'Use a full http(s) URL, e.g. https://example.com/orders/42.',
		);
	}
	return { name: 'cta_url', parameters: { display_text: displayText, url } };
}

const HEADER_TYPES = ['text', 'image', 'video', 'document'] as const;

/** The optional header: text, or (reply buttons only) image, video or document. */
export function buildHeader(
	this: IExecuteFunctions,
	itemIndex: number,
	kind: string,
	options: IDataObject,
): IDataObject | undefined {
	const node = this.getNode();
	// An added Header Type whose expression gave nothing is refused, not replaced by Text.
	const headerField = { label: 'Header Type', itemIndex };
	const headerType = expectOption(
		node,
		collectionValue(node, options, 'headerType', headerField) ?? 'text',
		headerField,
		HEADER_TYPES,
	);
	const headerText = optionText.call(this, itemIndex, options, 'headerText', 'Header Text', {
		maxLength: LIMITS.headerText,
	});
	const value = optionText.call(this, itemIndex, options, 'headerMedia', 'Header Media');
	if (headerType === 'text') {
		if (value) {
			fail.call(
				this,
				itemIndex,
				'"Header Media" needs Header Type Image, Video or Document',
				'Set Header Type to the kind of media, or remove "Header Media".',
			);
		}
		return headerText ? { type: 'text', text: headerText } : undefined;
	}
	const article = headerType === 'image' ? 'An' : 'A';
	if (kind !== 'button') {
		fail.call(
			this,
			itemIndex,
			`${article} ${headerType} header needs Interactive Type "Reply Buttons"`,
			'Lists and call-to-action messages take a text header only: set Header Type to Text.',
		);
	}
	if (headerText) {
		fail.call(
			this,
			itemIndex,
			`"Header Text" does not go with Header Type "${headerType}"`,
			`Remove "Header Text", or set Header Type to Text.`,
		);
	}
	if (!value) {
		fail.call(
			this,
			itemIndex,
			`Header Media (item ${itemIndex + 1}): is empty`,
			`${article} ${headerType} header needs "Header Media": a public https URL or a media ID.`,
		);
	}
	const media = mediaReference(value);
	if (!media) {
		return fail.call(
			this,
			itemIndex,
			`"Header Media" must be an https URL or a media ID: '${value.slice(0, 80)}'`,
			'Use a public URL (https://...) or the ID returned by Media > Upload.',
		);
	}
	const fileName = optionText.call(this, itemIndex, options, 'headerFileName', 'Header File Name');
	if (headerType === 'document' && fileName) media.filename = fileName;
	return { type: headerType, [headerType]: media };
}
