import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readText } from '../../shared/parameters';

/**
 * E.164 allows at most 15 digits; the shortest real international numbers have 8
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/phone-numbers#formatting).
 */
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;
/**
 * Without a `+` or `00`, fewer digits than this is almost always a number typed in local format
 * (`910 000 101`): sent as `+910000101` it would go to another country, or nowhere.
 */
const MIN_DIGITS_WITHOUT_PREFIX = 10;

/**
 * National number lengths of common country codes whose numbers have a fixed length, so a
 * number missing digits (or its country code) is caught before Meta answers with a misleading
 * 131047 or 131026.
 */
const NATIONAL_LENGTHS: Array<[prefix: string, lengths: number[]]> = [
	['351', [9]],
	['1', [10]],
	['7', [10]],
	['27', [9]],
	['33', [9]],
	['34', [9]],
	['52', [10]],
	['61', [9]],
	['90', [10]],
	['91', [10]],
];

/**
 * Zero-width and direction marks that come with numbers copied from WhatsApp or a spreadsheet
 * (U+200B-U+200F, U+202A-U+202E, U+2066-U+2069, U+FEFF), plus the no-break space.
 */
const INVISIBLE_MARKS = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00a0]/g;

export type RecipientProblem = 'format' | 'local';

/**
 * Normalises a recipient to E.164 (`+<country><number>`): invisible marks, spaces, dashes, dots and
 * brackets are dropped and a leading international prefix `00` becomes `+`. Returns the problem
 * when the value cannot be an international phone number.
 */
export function checkRecipient(value: unknown): { e164: string } | { problem: RecipientProblem } {
	if (typeof value !== 'string' && typeof value !== 'number') return { problem: 'format' };
	let text = String(value).replace(INVISIBLE_MARKS, '').trim();
	if (!text) return { problem: 'format' };
	text = text.replace(/[\s\-.()]/g, '');
	let international = text.startsWith('+');
	if (text.startsWith('00')) {
		text = `+${text.slice(2)}`;
		international = true;
	}
	if (!/^\+?\d+$/.test(text)) return { problem: 'format' };
	const digits = text.replace(/^\+/, '');
	if (digits.startsWith('0')) return { problem: 'local' };
	if (digits.length > MAX_DIGITS) return { problem: 'format' };
	if (digits.length < MIN_DIGITS) return { problem: international ? 'format' : 'local' };
	if (!international && digits.length < MIN_DIGITS_WITHOUT_PREFIX) return { problem: 'local' };
	const country = NATIONAL_LENGTHS.find(([prefix]) => digits.startsWith(prefix));
	if (country && !country[1].includes(digits.length - country[0].length)) {
		return { problem: international ? 'format' : 'local' };
	}
	return { e164: `+${digits}` };
}

/**
 * A business-scoped user id (BSUID), as the Meta Trigger reports it for users whose phone number
 * Meta withholds: `US.13491208655302741918`, or a parent id `US.ENT.11815799212886844830`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
 */
const BSUID = /^[A-Z]{2}\.(ENT\.)?\d{8,}$/;

export function isBusinessScopedUserId(value: string): boolean {
	return BSUID.test(value);
}

/** The E.164 form of a recipient, or undefined when it cannot be one. */
export function normalizeRecipient(value: unknown): string | undefined {
	const checked = checkRecipient(value);
	return 'e164' in checked ? checked.e164 : undefined;
}

export function getRecipient(this: IExecuteFunctions, itemIndex: number): string {
	const raw = readText.call(this, 'to', itemIndex, 'Recipient Phone Number', {
		required: true,
		hint: 'Give a full international number with the country code, e.g. +1 650 555 1234.',
	});
	const trimmed = raw.replace(INVISIBLE_MARKS, '').trim();
	if (isBusinessScopedUserId(trimmed)) return trimmed;
	const checked = checkRecipient(raw);
	if ('e164' in checked) return checked.e164;
	const shown = raw.replace(INVISIBLE_MARKS, '').slice(0, 40);
	if (checked.problem === 'local') {
		throw new NodeOperationError(
			this.getNode(),
			`Item ${itemIndex + 1}: '${shown}' looks like a local number without its country code`,
			{
				itemIndex,
				description:
					'WhatsApp needs the full international number: put the country code in front (e.g. +351 910 000 101 instead of 910 000 101, or +44 20 7946 0958 instead of 020 7946 0958) and leave out the leading 0 of the local number.',
			},
		);
	}
	throw new NodeOperationError(
		this.getNode(),
		`Item ${itemIndex + 1}: '${shown}' is not a phone number WhatsApp can deliver to`,
		{
			itemIndex,
			description:
				'Set "Recipient Phone Number" to a full international number with the country code, e.g. +1 650 555 1234 or 0044 20 7946 0958, or to a business-scoped user ID from the Meta Trigger (e.g. US.13491208655302741918). Spaces, dashes and brackets are fine; letters and local numbers without a country code are not.',
		},
	);
}
