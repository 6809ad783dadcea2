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
	optionsCollection,
	shareToFeedOption,
	thumbOffsetOption,
	userTagsOption,
} from '../../helpers/fields';
import type { PreparedPost } from './shared';
import { prepareSingle } from './shared';

const options = optionsCollection([
	audioNameOption,
	collaboratorsOption,
	coverUrlOption,
	locationIdOption,
	maxWaitOption,
	shareToFeedOption,
	thumbOffsetOption,
	userTagsOption('ignored'),
]);

const properties: INodeProperties[] = [
	mediaSourceField('video'),
	mediaUrlField(
		'Video URL',
		'e.g. https://example.com/reel.mp4',
		'Public https URL of an MP4 or MOV video, 3 seconds to 15 minutes, 9:16 recommended',
	),
	binaryPropertyField,
	captionField,
	options,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['post'], operation: ['publishReel'] } },
	properties,
);

/** Reads and checks the item; nothing is sent until the returned function runs. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedPost> {
	return await prepareSingle.call(this, itemIndex, {
		type: 'reel',
		urlField: 'Video URL',
		tagCoordinates: 'ignored',
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await (
		await prepare.call(this, itemIndex)
	)();
}
