import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LIMITS } from '../../helpers/limits';
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
	const text = String(this.getNodeParameter('text', itemIndex, ''));
	requireValue.call(this, itemIndex, text, 'Text');
	checkMaxLength.call(this, itemIndex, text, LIMITS.textBody, 'Text');
	const options = getOptions.call(this, itemIndex);
	body.text = { preview_url: options.previewUrl === true, body: text };
	return { itemIndex, phoneNumberId, body, summary: { to, type: 'text' } };
}

export const execute = sendBuilt(build);
