import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	binaryPropertyField,
	imageBinaryNotice,
	maxWaitOption,
	mediaSourceField,
	mediaUrlField,
	optionsCollection,
	userTagsOption,
} from '../../helpers/fields';
import { readOption } from '../../../shared/parameters';
import type { PreparedPost } from './shared';
import { prepareSingle } from './shared';

const options = optionsCollection([maxWaitOption, userTagsOption('optional')]);

const properties: INodeProperties[] = [
	{
		displayName: 'Story Media Type',
		name: 'storyMediaType',
		type: 'options',
		default: 'image',
		options: [
			{ name: 'Image', value: 'image', description: 'A JPEG image from a public URL' },
			{ name: 'Video', value: 'video', description: 'An MP4 or MOV video of 3 to 60 seconds' },
		],
		description: 'Stories have no caption; they disappear after 24 hours',
	},
	mediaSourceField('imageOrVideo'),
	{
		...imageBinaryNotice,
		displayOptions: { show: { mediaSource: ['binary'], storyMediaType: ['image'] } },
	},
	mediaUrlField(
		'Media URL',
		'e.g. https://example.com/story.jpg',
		'Public https URL of the JPEG image or MP4/MOV video',
	),
	{
		...binaryPropertyField,
		displayOptions: { show: { mediaSource: ['binary'], storyMediaType: ['video'] } },
	},
	options,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['post'], operation: ['publishStory'] } },
	properties,
);

/** Reads and checks the item; nothing is sent until the returned function runs. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedPost> {
	const storyMediaType = (readOption<'image' | 'video'>).call(
		this,
		'storyMediaType',
		itemIndex,
		'Story Media Type',
		['image', 'video'],
		'image',
	);
	return await prepareSingle.call(this, itemIndex, {
		type: storyMediaType === 'video' ? 'storyVideo' : 'storyImage',
		urlField: 'Media URL',
		tagCoordinates: 'optional',
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await (
		await prepare.call(this, itemIndex)
	)();
}
