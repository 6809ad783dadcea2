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
import {
	collectionValue,
	expectList,
	expectObject,
	expectText,
	readCollection,
	readOption,
} from '../../../shared/parameters';
import type { ContainerSpec } from '../../helpers/containers';
import {
	applyOptions,
	getInstagramAccountId,
	getMaxWaitMs,
	getOptions,
	readCaption,
	readMedia,
} from '../../helpers/input';
import {
	invalid,
	parseUserTagsJson,
	validateAltText,
	validateCarouselCount,
	validateUserTags,
} from '../../helpers/validation';
import type { PreparedPost } from './shared';
import { preparedPost } from './shared';

const options = optionsCollection([collaboratorsOption, locationIdOption, maxWaitOption]);

const properties: INodeProperties[] = [
	{
		displayName: 'Items Input',
		name: 'carouselInput',
		type: 'options',
		default: 'defined',
		options: [
			{
				name: 'Define Below',
				value: 'defined',
				description: 'Add each image or video in the list below',
			},
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
		description:
			"2 to 10 images and videos, shown in this order. All are cropped to the first item's aspect ratio.",
		displayOptions: { show: { carouselInput: ['defined'] } },
		options: [
			{
				name: 'items',
				displayName: 'Item',
				values: [
					{ ...altTextOption, displayOptions: { show: { mediaType: ['image'] } } },
					{
						...binaryPropertyField,
						displayOptions: { show: { mediaSource: ['binary'], mediaType: ['video'] } },
					},
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
					mediaUrlField(
						'Media URL',
						'e.g. https://example.com/photo-1.jpg',
						'Public https URL of a JPEG image or an MP4/MOV video',
					),
					{
						displayName: 'User Tags (JSON)',
						name: 'userTags',
						type: 'string',
						default: '',
						placeholder: 'e.g. [{"username": "jane", "x": 0.5, "y": 0.8}]',
						description:
							'People to tag on this image, with positions between 0 and 1 (videos in carousels cannot be tagged)',
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

function readItems(this: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const node = this.getNode();
	const input = (readOption<'defined' | 'json'>).call(
		this,
		'carouselInput',
		itemIndex,
		'Items Input',
		['defined', 'json'],
		'defined',
	);
	let list: unknown[];
	if (input !== 'json') {
		const collection = readCollection.call(this, 'carouselItems', itemIndex, 'Carousel Items');
		list = expectList(node, collection.items, { label: 'Carousel Items', itemIndex });
	} else {
		let value = this.getNodeParameter('carouselItemsJson', itemIndex, '[]') as unknown;
		if (typeof value === 'string') {
			try {
				value = JSON.parse(value);
			} catch {
				throw invalid.call(
					this,
					itemIndex,
					'Carousel Items (JSON) is not valid JSON',
					'Use an array, e.g. [{"mediaType": "image", "mediaUrl": "https://example.com/1.jpg"}].',
				);
			}
		}
		if (!Array.isArray(value)) {
			throw invalid.call(
				this,
				itemIndex,
				'Carousel Items (JSON) must be an array',
				'e.g. [{"mediaType": "image", "mediaUrl": "https://example.com/1.jpg"}, ...]',
			);
		}
		list = value;
	}
	return list.map((entry, position) =>
		expectObject(node, entry, { label: `Carousel item ${position + 1}`, itemIndex }),
	);
}

/** One carousel item as a container spec, checked as Meta would. */
async function readChild(
	this: IExecuteFunctions,
	itemIndex: number,
	item: IDataObject,
	position: number,
): Promise<{ spec: ContainerSpec; warnings: string[] }> {
	const node = this.getNode();
	const label = `Carousel item ${position + 1}`;
	// An entry whose expression gave null or undefined is refused, not replaced by the default
	// (image, URL): the post would go out with another media than the one meant.
	const typeField = { label: `${label} media type`, itemIndex };
	const givenType =
		collectionValue(node, item, 'mediaType', typeField, label) ??
		collectionValue(node, item, 'type', typeField, label);
	const mediaType = expectText(node, givenType ?? 'image', typeField, {
		allowNumber: false,
	}).toLowerCase();
	if (mediaType !== 'image' && mediaType !== 'video') {
		throw invalid.call(
			this,
			itemIndex,
			`${label}: unsupported media type "${mediaType.slice(0, 40)}"`,
			'Carousel items are images or videos (reels cannot be carousel items).',
		);
	}
	const { warnings = [], ...media } = await readMedia.call(
		this,
		itemIndex,
		mediaType,
		`${label} media`,
		{
			mediaSource:
				collectionValue(
					node,
					item,
					'mediaSource',
					{ label: `${label} media source`, itemIndex },
					label,
				) ?? 'url',
			mediaUrl: 'mediaUrl' in item || !('url' in item) ? item.mediaUrl : item.url,
			binaryPropertyName: item.binaryPropertyName,
		},
	);
	const spec: ContainerSpec = {
		type: mediaType === 'video' ? 'carouselVideoItem' : 'carouselImageItem',
		...media,
		label,
	};
	const tags = parseUserTagsJson.call(this, itemIndex, item.userTags, `${label} user tags`);
	if (mediaType === 'image') {
		const altText = expectText(
			node,
			item.altText ?? '',
			{ label: `${label} alt text`, itemIndex },
			{ allowNumber: false },
		);
		if (altText) {
			validateAltText.call(this, itemIndex, altText, `${label} alt text`);
			spec.altText = altText;
		}
		if (tags.length) {
			spec.userTags = validateUserTags.call(this, itemIndex, tags, {
				field: `${label} user tags`,
				coordinates: 'required',
			});
		}
	} else if (tags.length) {
		throw invalid.call(
			this,
			itemIndex,
			`${label}: videos inside a carousel cannot be tagged`,
			'Remove the user tags from this video item.',
		);
	}
	return { spec, warnings };
}

/** Reads and checks the item; nothing is sent until the returned function runs. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedPost> {
	const igUserId = getInstagramAccountId.call(this, itemIndex);
	const items = readItems.call(this, itemIndex);
	validateCarouselCount.call(this, itemIndex, items.length);
	const children: ContainerSpec[] = [];
	const warnings: string[] = [];
	for (const [position, item] of items.entries()) {
		const child = await readChild.call(this, itemIndex, item, position);
		children.push(child.spec);
		warnings.push(...child.warnings);
	}
	const values = getOptions.call(this, itemIndex);
	const caption = readCaption.call(this, itemIndex);
	const parent = applyOptions.call(
		this,
		itemIndex,
		{ type: 'carousel', caption },
		values,
		'required',
	);
	return preparedPost.call(this, itemIndex, {
		igUserId,
		children,
		parent: parent.spec,
		maxWaitMs: getMaxWaitMs.call(this, itemIndex, values),
		caption,
		story: false,
		warnings: [...warnings, ...parent.warnings],
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await (
		await prepare.call(this, itemIndex)
	)();
}
