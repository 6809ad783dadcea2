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
import { readOption, readText } from '../../../shared/parameters';
import type { ContainerSpec, ContainerType } from '../../helpers/containers';
import { CONTAINER_TYPES, createContainer, isVideo } from '../../helpers/containers';
import {
	applyOptions,
	getInstagramAccountId,
	getOptions,
	readCaption,
	readNodeMedia,
} from '../../helpers/input';
import { invalid, validateCarouselCount } from '../../helpers/validation';

const IMAGE_TYPES = ['image', 'storyImage', 'carouselImageItem'];
const VIDEO_TYPES = ['reel', 'storyVideo', 'carouselVideoItem'];
const CAPTION_TYPES: ContainerType[] = ['image', 'reel', 'carousel'];

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
			{
				name: 'Carousel',
				value: 'carousel',
				description: 'The carousel itself, from 2 to 10 item containers',
			},
			{
				name: 'Carousel Image Item',
				value: 'carouselImageItem',
				description: 'An image for a later carousel',
			},
			{
				name: 'Carousel Video Item',
				value: 'carouselVideoItem',
				description: 'A video for a later carousel',
			},
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
	{
		...imageBinaryNotice,
		displayOptions: { show: { mediaSource: ['binary'], containerType: IMAGE_TYPES } },
	},
	{
		...mediaUrlField(
			'Media URL',
			'e.g. https://example.com/video.mp4',
			'Public https URL: a JPEG image or an MP4/MOV video, depending on the type',
		),
		displayOptions: { show: { mediaSource: ['url'] }, hide: { containerType: ['carousel'] } },
	},
	{
		...binaryPropertyField,
		displayOptions: { show: { mediaSource: ['binary'], containerType: VIDEO_TYPES } },
	},
	{
		displayName: 'Children',
		name: 'children',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 17889455560051444, 17889455560051445',
		description:
			'IDs of 2 to 10 FINISHED carousel item containers, separated by commas, in display order',
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
	const igUserId = getInstagramAccountId.call(this, itemIndex);
	const containerType = (readOption<ContainerType>).call(
		this,
		'containerType',
		itemIndex,
		'Container Type',
		CONTAINER_TYPES,
	);
	let spec: ContainerSpec = { type: containerType };
	let warnings: string[] = [];
	if (containerType === 'carousel') {
		const children = readText
			.call(this, 'children', itemIndex, 'Children')
			.split(/[\s,]+/)
			.map((id) => id.trim())
			.filter(Boolean);
		validateCarouselCount.call(this, itemIndex, children.length, 'Children');
		const bad = children.find((id) => !/^[0-9]+$/.test(id));
		if (bad)
			throw invalid.call(
				this,
				itemIndex,
				`Children: "${bad.slice(0, 40)}" is not a container ID`,
				'Use the containerId values returned by Container > Create (Carousel Image/Video Item).',
			);
		spec.children = children;
	} else {
		const { warnings: mediaWarnings = [], ...media } = await readNodeMedia.call(
			this,
			itemIndex,
			isVideo(containerType) ? 'video' : 'image',
			'Media URL',
		);
		Object.assign(spec, media);
		warnings = mediaWarnings;
	}
	const caption = readCaption.call(this, itemIndex);
	if (caption !== undefined && CAPTION_TYPES.includes(containerType)) {
		spec.caption = caption;
	} else if (caption !== undefined) {
		throw invalid.call(
			this,
			itemIndex,
			containerType.startsWith('story')
				? 'Caption: stories cannot have a caption'
				: 'Caption: carousel items cannot have a caption',
			containerType.startsWith('story')
				? 'Remove the caption; Instagram stories have none.'
				: 'Put the caption on the Carousel container instead.',
		);
	}
	// Story tags may leave out the position; image tags need it.
	const tagCoordinates = containerType.startsWith('story') ? 'optional' : 'required';
	const applied = applyOptions.call(
		this,
		itemIndex,
		spec,
		getOptions.call(this, itemIndex),
		tagCoordinates,
	);
	spec = applied.spec;
	warnings.push(...applied.warnings);
	const containerId = await createContainer.call(this, itemIndex, igUserId, spec);
	return {
		containerId,
		containerType,
		instagramAccountId: igUserId,
		...(spec.binary ? { uploaded: true, uploadedBytes: spec.binary.data.length } : {}),
		...(spec.children ? { childContainerIds: spec.children } : {}),
		...(warnings.length ? { warnings } : {}),
	};
}
