import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberLocator } from '../../../shared/descriptions/phoneNumber';
import { LIMITS } from '../../helpers/limits';
import { getRecipient } from '../../helpers/recipient';
import type { PreparedMessage } from '../../helpers/sender';
import {
	checkMaxLength,
	getOptions,
	getPhoneNumberId,
	messageEnvelope,
	messageOptions,
	recipientField,
	requireValue,
	sendSingle,
} from './common';

const properties: INodeProperties[] = [
	phoneNumberLocator,
	recipientField,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		description: 'The message, at most 4,096 characters',
	},
	messageOptions([
		{
			displayName: 'Link Preview',
			name: 'previewUrl',
			type: 'boolean',
			default: false,
			description: 'Whether to show a preview of the first URL in the text',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendText'] } },
	properties,
);

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const phoneNumberId = getPhoneNumberId.call(this, itemIndex);
	const to = getRecipient.call(this, itemIndex);
	const text = String(this.getNodeParameter('text', itemIndex, ''));
	requireValue.call(this, itemIndex, text, 'Text');
	checkMaxLength.call(this, itemIndex, text, LIMITS.textBody, 'Text');
	const options = getOptions.call(this, itemIndex);
	const body = messageEnvelope.call(this, itemIndex, to, 'text');
	body.text = { preview_url: options.previewUrl === true, body: text };
	return { itemIndex, phoneNumberId, body, summary: { to, type: 'text' } };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return await sendSingle.call(this, await build.call(this, itemIndex));
}
