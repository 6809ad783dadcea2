/**
 * The one check of what Meta answered with success. A 200 whose body cannot be read (cut short,
 * not JSON, an object without the expected field) says nothing about what Meta did: for a write it
 * is an unknown outcome (Meta may have carried it out; it must not be repeated blindly), for a read
 * a failure. Never a success, and never an `undefined` id handed to the next call.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import { createMetaApiError } from '../errors/info';

export interface AnswerCheck {
	/** What was asked, in the user's words ("the message send", "the container creation"). */
	what: string;
	itemIndex?: number;
	/** A write (POST/DELETE): an unreadable answer is an unknown outcome, not a failure. */
	write: boolean;
}

/** The answer as an object, or undefined when it is not one (text, cut-short JSON, a list). */
export function answerObject(answer: unknown): IDataObject | undefined {
	return typeof answer === 'object' &&
		answer !== null &&
		!Array.isArray(answer) &&
		!Buffer.isBuffer(answer)
		? (answer as IDataObject)
		: undefined;
}

/** The error for an answer that cannot be read. */
export function unreadableAnswerError(
	node: INode,
	check: AnswerCheck,
	missing: string,
): NodeApiError {
	return createMetaApiError(node, {
		outcome: check.write ? 'unknown' : 'failed',
		message: `Meta's answer to ${check.what} could not be read (no ${missing} in it)`,
		description: check.write
			? `Meta answered as if it succeeded, but the answer was incomplete, so it is not known whether ${check.what} happened. It was not repeated, to avoid doing it twice. Check in Meta (the WhatsApp chat, the Instagram profile) before running this item again.`
			: 'Meta answered as if it succeeded, but the answer was incomplete. Run the workflow again; if it keeps happening, Meta may be having problems.',
		itemIndex: check.itemIndex,
	});
}

/**
 * The text value of `field` in a success answer (an id, a status), or an error: unknown outcome
 * for a write, failure for a read. Numbers are accepted as ids and returned as text.
 */
export function requireAnswerField(
	node: INode,
	answer: unknown,
	field: string,
	check: AnswerCheck,
): string {
	const value = answerObject(answer)?.[field];
	if (
		(typeof value === 'string' && value.trim() !== '') ||
		(typeof value === 'number' && Number.isFinite(value))
	) {
		return String(value);
	}
	throw unreadableAnswerError(node, check, field);
}
