import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { metaErrorItem } from '../../shared/errors';
import { clearPublishMemory } from '../helpers/publishing';
import * as account from './account';
import * as container from './container';
import * as post from './post';

type Operation = { execute: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject> };

const resources: Record<string, Record<string, Operation>> = {
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
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`);
	}
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const json = await handler.execute.call(this, itemIndex);
			returnData.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
					itemData: { item: itemIndex },
				}),
			);
		} catch (caught) {
			const error = caught as Error;
			if (this.continueOnFail()) {
				// The container IDs (containerId, childContainerIds) let a later run publish them.
				const containers = (error as NodeApiError | NodeOperationError).context?.instagram as
					| IDataObject
					| undefined;
				returnData.push(metaErrorItem(error, itemIndex, containers ?? {}));
				continue;
			}
			if (error instanceof NodeApiError || error instanceof NodeOperationError) {
				error.context.itemIndex = itemIndex;
				throw error;
			}
			throw new NodeOperationError(this.getNode(), error, { itemIndex });
		}
	}
	// Nothing failed: a later run of this node in the execution starts with a clean memory.
	clearPublishMemory(this);
	return [returnData];
}
