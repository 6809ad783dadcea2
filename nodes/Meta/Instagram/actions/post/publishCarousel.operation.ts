import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	altTextOption,
	binaryPropertyField,
	captionField,
	collaboratorsOption,
	locationIdOption,
	maxWaitOption,
	mediaSourceField,
	mediaUrlField,
	optionsCollection,
} from '../../helpers/fields';
import { applyOptions, getInstagramAccountId, getMaxWaitMs, getOptions, readCaption, readMedia } from '../../helpers/input';
import type { ContainerSpec } from '../../helpers/publishing';
import { publishPost } from '../../helpers/publishing';
import {
	invalid,
	parseUserTagsJson,
	validateAltText,
	validateCarouselCount,
	validateUserTags,
} from '../../helpers/validation';

const options = optionsCollection([collaboratorsOption, locationIdOption, maxWaitOption]);

const properties: INodeProperties[] = [
	{
		displayName: 'Items Input',
		name: 'carouselInput',
		type: 'options',
		default: 'defined',
		options: [
			{ name: 'Define Below', value: 'defined', description: 'Add each image or video in the list below' },
			{
				name: 'From JSON',
				value: 'json',
				description: 'An array from an expression, e.g. built by an earlier node',
			},
		],
	},
	{
		displayName: 'Carousel Items',
		name: 'carouselItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Item',
		description: '2 to 10 images and videos, shown in this order. All are cropped to the first item\'s aspect ratio.',
		displayOptions: { show: { carouselInput: ['defined'] } },
		options: [
			{
				name: 'items',
				displayName: 'Item',
				values: [
					{ ...altTextOption, displayOptions: { show: { mediaType: ['image'] } } },
					{ ...binaryPropertyField, displayOptions: { show: { mediaSource: ['binary'], mediaType: ['video'] } } },
					mediaSourceField('imageOrVideo'),
					{
						displayName: 'Media Type',
						name: 'mediaType',
						type: 'options',
						default: 'image',
						options: [
							{ name: 'Image', value: 'image' },
							{ name: 'Video', value: 'video' },
						],
					},
					mediaUrlField('Media URL', 'e.g. https://example.com/photo-1.jpg', 'Public https URL of a JPEG image or an MP4/MOV video'),
					{
						displayName: 'User Tags (JSON)',
						name: 'userTags',
						type: 'string',
						default: '',
						placeholder: 'e.g. [{"username": "jane", "x": 0.5, "y": 0.8}]',
						description: 'People to tag on this image, with positions between 0 and 1 (videos in carousels cannot be tagged)',
						displayOptions: { show: { mediaType: ['image'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Carousel Items (JSON)',
		name: 'carouselItemsJson',
		type: 'json',
		default: '[]',
		description:
			'Array of items: {"mediaType": "image" or "video", "mediaUrl": "https://...", "altText": "...", "userTags": [{"username": "jane", "x": 0.5, "y": 0.5}]}, or {"mediaType": "video", "mediaSource": "binary", "binaryPropertyName": "data"}',
		displayOptions: { show: { carouselInput: ['json'] } },
	},
	captionField,
	options,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['post'], operation: ['publishCarousel'] } },
	properties,
);

function readItems(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const input = ctx.getNodeParameter('carouselInput', itemIndex, 'defined') as string;
	if (input !== 'json') {
		const collection = ctx.getNodeParameter('carouselItems', itemIndex, {}) as IDataObject;
		return (collection.items ?? []) as IDataObject[];
	}
	let value = ctx.getNodeParameter('carouselItemsJson', itemIndex, '[]') as unknown;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw invalid(ctx, itemIndex, 'Carousel Items (JSON) is not valid JSON', 'Use an array, e.g. [{"mediaType": "image", "mediaUrl": "https://example.com/1.jpg"}].');
		}
	}
	if (!Array.isArray(value)) {
		throw invalid(ctx, itemIndex, 'Carousel Items (JSON) must be an array', 'e.g. [{"mediaType": "image", "mediaUrl": "https://example.com/1.jpg"}, ...]');
	}
	return value as IDataObject[];
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const igUserId = getInstagramAccountId(this, itemIndex);
	const items = readItems(this, itemIndex);
	validateCarouselCount(this, itemIndex, items.length);
	const children: ContainerSpec[] = [];
	for (const [position, item] of items.entries()) {
		const label = `Carousel item ${position + 1}`;
		const mediaType = String(item.mediaType ?? item.type ?? 'image').toLowerCase();
		if (mediaType !== 'image' && mediaType !== 'video') {
			throw invalid(this, itemIndex, `${label}: unsupported media type "${mediaType}"`, 'Carousel items are images or videos (reels cannot be carousel items).');
		}
		const media = await readMedia(this, itemIndex, mediaType, `${label} media`, {
			mediaSource: String(item.mediaSource ?? 'url'),
			mediaUrl: (item.mediaUrl ?? item.url) as string | undefined,
			binaryPropertyName: item.binaryPropertyName as string | undefined,
		});
		const spec: ContainerSpec = {
			type: mediaType === 'video' ? 'carouselVideoItem' : 'carouselImageItem',
			...media,
			label,
		};
		if (mediaType === 'image') {
			if (item.altText) {
				validateAltText(this, itemIndex, String(item.altText), `${label} alt text`);
				spec.altText = String(item.altText);
			}
			const tags = parseUserTagsJson(this, itemIndex, item.userTags, `${label} user tags`);
			if (tags.length) {
				spec.userTags = validateUserTags(this, itemIndex, tags, { field: `${label} user tags`, coordinates: 'required' });
			}
		} else if (item.userTags && parseUserTagsJson(this, itemIndex, item.userTags, `${label} user tags`).length) {
			throw invalid(this, itemIndex, `${label}: videos inside a carousel cannot be tagged`, 'Remove the user tags from this video item.');
		}
		children.push(spec);
	}
	const values = getOptions(this, itemIndex);
	const caption = readCaption(this, itemIndex);
	const parent = applyOptions(this, itemIndex, { type: 'carousel', caption }, values, 'required');
	return await publishPost(this, itemIndex, {
		igUserId,
		children,
		parent,
		maxWaitMs: getMaxWaitMs(values),
		caption,
		story: false,
	});
}
