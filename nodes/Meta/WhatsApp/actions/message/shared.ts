import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, jsonParse, updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberLocator } from '../../../shared/descriptions/phoneNumber';
import type { TextRules } from '../../../shared/parameters';
import { expectText, readCollection, readText } from '../../../shared/parameters';
import { DEFAULT_MAX_PARALLEL_REQUESTS, DEFAULT_MESSAGES_PER_SECOND } from '../../helpers/bulk';
import { LIMITS } from '../../helpers/limits';
import { getRecipient, isBusinessScopedUserId } from '../../helpers/recipient';

export const recipientField: INodeProperties = {
	displayName: 'Recipient Phone Number',
	name: 'to',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. +1 650 555 1234',
	description:
		'Full international number with the country code. Spaces, dashes, brackets and a leading 00 are fine; it is sent in E.164 form. A business-scoped user ID from the Meta Trigger (e.g. US.13491208655302741918, for users whose number Meta withholds) is sent as such.',
};

function pacingOption(
	displayName: string,
	name: string,
	defaultValue: number,
	maxValue: number,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'number',
		default: defaultValue,
		typeOptions: { minValue: 1, maxValue },
		description,
	};
}

export const messagesPerSecondOption = pacingOption(
	'Messages Per Second',
	'messagesPerSecond',
	DEFAULT_MESSAGES_PER_SECOND,
	1000,
	"How fast to send when the node gets many items. Meta's default throughput per business number is 80; numbers upgraded by Meta reach 1,000. Throttling replies slow the pace automatically.",
);

export const maxParallelRequestsOption = pacingOption(
	'Max Parallel Requests',
	'maxParallelRequests',
	DEFAULT_MAX_PARALLEL_REQUESTS,
	500,
	'How many sends may wait for Meta at the same time. 1 sends one message after another.',
);

export const replyToOption: INodeProperties = {
	displayName: 'Reply To Message ID',
	name: 'replyToMessageId',
	type: 'string',
	default: '',
	placeholder: 'e.g. wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA',
	description: 'Quote this earlier message (its wamid) in the chat',
};

export const callbackDataOption: INodeProperties = {
	displayName: 'Callback Data',
	name: 'callbackData',
	type: 'string',
	default: '',
	placeholder: 'e.g. order-42',
	description:
		"Your own reference, returned in the message's status webhooks (at most 512 characters)",
};

/**
 * The description of a message operation: `leading` fields, the sender, the recipient (unless
 * `recipient` is false), the operation's own fields, then its Options collection.
 */
export function messageDescription(
	operation: string,
	fields: INodeProperties[],
	options: INodeProperties,
	layout: { leading?: INodeProperties[]; recipient?: boolean } = {},
): INodeProperties[] {
	const properties = [
		...(layout.leading ?? []),
		phoneNumberLocator,
		...(layout.recipient === false ? [] : [recipientField]),
		...fields,
		options,
	];
	return updateDisplayOptions(
		{ show: { resource: ['message'], operation: [operation] } },
		properties,
	);
}

/** The Options collection of a message operation: its own extras plus pacing. */
export function messageOptions(extra: INodeProperties[], withContext = true): INodeProperties {
	const options = [...extra];
	if (withContext) options.push(callbackDataOption, replyToOption);
	options.push(maxParallelRequestsOption, messagesPerSecondOption);
	return optionsCollection(options);
}

/** An operation's Options collection, its options in alphabetical order. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export function getPhoneNumberId(this: IExecuteFunctions, itemIndex: number): string {
	const value = readText.call(this, 'phoneNumberId', itemIndex, 'Sender Phone Number', {
		extractValue: true,
	});
	if (!/^\d+$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			value
				? `'${value.slice(0, 40)}' is not a Phone Number ID`
				: 'No sender phone number selected',
			{
				itemIndex,
				description:
					'Pick the number under "Sender Phone Number", or enter its Phone Number ID (digits, from WhatsApp Manager or WhatsApp > API Setup), not the phone number itself.',
			},
		);
	}
	return value;
}

export function getOptions(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return readCollection.call(this, 'options', itemIndex, 'Options');
}

/**
 * A text option of a collection: '' when the option was not added; an option added with an
 * expression that gave null, undefined, an object or a list is refused, not sent as "null".
 */
export function optionText(
	this: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	key: string,
	label: string,
	rules: TextRules = {},
): string {
	const value = Object.prototype.hasOwnProperty.call(options, key) ? options[key] : '';
	return expectText(this.getNode(), value, { label, itemIndex }, rules);
}

/** How every send starts: the sender, the E.164 recipient and Meta's envelope for `type`. */
export function startMessage(
	this: IExecuteFunctions,
	itemIndex: number,
	type: string,
	withContext = true,
): { phoneNumberId: string; to: string; body: IDataObject } {
	const phoneNumberId = getPhoneNumberId.call(this, itemIndex);
	const to = getRecipient.call(this, itemIndex);
	return { phoneNumberId, to, body: messageEnvelope.call(this, itemIndex, to, type, withContext) };
}

/**
 * The envelope every send shares, with the optional reply context and callback data
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
 */
export function messageEnvelope(
	this: IExecuteFunctions,
	itemIndex: number,
	to: string,
	type: string,
	withContext = true,
): IDataObject {
	// A business-scoped user id goes in `recipient`: in `to` Meta would read it as a phone number,
	// answer 200 and deliver nothing.
	// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
	const body: IDataObject = {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		...(isBusinessScopedUserId(to) ? { recipient: to } : { to }),
		type,
	};
	if (withContext) {
		const options = getOptions.call(this, itemIndex);
		const replyTo = optionText.call(
			this,
			itemIndex,
			options,
			'replyToMessageId',
			'Reply To Message ID',
		);
		if (replyTo) body.context = { message_id: replyTo };
		const callbackData = optionText.call(
			this,
			itemIndex,
			options,
			'callbackData',
			'Callback Data',
			{
				maxLength: LIMITS.callbackData,
			},
		);
		if (callbackData) body.biz_opaque_callback_data = callbackData;
	}
	return body;
}

/** Parses a raw-JSON parameter; an invalid value stops with an error naming the field. */
export function parseJsonParameter<T>(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	fieldLabel: string,
): T {
	if (typeof value !== 'string') return value as T;
	try {
		return jsonParse<T>(value);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `"${fieldLabel}" is not valid JSON`, {
			itemIndex,
			description: `Fix the JSON in "${fieldLabel}": ${(error as Error).message}`,
		});
	}
}
