import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	binaryPropertyField,
	imageBinaryNotice,
	maxWaitOption,
	mediaSourceField,
	mediaUrlField,
	userTagsOption,
} from '../../helpers/fields';
import { applyOptions, getInstagramAccountId, getMaxWaitMs, getOptions, readNodeMedia } from '../../helpers/input';
import { publishPost } from '../../helpers/publishing';

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
	{ ...imageBinaryNotice, displayOptions: { show: { mediaSource: ['binary'], storyMediaType: ['image'] } } },
	mediaUrlField('Media URL', 'e.g. https://example.com/story.jpg', 'Public https URL of the JPEG image or MP4/MOV video'),
	{ ...binaryPropertyField, displayOptions: { show: { mediaSource: ['binary'], storyMediaType: ['video'] } } },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [maxWaitOption, userTagsOption('optional')],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['post'], operation: ['publishStory'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const igUserId = getInstagramAccountId(this, itemIndex);
	const storyMediaType = this.getNodeParameter('storyMediaType', itemIndex, 'image') as string;
	const kind = storyMediaType === 'video' ? 'video' : 'image';
	const media = await readNodeMedia(this, itemIndex, kind, 'Media URL');
	const options = getOptions(this, itemIndex);
	const spec = applyOptions(
		this,
		itemIndex,
		{ type: kind === 'video' ? 'storyVideo' : 'storyImage', ...media },
		{ userTags: options.userTags },
		'optional',
	);
	return await publishPost(this, itemIndex, {
		igUserId,
		single: spec,
		maxWaitMs: getMaxWaitMs(options),
		story: true,
	});
}
