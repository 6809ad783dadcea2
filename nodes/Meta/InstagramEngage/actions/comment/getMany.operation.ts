import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readBoolean, readCollection, readNumber } from '../../../shared/parameters';
import { answerObject, graphRequest } from '../../../shared/transport';
import { postIdField } from '../../descriptions/fields';
import { dataOf, getPostId } from '../../helpers/input';
import { parseMetaTime, readTime } from '../../helpers/time';
import { COMMENT_FIELDS } from './shared';

/** Meta returns at most 50 comments per page (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments). */
const PAGE_SIZE = 50;

const properties: INodeProperties[] = [
	postIdField,
	{
		displayName: 'Include Replies',
		name: 'includeReplies',
		type: 'boolean',
		default: true,
		description: 'Whether to add the replies of each comment (Meta lists top-level comments only)',
	},
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Since',
				name: 'since',
				type: 'dateTime',
				default: '',
				description:
					'Only comments written at or after this time. Meta has no time filter: the node reads newest first and stops at the first older comment.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['getMany'] } },
	properties,
);

/**
 * `GET /{ig-media-id}/comments`: top-level comments, newest first, cursor paging; replies through
 * the `replies{...}` field expansion.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const postId = getPostId.call(this, itemIndex);
	const includeReplies = readBoolean.call(
		this,
		'includeReplies',
		itemIndex,
		'Include Replies',
		true,
	);
	const returnAll = readBoolean.call(this, 'returnAll', itemIndex, 'Return All');
	const limit = returnAll
		? undefined
		: readNumber.call(this, 'limit', itemIndex, 'Limit', {
				required: true,
				min: 1,
				integer: true,
				fallback: 50,
			});
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	const since = readTime.call(this, options.since, itemIndex, 'Since');

	const fields = includeReplies ? `${COMMENT_FIELDS},replies{${COMMENT_FIELDS}}` : COMMENT_FIELDS;
	const results: IDataObject[] = [];
	const seen = new Set<string>();
	let after: string | undefined;
	do {
		const qs: IDataObject = {
			fields,
			limit: Math.min(PAGE_SIZE, limit ? limit - results.length : PAGE_SIZE),
		};
		if (after) qs.after = after;
		const page = answerObject(
			await graphRequest.call(this, { method: 'GET', path: `/${postId}/comments`, qs, itemIndex }),
		);
		for (const comment of dataOf(page)) {
			const time = parseMetaTime(comment.timestamp);
			if (since !== undefined && time !== undefined && time < since) return results;
			const replies = answerObject(comment.replies);
			results.push({
				postId,
				...comment,
				...(includeReplies ? { replies: dataOf(replies) } : {}),
			});
			if (limit !== undefined && results.length >= limit) return results;
		}
		const paging = answerObject(page?.paging);
		const cursor = answerObject(paging?.cursors)?.after;
		after = paging?.next && typeof cursor === 'string' && !seen.has(cursor) ? cursor : undefined;
		if (after) seen.add(after);
	} while (after);
	return results;
}
