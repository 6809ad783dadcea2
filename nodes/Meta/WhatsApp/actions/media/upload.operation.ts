import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberLocator } from '../../../shared/descriptions/phoneNumber';
import { readMediaFile } from '../../helpers/mediaFile';
import { uploadMedia } from '../../helpers/sender';
import { getPhoneNumberId } from '../message/shared';
import { fileNameOptions, getBinaryField, getFileOptions, inputBinaryField } from './shared';

const properties: INodeProperties[] = [
	phoneNumberLocator,
	inputBinaryField('The name of the input binary field containing the file to upload'),
	fileNameOptions(
		{ placeholder: 'e.g. invoice-42.pdf', description: "Overrides the binary data's file name" },
		[
			{
				displayName: 'MIME Type',
				name: 'mimeType',
				type: 'string',
				default: '',
				placeholder: 'e.g. application/pdf',
				description: "Overrides the binary data's MIME type",
			},
		],
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['media'], operation: ['upload'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const phoneNumberId = getPhoneNumberId.call(this, itemIndex);
	const property = getBinaryField.call(this, itemIndex, 'Input Binary Field');
	const file = await readMediaFile.call(
		this,
		itemIndex,
		property,
		getFileOptions.call(this, itemIndex),
	);
	const fileName = file.fileName || 'file';
	const id = await uploadMedia.call(this, itemIndex, phoneNumberId, { ...file, fileName });
	const { mediaType, mimeType, data } = file;
	return [
		{
			json: { id, mediaType, mimeType, fileName, fileSize: data.length, phoneNumberId },
			pairedItem: { item: itemIndex },
		},
	];
}
