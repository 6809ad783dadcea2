import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { PreparedMessage } from '../helpers/sender';
import { asNodeError, failureItem, sendPrepared } from '../helpers/sender';
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
 * Message sends: every item is validated and built first (bad input stops before anything is
 * sent), then all are sent concurrently at the configured pace. One output item per input item,
 * in input order.
 */
async function sendMessages(
	this: IExecuteFunctions,
	operation: MessageOperation,
	itemCount: number,
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const templateCache: TemplateDefinitionCache = new Map();
	const prepared: Array<PreparedMessage | undefined> = new Array(itemCount);
	const invalid = new Map<number, NodeOperationError | NodeApiError>();
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			prepared[itemIndex] =
				operation === 'sendTemplate'
					? await message.sendTemplate.build.call(this, itemIndex, templateCache)
					: await message[operation].build.call(this, itemIndex);
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			invalid.set(itemIndex, nodeError);
		}
	}
	const options = (this.getNodeParameter('options', 0, {}) as IDataObject) ?? {};
	const ready = prepared.filter((entry): entry is PreparedMessage => entry !== undefined);
	const outcomes = await sendPrepared.call(this, ready, {
		messagesPerSecond: Number(options.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND),
		maxParallelRequests: Number(options.maxParallelRequests ?? DEFAULT_MAX_PARALLEL_REQUESTS),
		stopOnFirstError: !continueOnFail,
	});
	const byItem = new Map(outcomes.map((outcome) => [outcome.itemIndex, outcome]));
	if (!continueOnFail) {
		const firstFailure = outcomes
			.filter((outcome) => !outcome.ok)
			.sort((a, b) => a.itemIndex - b.itemIndex)[0];
		if (firstFailure && !firstFailure.ok) {
			const sent = outcomes.filter((outcome) => outcome.ok).length;
			if (sent > 0) {
				firstFailure.error.description = `${firstFailure.error.description ?? ''} ${sent} other item(s) of this run were already sent and must not be sent again. Set "On Error" to continue to get one result per item.`.trim();
			}
			throw firstFailure.error;
		}
	}
	const results: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const bad = invalid.get(itemIndex);
		if (bad) {
			results.push(failureItem.call(this, itemIndex, bad, 'failed'));
			continue;
		}
		const outcome = byItem.get(itemIndex);
		if (!outcome) continue;
		if (outcome.ok) {
			results.push({ json: outcome.json, pairedItem: { item: itemIndex } });
		} else {
			results.push(
				failureItem.call(this, itemIndex, outcome.error, outcome.status, prepared[itemIndex]?.summary ?? {}),
			);
		}
	}
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
				returnData.push(failureItem.call(this, itemIndex, nodeError, 'failed'));
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}
