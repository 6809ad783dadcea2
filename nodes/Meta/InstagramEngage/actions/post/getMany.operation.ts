import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readBoolean, readNumber } from '../../../shared/parameters';
import { graphRequestAllItems } from '../../../shared/transport';
import { accountField } from '../../descriptions/fields';
import { getAccountId } from '../../helpers/input';

const FIELDS =
	'id,caption,permalink,media_type,media_product_type,timestamp,like_count,comments_count';

const properties: INodeProperties[] = [
	accountField,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['post'], operation: ['getMany'] } },
	properties,
);

/**
 * `GET /{ig-user-id}/media`: the account's posts and reels, newest first (stories are not listed)
 * (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const igUserId = getAccountId.call(this, itemIndex);
	const returnAll = readBoolean.call(this, 'returnAll', itemIndex, 'Return All');
	const limit = returnAll
		? undefined
		: readNumber.call(this, 'limit', itemIndex, 'Limit', {
				required: true,
				min: 1,
				integer: true,
				fallback: 50,
			});
	return await (graphRequestAllItems<IDataObject>).call(
		this,
		{ method: 'GET', path: `/${igUserId}/media`, qs: { fields: FIELDS }, itemIndex },
		{ limit, pageSize: 50 },
	);
}
