import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberLocator } from '../../../shared/descriptions/phoneNumber';
import type { WhatsAppMediaType } from '../../helpers/limits';
import { MEDIA_RULES, mediaTypeOfMime } from '../../helpers/limits';
import { uploadMedia } from '../../helpers/sender';
import { getPhoneNumberId } from '../message/common';

const properties: INodeProperties[] = [
	phoneNumberLocator,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to upload',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. invoice-42.pdf',
				description: "Overrides the binary data's file name",
			},
			{
				displayName: 'MIME Type',
				name: 'mimeType',
				type: 'string',
				default: '',
				placeholder: 'e.g. application/pdf',
				description: "Overrides the binary data's MIME type",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['media'], operation: ['upload'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = getPhoneNumberId.call(this, itemIndex);
	const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
	const options = this.getNodeParameter('options', itemIndex, {}) as { fileName?: string; mimeType?: string };
	const binary = this.helpers.assertBinaryData(itemIndex, property);
	const mimeType = String(options.mimeType || binary.mimeType || '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	const mediaType = mediaTypeOfMime(mimeType);
	if (!mediaType) {
		const accepted = (Object.keys(MEDIA_RULES) as WhatsAppMediaType[])
			.map((type) => `${type}: ${MEDIA_RULES[type].label}`)
			.join('; ');
		throw new NodeOperationError(
			this.getNode(),
			`WhatsApp does not accept files of type '${mimeType || 'unknown'}'`,
			{ itemIndex, description: `Accepted: ${accepted}.` },
		);
	}
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	const rule = MEDIA_RULES[mediaType];
	if (data.length > rule.maxBytes) {
		throw new NodeOperationError(
			this.getNode(),
			`The file is ${data.length} bytes; a ${mediaType} may be at most ${rule.maxBytes} bytes`,
			{ itemIndex, description: `A ${mediaType} must be ${rule.label}.` },
		);
	}
	const fileName = options.fileName || binary.fileName || 'file';
	const id = await uploadMedia.call(this, itemIndex, phoneNumberId, { data, mimeType, fileName });
	return [
		{
			json: { id, mediaType, mimeType, fileName, fileSize: data.length, phoneNumberId },
			pairedItem: { item: itemIndex },
		},
	];
}
