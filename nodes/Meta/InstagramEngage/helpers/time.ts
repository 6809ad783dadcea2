/** Times as Meta writes them (ISO with a `+0000` offset) and as expressions give them. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { describeKind, invalidField } from '../../shared/parameters';

/** Meta's `2026-05-19T23:27:28+0000` (offset without a colon) as milliseconds, or undefined. */
export function parseMetaTime(value: unknown): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const normalised = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
	const ms = Date.parse(normalised);
	return Number.isFinite(ms) ? ms : undefined;
}

/**
 * A time parameter: ISO text, or a Unix time in seconds (webhook `time`) or milliseconds (Instagram
 * messaging `timestamp`). '' means not set.
 */
export function readTime(
	this: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
): number | undefined {
	if (value === '' || value === undefined) return undefined;
	if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
		return value < 1e12 ? value * 1000 : value;
	}
	if (typeof value === 'string' && /^\d{9,13}$/.test(value.trim())) {
		const number = Number(value.trim());
		return number < 1e12 ? number * 1000 : number;
	}
	const parsed = parseMetaTime(value);
	if (parsed !== undefined) return parsed;
	throw invalidField(
		this.getNode(),
		{ label, itemIndex },
		typeof value === 'string'
			? 'is not a date and time'
			: `expected a date and time but the expression gave ${describeKind(value)}`,
		`Give ${label} as ISO text (e.g. 2026-05-19T23:27:28+0000) or a Unix time in seconds.`,
	);
}

export function iso(ms: number): string {
	return new Date(ms).toISOString();
}
