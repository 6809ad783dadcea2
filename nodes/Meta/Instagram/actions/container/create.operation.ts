import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	altTextOption,
	audioNameOption,
	binaryPropertyField,
	captionField,
	collaboratorsOption,
	coverUrlOption,
	imageBinaryNotice,
	locationIdOption,
	mediaSourceField,
	mediaUrlField,
	optionsCollection,
	shareToFeedOption,
	thumbOffsetOption,
	userTagsOption,
} from '../../helpers/fields';
import { applyOptions, getInstagramAccountId, getOptions, readNodeMedia } from '../../helpers/input';
import type { ContainerSpec, ContainerType } from '../../helpers/publishing';
import { createContainer, isVideo } from '../../helpers/publishing';
import { invalid, validateCaption, validateCarouselCount } from '../../helpers/validation';

const IMAGE_TYPES = ['image', 'storyImage', 'carouselImageItem'];
const VIDEO_TYPES = ['reel', 'storyVideo', 'carouselVideoItem'];
const CAPTION_TYPES = ['image', 'reel', 'carousel'];

function only(types: string[], option: INodeProperties): INodeProperties {
	return { ...option, displayOptions: { show: { '/containerType': types } } };
}

const options = optionsCollection([
	only(['image', 'carouselImageItem'], altTextOption),
	only(['reel'], audioNameOption),
	only(['image', 'reel', 'carousel'], collaboratorsOption),
	only(['reel'], coverUrlOption),
	only(['image', 'reel', 'carousel'], locationIdOption),
	only(['reel'], shareToFeedOption),
	only(['reel', 'carouselVideoItem', 'storyVideo'], thumbOffsetOption),
	only(['image', 'carouselImageItem', 'storyImage', 'storyVideo'], userTagsOption('required')),
]);

const properties: INodeProperties[] = [
	{
		displayName: 'Container Type',
		name: 'containerType',
		type: 'options',
		default: 'reel',
		options: [
			{ name: 'Carousel', value: 'carousel', description: 'The carousel itself, from 2 to 10 item containers' },
			{ name: 'Carousel Image Item', value: 'carouselImageItem', description: 'An image for a later carousel' },
			{ name: 'Carousel Video Item', value: 'carouselVideoItem', description: 'A video for a later carousel' },
			{ name: 'Image', value: 'image', description: 'A single image post' },
			{ name: 'Reel', value: 'reel', description: 'A video published as a reel' },
			{ name: 'Story Image', value: 'storyImage' },
			{ name: 'Story Video', value: 'storyVideo' },
		],
		description: 'What the container will become when it is published',
	},
	{
		...mediaSourceField('imageOrVideo'),
		displayOptions: { hide: { containerType: ['carousel'] } },
	},
	{ ...imageBinaryNotice, displayOptions: { show: { mediaSource: ['binary'], containerType: IMAGE_TYPES } } },
	{
		...mediaUrlField('Media URL', 'e.g. https://example.com/video.mp4', 'Public https URL: a JPEG image or an MP4/MOV video, depending on the type'),
		displayOptions: { show: { mediaSource: ['url'] }, hide: { containerType: ['carousel'] } },
	},
	{ ...binaryPropertyField, displayOptions: { show: { mediaSource: ['binary'], containerType: VIDEO_TYPES } } },
	{
		displayName: 'Children',
		name: 'children',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 17889455560051444, 17889455560051445',
		description: 'IDs of 2 to 10 FINISHED carousel item containers, separated by commas, in display order',
		displayOptions: { show: { containerType: ['carousel'] } },
	},
	{
		...captionField,
		description:
			'Up to 2,200 characters, 30 hashtags and 20 @mentions. Only images, reels and carousels have captions: leave it empty for stories and carousel items.',
	},
	options,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['container'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const igUserId = getInstagramAccountId(this, itemIndex);
	const containerType = this.getNodeParameter('containerType', itemIndex) as ContainerType;
	const allTypes: ContainerType[] = ['image', 'reel', 'storyImage', 'storyVideo', 'carouselImageItem', 'carouselVideoItem', 'carousel'];
	if (!allTypes.includes(containerType)) {
		throw invalid(this, itemIndex, `Container Type "${String(containerType)}" is not supported`, `Use one of: ${allTypes.join(', ')}.`);
	}
	const spec: ContainerSpec = { type: containerType };
	if (containerType === 'carousel') {
		const children = String(this.getNodeParameter('children', itemIndex, '') ?? '')
			.split(/[\s,]+/)
			.map((id) => id.trim())
			.filter(Boolean);
		validateCarouselCount(this, itemIndex, children.length, 'Children');
		const bad = children.find((id) => !/^[0-9]+$/.test(id));
		if (bad) throw invalid(this, itemIndex, `Children: "${bad}" is not a container ID`, 'Use the containerId values returned by Container > Create (Carousel Image/Video Item).');
		spec.children = children;
	} else {
		Object.assign(spec, await readNodeMedia(this, itemIndex, isVideo(containerType) ? 'video' : 'image', 'Media URL'));
	}
	if (CAPTION_TYPES.includes(containerType)) {
		const caption = String(this.getNodeParameter('caption', itemIndex, '') ?? '');
		if (caption) {
			validateCaption(this, itemIndex, caption);
			spec.caption = caption;
		}
	} else {
		const caption = this.getNodeParameter('caption', itemIndex, '') as string;
		if (caption) {
			throw invalid(
				this,
				itemIndex,
				containerType.startsWith('story') ? 'Caption: stories cannot have a caption' : 'Caption: carousel items cannot have a caption',
				containerType.startsWith('story') ? 'Remove the caption; Instagram stories have none.' : 'Put the caption on the Carousel container instead.',
			);
		}
	}
	// Story tags may leave out the position; image tags need it.
	const tagCoordinates = containerType.startsWith('story') ? 'optional' : 'required';
	applyOptions(this, itemIndex, spec, getOptions(this, itemIndex), tagCoordinates);
	const containerId = await createContainer(this, itemIndex, igUserId, spec);
	return {
		containerId,
		containerType,
		instagramAccountId: igUserId,
		...(spec.binary ? { uploaded: true, uploadedBytes: spec.binary.data.length } : {}),
		...(spec.children ? { childContainerIds: spec.children } : {}),
	};
}
