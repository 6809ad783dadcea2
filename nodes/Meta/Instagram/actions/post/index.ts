import type { INodeProperties } from 'n8n-workflow';

import * as publishCarousel from './publishCarousel.operation';
import * as publishImage from './publishImage.operation';
import * as publishReel from './publishReel.operation';
import * as publishStory from './publishStory.operation';

export { publishCarousel, publishImage, publishReel, publishStory };

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['post'] } },
	options: [
		{
			name: 'Publish Carousel',
			value: 'publishCarousel',
			description: 'Publish 2 to 10 images and videos as one post',
			action: 'Publish a carousel which writes once and is never repeated on retry',
		},
		{
			name: 'Publish Image',
			value: 'publishImage',
			description: 'Publish a single image post',
			action: 'Publish an image which writes once and is never repeated on retry',
		},
		{
			name: 'Publish Reel',
			value: 'publishReel',
			description: 'Publish a video as a reel, from a URL or binary data',
			action: 'Publish a reel which writes once and is never repeated on retry',
		},
		{
			name: 'Publish Story',
			value: 'publishStory',
			description: 'Publish an image or video story',
			action: 'Publish a story which writes once and is never repeated on retry',
		},
	],
	default: 'publishImage',
};

export const fields: INodeProperties[] = [
	...publishImage.description,
	...publishReel.description,
	...publishCarousel.description,
	...publishStory.description,
];
