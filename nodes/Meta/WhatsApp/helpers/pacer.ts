import { sleep } from 'n8n-workflow';

/**
 * Spaces request starts evenly at a target rate: Meta counts messages per second per business
 * number, so an even pace reaches the full throughput without tripping 130429. A throttling
 * reply halves the rate (once per episode: replies to requests started before the last slow-down
 * do not count again); each success adds back a twentieth of the target (AIMD, like TCP).
 */
export class Pacer {
	private readonly targetRate: number;

	private rate: number;

	private nextSlotAt = 0;

	private lastSlowDownAt = 0;

	private readonly waiting: Array<(startAt: number) => void> = [];

	private draining = false;

	constructor(messagesPerSecond: number) {
		this.targetRate =
			Number.isFinite(messagesPerSecond) && messagesPerSecond > 0 ? messagesPerSecond : 80;
		this.rate = this.targetRate;
	}

	/**
	 * Resolves when the caller may start its request; returns the start time (ms). Callers are
	 * served first come, first served, and each slot is spaced at the rate current when it is
	 * granted, so a slow-down applies at once to everyone still waiting.
	 */
	async acquire(): Promise<number> {
		return await new Promise<number>((resolve) => {
			this.waiting.push(resolve);
			if (!this.draining) void this.drain();
		});
	}

	private async drain(): Promise<void> {
		this.draining = true;
		while (this.waiting.length > 0) {
			const wait = this.nextSlotAt - Date.now();
			if (wait > 0) await sleep(wait);
			const now = Date.now();
			if (now < this.nextSlotAt) continue;
			// Timers fire late; counting from the planned slot (not from `now`) keeps the average
			// pace exact. After an idle gap longer than a second, start over from now.
			const base = now - this.nextSlotAt > 1000 ? now : this.nextSlotAt;
			this.nextSlotAt = base + 1000 / this.rate;
			this.waiting.shift()?.(now);
		}
		this.draining = false;
	}

	/** Meta said "too fast" to a request started at `startedAt`. */
	slowDown(startedAt: number): void {
		if (startedAt < this.lastSlowDownAt) return;
		this.rate = Math.max(1, this.rate / 2);
		this.lastSlowDownAt = Date.now();
		this.nextSlotAt = Math.max(this.nextSlotAt, this.lastSlowDownAt + 1000 / this.rate);
	}

	/** A request went through: creep back towards the configured rate. */
	recover(): void {
		if (this.rate < this.targetRate) {
			this.rate = Math.min(this.targetRate, this.rate + this.targetRate / 20);
		}
	}

	get currentRatePerSecond(): number {
		return this.rate;
	}
}
