import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readCollection, readText } from '../../../shared/parameters';
import { optionText, optionsCollection } from '../message/shared';

export const mediaIdField: INodeProperties = {
	displayName: 'Media ID',
	name: 'mediaId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 1037543291543636',
	description: 'The ID from Media > Upload, or of a file a user sent (from the WhatsApp Trigger)',
};

/** The input binary field holding the file to upload or send. */
export function inputBinaryField(hint: string): INodeProperties {
	return {
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint,
	};
}

/** An Options collection with a File Name option (and any others). */
export function fileNameOptions(
	fileName: Pick<INodeProperties, 'placeholder' | 'description'>,
	others: INodeProperties[] = [],
): INodeProperties {
	return optionsCollection([
		{ displayName: 'File Name', name: 'fileName', type: 'string', default: '', ...fileName },
		...others,
	]);
}

export function getMediaId(this: IExecuteFunctions, itemIndex: number): string {
	const value = readText.call(this, 'mediaId', itemIndex, 'Media ID');
	if (!/^\d+$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			value ? `'${value.slice(0, 40)}' is not a media ID` : '"Media ID" is empty',
			{
				itemIndex,
				description:
					'A media ID contains digits only, e.g. the "id" returned by Media > Upload or the image.id / document.id of an incoming message.',
			},
		);
	}
	return value;
}

/** The binary field named by `binaryPropertyName` (input or output, per `label`). */
export function getBinaryField(this: IExecuteFunctions, itemIndex: number, label: string): string {
	return readText.call(this, 'binaryPropertyName', itemIndex, label, {
		required: true,
		allowNumber: false,
	});
}

/** The File Name (and, for uploads, MIME Type) options, each as text or empty. */
export function getFileOptions(
	this: IExecuteFunctions,
	itemIndex: number,
): { fileName: string; mimeType: string } {
	const options: IDataObject = readCollection.call(this, 'options', itemIndex, 'Options');
	return {
		fileName: optionText.call(this, itemIndex, options, 'fileName', 'File Name'),
		mimeType: optionText.call(this, itemIndex, options, 'mimeType', 'MIME Type', {
			allowNumber: false,
		}),
	};
}
