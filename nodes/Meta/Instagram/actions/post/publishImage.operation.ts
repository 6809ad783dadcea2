import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	altTextOption,
	captionField,
	collaboratorsOption,
	locationIdOption,
	maxWaitOption,
	mediaUrlField,
	optionsCollection,
	userTagsOption,
} from '../../helpers/fields';
import type { PreparedPost } from './shared';
import { prepareSingle } from './shared';

const options = optionsCollection([
	altTextOption,
	collaboratorsOption,
	locationIdOption,
	maxWaitOption,
	userTagsOption('required'),
]);

const properties: INodeProperties[] = [
	// No Media Source: Instagram only fetches images from a public URL.
	mediaUrlField(
		'Image URL',
		'e.g. https://example.com/photo.jpg',
		'Public https URL of a JPEG image (up to 8 MB, aspect ratio between 4:5 and 1.91:1)',
		false,
	),
	captionField,
	options,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['post'], operation: ['publishImage'] } },
	properties,
);

/** Reads and checks the item; nothing is sent until the returned function runs. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedPost> {
	return await prepareSingle.call(this, itemIndex, {
		type: 'image',
		urlField: 'Image URL',
		tagCoordinates: 'required',
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await (
		await prepare.call(this, itemIndex)
	)();
}
