/**
 * Small sliding-window limiter shared by domain modules (WhatsApp throughput, pair rate).
 * Uses the simulated clock passed in, so `advanceClock` frees the window too.
 */
export class SlidingWindowLimiter {
	private readonly hits = new Map<string, number[]>();

	/** Records a hit for `key` and returns true, or returns false (no record) when `limit` hits
	 *  already happened within the last `windowMs`. */
	tryHit(key: string, limit: number, windowMs: number, nowMs: number): boolean {
		let list = this.hits.get(key);
		if (!list) {
			list = [];
			this.hits.set(key, list);
		}
		const from = nowMs - windowMs;
		let drop = 0;
		while (drop < list.length && list[drop] <= from) drop++;
		if (drop > 0) list.splice(0, drop);
		if (list.length >= limit) return false;
		list.push(nowMs);
		return true;
	}

	/** Hits of `key` within the window (without recording). */
	count(key: string, windowMs: number, nowMs: number): number {
		const list = this.hits.get(key);
		if (!list) return 0;
		const from = nowMs - windowMs;
		return list.filter((at) => at > from).length;
	}

	reset(): void {
		this.hits.clear();
	}
}
