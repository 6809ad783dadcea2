import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	altTextOption,
	captionField,
	collaboratorsOption,
	imageBinaryNotice,
	locationIdOption,
	maxWaitOption,
	mediaSourceField,
	mediaUrlField,
	userTagsOption,
} from '../../helpers/fields';
import { applyOptions, getInstagramAccountId, getMaxWaitMs, getOptions, readCaption, readNodeMedia } from '../../helpers/input';
import type { ContainerSpec } from '../../helpers/publishing';
import { publishPost } from '../../helpers/publishing';

const properties: INodeProperties[] = [
	mediaSourceField('image'),
	imageBinaryNotice,
	mediaUrlField(
		'Image URL',
		'e.g. https://example.com/photo.jpg',
		'Public https URL of a JPEG image (up to 8 MB, aspect ratio between 4:5 and 1.91:1)',
	),
	captionField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [altTextOption, collaboratorsOption, locationIdOption, maxWaitOption, userTagsOption('required')],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['post'], operation: ['publishImage'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const igUserId = getInstagramAccountId(this, itemIndex);
	const media = await readNodeMedia(this, itemIndex, 'image', 'Image URL');
	const options = getOptions(this, itemIndex);
	const caption = readCaption(this, itemIndex);
	const spec: ContainerSpec = applyOptions(this, itemIndex, { type: 'image', url: media.url, caption }, options, 'required');
	return await publishPost(this, itemIndex, {
		igUserId,
		single: spec,
		maxWaitMs: getMaxWaitMs(options),
		caption,
		story: false,
	});
}
