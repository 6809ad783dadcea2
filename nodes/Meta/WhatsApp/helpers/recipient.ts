import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** E.164 allows at most 15 digits; the shortest real international numbers have 8. */
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/**
 * Normalises a recipient to E.164 (`+<country><number>`): spaces, dashes, dots and brackets are
 * dropped and a leading international prefix `00` becomes `+`. Returns undefined when the value
 * cannot be a phone number (letters, too few or too many digits).
 */
export function normalizeRecipient(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	let text = String(value).trim();
	if (!text) return undefined;
	text = text.replace(/[\s\-.()\u00a0\u200e\u200f]/g, '');
	if (text.startsWith('00')) text = `+${text.slice(2)}`;
	if (!/^\+?\d+$/.test(text)) return undefined;
	const digits = text.replace(/^\+/, '');
	if (digits.startsWith('0')) return undefined;
	if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return undefined;
	return `+${digits}`;
}

export function getRecipient(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('to', itemIndex, '') as string;
	const normalized = normalizeRecipient(raw);
	if (!normalized) {
		throw new NodeOperationError(
			this.getNode(),
			`Item ${itemIndex + 1}: '${String(raw)}' is not a phone number WhatsApp can deliver to`,
			{
				itemIndex,
				description:
					'Set "Recipient Phone Number" to a full international number with the country code, e.g. +1 650 555 1234 or 0044 20 7946 0958. Spaces, dashes and brackets are fine; letters and local numbers without a country code are not.',
			},
		);
	}
	return normalized;
}
