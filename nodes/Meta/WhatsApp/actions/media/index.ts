import type { INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/execute';
import * as deleteMedia from './delete.operation';
import * as download from './download.operation';
import * as get from './get.operation';
import * as upload from './upload.operation';

export { deleteMedia as delete, download, get, upload };

/** The media operations by the value of the Operation parameter. */
export const operations = {
	delete: deleteMedia,
	download,
	get,
	upload,
} satisfies Record<string, ItemOperation>;

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['media'] } },
	options: [
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete an uploaded media file',
			action: 'Delete media which writes and is never repeated on retry',
		},
		{
			name: 'Download',
			value: 'download',
			description: 'Download a media file to binary data',
			action: 'Download media which only reads',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get the URL and metadata of a media file',
			action: 'Get media which only reads',
		},
		{
			name: 'Upload',
			value: 'upload',
			description: 'Upload a file to send it later by its media ID',
			action: 'Upload media which writes and is never repeated on retry',
		},
	],
	default: 'upload',
};

export const fields: INodeProperties[] = [
	...upload.description,
	...get.description,
	...download.description,
	...deleteMedia.description,
];
