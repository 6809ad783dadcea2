/** Insights over real HTTP: 2026 metrics, one item per metric, removed metrics refused. */
import type { RunningSimulator } from '../../simulator';
import {
	IG_BUSINESS,
	IG_CREATOR,
	POST_MENU,
	POST_REEL,
	POST_STUDIO,
	STORY,
	USER_TOKEN,
	account,
	expectCleanMessage,
	json,
	run,
	startEngage,
} from './helpers';

let sim: RunningSimulator;
beforeEach(async () => {
	sim = await startEngage();
});
afterEach(async () => {
	await sim.stop();
});

const postInsights = (extra: Record<string, unknown> = {}) => ({
	resource: 'insight',
	operation: 'getPostInsights',
	postId: POST_MENU,
	...extra,
});
const accountInsights = (extra: Record<string, unknown> = {}) => ({
	resource: 'insight',
	operation: 'getAccountInsights',
	instagramAccountId: account(),
	...extra,
});

describe('Insight > Get Post Insights', () => {
	it('returns one item per metric with its period and value', async () => {
		const { outputs, error } = await run(sim, postInsights(), { token: USER_TOKEN });
		expect(error).toBeUndefined();
		expect(json(outputs).map(({ metric, period, value }) => ({ metric, period, value }))).toEqual([
			{ metric: 'views', period: 'lifetime', value: 1520 },
			{ metric: 'reach', period: 'lifetime', value: 1204 },
			{ metric: 'likes', period: 'lifetime', value: 87 },
			{ metric: 'comments', period: 'lifetime', value: 5 },
			{ metric: 'saved', period: 'lifetime', value: 12 },
			{ metric: 'shares', period: 'lifetime', value: 9 },
			{ metric: 'total_interactions', period: 'lifetime', value: 113 },
		]);
		expect(json(outputs)[0].postId).toBe(POST_MENU);
		expect(sim.control.requests()[0].params.metric).toBe(
			'views,reach,likes,comments,saved,shares,total_interactions',
		);
	});

	it('a metric without data yet comes out as null with a note', async () => {
		const { outputs } = await run(sim, postInsights({ metrics: ['views', 'reposts'] }), {
			token: USER_TOKEN,
		});
		expect(json(outputs)[1]).toMatchObject({
			metric: 'reposts',
			value: null,
			note: expect.stringMatching(/48 hours/),
		});
	});

	it('reels metrics on a reel', async () => {
		const { outputs, error } = await run(
			sim,
			postInsights({ postId: POST_REEL, metrics: ['views', 'ig_reels_avg_watch_time'] }),
			{ token: USER_TOKEN },
		);
		expect(error).toBeUndefined();
		expect(json(outputs).map((entry) => entry.value)).toEqual([8800, 9100]);
	});

	it('Meta refuses a metric the post type lacks (saved on a story)', async () => {
		const { error } = await run(sim, postInsights({ postId: STORY, metrics: ['views', 'saved'] }), {
			token: USER_TOKEN,
		});
		expect(error?.name).toBe('NodeApiError');
		expect((error as { context?: { meta?: { code?: number } } }).context?.meta?.code).toBe(100);
	});

	it.each([
		['impressions', /"impressions" was removed by Meta in April 2025/],
		['plays', /"plays" was removed by Meta in April 2025/],
		['video_views', /"video_views" was removed by Meta in April 2025/],
	])(
		'refuses the removed metric %s before any request and names views instead',
		async (metric, message) => {
			const { error } = await run(sim, postInsights({ metrics: `={{ ["views", "${metric}"] }}` }), {
				token: USER_TOKEN,
			});
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toMatch(message);
			expect(error?.description).toMatch(/Use "views" instead/);
			expect(sim.control.requests()).toHaveLength(0);
		},
	);

	it.each([
		[
			'={{ null }}',
			/^Metrics \(item 1\): expected a list but the expression gave an empty value|^Metrics \(item 1\): is empty/,
		],
		['={{ { a: 1 } }}', /^Metrics \(item 1\): expected a list but the expression gave an object/],
		[
			'={{ [null] }}',
			/^Metrics \(entry 1\) \(item 1\): expected text but the expression gave an empty value \(null\)/,
		],
		['={{ "views,bogus" }}', /^Metrics \(item 1\): "bogus" is not a metric Meta offers here/],
	])('refuses Metrics %s before any request', async (metrics, message) => {
		const { error } = await run(sim, postInsights({ metrics }), { token: USER_TOKEN });
		expect(error?.message).toMatch(message);
		expectCleanMessage(error);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('works with Instagram Login', async () => {
		const { outputs, error } = await run(
			sim,
			postInsights({ postId: POST_STUDIO, metrics: ['views'] }),
			{ instagramLogin: true },
		);
		expect(error).toBeUndefined();
		expect(json(outputs)).toEqual([
			{ postId: POST_STUDIO, metric: 'views', period: 'lifetime', value: 700, title: 'views' },
		]);
	});
});

describe('Insight > Get Account Insights', () => {
	it('returns the totals of the last 7 days, one item per metric', async () => {
		const { outputs, error } = await run(sim, accountInsights(), { token: USER_TOKEN });
		expect(error).toBeUndefined();
		const items = json(outputs);
		expect(items.map(({ metric, value, period }) => ({ metric, value, period }))).toEqual([
			{ metric: 'views', value: 2100 * 7, period: 'day' },
			{ metric: 'reach', value: 900 * 7, period: 'day' },
			{ metric: 'accounts_engaged', value: 120 * 7, period: 'day' },
			{ metric: 'total_interactions', value: 195 * 7, period: 'day' },
		]);
		expect(items[0]).toMatchObject({
			instagramAccountId: IG_BUSINESS,
			since: expect.any(String),
			until: expect.any(String),
		});
		const [request] = sim.control.requests();
		expect(request.params).toMatchObject({ period: 'day', metric_type: 'total_value' });
		expect(Number(request.params.until) - Number(request.params.since)).toBe(7 * 86400);
	});

	it('takes a custom period of up to 30 days', async () => {
		const until = new Date();
		const since = new Date(until.getTime() - 30 * 86400 * 1000);
		const { outputs, error } = await run(
			sim,
			accountInsights({
				range: 'custom',
				since: since.toISOString(),
				until: until.toISOString(),
				metrics: ['saves'],
			}),
			{ token: USER_TOKEN },
		);
		expect(error).toBeUndefined();
		expect(json(outputs)[0]).toMatchObject({ metric: 'saves', value: 20 * 30 });
	});

	it.each([
		[
			{
				range: 'custom',
				since: new Date(Date.now() - 31 * 86400 * 1000).toISOString(),
				until: new Date().toISOString(),
			},
			/^Until \(item 1\): is more than 30 days after Since/,
		],
		[
			{
				range: 'custom',
				since: new Date().toISOString(),
				until: new Date(Date.now() - 86400 * 1000).toISOString(),
			},
			/^Since \(item 1\): is not before Until/,
		],
		[
			{ range: 'custom', since: '={{ { d: 1 } }}' },
			/^Since \(item 1\): expected a date and time but the expression gave an object/,
		],
		[{ metrics: ['impressions'] }, /"impressions" was removed by Meta in April 2025/],
		[{ metrics: ['saved'] }, /"saved" is not a metric Meta offers here/],
		[
			{ range: '={{ 7 }}', since: new Date().toISOString() },
			/^Period \(item 1\): expected one of the choices but the expression gave a number/,
		],
	])('refuses bad input %# before any request', async (extra, message) => {
		const { error } = await run(sim, accountInsights(extra), { token: USER_TOKEN });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('works with Instagram Login', async () => {
		const { outputs, error } = await run(
			sim,
			accountInsights({
				instagramAccountId: account(IG_CREATOR),
				range: 'lastDay',
				metrics: ['views', 'follows_and_unfollows'],
			}),
			{ instagramLogin: true },
		);
		expect(error).toBeUndefined();
		expect(json(outputs).map((entry) => entry.value)).toEqual([650, null]);
	});
});
