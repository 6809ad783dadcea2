import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, jsonParse, updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberLocator } from '../../../shared/descriptions/phoneNumber';
import { metaErrorItem } from '../../../shared/errors';
import { getRecipient } from '../../helpers/recipient';
import type { PreparedMessage } from '../../helpers/sender';
import { sendPrepared } from '../../helpers/sender';

export const DEFAULT_MESSAGES_PER_SECOND = 80;
export const DEFAULT_MAX_PARALLEL_REQUESTS = 50;

export const recipientField: INodeProperties = {
	displayName: 'Recipient Phone Number',
	name: 'to',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. +1 650 555 1234',
	description:
		'Full international number with the country code. Spaces, dashes, brackets and a leading 00 are fine; it is sent in E.164 form.',
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
	description: "Your own reference, returned in the message's status webhooks",
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
	return updateDisplayOptions({ show: { resource: ['message'], operation: [operation] } }, properties);
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
	const value = String(
		this.getNodeParameter('phoneNumberId', itemIndex, '', { extractValue: true }) ?? '',
	).trim();
	if (!/^\d+$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			value ? `'${value}' is not a Phone Number ID` : 'No sender phone number selected',
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
	return (this.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
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

/** The envelope every send shares (reference C.1). */
export function messageEnvelope(
	this: IExecuteFunctions,
	itemIndex: number,
	to: string,
	type: string,
	withContext = true,
): IDataObject {
	const options = getOptions.call(this, itemIndex);
	const body: IDataObject = {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to,
		type,
	};
	if (withContext) {
		const replyTo = String(options.replyToMessageId ?? '').trim();
		if (replyTo) body.context = { message_id: replyTo };
		const callbackData = String(options.callbackData ?? '').trim();
		if (callbackData) body.biz_opaque_callback_data = callbackData;
	}
	return body;
}

/** A text field of at most `max` characters; a NodeOperationError naming the field otherwise. */
export function checkMaxLength(
	this: IExecuteFunctions,
	itemIndex: number,
	value: string,
	max: number,
	fieldLabel: string,
): void {
	if (value.length > max) {
		throw new NodeOperationError(
			this.getNode(),
			`"${fieldLabel}" is ${value.length} characters long; WhatsApp allows at most ${max}`,
			{ itemIndex, description: `Shorten "${fieldLabel}" to ${max} characters or fewer.` },
		);
	}
}

export function requireValue(
	this: IExecuteFunctions,
	itemIndex: number,
	value: string,
	fieldLabel: string,
	hint?: string,
): void {
	if (value.trim() === '') {
		throw new NodeOperationError(this.getNode(), `"${fieldLabel}" is empty`, {
			itemIndex,
			description: hint ?? `Fill in "${fieldLabel}".`,
		});
	}
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

/** The `execute` of a message operation: build the message, then send it on its own. */
export function sendBuilt(
	build: (this: IExecuteFunctions, itemIndex: number) => Promise<PreparedMessage>,
): (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]> {
	return async function (this: IExecuteFunctions, itemIndex: number) {
		return await sendSingle.call(this, await build.call(this, itemIndex));
	};
}

/** Runs one prepared message through the sender (single-item use, e.g. as an AI tool). */
export async function sendSingle(
	this: IExecuteFunctions,
	message: PreparedMessage,
): Promise<INodeExecutionData[]> {
	const [outcome] = await sendPrepared.call(this, 1, async () => message, {
		messagesPerSecond: DEFAULT_MESSAGES_PER_SECOND,
		maxParallelRequests: 1,
		stopOnFirstError: true,
	});
	if (!outcome) throw new NodeOperationError(this.getNode(), 'The message was not sent', { itemIndex: message.itemIndex });
	if (!outcome.ok) {
		if (this.continueOnFail()) {
			return [
				metaErrorItem(
					outcome.error,
					message.itemIndex,
					{ ...message.summary, phoneNumberId: message.phoneNumberId },
					{ status: outcome.status },
				),
			];
		}
		throw outcome.error;
	}
	return [{ json: outcome.json, pairedItem: { item: message.itemIndex } }];
}
