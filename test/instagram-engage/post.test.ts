/** Post > Get Many over real HTTP: the account's posts with counts, newest first. */
import type { RunningSimulator } from '../../simulator';
import {
	IG_CREATOR,
	POST_CLOSED,
	POST_MENU,
	POST_REEL,
	POST_STUDIO,
	account,
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

describe('Post > Get Many', () => {
	it('lists posts and reels (not stories) with caption, permalink, type, time and counts', async () => {
		const { outputs, error } = await run(sim, {
			resource: 'post',
			operation: 'getMany',
			instagramAccountId: account(),
			returnAll: true,
		});
		expect(error).toBeUndefined();
		const posts = json(outputs);
		expect(posts.map((post) => post.id)).toEqual([POST_MENU, POST_REEL, POST_CLOSED]);
		expect(posts[0]).toEqual({
			id: POST_MENU,
			caption: 'New autumn menu! Comment MENU for the link',
			permalink: expect.stringMatching(/^https:\/\/www\.instagram\.com\/p\//),
			media_type: 'IMAGE',
			media_product_type: 'FEED',
			timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
			like_count: 87,
			comments_count: 5,
		});
	});

	it('stops at Limit', async () => {
		const { outputs } = await run(sim, {
			resource: 'post',
			operation: 'getMany',
			instagramAccountId: account(),
			limit: 2,
		});
		expect(json(outputs)).toHaveLength(2);
		expect(sim.control.requests()[0].params.limit).toBe('2');
	});

	it.each([
		[
			{ limit: '={{ "many" }}' },
			/^Limit \(item 1\): expected a number but the expression gave text that is not a number/,
		],
		[
			{ instagramAccountId: { __rl: true, mode: 'id', value: '={{ null }}' } },
			/^Instagram Account \(item 1\)/,
		],
		[
			{ returnAll: '={{ [true] }}' },
			/^Return All \(item 1\): expected true or false but the expression gave a list/,
		],
	])('refuses bad input %# before any request', async (extra, message) => {
		const { error } = await run(sim, {
			resource: 'post',
			operation: 'getMany',
			instagramAccountId: account(),
			...extra,
		});
		expect(error?.message).toMatch(message);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('works with Instagram Login', async () => {
		const { outputs, error } = await run(
			sim,
			{
				resource: 'post',
				operation: 'getMany',
				instagramAccountId: account(IG_CREATOR),
				returnAll: true,
			},
			{ instagramLogin: true },
		);
		expect(error).toBeUndefined();
		expect(json(outputs).map((post) => post.id)).toEqual([POST_STUDIO]);
	});
});
