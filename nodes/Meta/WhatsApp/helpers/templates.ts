/**
 * Message templates filled from their definition: the template's placeholders become the fields of
 * n8n's resource mapper, and the mapped values become the `components` of the send. A value
 * missing for a placeholder is caught here, before anything is sent (Meta would answer 132000).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { decodeTemplateKey } from '../../shared/descriptions/template';
import type { TemplateDefinition } from '../../shared/methods/whatsapp';
import { currentLocatorValue } from '../../shared/methods/whatsapp';
import { expectNumber, expectText } from '../../shared/parameters';
import { answerObject, graphRequest, unreadableAnswerError } from '../../shared/transport';
import { mediaReference } from './mediaFile';

type AnyFunctions = IExecuteFunctions | ILoadOptionsFunctions;

/** Template definitions read during one execution, keyed by WABA, name and language. */
export type TemplateDefinitionCache = Map<string, Promise<TemplateDefinition | undefined>>;

/** Placeholders of a template text, in order: positional `{{1}}` or named `{{first_name}}`. */
export function placeholdersOf(text: unknown): string[] {
	if (typeof text !== 'string') return [];
	const found: string[] = [];
	for (const match of text.matchAll(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g)) {
		if (!found.includes(match[1])) found.push(match[1]);
	}
	return found;
}

/** One input the template needs, derived from its definition. */
export interface TemplateSlot {
	/** Key in the resource mapper's value. */
	id: string;
	displayName: string;
	required: boolean;
	component: 'header' | 'body' | 'button';
	/** header: text | image | video | document | location. button: url | quick_reply | copy_code. */
	kind: string;
	/** Placeholder name (text slots) or button index. */
	key: string;
}

function component(definition: TemplateDefinition, type: string): IDataObject | undefined {
	return definition.components?.find((entry) => String(entry.type).toUpperCase() === type);
}

/** The inputs a template needs, in the order Meta reads them. */
export function templateSlots(definition: TemplateDefinition): TemplateSlot[] {
	const slots: TemplateSlot[] = [];
	const header = component(definition, 'HEADER');
	if (header) {
		const format = String(header.format ?? 'TEXT').toUpperCase();
		if (format === 'TEXT') {
			for (const name of placeholdersOf(header.text)) {
				slots.push({
					id: `header_${name}`,
					displayName: `Header {{${name}}}`,
					required: true,
					component: 'header',
					kind: 'text',
					key: name,
				});
			}
		} else if (['IMAGE', 'VIDEO', 'DOCUMENT'].includes(format)) {
			const kind = format.toLowerCase();
			const label = kind.charAt(0).toUpperCase() + kind.slice(1);
			slots.push({
				id: 'header_media',
				displayName: `Header ${label} (URL or Media ID)`,
				required: true,
				component: 'header',
				kind,
				key: 'media',
			});
			if (kind === 'document') {
				slots.push({
					id: 'header_filename',
					displayName: 'Header Document File Name',
					required: false,
					component: 'header',
					kind: 'filename',
					key: 'filename',
				});
			}
		} else if (format === 'LOCATION') {
			for (const [key, label, required] of [
				['latitude', 'Latitude', true],
				['longitude', 'Longitude', true],
				['name', 'Name', false],
				['address', 'Address', false],
			] as const) {
				slots.push({
					id: `header_location_${key}`,
					displayName: `Header Location ${label}`,
					required,
					component: 'header',
					kind: 'location',
					key,
				});
			}
		}
	}
	for (const name of placeholdersOf(component(definition, 'BODY')?.text)) {
		slots.push({
			id: `body_${name}`,
			displayName: `Body {{${name}}}`,
			required: true,
			component: 'body',
			kind: 'text',
			key: name,
		});
	}
	const buttons = (component(definition, 'BUTTONS')?.buttons as IDataObject[] | undefined) ?? [];
	buttons.forEach((button, index) => {
		const type = String(button.type).toUpperCase();
		const title = String(button.text ?? `Button ${index + 1}`);
		if (type === 'URL' && placeholdersOf(button.url).length > 0) {
			slots.push({
				id: `button_${index}_url`,
				displayName: `Button "${title}" URL Suffix`,
				required: true,
				component: 'button',
				kind: 'url',
				key: String(index),
			});
		} else if (type === 'QUICK_REPLY') {
			slots.push({
				id: `button_${index}_payload`,
				displayName: `Button "${title}" Quick Reply Payload`,
				required: false,
				component: 'button',
				kind: 'quick_reply',
				key: String(index),
			});
		} else if (type === 'COPY_CODE') {
			slots.push({
				id: `button_${index}_coupon_code`,
				displayName: `Button "${title}" Copy Code`,
				required: true,
				component: 'button',
				kind: 'copy_code',
				key: String(index),
			});
		}
	});
	return slots;
}

/**
 * The label a field id has on screen ("body_2" -> "Body {{2}}", "button_0_url" -> "Button 1 URL
 * Suffix"), for ids that are not in the template (an auto-mapped column, a stale field).
 */
function slotLabel(id: string): string {
	const text = /^(header|body)_(.+)$/.exec(id);
	if (text && !['media', 'filename'].includes(text[2]) && !text[2].startsWith('location_')) {
		return `${text[1] === 'header' ? 'Header' : 'Body'} {{${text[2]}}}`;
	}
	const button = /^button_(\d+)_(url|payload|coupon_code)$/.exec(id);
	if (button) {
		const what = { url: 'URL Suffix', payload: 'Quick Reply Payload', coupon_code: 'Copy Code' }[
			button[2] as 'url' | 'payload' | 'coupon_code'
		];
		return `Button ${Number(button[1]) + 1} ${what}`;
	}
	return `"${id}"`;
}

/** GET the definition of one template (by name and language) from the WABA. */
export async function fetchTemplateDefinition(
	this: AnyFunctions,
	wabaId: string,
	name: string,
	language: string,
	itemIndex?: number,
): Promise<TemplateDefinition | undefined> {
	const page: unknown = await graphRequest.call(this, {
		method: 'GET',
		path: `/${wabaId}/message_templates`,
		qs: {
			fields: 'id,name,language,status,category,parameter_format,components',
			name,
			limit: 100,
		},
		itemIndex,
	});
	const data = answerObject(page)?.data;
	if (!Array.isArray(data)) {
		throw unreadableAnswerError(
			this.getNode(),
			{ what: `the lookup of template ${name}`, itemIndex, write: false },
			'data',
		);
	}
	return (data as TemplateDefinition[]).find(
		(template) => template.name === name && (!language || template.language === language),
	);
}

/** Resource mapper method: the fields of the selected template. Never throws while half set up. */
export async function getTemplateFields(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const wabaId = currentLocatorValue.call(this, 'wabaId');
	const { name, language } = decodeTemplateKey(currentLocatorValue.call(this, 'template'));
	if (!wabaId || !name) {
		return {
			fields: [],
			emptyFieldsNotice: 'Choose a WhatsApp Business Account and a template first',
		};
	}
	let definition: TemplateDefinition | undefined;
	try {
		definition = await fetchTemplateDefinition.call(this, wabaId, name, language);
	} catch (error) {
		return {
			fields: [],
			emptyFieldsNotice: `Could not read the template from Meta: ${(error as Error).message}`,
		};
	}
	if (!definition) {
		return {
			fields: [],
			emptyFieldsNotice: `No template ${name} in ${language || 'any language'} in this WhatsApp Business Account`,
		};
	}
	const fields: ResourceMapperField[] = templateSlots(definition).map((slot) => ({
		id: slot.id,
		displayName: slot.displayName,
		required: slot.required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type:
			slot.kind === 'location' && (slot.key === 'latitude' || slot.key === 'longitude')
				? 'number'
				: 'string',
	}));
	return {
		fields,
		emptyFieldsNotice: 'This template has no placeholders: nothing to fill in',
	};
}

/**
 * Builds the `components` of a template send from the mapped values. Throws a NodeOperationError
 * naming every missing or unknown parameter (the 132000 case, caught before sending).
 */
export function buildTemplateComponents(
	this: IExecuteFunctions,
	definition: TemplateDefinition,
	values: IDataObject,
	itemIndex: number,
): IDataObject[] {
	const slots = templateSlots(definition);
	const named = definition.parameter_format === 'NAMED';
	const label = `Template ${definition.name} (${definition.language})`;
	// A mapped value that is empty (null, undefined, '') counts as missing; one of the wrong kind
	// (an object, a list, true/false) is refused rather than sent as "[object Object]" or "a,b".
	const node = this.getNode();
	const valueOf = (slot: TemplateSlot): string => {
		const raw = values[slot.id];
		if (raw === undefined || raw === null) return '';
		return expectText(node, raw, { label: `${label} "${slot.displayName}"`, itemIndex });
	};
	const coordinate = (slot: TemplateSlot): number | undefined => {
		const limit = slot.key === 'latitude' ? 90 : 180;
		return expectNumber(
			node,
			values[slot.id],
			{ label: `${label} "${slot.displayName}"`, itemIndex },
			{ required: true, min: -limit, max: limit },
		);
	};
	const missing = slots.filter((slot) => slot.required && valueOf(slot) === '');
	const known = new Set(slots.map((slot) => slot.id));
	const unknown = Object.keys(values).filter(
		(key) =>
			!known.has(key) && values[key] !== '' && values[key] !== null && values[key] !== undefined,
	);
	if (missing.length || unknown.length) {
		const expected = slots.filter((slot) => slot.required).map((slot) => slot.displayName);
		const problems: string[] = [];
		if (missing.length)
			problems.push(`missing: ${missing.map((slot) => slot.displayName).join(', ')}`);
		if (unknown.length) problems.push(`not in the template: ${unknown.map(slotLabel).join(', ')}`);
		throw new NodeOperationError(
			this.getNode(),
			`${label} expects ${expected.length} parameter${expected.length === 1 ? '' : 's'} (${expected.join(', ') || 'none'}); ${problems.join('; ')}`,
			{
				itemIndex,
				description:
					'Fill every field under "Template Parameters". If the template changed in WhatsApp Manager, open the parameters and refresh the field list. Meta would reject this send with error 132000 (parameter count mismatch).',
			},
		);
	}
	const components: IDataObject[] = [];
	const headerSlots = slots.filter((slot) => slot.component === 'header');
	if (headerSlots.length) {
		const first = headerSlots[0];
		let parameters: IDataObject[];
		if (first.kind === 'text') {
			parameters = headerSlots.map((slot) => ({
				type: 'text',
				text: valueOf(slot),
				...(named ? { parameter_name: slot.key } : {}),
			}));
		} else if (first.kind === 'location') {
			const location: IDataObject = {};
			for (const slot of headerSlots) {
				const value = valueOf(slot);
				if (value === '') continue;
				location[slot.key] =
					slot.key === 'latitude' || slot.key === 'longitude' ? coordinate(slot) : value;
			}
			parameters = [{ type: 'location', location }];
		} else {
			const media = mediaReference(valueOf(first));
			if (!media) {
				throw new NodeOperationError(
					this.getNode(),
					`${label}: "${first.displayName}" must be an https URL or a media ID`,
					{
						itemIndex,
						description: 'Use a public URL (https://...) or the ID returned by Media > Upload.',
					},
				);
			}
			const fileName = headerSlots.find((slot) => slot.kind === 'filename');
			if (fileName && valueOf(fileName)) media.filename = valueOf(fileName);
			parameters = [{ type: first.kind, [first.kind]: media }];
		}
		components.push({ type: 'header', parameters });
	}
	const bodySlots = slots.filter((slot) => slot.component === 'body');
	if (bodySlots.length) {
		components.push({
			type: 'body',
			parameters: bodySlots.map((slot) => ({
				type: 'text',
				text: valueOf(slot),
				...(named ? { parameter_name: slot.key } : {}),
			})),
		});
	}
	for (const slot of slots.filter((entry) => entry.component === 'button')) {
		const value = valueOf(slot);
		if (slot.kind === 'quick_reply' && value === '') continue;
		const parameter =
			slot.kind === 'url'
				? { type: 'text', text: value }
				: slot.kind === 'quick_reply'
					? { type: 'payload', payload: value }
					: { type: 'coupon_code', coupon_code: value };
		components.push({
			type: 'button',
			sub_type: slot.kind,
			index: slot.key,
			parameters: [parameter],
		});
	}
	return components;
}
