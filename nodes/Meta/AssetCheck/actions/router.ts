import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { metaErrorItem } from '../../shared/errors';
import * as checkEverything from './checkEverything.operation';
import * as checkInstagramPublishing from './checkInstagramPublishing.operation';
import * as checkToken from './checkToken.operation';
import * as checkWhatsAppMessaging from './checkWhatsAppMessaging.operation';

const operations = {
	checkEverything,
	checkInstagramPublishing,
	checkToken,
	checkWhatsAppMessaging,
};

type OperationName = keyof typeof operations;

/**
 * Runs the selected check for every input item. A failed check is data (the report says
 * `ready: false`); only unusable input throws. With "Split Output by Readiness" on, ready reports
 * go to the first output and the others to the second.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as OperationName;
	const options = this.getNodeParameter('options', 0, {}) as { splitOutput?: boolean };
	const ready: INodeExecutionData[] = [];
	const notReady: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await operations[operation].execute.call(this, itemIndex);
			const executionData = this.helpers.constructExecutionMetaData(results, {
				itemData: { item: itemIndex },
			});
			for (const entry of executionData) {
				(entry.json.ready === true || !options.splitOutput ? ready : notReady).push(entry);
			}
		} catch (error) {
			if (this.continueOnFail()) {
				const target = options.splitOutput ? notReady : ready;
				target.push(metaErrorItem(error, itemIndex, { ready: false }));
				continue;
			}
			// Meta's verdicts are data; what reaches here is bad input, or Meta not answering at all
			// (network, throttling after retries), which no report could describe honestly.
			if (error instanceof NodeApiError) {
				throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
			}
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}
	return options.splitOutput ? [ready, notReady] : [ready];
}
