import { sleep } from 'n8n-workflow';

/**
 * Spaces request starts evenly at a target rate (a token bucket without burst): Meta counts
 * messages per second per business number, so an even pace never trips 130429 while still
 * reaching the full throughput. A throttling reply halves the pace; successes win it back.
 */
export class Pacer {
	private readonly fastestIntervalMs: number;

	private intervalMs: number;

	private nextSlotAt = 0;

	constructor(messagesPerSecond: number) {
		const rate = Number.isFinite(messagesPerSecond) && messagesPerSecond > 0 ? messagesPerSecond : 80;
		this.fastestIntervalMs = 1000 / rate;
		this.intervalMs = this.fastestIntervalMs;
	}

	/** Resolves when the caller may start its request. */
	async acquire(): Promise<void> {
		const now = Date.now();
		const slot = Math.max(now, this.nextSlotAt);
		this.nextSlotAt = slot + this.intervalMs;
		if (slot > now) await sleep(slot - now);
	}

	/** Meta said "too fast": halve the pace and leave a gap before the next start. */
	slowDown(): void {
		this.intervalMs = Math.min(this.intervalMs * 2, 2000);
		this.nextSlotAt = Math.max(this.nextSlotAt, Date.now() + this.intervalMs);
	}

	/** A request went through: creep back towards the configured rate. */
	recover(): void {
		if (this.intervalMs > this.fastestIntervalMs) {
			this.intervalMs = Math.max(this.fastestIntervalMs, this.intervalMs * 0.9);
		}
	}

	get currentRatePerSecond(): number {
		return 1000 / this.intervalMs;
	}
}
