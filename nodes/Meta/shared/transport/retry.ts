/**
 * When a failed request may be sent again and how long to wait first. Meta's guidance: transient
 * codes and HTTP 5xx may be repeated on idempotent calls, throttling codes on any call (Meta did
 * nothing), honouring the wait the usage headers give
 * (https://developers.facebook.com/docs/graph-api/overview/rate-limiting); otherwise exponential
 * backoff with full jitter.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { classifyMetaError } from '../errors/info';
import type { GraphRequestOptions, MetaGraphErrorBody, RetryPolicy } from './types';

/** Default upper bound of the total time spent waiting between attempts. */
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;
/** Attempts per request at most, whatever the wait budget. */
export const MAX_ATTEMPTS = 6;
export const TRANSIENT_BASE_DELAY_MS = 1_000;
export const THROTTLED_BASE_DELAY_MS = 2_000;
export const MAX_SINGLE_BACKOFF_MS = 30_000;

/**
 * Time source of the retry loop. Tests replace these members to record and skip waits; nodes
 * never touch it.
 */
export const transportClock = {
	sleep: async (ms: number): Promise<void> => await sleep(ms),
	now: (): number => Date.now(),
	random: (): number => Math.random(),
};

/** Header value, whatever the case of its name. */
function headerValue(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	if (!headers) return undefined;
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== name) continue;
		if (Array.isArray(value)) return value.map(String).join(',');
		return value === undefined || value === null ? undefined : String(value);
	}
	return undefined;
}

/** Wait Meta asks for: `Retry-After` (seconds or a date) or BUC `estimated_time_to_regain_access` (minutes). */
export function waitFromHeaders(
	headers: Record<string, unknown> | undefined,
	now: number = transportClock.now(),
): number {
	let waitMs = 0;
	const retryAfter = headerValue(headers, 'retry-after');
	if (retryAfter) {
		const seconds = Number(retryAfter);
		if (!Number.isNaN(seconds)) waitMs = Math.max(waitMs, seconds * 1000);
		else {
			const date = Date.parse(retryAfter);
			if (!Number.isNaN(date)) waitMs = Math.max(waitMs, date - now);
		}
	}
	const businessUsage = headerValue(headers, 'x-business-use-case-usage');
	if (businessUsage) {
		try {
			const parsed = JSON.parse(businessUsage) as Record<string, Array<IDataObject>>;
			for (const entries of Object.values(parsed ?? {})) {
				for (const usage of Array.isArray(entries) ? entries : []) {
					const minutes = Number(usage?.estimated_time_to_regain_access ?? 0);
					if (minutes > 0) waitMs = Math.max(waitMs, minutes * 60_000);
				}
			}
		} catch {
			// An unreadable usage header gives no wait hint; the backoff still applies.
		}
	}
	return Math.max(0, Math.round(waitMs));
}

/** Whether `X-App-Usage` (or a BUC entry) says the app is at or over its allowance. */
export function usageExhausted(headers: Record<string, unknown> | undefined): boolean {
	const percentages: number[] = [];
	const appUsage = headerValue(headers, 'x-app-usage');
	const businessUsage = headerValue(headers, 'x-business-use-case-usage');
	try {
		if (appUsage) {
			const parsed = JSON.parse(appUsage) as IDataObject;
			percentages.push(
				Number(parsed.call_count ?? 0),
				Number(parsed.total_time ?? 0),
				Number(parsed.total_cputime ?? 0),
			);
		}
		if (businessUsage) {
			const parsed = JSON.parse(businessUsage) as Record<string, IDataObject[]>;
			for (const entries of Object.values(parsed ?? {})) {
				for (const usage of Array.isArray(entries) ? entries : []) {
					percentages.push(
						Number(usage?.call_count ?? 0),
						Number(usage?.total_time ?? 0),
						Number(usage?.total_cputime ?? 0),
					);
				}
			}
		}
	} catch {
		return false;
	}
	return percentages.some((value) => value >= 100);
}

/** Exponential backoff with full jitter: a random wait in [0, base * 2^attempt], capped. */
export function backoffDelay(attempt: number, baseMs: number): number {
	const ceiling = Math.min(MAX_SINGLE_BACKOFF_MS, baseMs * 2 ** attempt);
	return Math.floor(transportClock.random() * ceiling);
}

export type FailureKind = 'transient' | 'throttled' | 'never';

/**
 * Which failures each policy repeats:
 * - idempotent: transient and throttled Meta codes, HTTP 5xx, and network errors.
 * - throttleOnly: throttled codes only (Meta refused before doing anything).
 * - none: nothing.
 */
export function policyAllows(policy: RetryPolicy, kind: FailureKind): boolean {
	if (policy === 'none' || kind === 'never') return false;
	if (policy === 'throttleOnly') return kind === 'throttled';
	return true;
}

export const NOT_SENT_NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_INVALID_URL',
]);

/** The network error code buried in whatever n8n and axios wrapped around it. */
export function networkCodeOf(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	for (let depth = 0; current && depth < 6; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]{3,}$|^ERR_|^UND_ERR/.test(current.code)) {
			return current.code;
		}
		current = current.cause as typeof current;
	}
	const text = String((error as { message?: unknown })?.message ?? '');
	if (/socket hang up/i.test(text)) return 'ECONNRESET';
	if (/timeout|timed out/i.test(text)) return 'ETIMEDOUT';
	const match =
		/\b(ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/.exec(
			text,
		);
	return match?.[1];
}

/** Reads repeat on transient faults; writes only when the caller says it is safe. */
export function defaultPolicy(options: GraphRequestOptions): RetryPolicy {
	return options.retry ?? (options.method === 'GET' ? 'idempotent' : 'none');
}

/**
 * The kind of an answered failure: Meta's code first (numbers, never message text), then Meta's
 * `is_transient`, then the HTTP status (5xx without a Meta code: transient; 429: throttled).
 */
export function answeredFailureKind(
	statusCode: number,
	metaError: MetaGraphErrorBody | undefined,
): FailureKind {
	const code = metaError?.code !== undefined ? Number(metaError.code) : undefined;
	const subcode =
		metaError?.error_subcode !== undefined ? Number(metaError.error_subcode) : undefined;
	let kind: FailureKind =
		code !== undefined
			? classifyMetaError(code, subcode, metaError?.is_transient)
			: metaError?.is_transient === true
				? 'transient'
				: 'never';
	if (kind === 'never' && code === undefined && statusCode >= 500) kind = 'transient';
	if (kind === 'never' && statusCode === 429) kind = 'throttled';
	return kind;
}

/**
 * How long to wait before repeating an answered failure: what the headers ask for, or, when the
 * allowance is used up but no time is given (X-App-Usage at 100), one long backoff: the window is a
 * rolling hour, so a quick retry is wasted.
 */
export function hintedWait(
	kind: FailureKind,
	headers: Record<string, unknown> | undefined,
): number {
	const waitMs = waitFromHeaders(headers);
	if (kind === 'throttled' && waitMs === 0 && usageExhausted(headers)) return MAX_SINGLE_BACKOFF_MS;
	return waitMs;
}
