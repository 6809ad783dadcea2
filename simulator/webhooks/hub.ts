/**
 * The simulator's webhook side, one per world: a router per app (signed with that app's secret,
 * so each app's callbacks verify with its own secret), the delivery log the control API reads,
 * and the queue of deliveries that go out AFTER the HTTP answer of the request that caused them
 * (Meta reports statuses after the send returned). `idle()` waits for every queued delivery.
 *
 *   world.webhooks.router(appId).setWabaOverride(appId, wabaId, { callbackUrl, verifyToken });
 *   world.webhooks.after(() => world.webhooks.emitToWaba(wabaId, envelope));   // after the answer
 *   await world.webhooks.idle();
 */
import type { DeliverOptions, DeliveryResult } from './emitter';
import { WebhookEmitter } from './emitter';
import type { WebhookEnvelope } from './payloads';
import { WebhookRouter } from './routing';

export interface HubApp {
	id: string;
	secret: string;
}

export interface HubOptions {
	/** Attempts per delivery (first included; default 5). */
	maxAttempts?: () => number | undefined;
	/** Wait before the first retry (default 500 ms); doubles each time. */
	baseDelayMs?: () => number | undefined;
}

/** One delivery as the control API reports it (the body parsed; the signature header kept). */
export interface LoggedDelivery {
	at: number;
	appId: string;
	url: string;
	object: string;
	delivered: boolean;
	lastStatus: number;
	attempts: DeliveryResult['attempts'];
	signature?: string;
	body: unknown;
}

export interface EmitOutcome {
	deliveries: LoggedDelivery[];
	/** Changes/messaging events no registration received. */
	undelivered: number;
}

export class WebhookHub {
	private readonly routers = new Map<string, WebhookRouter>();
	private readonly log: LoggedDelivery[] = [];
	private readonly pending = new Set<Promise<unknown>>();
	private readonly queued: Array<() => Promise<unknown>> = [];

	constructor(
		private readonly apps: (appId: string) => HubApp | undefined,
		private readonly options: HubOptions = {},
	) {}

	/** The app's router (registrations and routing); throws for an app the scenario lacks. */
	router(appId: string): WebhookRouter {
		let router = this.routers.get(appId);
		if (router) return router;
		const app = this.apps(appId);
		if (!app) throw new Error(`Unknown app ${appId} (not in the scenario)`);
		router = new WebhookRouter(
			new WebhookEmitter({
				appSecret: app.secret,
				maxAttempts: this.options.maxAttempts?.() ?? 5,
				baseDelayMs: this.options.baseDelayMs?.() ?? 500,
			}),
		);
		this.routers.set(appId, router);
		return router;
	}

	/** Delivers through one app's registrations and records every POST. */
	async emit(
		appId: string,
		envelope: WebhookEnvelope,
		options?: DeliverOptions,
	): Promise<EmitOutcome> {
		const work = this.router(appId).emit(appId, envelope, options);
		this.pending.add(work);
		try {
			const { deliveries, undelivered } = await work;
			const logged = deliveries.map(({ url, result }) => {
				const entry: LoggedDelivery = {
					at: Date.now(),
					appId,
					url,
					object: envelope.object,
					delivered: result.delivered,
					lastStatus: result.lastStatus,
					attempts: result.attempts,
					signature: result.signature,
					body: JSON.parse(result.body.toString('utf8')) as unknown,
				};
				this.log.push(entry);
				return entry;
			});
			return { deliveries: logged, undelivered };
		} finally {
			this.pending.delete(work);
		}
	}

	/** Delivers to every given app (Meta sends a WABA's events to each app subscribed to it). */
	async emitToApps(
		appIds: string[],
		envelope: WebhookEnvelope,
		options?: DeliverOptions,
	): Promise<EmitOutcome> {
		const outcome: EmitOutcome = { deliveries: [], undelivered: 0 };
		for (const appId of appIds) {
			const one = await this.emit(appId, envelope, options);
			outcome.deliveries.push(...one.deliveries);
			outcome.undelivered += one.undelivered;
		}
		return outcome;
	}

	/** Queues work to run once the current HTTP answer is written (see `flush`). */
	after(task: () => Promise<unknown>): void {
		this.queued.push(task);
	}

	/** Starts the queued work (the server calls it after writing each answer). */
	flush(): void {
		for (const task of this.queued.splice(0)) {
			const running = task().catch((error: unknown) => {
				process.stderr.write(`[simulator] webhook delivery failed: ${String(error)}\n`);
			});
			this.pending.add(running);
			void running.finally(() => this.pending.delete(running));
		}
	}

	/** Resolves when nothing is queued or in flight (deliveries started while waiting included). */
	async idle(): Promise<void> {
		this.flush();
		while (this.pending.size > 0) {
			await Promise.allSettled([...this.pending]);
			this.flush();
		}
	}

	deliveries(): LoggedDelivery[] {
		return [...this.log];
	}

	clearDeliveries(): void {
		this.log.length = 0;
	}

	/** Every app's registrations (the admin API shows them). */
	registrations(): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		for (const [appId, router] of this.routers) out[appId] = router.snapshot();
		return out;
	}
}
