import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { optionsCollection } from '../message/common';

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
	const value = String(this.getNodeParameter('mediaId', itemIndex, '') ?? '').trim();
	if (!/^\d+$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			value ? `'${value}' is not a media ID` : '"Media ID" is empty',
			{
				itemIndex,
				description:
					'A media ID contains digits only, e.g. the "id" returned by Media > Upload or the image.id / document.id of an incoming message.',
			},
		);
	}
	return value;
}
