import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	audioNameOption,
	binaryPropertyField,
	captionField,
	collaboratorsOption,
	coverUrlOption,
	locationIdOption,
	maxWaitOption,
	mediaSourceField,
	mediaUrlField,
	shareToFeedOption,
	thumbOffsetOption,
	userTagsOption,
} from '../../helpers/fields';
import { applyOptions, getInstagramAccountId, getMaxWaitMs, getOptions, readCaption, readNodeMedia } from '../../helpers/input';
import { publishPost } from '../../helpers/publishing';

const properties: INodeProperties[] = [
	mediaSourceField('video'),
	mediaUrlField(
		'Video URL',
		'e.g. https://example.com/reel.mp4',
		'Public https URL of an MP4 or MOV video, 3 seconds to 15 minutes, 9:16 recommended',
	),
	binaryPropertyField,
	captionField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			audioNameOption,
			collaboratorsOption,
			coverUrlOption,
			locationIdOption,
			maxWaitOption,
			shareToFeedOption,
			thumbOffsetOption,
			userTagsOption('ignored'),
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['post'], operation: ['publishReel'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const igUserId = getInstagramAccountId(this, itemIndex);
	const media = await readNodeMedia(this, itemIndex, 'video', 'Video URL');
	const options = getOptions(this, itemIndex);
	const caption = readCaption(this, itemIndex);
	const spec = applyOptions(this, itemIndex, { type: 'reel', ...media, caption }, options, 'ignored');
	return await publishPost(this, itemIndex, {
		igUserId,
		single: spec,
		maxWaitMs: getMaxWaitMs(options),
		caption,
		story: false,
	});
}
