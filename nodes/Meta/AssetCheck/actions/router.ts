import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getOperation, runPerItem } from '../../shared/execute';
import type { ItemOperation } from '../../shared/execute';
import { expectBoolean, readCollection } from '../../shared/parameters';
import * as check from './check';

const operations = {
	checkEverything: check.checkEverything,
	checkInstagramPublishing: check.checkInstagramPublishing,
	checkToken: check.checkToken,
	checkWhatsAppMessaging: check.checkWhatsAppMessaging,
} satisfies Record<string, ItemOperation>;

/** Whether "Split Output by Readiness" is on: it decides the node's outputs, so item 0 decides. */
function splitOutput(this: IExecuteFunctions): boolean {
	const options = readCollection.call(this, 'options', 0, 'Options');
	if (options.splitOutput === undefined) return false;
	return expectBoolean(this.getNode(), options.splitOutput, {
		label: 'Split Output by Readiness',
		itemIndex: 0,
	});
}

/**
 * Runs the selected check for every input item. A failed check is data (the report says
 * `ready: false`); only unusable input, or Meta not answering at all, fails the item. With "Split
 * Output by Readiness" on, ready reports go to the first output and the others (error items
 * included) to the second.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { execute } = getOperation.call<
		IExecuteFunctions,
		[Readonly<Record<string, ItemOperation>>, unknown],
		ItemOperation
	>(this, operations, this.getNodeParameter('operation', 0));
	const split = splitOutput.call(this);
	const results = await runPerItem.call(this, execute, {
		errorDetails: () => ({ ready: false }),
	});
	if (!split) return [results];
	const ready = results.filter((entry) => entry.json.ready === true);
	const notReady = results.filter((entry) => entry.json.ready !== true);
	return [ready, notReady];
}
