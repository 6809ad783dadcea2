/**
 * The status poll cadence and what it costs against Meta's rate limit: each id of a multi-id read
 * counts as one call. Goals: a 10-image carousel with 2 s processing at most 40 charged calls and
 * done within processing + 1.5 s; a reel that takes 60 s at most 12 status reads, its ready state
 * seen at most max(30 % of the processing time, 3 s) after it happened.
 *
 * The waits run on the simulator's clock: the transport's clock (the node's only time source for
 * waiting) is pointed at it, and a wait moves it forward instead of sleeping, so a 60 s reel takes
 * milliseconds of real time.
 */
import { firstPollAt, pollDelay } from '../../nodes/Meta/Instagram/helpers/polling';
import type { MediaKind } from '../../nodes/Meta/Instagram/helpers/polling';
import { transportClock } from '../../nodes/Meta/shared/transport';
import type { RunningSimulator } from '../../simulator';
import type { LoggedRequest } from '../../simulator/types';
import { account, image, posts, requestsTo, run, startDemo, video } from './helpers';

/** Read times (ms since the wait began) until a container ready at `readyAt` is seen. */
function readsUntilSeen(readyAt: number, kind: MediaKind): number[] {
	const reads = [firstPollAt(kind)];
	while (reads[reads.length - 1] < readyAt) {
		const last = reads[reads.length - 1];
		reads.push(last + pollDelay(last, kind));
	}
	return reads;
}

describe('schedule', () => {
	it("never reads faster as time goes on, and ends at Meta's advice of one read a minute", () => {
		for (const kind of ['image', 'video'] as const) {
			const delays = Array.from({ length: 1800 }, (_, index) => pollDelay(index * 500, kind));
			expect(delays.filter((delay, index) => index > 0 && delay < delays[index - 1])).toEqual([]);
			expect(pollDelay(10 * 60 * 1000, kind)).toBe(60_000);
		}
		expect(pollDelay(0, 'image')).toBe(1000);
		expect(pollDelay(0, 'video')).toBe(3000);
	});

	it('sees a ready container at most 30 % (or the floor) after it became ready, for any processing time', () => {
		for (const kind of ['image', 'video'] as const) {
			const floor = kind === 'image' ? 1000 : 3000;
			const late: number[] = [];
			for (let readyAt = 0; readyAt <= 20 * 60 * 1000; readyAt += 250) {
				const reads = readsUntilSeen(readyAt, kind);
				const seenAt = reads[reads.length - 1];
				if (seenAt - readyAt > Math.max(0.3 * readyAt, floor, firstPollAt(kind)))
					late.push(readyAt);
			}
			expect(late).toEqual([]);
		}
	});

	it('reads a 60 s video at most 12 times', () => {
		expect(readsUntilSeen(60_000, 'video').length).toBeLessThanOrEqual(12);
	});
});

describe('cost against the simulator', () => {
	let sim: RunningSimulator;
	const original = { ...transportClock };
	beforeAll(async () => {
		sim = await startDemo();
	});
	afterAll(async () => await sim.stop());
	beforeEach(() => {
		sim.control.reset();
		transportClock.now = () => sim.control.world().now();
		transportClock.sleep = async (ms: number) => {
			sim.control.advanceClock(Math.max(0, ms));
		};
	});
	afterEach(() => Object.assign(transportClock, original));

	/** Calls charged to the app's rate limit: each id of `?ids=`, each operation of a batch. */
	function chargedCalls(): number {
		return sim.control.requests().reduce((total, request: LoggedRequest) => {
			if (
				request.method === 'GET' &&
				request.path === '/' &&
				typeof request.params.ids === 'string'
			) {
				return total + request.params.ids.split(',').length;
			}
			if (
				request.method === 'POST' &&
				request.path === '/' &&
				typeof request.params.batch === 'string'
			) {
				return total + (JSON.parse(request.params.batch) as unknown[]).length;
			}
			return total + 1;
		}, 0);
	}

	/** Status reads of containers: single reads and each id of multi-id reads. */
	function statusReads(): LoggedRequest[] {
		return sim.control
			.requests()
			.filter(
				(request) =>
					request.method === 'GET' &&
					(/^\/\d+$/.test(request.path) ||
						(request.path === '/' && typeof request.params.ids === 'string')) &&
					String(request.params.fields ?? '').includes('status_code'),
			);
	}

	it('publishes a 10-image carousel with 2 s processing in at most 40 charged calls, within processing + 1.5 s', async () => {
		sim.control.setSettings({ instagramImageProcessingMs: 2000 });
		const startedAt = sim.control.world().now();
		const { outputs, error } = await run(sim, {
			resource: 'post',
			operation: 'publishCarousel',
			instagramAccountId: account(),
			carouselInput: 'defined',
			carouselItems: {
				items: Array.from({ length: 10 }, (_, index) => ({
					mediaType: 'image',
					mediaSource: 'url',
					mediaUrl: image(sim, `width=1080&height=1350&n=${index}`),
				})),
			},
			caption: 'Ten',
		});
		const took = sim.control.world().now() - startedAt;
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ published: true, mediaType: 'CAROUSEL_ALBUM' });
		expect(posts(sim)).toHaveLength(1);
		expect(requestsTo(sim, 'POST', /\/media$/)).toHaveLength(11);
		expect(chargedCalls()).toBeLessThanOrEqual(40);
		expect(took).toBeLessThanOrEqual(2000 + 1500);
		// While all are pending one item is watched; the rest are read once, together.
		const multi = statusReads().filter((request) => request.path === '/');
		expect(multi).toHaveLength(1);
		expect(String(multi[0].params.ids).split(',')).toHaveLength(9);
	});

	it('reads a reel that takes 60 s to process at most 12 times, and sees it ready within 18 s', async () => {
		const { outputs, error } = await run(sim, {
			resource: 'post',
			operation: 'publishReel',
			instagramAccountId: account(),
			mediaSource: 'url',
			mediaUrl: video(sim, 'width=1080&height=1920&duration=12&processing_ms=60000'),
			caption: 'Slow reel',
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ published: true, mediaProductType: 'REELS' });
		const containerId = String(outputs[0][0].json.containerId);
		const container = sim.control.world().state.instagram.containers.get(containerId);
		const reads = requestsTo(sim, 'GET', new RegExp(`^/${containerId}$`));
		expect(reads.length).toBeLessThanOrEqual(12);
		expect(reads.length).toBeGreaterThanOrEqual(2);
		const seenAt = reads[reads.length - 1].at;
		expect(seenAt).toBeGreaterThanOrEqual(container.readyAt);
		expect(seenAt - container.readyAt).toBeLessThanOrEqual(Math.max(0.3 * 60_000, 3000));
		// Everything read before it was ready was a read of a video still in progress.
		for (const read of reads.slice(0, -1)) expect(read.at).toBeLessThan(container.readyAt);
		expect(posts(sim)).toHaveLength(1);
	});

	it('keeps Max Wait: a reel still processing when it runs out comes back unpublished with its container', async () => {
		const { outputs, error } = await run(sim, {
			resource: 'post',
			operation: 'publishReel',
			instagramAccountId: account(),
			mediaSource: 'url',
			mediaUrl: video(sim, 'width=1080&height=1920&duration=12&processing_ms=600000'),
			caption: 'Too slow',
			options: { maxWaitSeconds: 20 },
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			published: false,
			status: 'IN_PROGRESS',
			containerId: expect.any(String),
		});
		const reads = requestsTo(
			sim,
			'GET',
			new RegExp(`^/${String(outputs[0][0].json.containerId)}$`),
		);
		// 0.5, 3.5, 6.5, 9.5, 12.5, 16.25 and a last read at the deadline (20 s).
		expect(reads).toHaveLength(7);
		expect(requestsTo(sim, 'POST', /media_publish$/)).toHaveLength(0);
	});
});
