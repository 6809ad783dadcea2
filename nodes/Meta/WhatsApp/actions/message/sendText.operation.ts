import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LIMITS } from '../../helpers/limits';
import type { PreparedMessage } from '../../helpers/sender';
import { readBoolean, readText } from '../../../shared/parameters';
import { messageDescription, messageOptions, startMessage } from './shared';

const fields: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		description: 'The message, at most 4,096 characters',
	},
];

const optionsCollection = messageOptions([
	{
		displayName: 'Link Preview',
		name: 'previewUrl',
		type: 'boolean',
		default: false,
		description: 'Whether to show a preview of the first URL in the text',
	},
]);

export const description = messageDescription('sendText', fields, optionsCollection);

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const { phoneNumberId, to, body } = startMessage.call(this, itemIndex, 'text');
	const text = readText.call(this, 'text', itemIndex, 'Text', {
		required: true,
		trim: false,
		maxLength: LIMITS.textBody,
	});
	const previewUrl = readBoolean.call(this, 'options.previewUrl', itemIndex, 'Link Preview');
	body.text = { preview_url: previewUrl, body: text };
	return { itemIndex, phoneNumberId, body, summary: { to, type: 'text' } };
}
