import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { postIdField } from '../../descriptions/fields';
import { dataOf, getPostId } from '../../helpers/input';
import { POST_METRICS, readMetrics } from '../../helpers/insights';

const properties: INodeProperties[] = [
	postIdField,
	{
		displayName: 'Metrics',
		name: 'metrics',
		type: 'multiOptions',
		options: POST_METRICS,
		default: ['views', 'reach', 'likes', 'comments', 'saved', 'shares', 'total_interactions'],
		description:
			'The 2026 metrics; impressions, plays and video_views were removed by Meta in April 2025 (use views). Meta refuses the whole request when one metric does not apply to the post type (e.g. saved on a story).',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['insight'], operation: ['getPostInsights'] } },
	properties,
);

function valueOf(entry: IDataObject): IDataObject[string] {
	const values = entry.values;
	if (Array.isArray(values) && values.length > 0) {
		return (values[values.length - 1] as IDataObject | undefined)?.value ?? null;
	}
	return (entry.total_value as IDataObject | undefined)?.value ?? null;
}

/**
 * `GET /{ig-media-id}/insights?metric=...`: lifetime values. One item per requested metric; a
 * metric Meta has no data for yet (up to 48 h delay) comes out with value null.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const postId = getPostId.call(this, itemIndex);
	const metrics = readMetrics.call(this, itemIndex, POST_METRICS);
	const answer = await graphRequest.call(this, {
		method: 'GET',
		path: `/${postId}/insights`,
		qs: { metric: metrics.join(',') },
		itemIndex,
	});
	const byName = new Map(dataOf(answer).map((entry) => [String(entry.name), entry]));
	return metrics.map((metric) => {
		const entry = byName.get(metric);
		return {
			postId,
			metric,
			period: entry?.period ?? 'lifetime',
			value: entry ? valueOf(entry) : null,
			...(entry?.title ? { title: entry.title } : {}),
			...(entry
				? {}
				: { note: 'Meta has no data for this metric yet (it can take up to 48 hours)' }),
		};
	});
}
