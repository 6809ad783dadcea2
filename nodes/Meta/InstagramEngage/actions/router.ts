import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getOperation, runPerItem } from '../../shared/execute';
import type { ItemOperation } from '../../shared/execute';
import * as comment from './comment';
import * as insight from './insight';
import * as mention from './mention';
import * as message from './message';
import * as post from './post';
import * as privateReply from './privateReply';

const resources = {
	comment: {
		getMany: comment.getMany,
		reply: comment.reply,
		hide: comment.hide,
		unhide: comment.unhide,
		delete: comment.deleteComment,
		enableComments: comment.enableComments,
		disableComments: comment.disableComments,
	},
	privateReply: {
		send: privateReply.send,
	},
	mention: {
		get: mention.get,
		reply: mention.reply,
	},
	message: {
		send: message.send,
	},
	insight: {
		getPostInsights: insight.getPostInsights,
		getAccountInsights: insight.getAccountInsights,
	},
	post: {
		getMany: post.getMany,
	},
} satisfies Record<string, Record<string, ItemOperation>>;

type Resource = keyof typeof resources;
type Operations = (typeof resources)[Resource];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operations = (getOperation<Operations>).call(
		this,
		resources,
		this.getNodeParameter('resource', 0),
		'Resource',
	);
	const operation = (getOperation<ItemOperation>).call(
		this,
		operations,
		this.getNodeParameter('operation', 0),
	);
	return [await runPerItem.call(this, operation.execute)];
}
