import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getOperation, runPerItem, toNodeError } from '../../shared/execute';
import type { ItemOperation, OperationResult } from '../../shared/execute';
import { clearPublishMemory } from '../helpers/post';
import * as account from './account';
import * as container from './container';
import * as post from './post';
import type { PreparedPost } from './post/shared';

/**
 * An Instagram operation. Operations that publish also export `prepare`: it reads and checks an
 * item without sending anything and returns the function that publishes it.
 */
interface InstagramOperation extends ItemOperation {
	prepare?: (this: IExecuteFunctions, itemIndex: number) => Promise<PreparedPost>;
}

const resources = {
	post: {
		publishImage: post.publishImage,
		publishReel: post.publishReel,
		publishCarousel: post.publishCarousel,
		publishStory: post.publishStory,
	},
	container: {
		create: container.create,
		getStatus: container.getStatus,
		publish: container.publish,
	},
	account: {
		getPublishingLimit: account.getPublishingLimit,
	},
} satisfies Record<string, Record<string, InstagramOperation>>;

type Resource = keyof typeof resources;
type Operations = (typeof resources)[Resource];

/** What an item published, to name it if a later item makes the node fail. */
interface PublishedItem {
	itemIndex: number;
	mediaId?: string;
	permalink?: string;
}

function publishedBy(result: OperationResult, itemIndex: number): PublishedItem | undefined {
	const json = Array.isArray(result) ? undefined : (result as IDataObject);
	if (json?.published !== true) return undefined;
	return {
		itemIndex,
		mediaId: typeof json.mediaId === 'string' ? json.mediaId : undefined,
		permalink: typeof json.permalink === 'string' ? json.permalink : undefined,
	};
}

/**
 * The node stops on an item after earlier items were published: say which, so the user does not
 * run them again (a rerun would post them twice).
 */
function withPublishedNote(
	error: NodeApiError | NodeOperationError,
	published: PublishedItem[],
): NodeApiError | NodeOperationError {
	if (published.length === 0) return error;
	const list = published
		.map(
			(entry) =>
				`item ${entry.itemIndex + 1}${entry.mediaId ? ` (post ${entry.mediaId}${entry.permalink ? `, ${entry.permalink}` : ''})` : ''}`,
		)
		.join('; ');
	const count =
		published.length === 1 ? '1 earlier item was' : `${published.length} earlier items were`;
	error.message = `${error.message} [${count} already published in this run: ${list}]`;
	error.description =
		`Already published before this failure, do not run again: ${list}. Fix the failing item and run only the items that were not published. ${error.description ?? ''}`.trim();
	error.context.instagram = {
		...((error.context.instagram as IDataObject | undefined) ?? {}),
		publishedBeforeFailure: published.map((entry) => ({ ...entry })),
	};
	return error;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operations = (getOperation<Operations>).call(
		this,
		resources,
		this.getNodeParameter('resource', 0),
		'Resource',
	);
	const operation = (getOperation<InstagramOperation>).call(
		this,
		operations,
		this.getNodeParameter('operation', 0),
	);

	// Without Continue On Fail the first bad item stops the node: read and check every item before
	// publishing any, so a bad item 2 cannot stop the node after item 1 went live.
	let prepared: PreparedPost[] | undefined;
	const { prepare } = operation;
	if (prepare && !this.continueOnFail()) {
		prepared = [];
		const count = this.getInputData().length;
		for (let itemIndex = 0; itemIndex < count; itemIndex++) {
			try {
				prepared.push(await prepare.call(this, itemIndex));
			} catch (error) {
				throw toNodeError(this.getNode(), error, itemIndex);
			}
		}
	}

	const published: PublishedItem[] = [];
	let returnData: INodeExecutionData[];
	try {
		returnData = await runPerItem.call(
			this,
			async function (this: IExecuteFunctions, itemIndex: number) {
				const result = prepared
					? await prepared[itemIndex]()
					: await operation.execute.call(this, itemIndex);
				const entry = publishedBy(result, itemIndex);
				if (entry) published.push(entry);
				return result;
			},
			{
				// The container IDs (containerId, childContainerIds) let a later run publish them.
				errorDetails: (error) => (error.context.instagram as IDataObject | undefined) ?? {},
			},
		);
	} catch (error) {
		throw withPublishedNote(toNodeError(this.getNode(), error, 0), published);
	}
	// Nothing failed: a later run of this node in the execution starts with a clean memory.
	clearPublishMemory.call(this);
	return [returnData];
}
