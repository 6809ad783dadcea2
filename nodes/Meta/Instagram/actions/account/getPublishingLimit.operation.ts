import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { getInstagramAccountId } from '../../helpers/input';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['getPublishingLimit'] } },
	properties,
);

/** `GET /{ig-user-id}/content_publishing_limit` (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit); a carousel counts as one post. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const igUserId = getInstagramAccountId.call(this, itemIndex);
	const response = (await graphRequest.call(this, {
		method: 'GET',
		path: `/${igUserId}/content_publishing_limit`,
		qs: { fields: 'quota_usage,config' },
		itemIndex,
	})) as {
		data?: Array<{
			quota_usage?: number;
			config?: { quota_total?: number; quota_duration?: number };
		}>;
	};
	const entry = response.data?.[0] ?? {};
	const used = Number(entry.quota_usage ?? 0);
	const total = entry.config?.quota_total !== undefined ? Number(entry.config.quota_total) : null;
	const windowSeconds = Number(entry.config?.quota_duration ?? 86400);
	return {
		instagramAccountId: igUserId,
		used,
		total,
		remaining: total === null ? null : Math.max(0, total - used),
		windowSeconds,
		window: `${Math.round(windowSeconds / 3600)} hours (rolling)`,
	};
}
