import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PreparedMessage, SendOutcome } from '../helpers/sender';
import { metaErrorItem } from '../../shared/errors';
import { asNodeError, sendPrepared } from '../helpers/sender';
import * as media from './media';
import * as message from './message';
import { DEFAULT_MAX_PARALLEL_REQUESTS, DEFAULT_MESSAGES_PER_SECOND } from './message/common';
import type { TemplateDefinitionCache } from './message/sendTemplate.operation';
import * as template from './template';

type MessageOperation = keyof typeof message;
type ItemOperation = {
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;
};

/**
 * Message sends, one output item per input item in input order. With Continue On Fail off, every
 * item is validated and built first, so bad input stops the node before anything is sent. With it
 * on, a bad item only fails itself, so items are built as the pacer lets them go (building then
 * overlaps with the wait between sends).
 */
async function sendMessages(
	this: IExecuteFunctions,
	operation: MessageOperation,
	itemCount: number,
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const templateCache: TemplateDefinitionCache = new Map();
	const build = async (itemIndex: number): Promise<PreparedMessage> => {
		try {
			return operation === 'sendTemplate'
				? await message.sendTemplate.build.call(this, itemIndex, templateCache)
				: await message[operation].build.call(this, itemIndex);
		} catch (error) {
			throw asNodeError(this, error, itemIndex);
		}
	};
	let getMessage = build;
	if (!continueOnFail) {
		const prepared: PreparedMessage[] = [];
		for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) prepared.push(await build(itemIndex));
		getMessage = async (position: number) => prepared[position];
	}
	const options = (this.getNodeParameter('options', 0, {}) as IDataObject) ?? {};
	const outcomes = await sendPrepared.call(this, itemCount, getMessage, {
		messagesPerSecond: Number(options.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND),
		maxParallelRequests: Number(options.maxParallelRequests ?? DEFAULT_MAX_PARALLEL_REQUESTS),
		stopOnFirstError: !continueOnFail,
	});
	if (!continueOnFail) {
		const failures = outcomes.filter(
			(outcome): outcome is Extract<SendOutcome, { ok: false }> => outcome !== undefined && !outcome.ok,
		);
		if (failures.length) {
			const first = failures.sort((a, b) => a.itemIndex - b.itemIndex)[0];
			const sent = outcomes.filter((outcome) => outcome?.ok).length;
			if (sent > 0) {
				first.error.description = `${first.error.description ?? ''} ${sent} other item(s) of this run were already sent and must not be sent again. Set "On Error" to continue to get one result per item.`.trim();
			}
			throw first.error;
		}
	}
	const results: INodeExecutionData[] = [];
	outcomes.forEach((outcome) => {
		if (!outcome) return;
		if (outcome.ok) {
			results.push({ json: outcome.json, pairedItem: { item: outcome.itemIndex } });
		} else {
			results.push(
				metaErrorItem(outcome.error, outcome.itemIndex, outcome.summary, { status: outcome.status }),
			);
		}
	});
	return results;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;

	if (resource === 'message') {
		if (!(operation in message)) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		}
		return [await sendMessages.call(this, operation as MessageOperation, items.length)];
	}

	const operations: Record<string, Record<string, ItemOperation>> = {
		media: media as unknown as Record<string, ItemOperation>,
		template: template as unknown as Record<string, ItemOperation>,
	};
	const handler = operations[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await handler.execute.call(this, itemIndex);
			returnData.push(
				...this.helpers.constructExecutionMetaData(result, { itemData: { item: itemIndex } }),
			);
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (this.continueOnFail()) {
				// Status from the error: `unknown` when an upload or template request may have gone through.
				returnData.push(metaErrorItem(nodeError, itemIndex));
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}
