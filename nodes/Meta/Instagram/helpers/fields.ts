/**
 * Parameter definitions shared by several operations. The same internal name is used wherever
 * a value means the same thing, so switching operation keeps what the user typed.
 */
import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_MAX_WAIT_SECONDS = 300;

/** An operation's Options collection (n8n lists the options in alphabetical order). */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	};
}

/** Publish Image has no Media Source: Instagram only fetches images from a public URL. */
export function mediaSourceField(kind: 'video' | 'imageOrVideo'): INodeProperties {
	return {
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		default: 'url',
		options: [
			{
				name: 'Public URL',
				value: 'url',
				description: 'Meta downloads the file from a public https URL',
			},
			{
				name: 'Binary File',
				value: 'binary',
				description:
					"A file from an earlier node (e.g. Read Binary File, HTTP Request), uploaded with Meta's resumable upload. Videos only.",
			},
		],
		description:
			kind === 'video'
				? 'Where the video comes from: a public URL, or binary data uploaded to Meta'
				: 'Where the media comes from. Videos can be uploaded from binary data; images must be a public URL.',
	};
}

export const imageBinaryNotice: INodeProperties = {
	displayName:
		'Instagram only fetches images from a public URL: image files cannot be uploaded. Put the image somewhere public over https (S3, Cloudinary, your website) and use Public URL. Videos can be uploaded from binary data.',
	name: 'imageBinaryNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { mediaSource: ['binary'] } },
};

/** The media URL; `withSource: false` when the operation has no Media Source (Publish Image). */
export function mediaUrlField(
	displayName: string,
	placeholder: string,
	description: string,
	withSource = true,
): INodeProperties {
	return {
		displayName,
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder,
		description,
		...(withSource ? { displayOptions: { show: { mediaSource: ['url'] } } } : {}),
	};
}

export const binaryPropertyField: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the input binary field containing the video (MP4 or MOV)',
	displayOptions: { show: { mediaSource: ['binary'] } },
};

export const captionField: INodeProperties = {
	displayName: 'Caption',
	name: 'caption',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	placeholder: 'e.g. New menu today! #coffee @ourbarista',
	description: 'Up to 2,200 characters, 30 hashtags and 20 @mentions',
};

export const altTextOption: INodeProperties = {
	displayName: 'Alt Text',
	name: 'altText',
	type: 'string',
	default: '',
	placeholder: 'e.g. A cup of coffee on a wooden table',
	description: 'Description of the image for screen readers, up to 1,000 characters (images only)',
};

export const audioNameOption: INodeProperties = {
	displayName: 'Audio Name',
	name: 'audioName',
	type: 'string',
	default: '',
	placeholder: 'e.g. Morning Jam',
	description: "Name of the reel's original audio. It can only be set once.",
};

export const collaboratorsOption: INodeProperties = {
	displayName: 'Collaborators',
	name: 'collaborators',
	type: 'string',
	default: '',
	placeholder: 'e.g. jane.doe, acme_shop',
	description: 'Up to 3 usernames, separated by commas, invited as collaborators on the post',
};

export const coverUrlOption: INodeProperties = {
	displayName: 'Cover URL',
	name: 'coverUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://example.com/cover.jpg',
	description: 'Public https URL of a JPEG cover image for the reel; it wins over Thumbnail Offset',
};

export const locationIdOption: INodeProperties = {
	displayName: 'Location ID',
	name: 'locationId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 110843418940484',
	description:
		"ID of a Facebook Page that has an address; Instagram shows it as the post's location",
};

export const maxWaitOption: INodeProperties = {
	displayName: 'Max Wait (Seconds)',
	name: 'maxWaitSeconds',
	type: 'number',
	default: DEFAULT_MAX_WAIT_SECONDS,
	typeOptions: { minValue: 0 },
	description:
		'How long to wait for Meta to process the media. When it runs out, the item returns the container IDs and their status instead of failing: finish later with a Wait node and Container > Publish.',
};

export const shareToFeedOption: INodeProperties = {
	displayName: 'Share to Feed',
	name: 'shareToFeed',
	type: 'boolean',
	default: true,
	description:
		"Whether the reel also appears in the profile's main feed (otherwise only in the Reels tab)",
};

export const thumbOffsetOption: INodeProperties = {
	displayName: 'Thumbnail Offset (Ms)',
	name: 'thumbOffset',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0 },
	description: 'Where the cover frame is taken from, in milliseconds from the start of the video',
};

export function userTagsOption(coordinates: 'required' | 'optional' | 'ignored'): INodeProperties {
	const values: INodeProperties[] = [
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			placeholder: 'e.g. jane.doe',
			description: 'Instagram username of the person to tag',
		},
	];
	if (coordinates !== 'ignored') {
		values.push(
			{
				displayName: 'X',
				name: 'x',
				type: 'number',
				default: 0.5,
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				description: 'Horizontal position from the left edge: 0 is left, 1 is right',
			},
			{
				displayName: 'Y',
				name: 'y',
				type: 'number',
				default: 0.5,
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				description: 'Vertical position from the top edge: 0 is top, 1 is bottom',
			},
		);
	}
	return {
		displayName: 'User Tags',
		name: 'userTags',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Tag',
		description:
			coordinates === 'ignored'
				? 'People to tag in the reel (reels have no tag position)'
				: 'People to tag, with their position on the image',
		options: [{ name: 'tags', displayName: 'Tag', values }],
	};
}
