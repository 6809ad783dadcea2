import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readOption, readText } from '../../../shared/parameters';
import type { WhatsAppMediaType } from '../../helpers/limits';
import { LIMITS, MEDIA_RULES } from '../../helpers/limits';
import { readMediaFile } from '../../helpers/mediaFile';
import type { PreparedMessage } from '../../helpers/sender';
import { inputBinaryField, mediaIdField } from '../media/shared';
import { messageDescription, messageOptions, startMessage } from './shared';

const MEDIA_TYPES: readonly WhatsAppMediaType[] = [
	'audio',
	'document',
	'image',
	'sticker',
	'video',
];
const MEDIA_SOURCES = ['url', 'mediaId', 'binary'] as const;

const fields: INodeProperties[] = [
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		default: 'image',
		options: [
			{ name: 'Audio', value: 'audio', description: MEDIA_RULES.audio.label },
			{ name: 'Document', value: 'document', description: MEDIA_RULES.document.label },
			{ name: 'Image', value: 'image', description: MEDIA_RULES.image.label },
			{ name: 'Sticker', value: 'sticker', description: MEDIA_RULES.sticker.label },
			{ name: 'Video', value: 'video', description: MEDIA_RULES.video.label },
		],
	},
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		default: 'url',
		options: [
			{
				name: 'URL',
				value: 'url',
				description: 'A public https URL that Meta downloads',
			},
			{
				name: 'Media ID',
				value: 'mediaId',
				description: 'An ID from Media > Upload with the same phone number',
			},
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A file from an earlier node, uploaded to Meta first',
			},
		],
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/invoice.pdf',
		displayOptions: { show: { mediaSource: ['url'] } },
	},
	{
		...mediaIdField,
		description: 'An ID from Media > Upload with the same sender phone number',
		displayOptions: { show: { mediaSource: ['mediaId'] } },
	},
	{
		...inputBinaryField('The name of the input binary field containing the file to send'),
		displayOptions: { show: { mediaSource: ['binary'] } },
	},
	{
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		description: 'Text shown under the media, at most 1,024 characters',
		displayOptions: { show: { mediaType: ['image', 'video', 'document'] } },
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. invoice-42.pdf',
		description: 'The name the recipient sees for the document',
		displayOptions: { show: { mediaType: ['document'] } },
	},
];

const optionsCollection = messageOptions([]);

export const description = messageDescription('sendMedia', fields, optionsCollection);

function mediaError(
	this: IExecuteFunctions,
	itemIndex: number,
	message: string,
	hint: string,
): never {
	throw new NodeOperationError(this.getNode(), message, { itemIndex, description: hint });
}

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const mediaType = (readOption<WhatsAppMediaType>).call(
		this,
		'mediaType',
		itemIndex,
		'Media Type',
		MEDIA_TYPES,
		'image',
	);
	const { phoneNumberId, to, body } = startMessage.call(this, itemIndex, mediaType);
	const source = readOption.call(
		this,
		'mediaSource',
		itemIndex,
		'Media Source',
		MEDIA_SOURCES,
		'url',
	);
	const media: IDataObject = {};
	let upload: PreparedMessage['upload'];
	if (source === 'url') {
		const url = readText.call(this, 'mediaUrl', itemIndex, 'Media URL', {
			required: true,
			allowNumber: false,
		});
		if (!/^https?:\/\/[^\s]+$/i.test(url)) {
			mediaError.call(
				this,
				itemIndex,
				`"Media URL" is not a web address: '${url.slice(0, 80)}'`,
				'Use a public http(s) URL that Meta can download, e.g. https://example.com/photo.jpg.',
			);
		}
		media.link = url;
	} else if (source === 'mediaId') {
		const id = readText.call(this, 'mediaId', itemIndex, 'Media ID', { required: true });
		if (!/^\d+$/.test(id)) {
			mediaError.call(
				this,
				itemIndex,
				`"Media ID" must contain digits only: '${id.slice(0, 40)}'`,
				'Use the ID returned by Media > Upload (from the same sender phone number).',
			);
		}
		media.id = id;
	} else {
		const property = readText.call(this, 'binaryPropertyName', itemIndex, 'Input Binary Field', {
			required: true,
			allowNumber: false,
		});
		upload = await readMediaFile.call(this, itemIndex, property, { mediaType });
		if (mediaType === 'document' && upload.fileName) media.filename = upload.fileName;
	}
	if (['image', 'video', 'document'].includes(mediaType)) {
		const caption = readText.call(this, 'caption', itemIndex, 'Caption', {
			trim: false,
			maxLength: LIMITS.caption,
		});
		if (caption.trim()) media.caption = caption;
	}
	if (mediaType === 'document') {
		const fileName = readText.call(this, 'fileName', itemIndex, 'File Name');
		if (fileName) media.filename = fileName;
	}
	body[mediaType] = media;
	return { itemIndex, phoneNumberId, body, upload, summary: { to, type: mediaType } };
}
