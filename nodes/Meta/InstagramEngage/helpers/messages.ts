/**
 * Message bodies of the Send API and of private replies, checked before sending:
 * https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api
 * (text: UTF-8, at most 1000 bytes) and the Messenger Platform quick replies and generic template
 * (https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies,
 * https://developers.facebook.com/docs/messenger-platform/send-messages/template/generic).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	expectList,
	expectObject,
	expectText,
	invalidField,
	readText,
} from '../../shared/parameters';

export const MESSAGE_MAX_BYTES = 1000;
export const QUICK_REPLIES_MAX = 13;
export const QUICK_REPLY_TITLE_MAX = 20;
const PAYLOAD_MAX = 1000;
const CARD_TEXT_MAX = 80;
const CARD_BUTTONS_MAX = 3;

function byteLength(text: string): number {
	return new TextEncoder().encode(text).length;
}

/** A message text: not empty, at most 1000 bytes of UTF-8 (emoji and accents take several). */
export function checkMessageText(
	this: IExecuteFunctions,
	text: string,
	itemIndex: number,
	label = 'Text',
): string {
	if (text.trim() === '') {
		throw invalidField(
			this.getNode(),
			{ label, itemIndex },
			'is empty',
			`Enter the ${label} to send.`,
		);
	}
	const bytes = byteLength(text);
	if (bytes > MESSAGE_MAX_BYTES) {
		throw invalidField(
			this.getNode(),
			{ label, itemIndex },
			`is ${bytes} bytes long; Meta accepts at most ${MESSAGE_MAX_BYTES} bytes of UTF-8 (accented letters and emoji count 2 to 4 bytes)`,
			`Shorten ${label}.`,
		);
	}
	return text;
}

/** An https URL (Meta fetches media and opens buttons only over https). */
export function checkUrl(
	this: IExecuteFunctions,
	value: string,
	itemIndex: number,
	label: string,
): string {
	let url: URL | undefined;
	try {
		url = new URL(value);
	} catch {
		url = undefined;
	}
	if (!url || url.protocol !== 'https:') {
		throw invalidField(
			this.getNode(),
			{ label, itemIndex },
			'is not an https URL',
			`Give ${label} as a full https:// address.`,
		);
	}
	return value;
}

/** The entries of a multiple-values fixed collection (`{ values: [...] }`), checked by kind. */
function fixedCollectionEntries(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): unknown[] {
	const field = { label, itemIndex };
	const collection = expectObject(
		this.getNode(),
		this.getNodeParameter(name, itemIndex, {}),
		field,
	);
	return expectList(this.getNode(), collection.values, field);
}

/** The Quick Replies collection as Meta's `quick_replies`, or undefined when there are none. */
export function readQuickReplies(
	this: IExecuteFunctions,
	itemIndex: number,
): IDataObject[] | undefined {
	const node = this.getNode();
	const list = fixedCollectionEntries.call(this, 'quickReplies', itemIndex, 'Quick Replies');
	if (list.length === 0) return undefined;
	if (list.length > QUICK_REPLIES_MAX) {
		throw invalidField(
			node,
			{ label: 'Quick Replies', itemIndex },
			`has ${list.length} entries; Meta accepts at most ${QUICK_REPLIES_MAX}`,
			`Keep ${QUICK_REPLIES_MAX} quick replies or fewer.`,
		);
	}
	return list.map((entry, index) => {
		const field = { label: `Quick Reply ${index + 1}`, itemIndex };
		const value = expectObject(node, entry, field);
		const title = expectText(
			node,
			value.title,
			{ label: `Quick Reply ${index + 1} Title`, itemIndex },
			{
				required: true,
				maxLength: QUICK_REPLY_TITLE_MAX,
			},
		);
		const payload = expectText(
			node,
			value.payload ?? '',
			{ label: `Quick Reply ${index + 1} Payload`, itemIndex },
			{
				maxLength: PAYLOAD_MAX,
			},
		);
		return { content_type: 'text', title, payload: payload || title };
	});
}

/** The generic template card (one element, up to 3 buttons). */
export function readCard(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = this.getNode();
	const title = readText.call(this, 'cardTitle', itemIndex, 'Card Title', {
		required: true,
		maxLength: CARD_TEXT_MAX,
	});
	const subtitle = readText.call(this, 'cardSubtitle', itemIndex, 'Card Subtitle', {
		maxLength: CARD_TEXT_MAX,
	});
	const imageUrl = readText.call(this, 'cardImageUrl', itemIndex, 'Card Image URL');
	const defaultUrl = readText.call(this, 'cardDefaultUrl', itemIndex, 'Card Link');
	const list = fixedCollectionEntries.call(this, 'cardButtons', itemIndex, 'Card Buttons');
	if (list.length > CARD_BUTTONS_MAX) {
		throw invalidField(
			node,
			{ label: 'Card Buttons', itemIndex },
			`has ${list.length} buttons; Meta accepts at most ${CARD_BUTTONS_MAX}`,
			`Keep ${CARD_BUTTONS_MAX} buttons or fewer.`,
		);
	}
	const buttons = list.map((entry, index) => {
		const label = `Card Button ${index + 1}`;
		const value = expectObject(node, entry, { label, itemIndex });
		const buttonTitle = expectText(
			node,
			value.title,
			{ label: `${label} Title`, itemIndex },
			{
				required: true,
				maxLength: QUICK_REPLY_TITLE_MAX,
			},
		);
		if (value.type === 'postback') {
			const payload = expectText(
				node,
				value.payload,
				{ label: `${label} Payload`, itemIndex },
				{
					required: true,
					maxLength: PAYLOAD_MAX,
				},
			);
			return { type: 'postback', title: buttonTitle, payload };
		}
		const url = expectText(
			node,
			value.url,
			{ label: `${label} URL`, itemIndex },
			{ required: true },
		);
		return {
			type: 'web_url',
			title: buttonTitle,
			url: checkUrl.call(this, url, itemIndex, `${label} URL`),
		};
	});
	const element: IDataObject = { title };
	if (subtitle) element.subtitle = subtitle;
	if (imageUrl) element.image_url = checkUrl.call(this, imageUrl, itemIndex, 'Card Image URL');
	if (defaultUrl) {
		element.default_action = {
			type: 'web_url',
			url: checkUrl.call(this, defaultUrl, itemIndex, 'Card Link'),
		};
	}
	if (buttons.length) element.buttons = buttons;
	return {
		attachment: { type: 'template', payload: { template_type: 'generic', elements: [element] } },
	};
}
