import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidField, readOption } from '../../../shared/parameters';
import { graphRequest } from '../../../shared/transport';
import { accountField } from '../../descriptions/fields';
import { dataOf, getAccountId } from '../../helpers/input';
import { ACCOUNT_METRICS, readMetrics } from '../../helpers/insights';
import { iso, readTime } from '../../helpers/time';

const DAY_MS = 24 * 3600 * 1000;
/** Meta accepts at most 30 days between since and until. */
const MAX_RANGE_MS = 30 * DAY_MS;
const RANGES = ['lastDay', 'last7Days', 'last28Days', 'custom'] as const;

const properties: INodeProperties[] = [
	accountField,
	{
		displayName: 'Metrics',
		name: 'metrics',
		type: 'multiOptions',
		options: ACCOUNT_METRICS,
		default: ['views', 'reach', 'accounts_engaged', 'total_interactions'],
		description:
			'The 2026 account metrics; impressions was removed by Meta in April 2025 (use views)',
	},
	{
		displayName: 'Period',
		name: 'range',
		type: 'options',
		default: 'last7Days',
		options: [
			{ name: 'Custom', value: 'custom' },
			{ name: 'Last 24 Hours', value: 'lastDay' },
			{ name: 'Last 28 Days', value: 'last28Days' },
			{ name: 'Last 7 Days', value: 'last7Days' },
		],
	},
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { range: ['custom'] } },
	},
	{
		displayName: 'Until',
		name: 'until',
		type: 'dateTime',
		default: '',
		description: 'Empty: now. At most 30 days after Since.',
		displayOptions: { show: { range: ['custom'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['insight'], operation: ['getAccountInsights'] } },
	properties,
);

function period(this: IExecuteFunctions, itemIndex: number): { since: number; until: number } {
	const range = readOption.call(this, 'range', itemIndex, 'Period', RANGES, 'last7Days');
	const now = Date.now();
	if (range !== 'custom') {
		const days = range === 'lastDay' ? 1 : range === 'last7Days' ? 7 : 28;
		return { since: now - days * DAY_MS, until: now };
	}
	const since = readTime.call(
		this,
		this.getNodeParameter('since', itemIndex, '') as unknown,
		itemIndex,
		'Since',
	);
	const until =
		readTime.call(
			this,
			this.getNodeParameter('until', itemIndex, '') as unknown,
			itemIndex,
			'Until',
		) ?? now;
	if (since === undefined) {
		throw invalidField(
			this.getNode(),
			{ label: 'Since', itemIndex },
			'is empty',
			'Give the start of the period.',
		);
	}
	if (since >= until) {
		throw invalidField(
			this.getNode(),
			{ label: 'Since', itemIndex },
			'is not before Until',
			'Give a start before the end of the period.',
		);
	}
	if (until - since > MAX_RANGE_MS) {
		throw invalidField(
			this.getNode(),
			{ label: 'Until', itemIndex },
			'is more than 30 days after Since',
			'Meta accepts at most 30 days at once: split the period.',
		);
	}
	return { since, until };
}

/**
 * `GET /{ig-user-id}/insights?metric=...&period=day&metric_type=total_value&since=&until=`: one
 * total per metric over the period, one item per metric.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const igUserId = getAccountId.call(this, itemIndex);
	const metrics = readMetrics.call(this, itemIndex, ACCOUNT_METRICS);
	const { since, until } = period.call(this, itemIndex);
	const answer = await graphRequest.call(this, {
		method: 'GET',
		path: `/${igUserId}/insights`,
		qs: {
			metric: metrics.join(','),
			period: 'day',
			metric_type: 'total_value',
			since: Math.floor(since / 1000),
			until: Math.floor(until / 1000),
		},
		itemIndex,
	});
	const byName = new Map(dataOf(answer).map((entry) => [String(entry.name), entry]));
	return metrics.map((metric) => {
		const entry = byName.get(metric);
		const total = entry?.total_value as IDataObject | undefined;
		return {
			instagramAccountId: igUserId,
			metric,
			period: 'day',
			since: iso(since),
			until: iso(until),
			value: total?.value ?? null,
			...(entry?.title ? { title: entry.title } : {}),
		};
	});
}
