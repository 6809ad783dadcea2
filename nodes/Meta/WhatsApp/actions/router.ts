import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ItemOperation } from '../../shared/execute';
import { getOperation, runPerItem } from '../../shared/execute';
import type { MessageOperation } from '../helpers/bulk';
import { sendMessages } from '../helpers/bulk';
import * as media from './media';
import * as message from './message';
import * as template from './template';

const RESOURCES = { media: true, message: true, template: true };

/** Resources whose operations run item by item through the shared runner. */
const itemResources = {
	media: media.operations,
	template: template.operations,
} satisfies Record<string, Record<string, ItemOperation>>;

/**
 * Message operations build every item, then send them paced and in parallel (helpers/bulk.ts);
 * media and template operations run item by item. Only dispatching happens here.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// The resource first: n8n cannot read the Operation of a resource the node does not show.
	const resource = this.getNodeParameter('resource', 0);
	(getOperation<boolean>).call(this, RESOURCES, resource, 'Resource');
	const operation = this.getNodeParameter('operation', 0);
	if (resource === 'message') {
		const { build } = (getOperation<MessageOperation>).call(this, message.operations, operation);
		return [await sendMessages.call(this, build)];
	}
	const operations = (getOperation<Readonly<Record<string, ItemOperation>>>).call(
		this,
		itemResources,
		resource,
		'Resource',
	);
	const { execute } = (getOperation<ItemOperation>).call(this, operations, operation);
	return [await runPerItem.call(this, execute)];
}
