import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { answerObject, graphRequest, requireAnswerField } from '../../../shared/transport';
import {
	fileNameOptions,
	getBinaryField,
	getFileOptions,
	getMediaId,
	mediaIdField,
} from './shared';

const properties: INodeProperties[] = [
	mediaIdField,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
	fileNameOptions({
		placeholder: 'e.g. receipt.jpg',
		description: 'Name of the output file (default: the media ID with the extension of its type)',
	}),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['media'], operation: ['download'] } },
	properties,
);

function bufferOf(response: unknown): Buffer {
	if (Buffer.isBuffer(response)) return response;
	if (response instanceof ArrayBuffer) return Buffer.from(response);
	if (ArrayBuffer.isView(response))
		return Buffer.from(response.buffer, response.byteOffset, response.byteLength);
	if (typeof response === 'string') return Buffer.from(response, 'binary');
	return Buffer.from(JSON.stringify(response ?? ''));
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const mediaId = getMediaId.call(this, itemIndex);
	const property = getBinaryField.call(this, itemIndex, 'Put Output File in Field');
	const options = getFileOptions.call(this, itemIndex);
	const answer: unknown = await graphRequest.call(this, {
		method: 'GET',
		path: `/${mediaId}`,
		itemIndex,
	});
	const url = requireAnswerField(this.getNode(), answer, 'url', {
		what: `the lookup of media ${mediaId}`,
		itemIndex,
		write: false,
	});
	const metadata = answerObject(answer) as IDataObject;
	if (!/^https?:\/\//.test(url)) {
		throw new NodeOperationError(
			this.getNode(),
			`Meta returned no download URL for media ${mediaId}`,
			{
				itemIndex,
			},
		);
	}
	// The URL is short-lived (5 minutes) and only answers with the access token (404 otherwise);
	// the transport sends the token only over https to Meta's hosts or the configured base URL
	// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media).
	const response = await graphRequest.call(this, {
		method: 'GET',
		path: url,
		binary: true,
		itemIndex,
	});
	const data = bufferOf(response);
	const mimeType = String(metadata.mime_type ?? 'application/octet-stream');
	const extension = mimeType.split('/')[1]?.split(';')[0]?.replace('jpeg', 'jpg') ?? 'bin';
	const fileName = options.fileName || `${mediaId}.${extension}`;
	const binary = await this.helpers.prepareBinaryData(data, fileName, mimeType);
	return [
		{
			json: {
				id: mediaId,
				mimeType,
				sha256: metadata.sha256,
				fileSize: metadata.file_size ?? data.length,
				fileName,
			},
			binary: { [property]: binary },
			pairedItem: { item: itemIndex },
		},
	];
}
