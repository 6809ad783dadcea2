import type { INodeProperties } from 'n8n-workflow';

/** Separates a template's name from its language in the picker's value: `order_update|en_US`. */
export const TEMPLATE_KEY_SEPARATOR = '|';

export function encodeTemplateKey(name: string, language: string): string {
	return `${name}${TEMPLATE_KEY_SEPARATOR}${language}`;
}

/** `order_update|en_US` -> { name, language }. A value without a language yields language ''. */
export function decodeTemplateKey(value: string): { name: string; language: string } {
	const trimmed = String(value ?? '').trim();
	const at = trimmed.lastIndexOf(TEMPLATE_KEY_SEPARATOR);
	if (at < 0) return { name: trimmed, language: '' };
	return { name: trimmed.slice(0, at).trim(), language: trimmed.slice(at + 1).trim() };
}

/**
 * The message template picker. Only APPROVED templates are listed: pending, rejected, paused and
 * disabled templates cannot be sent. The value encodes name and language.
 */
export const templateLocator: INodeProperties = {
	displayName: 'Template',
	name: 'template',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'An approved message template of the WhatsApp Business Account. Pending, rejected, paused and disabled templates are not listed because Meta refuses to send them.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a template...',
			typeOptions: {
				searchListMethod: 'searchTemplates',
				searchable: true,
			},
		},
		{
			displayName: 'By Name and Language',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. order_update|en_US',
			hint: 'The template name, a vertical bar, then the language code',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[a-z0-9_]+\\s*\\|\\s*[A-Za-z_]+\\s*$',
						errorMessage: 'Write the template as name|language, e.g. order_update|en_US',
					},
				},
			],
		},
	],
};
