/**
 * Reading the ids and texts every Engage operation needs, through the shared typed reader
 * (../../shared/parameters): null, undefined, objects and lists are refused by name before any
 * request, never sent to Meta as "null" or "[object Object]".
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidField, readText } from '../../shared/parameters';
import {
	answerObject,
	getCredentialType,
	META_CREDENTIAL_TYPES,
	unreadableAnswerError,
} from '../../shared/transport';

/** Instagram's comment text limit: the caption limit, 2,200 characters. */
export const COMMENT_MAX_LENGTH = 2200;

const NUMERIC_ID = /^[0-9]{5,}$/;

/** A numeric Graph id (post, comment, Instagram-scoped user id) read from a parameter. */
export function readId(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
	hint: string,
	options: { required?: boolean; extractValue?: boolean } = {},
): string {
	const required = options.required ?? true;
	const value = readText.call(this, name, itemIndex, label, {
		required,
		hint,
		extractValue: options.extractValue,
	});
	if (value === '' && !required) return '';
	if (!NUMERIC_ID.test(value)) {
		throw invalidField(
			this.getNode(),
			{ label, itemIndex },
			`"${value.slice(0, 40)}" is not an ID (IDs are numbers, e.g. 17895695668004550)`,
			hint,
		);
	}
	return value;
}

export function getAccountId(this: IExecuteFunctions, itemIndex: number): string {
	return readId.call(
		this,
		'instagramAccountId',
		itemIndex,
		'Instagram Account',
		'Pick the account from the list, or enter its numeric ID (e.g. 17841400008460056). With Instagram Login, the list shows the signed-in account.',
		{ extractValue: true },
	);
}

export function getPostId(this: IExecuteFunctions, itemIndex: number): string {
	return readId.call(
		this,
		'postId',
		itemIndex,
		'Post ID',
		'Use the id of a post from Post > Get Many, or media.id of a Meta Trigger comment event.',
	);
}

export function getCommentId(this: IExecuteFunctions, itemIndex: number): string {
	return readId.call(
		this,
		'commentId',
		itemIndex,
		'Comment ID',
		'Use the id of a comment from Comment > Get Many, or the comment id of a Meta Trigger comment event.',
	);
}

/** The text of a comment or reply: not empty, at most 2,200 characters. */
export function getCommentText(this: IExecuteFunctions, itemIndex: number): string {
	return readText.call(this, 'text', itemIndex, 'Text', {
		required: true,
		maxLength: COMMENT_MAX_LENGTH,
		hint: 'Enter the text of the reply.',
	});
}

/** Whether the node signs in with Instagram Login (graph.instagram.com). */
export function usesInstagramLogin(this: IExecuteFunctions): boolean {
	return getCredentialType.call(this) === META_CREDENTIAL_TYPES.instagramLogin;
}

/** Meta answers `{ "success": true }` to hide, delete and comment_enabled; anything else is unknown. */
export function requireSuccess(
	this: IExecuteFunctions,
	answer: unknown,
	what: string,
	itemIndex: number,
): void {
	const success = answerObject(answer)?.success;
	if (success === true || success === 'true') return;
	throw unreadableAnswerError(this.getNode(), { what, itemIndex, write: true }, 'success');
}

/** Meta's list answer `{ data: [...] }`, or an empty list. */
export function dataOf(answer: unknown): IDataObject[] {
	const data = answerObject(answer)?.data;
	return Array.isArray(data)
		? data.filter((entry): entry is IDataObject => typeof entry === 'object' && entry !== null)
		: [];
}
