/**
 * Instagram Publish against the simulator with 100 ms latency on every Graph answer:
 * - a 10-item image carousel with 2 s processing per item (5 runs, median wall time);
 * - a reel whose video takes 60 s to process (one real-time run: the node waits with n8n's
 *   `sleep`, so the clock cannot be sped up without changing what is measured).
 * Every case reports, beside wall time, the calls charged to Meta's rate limits, counted from the
 * simulator's request log: a Graph batch counts one call per operation, a multi-id read
 * (`?ids=a,b,c`) one call per id (https://developers.facebook.com/docs/graph-api/overview/rate-limiting/).
 */
import type { INodeType } from 'n8n-workflow';

import { executeNode, loadOurNodeTypes } from '../test/helpers/harness';
import { startSimulator } from '../simulator';
import type { RunningSimulator } from '../simulator';
import type { LoggedRequest } from '../simulator/types';
import { instagramState } from '../simulator/domains/instagram';
import type { Benchmark, BenchReport } from './types';

const LATENCY_MS = 100;
const PROCESSING_MS = 2000;
const ITEMS = 10;
const RUNS = 5;
const REEL_PROCESSING_MS = 60_000;
const IG_BUSINESS = '17841400000000001';

const CAROUSEL_CALLS_GOAL = 40;
const CAROUSEL_WALL_GOAL_MS = PROCESSING_MS + 1500;
const REEL_STATUS_READS_GOAL = 12;
const REEL_LATENESS_GOAL_MS = Math.max(0.3 * REEL_PROCESSING_MS, 3000);

/** The operations of a Graph batch, as sent, with the batch request's arrival time. */
function operations(request: LoggedRequest): LoggedRequest[] {
	if (request.method !== 'POST' || request.path !== '/' || typeof request.params.batch !== 'string')
		return [request];
	return (
		JSON.parse(request.params.batch) as Array<{ method?: string; relative_url?: string }>
	).map((operation) => {
		const [path, query = ''] = String(operation.relative_url ?? '').split('?');
		return {
			...request,
			method: String(operation.method ?? 'GET').toUpperCase(),
			path: `/${path.replace(/^\/+/, '')}`,
			params: Object.fromEntries(new URLSearchParams(query)),
		};
	});
}

/** Graph calls as Meta charges them: one per batch operation, one per id of a multi-id read. */
function charged(request: LoggedRequest): number {
	const ids =
		request.method === 'GET' && request.path === '/' ? String(request.params.ids ?? '') : '';
	return ids ? ids.split(',').filter(Boolean).length : 1;
}

const isStatusRead = (request: LoggedRequest) =>
	request.method === 'GET' &&
	(request.path === '/' || /^\/\d+$/.test(request.path)) &&
	String(request.params.fields ?? '').includes('status_code');

function classify(requests: LoggedRequest[]) {
	const graph = requests.filter(
		(request) => !request.path.startsWith('/__admin') && !request.path.startsWith('/fixtures/'),
	);
	const sent = graph.flatMap(operations);
	const creates = sent.filter(
		(request) => request.method === 'POST' && request.path.endsWith('/media'),
	);
	const statusReads = sent.filter(isStatusRead);
	return {
		children: creates.filter((request) => request.params.is_carousel_item !== undefined).length,
		parents: creates.filter((request) => request.params.media_type === 'CAROUSEL').length,
		creates: creates.length,
		/** Status read requests (a multi-id read is one request). */
		polls: statusReads.length,
		/** Status reads as Meta charges them (a multi-id read counts each id). */
		statusCalls: statusReads.reduce((sum, request) => sum + charged(request), 0),
		statusReads,
		publishes: sent.filter(
			(request) => request.method === 'POST' && request.path.endsWith('/media_publish'),
		).length,
		reads: sent.filter((request) => request.method === 'GET' && !isStatusRead(request)).length,
		/** HTTP requests (a batch is one). */
		total: graph.length,
		/** Graph calls charged to the rate limits. */
		calls: sent.reduce((sum, request) => sum + charged(request), 0),
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function instagramNode(): INodeType {
	const found = loadOurNodeTypes().find((type) => type.description.name === 'instagramPublish');
	if (!found) throw new Error('Instagram Publish node not found in package.json n8n.nodes');
	return found as INodeType;
}

function credentials(sim: RunningSimulator) {
	return {
		metaBusinessAccessTokenApi: {
			accessToken: 'EAADemoUserLongLived',
			baseUrl: sim.baseUrl,
			graphApiVersion: 'v26.0',
		},
	};
}

async function carouselRuns(sim: RunningSimulator) {
	const node = instagramNode();
	const rows: string[] = [];
	const walls: number[] = [];
	const callCounts: number[] = [];
	let counts = classify([]);
	for (let attempt = 0; attempt < RUNS; attempt++) {
		sim.control.reset();
		const items = Array.from({ length: ITEMS }, (_, index) => ({
			mediaType: 'image',
			mediaSource: 'url',
			mediaUrl: `${sim.fixturesBaseUrl}/fixtures/image.jpg?width=1080&height=1350&n=${index}`,
		}));
		const started = Date.now();
		const { outputs, error } = await executeNode({
			node,
			parameters: {
				authentication: 'accessToken',
				resource: 'post',
				operation: 'publishCarousel',
				instagramAccountId: { __rl: true, mode: 'id', value: IG_BUSINESS },
				carouselInput: 'defined',
				carouselItems: { items },
				caption: 'Benchmark carousel',
			},
			credentials: credentials(sim),
		});
		const wall = Date.now() - started;
		const firstRequestAt = Math.min(...sim.control.requests().map((request) => request.at));
		const graphSpan = Date.now() - firstRequestAt;
		if (error || outputs[0]?.[0]?.json.published !== true) {
			throw new Error(`carousel was not published: ${error?.message ?? JSON.stringify(outputs)}`);
		}
		counts = classify(sim.control.requests());
		walls.push(wall);
		callCounts.push(counts.calls);
		rows.push(
			`| ${attempt + 1} | ${wall} | ${graphSpan} | ${counts.children} | ${counts.parents} | ${counts.polls} (${counts.statusCalls} charged) | ${counts.publishes} | ${counts.reads} | ${counts.total} | ${counts.calls} |`,
		);
	}
	return { rows, wall: median(walls), maxCalls: Math.max(...callCounts), counts };
}

async function reelRun(sim: RunningSimulator) {
	sim.control.reset();
	sim.control.setSettings({
		latencyMs: LATENCY_MS,
		jitterMs: 0,
		instagramVideoProcessingMs: REEL_PROCESSING_MS,
	});
	const started = Date.now();
	const { outputs, error } = await executeNode({
		node: instagramNode(),
		parameters: {
			authentication: 'accessToken',
			resource: 'post',
			operation: 'publishReel',
			instagramAccountId: { __rl: true, mode: 'id', value: IG_BUSINESS },
			mediaSource: 'url',
			mediaUrl: `${sim.fixturesBaseUrl}/fixtures/video.mp4?width=1080&height=1920&duration=30`,
			caption: 'Benchmark reel',
			options: { maxWaitSeconds: 300 },
		},
		credentials: credentials(sim),
	});
	const wall = Date.now() - started;
	if (error || outputs[0]?.[0]?.json.published !== true) {
		throw new Error(`reel was not published: ${error?.message ?? JSON.stringify(outputs)}`);
	}
	const counts = classify(sim.control.requests());
	const reel = [...instagramState(sim.control.world()).containers.values()].find(
		(container) => container.kind === 'REELS',
	);
	if (reel?.readyAt === undefined)
		throw new Error('the reel container was not found in the simulator state');
	// The simulator answers a status read from its state on arrival, then waits the latency: the
	// first read arriving at or after readyAt answered FINISHED, and the node had that answer one
	// latency later.
	const readyAt = reel.readyAt;
	const finishedRead = counts.statusReads.find((request) => request.at >= readyAt);
	if (!finishedRead) throw new Error('no status read arrived after the reel was ready');
	const seenLateMs = finishedRead.at + LATENCY_MS - readyAt;
	const readOffsets = counts.statusReads.map((request) =>
		((request.at - reel.createdAt) / 1000).toFixed(1),
	);
	return { wall, counts, seenLateMs, readOffsets };
}

export const bench: Benchmark = {
	title: 'Instagram Publish: 10-item carousel and a 60 s reel',
	async run(): Promise<BenchReport> {
		const sim = await startSimulator('demo', {
			settings: {
				latencyMs: LATENCY_MS,
				jitterMs: 0,
				instagramImageProcessingMs: PROCESSING_MS,
				instagramVideoProcessingMs: PROCESSING_MS,
			},
		});
		let carousel: Awaited<ReturnType<typeof carouselRuns>>;
		let reel: Awaited<ReturnType<typeof reelRun>>;
		try {
			carousel = await carouselRuns(sim);
			reel = await reelRun(sim);
		} finally {
			await sim.stop();
		}
		const { counts } = carousel;
		const writes = counts.children + counts.parents + counts.publishes;
		const markdown = [
			"Charged calls are the Graph calls Meta counts against its rate limits, from the simulator's request log: each operation of a batch request is one call, each id of a multi-id read (`GET /?ids=a,b,c`) is one call (https://developers.facebook.com/docs/graph-api/overview/rate-limiting/).",
			'',
			'### Carousel',
			'',
			`${ITEMS} JPEG items, ${LATENCY_MS} ms latency on every simulated Graph answer, ${PROCESSING_MS} ms processing per item; the node run through n8n-core (harness), ${RUNS} runs.`,
			'',
			'| Run | Wall (ms) | First request to result (ms) | Child creates | Parent creates | Status reads | Publishes | Other reads | HTTP requests | Charged calls |',
			'|---|---|---|---|---|---|---|---|---|---|',
			...carousel.rows,
			'',
			`Lower bound of this sequence: processing starts when each child's creation reaches Meta, then three round trips remain (last status read, create parent, publish and read the permalink): ${PROCESSING_MS + 3 * LATENCY_MS} ms. The rest is how late the poll schedule sees the ready state, each answer's own time on top of the simulated latency, and n8n-core's run set-up (inside "Wall" only).`,
			'',
			'### Reel',
			'',
			`One reel from a video URL, ${REEL_PROCESSING_MS / 1000} s processing, ${LATENCY_MS} ms latency; one run in real time (the node waits with n8n's \`sleep\`).`,
			'',
			'| Wall (ms) | Status reads | Ready state seen after it happened | HTTP requests | Charged calls |',
			'|---|---|---|---|---|',
			`| ${reel.wall} | ${reel.counts.polls} | ${(reel.seenLateMs / 1000).toFixed(1)} s | ${reel.counts.total} | ${reel.counts.calls} |`,
			'',
			`Status reads arrived at (seconds after the container was created): ${reel.readOffsets.join(', ')}. "Seen" is the arrival of the first read at or after the ready time plus one latency (when the node had the answer).`,
		].join('\n');
		return {
			markdown,
			goals: [
				{
					goal: `Carousel: Graph writes = ${ITEMS} children + 1 parent + 1 publish`,
					met: counts.children === ITEMS && counts.parents === 1 && counts.publishes === 1,
					measured: `${writes} writes (${counts.children} + ${counts.parents} + ${counts.publishes}) + ${counts.polls} status reads + ${counts.reads} other reads; ${counts.total} HTTP requests`,
				},
				{
					goal: `Carousel: at most ${CAROUSEL_CALLS_GOAL} charged calls`,
					met: carousel.maxCalls <= CAROUSEL_CALLS_GOAL,
					measured: `${carousel.maxCalls} (most of ${RUNS} runs)`,
				},
				{
					goal: `Carousel: wall time <= processing + 1.5 s (${CAROUSEL_WALL_GOAL_MS} ms)`,
					met: carousel.wall <= CAROUSEL_WALL_GOAL_MS,
					measured: `${carousel.wall} ms (median of ${RUNS})`,
				},
				{
					goal: `Reel (${REEL_PROCESSING_MS / 1000} s processing): at most ${REEL_STATUS_READS_GOAL} status reads`,
					met: reel.counts.statusCalls <= REEL_STATUS_READS_GOAL,
					measured: `${reel.counts.statusCalls} status reads, ${reel.counts.calls} charged calls in all, wall ${(reel.wall / 1000).toFixed(1)} s`,
				},
				{
					goal: `Reel: ready state seen at most max(30 % of processing, 3 s) = ${REEL_LATENESS_GOAL_MS / 1000} s after it happened`,
					met: reel.seenLateMs <= REEL_LATENESS_GOAL_MS,
					measured: `${(reel.seenLateMs / 1000).toFixed(1)} s`,
				},
			],
		};
	},
};
