/**
 * The business portfolio's messaging limit as a bulk template sender must respect it: the number
 * of different people a portfolio may deliver messages to outside a customer service window in a
 * rolling 24 hours, shared by all its numbers (TIER_250 = 250, ... TIER_UNLIMITED). People inside
 * their 24-hour service window do not count, and a second message to someone already counted does
 * not count again. Meta names no error for going over it, so a send must plan before it starts
 * instead of failing half-way
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits).
 *
 * Pure logic shared by WhatsApp Send's bulk template sender and the onboarding tools (no request
 * here): the caller reads the tier
 * (`GET /{phone-number-id}?fields=whatsapp_business_manager_messaging_limit`) and knows who was
 * messaged in the last 24 hours (for example from status webhooks whose `pricing.type` is
 * `regular`), then sends only the items planned `send`, `free` or `repeat`.
 */

export const TIER_LIMITS: Readonly<Record<string, number>> = {
	TIER_50: 50,
	TIER_250: 250,
	TIER_1K: 1000,
	TIER_2K: 2000,
	TIER_10K: 10000,
	TIER_100K: 100000,
	TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

/** Unique people per 24 h for a tier; undefined for a tier Meta has not explained (e.g. UNTIERED). */
export function portfolioLimitOf(tier: string | undefined): number | undefined {
	return tier === undefined ? undefined : TIER_LIMITS[tier];
}

/**
 * - `send`: a new person, within the limit (counts).
 * - `free`: inside their service window (does not count).
 * - `repeat`: already counted in the last 24 h or earlier in this run (does not count again).
 * - `overLimit`: a new person beyond the limit: do not send; send after the window moves on.
 */
export type PortfolioDecision = 'send' | 'free' | 'repeat' | 'overLimit';

export interface PortfolioPlanInput {
	tier: string | undefined;
	/** Recipient of each item (normalised digits), in item order. */
	recipients: string[];
	/** People already delivered to outside a service window in the rolling 24 h. */
	alreadyCounted?: Iterable<string>;
	/**
	 * How many people the portfolio already reached in the rolling 24 h when their numbers are
	 * not known one by one (e.g. a counter kept from status webhooks); at least the size of
	 * `alreadyCounted`.
	 */
	alreadyCountedTotal?: number;
	/** People with an open customer service window. */
	inServiceWindow?: Iterable<string>;
	/** Places to keep free for other workflows on the same portfolio (default 0). */
	reserve?: number;
}

export interface PortfolioPlan {
	/** Unique people per 24 h; Infinity for unlimited; undefined when the tier is unknown. */
	limit: number | undefined;
	decisions: PortfolioDecision[];
	/** People counted after this run (already counted plus this run's `send`). */
	countedAfter: number;
	overLimit: number;
}

export function planPortfolioSends(input: PortfolioPlanInput): PortfolioPlan {
	const limit = portfolioLimitOf(input.tier);
	const counted = new Set(input.alreadyCounted ?? []);
	const inWindow = new Set(input.inServiceWindow ?? []);
	const capacity =
		limit === undefined ? Number.POSITIVE_INFINITY : limit - Math.max(0, input.reserve ?? 0);
	// People counted before this run whose numbers are not listed.
	const unlisted = Math.max(0, Math.floor(input.alreadyCountedTotal ?? 0) - counted.size);
	let overLimit = 0;
	const decisions = input.recipients.map((recipient): PortfolioDecision => {
		if (inWindow.has(recipient)) return 'free';
		if (counted.has(recipient)) return 'repeat';
		if (counted.size + unlisted >= capacity) {
			overLimit++;
			return 'overLimit';
		}
		counted.add(recipient);
		return 'send';
	});
	return { limit, decisions, countedAfter: counted.size + unlisted, overLimit };
}

/** The refusal text for an item planned `overLimit` (an error item, status failed: nothing sent). */
export function overLimitMessage(plan: PortfolioPlan, tier: string | undefined): string {
	const limit = plan.limit === undefined ? (tier ?? 'unknown') : plan.limit.toLocaleString('en-US');
	return `Not sent: the business portfolio's messaging limit (${limit} people per rolling 24 hours, ${tier ?? 'tier unknown'}) is reached. Send it after the oldest messages of the last 24 hours age out, or raise the limit (business verification).`;
}
