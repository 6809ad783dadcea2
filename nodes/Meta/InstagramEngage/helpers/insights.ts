/**
 * The insight metrics Meta supports in 2026, and the ones it removed. Media:
 * https://developers.facebook.com/documentation/instagram-platform/reference/instagram-media/insights
 * Account: https://developers.facebook.com/documentation/instagram-platform/api-reference/instagram-user/insights
 * `plays`, `clips_replays_count`, `ig_reels_aggregated_all_plays_count` and `impressions` were
 * removed from every API version on 21 April 2025, and `video_views` is deprecated: `views` replaces them.
 */
import type { IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';

import { expectList, expectText, invalidField } from '../../shared/parameters';

export const REMOVED_METRICS: Readonly<Record<string, string>> = {
	impressions: 'views',
	plays: 'views',
	video_views: 'views',
	clips_replays_count: 'views',
	ig_reels_aggregated_all_plays_count: 'views',
};

function option(value: string, description: string): INodePropertyOptions {
	const name = value
		.split('_')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
	return { name, value, description };
}

/** Media metrics (feed posts, reels, stories). Meta refuses a metric the media type lacks. */
export const POST_METRICS: INodePropertyOptions[] = [
	option('comments', 'Comments (feed, reels)'),
	option('crossposted_views', 'Views of the reel cross-posted to Facebook (reels)'),
	option('follows', 'Accounts that followed from the post (feed, stories)'),
	option('ig_reels_avg_watch_time', 'Average watch time in ms (reels)'),
	option('ig_reels_video_view_total_time', 'Total watch time in ms (reels)'),
	option('likes', 'Likes (feed, reels)'),
	option('link_clicks', 'Link sticker taps (stories)'),
	option('navigation', 'Forward, back, exit and next-story taps (stories)'),
	option('profile_activity', 'Actions on the profile after seeing the post (feed, stories)'),
	option('profile_visits', 'Profile visits from the post (feed, stories)'),
	option('reach', 'Accounts that saw the post (estimated)'),
	option('reels_skip_rate', 'Share of views skipped in the first 3 seconds (reels)'),
	option('replies', 'Replies (stories)'),
	option('reposts', 'Reposts'),
	option('saved', 'Saves (feed, reels)'),
	option('shares', 'Shares'),
	option('total_interactions', 'Likes, saves, comments and shares'),
	option('views', 'Times the post was seen or played'),
];

/** Account metrics over a period (`period=day`, `metric_type=total_value`). */
export const ACCOUNT_METRICS: INodePropertyOptions[] = [
	option('accounts_engaged', 'Accounts that interacted with the content'),
	option('comments', 'Comments on posts, reels and stories'),
	option('follows_and_unfollows', 'Follows and unfollows (accounts with 100 followers or more)'),
	option('likes', 'Likes on posts, reels and stories'),
	option('profile_links_taps', "Taps on the profile's contact and link buttons"),
	option('reach', 'Accounts that saw any content'),
	option('replies', 'Replies to stories'),
	option('reposts', 'Reposts'),
	option('saves', 'Saves'),
	option('shares', 'Shares'),
	option('total_interactions', 'Likes, saves, comments, shares and replies'),
	option('views', 'Times content was seen or played'),
];

/** The Metrics parameter: a list (or comma-separated text) of known metric names. */
export function readMetrics(
	this: IExecuteFunctions,
	itemIndex: number,
	allowed: INodePropertyOptions[],
): string[] {
	const node = this.getNode();
	const field = { label: 'Metrics', itemIndex };
	const raw = this.getNodeParameter('metrics', itemIndex, []) as unknown;
	const list = typeof raw === 'string' ? raw.split(',') : expectList(node, raw, field);
	const metrics = list
		.map((entry, index) =>
			expectText(node, entry, { label: `Metrics (entry ${index + 1})`, itemIndex }),
		)
		.filter((metric) => metric !== '');
	if (metrics.length === 0) {
		throw invalidField(node, field, 'is empty', 'Choose at least one metric.');
	}
	const names = allowed.map((entry) => String(entry.value));
	for (const metric of metrics) {
		const replacement = REMOVED_METRICS[metric];
		if (replacement) {
			throw invalidField(
				node,
				field,
				`"${metric}" was removed by Meta in April 2025`,
				`Use "${replacement}" instead.`,
			);
		}
		if (!names.includes(metric)) {
			throw invalidField(
				node,
				field,
				`"${metric.slice(0, 40)}" is not a metric Meta offers here`,
				`Use one of: ${names.join(', ')}.`,
			);
		}
	}
	return [...new Set(metrics)];
}
