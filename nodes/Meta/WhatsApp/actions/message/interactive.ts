import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LIMITS } from '../../helpers/limits';
import { mediaReference } from '../../helpers/mediaFile';
import { checkMaxLength, requireValue } from './common';

/** Builders of Send Interactive's parts (reference C.3); every limit is checked before sending. */

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
	const id = String(entry.id ?? '').trim();
	const title = String(entry.title ?? '').trim();
	requireValue.call(this, itemIndex, id, `${label} ID`);
	requireValue.call(this, itemIndex, title, `${label} Title`);
	checkMaxLength.call(this, itemIndex, id, limits.idMax, `${label} ID`);
	checkMaxLength.call(this, itemIndex, title, limits.titleMax, `${label} Title`);
	const [plural, singular] = limits.duplicate;
	if (ids.has(id)) {
		fail.call(this, itemIndex, `Two ${plural} have the ID '${id}'`, `Give every ${singular} a different ID.`);
	}
	ids.add(id);
	return { id, title };
}

export function buildButtons(this: IExecuteFunctions, itemIndex: number): IDataObject {
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
				const { id, title: rowTitle } = readChoice.call(this, itemIndex, row, label, ids, {
					idMax: LIMITS.listRowId,
					titleMax: LIMITS.listRowTitle,
					duplicate: ['rows', 'row'],
				});
				const rowDescription = String(row.description ?? '').trim();
				checkMaxLength.call(this, itemIndex, rowDescription, LIMITS.listRowDescription, `${label} Description`);
				return { id, title: rowTitle, ...(rowDescription ? { description: rowDescription } : {}) };
			}),
		};
	});
	if (rowCount > LIMITS.listRowsMax) {
		fail.call(this, itemIndex, `${rowCount} rows; a list allows at most 10 rows in total`, 'Remove rows (all sections together may hold 10).');
	}
	return { button, sections: built };
}

export function buildCtaUrl(this: IExecuteFunctions, itemIndex: number): IDataObject {
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
export function buildHeader(
	this: IExecuteFunctions,
	itemIndex: number,
	kind: string,
	options: IDataObject,
): IDataObject | undefined {
	const headerType = String(options.headerType ?? 'text') as 'text' | 'image' | 'video' | 'document';
	const headerText = String(options.headerText ?? '').trim();
	const value = String(options.headerMedia ?? '').trim();
	if (headerType === 'text') {
		if (value) {
			fail.call(this, itemIndex, '"Header Media" needs Header Type Image, Video or Document', 'Set Header Type to the kind of media, or remove "Header Media".');
		}
		checkMaxLength.call(this, itemIndex, headerText, LIMITS.headerText, 'Header Text');
		return headerText ? { type: 'text', text: headerText } : undefined;
	}
	const article = headerType === 'image' ? 'An' : 'A';
	if (kind !== 'button') {
		fail.call(this, itemIndex, `${article} ${headerType} header needs Interactive Type "Reply Buttons"`, 'Lists and call-to-action messages take a text header only: set Header Type to Text.');
	}
	if (headerText) {
		fail.call(this, itemIndex, `"Header Text" does not go with Header Type "${headerType}"`, `Remove "Header Text", or set Header Type to Text.`);
	}
	requireValue.call(this, itemIndex, value, 'Header Media', `${article} ${headerType} header needs "Header Media": a public https URL or a media ID.`);
	const media = mediaReference(value);
	if (!media) {
		return fail.call(this, itemIndex, `"Header Media" must be an https URL or a media ID: '${value}'`, 'Use a public URL (https://...) or the ID returned by Media > Upload.');
	}
	const fileName = String(options.headerFileName ?? '').trim();
	if (headerType === 'document' && fileName) media.filename = fileName;
	return { type: headerType, [headerType]: media };
}
