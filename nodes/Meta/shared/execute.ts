/**
 * The one per-item runner every node's router uses, and the one conversion of any thrown value
 * into the error n8n shows. A router picks the operation (`getOperation`), then hands the item loop
 * to `runPerItem`: paired items, Continue On Fail into the shared error item, and the item index on
 * every error are handled here once, the same way in every node.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { metaErrorItem } from './errors/errorItem';
import type { MetaErrorItemOptions } from './errors/errorItem';

/** What an operation returns for one item: one or more JSON objects, or finished items. */
export type OperationResult = IDataObject | IDataObject[] | INodeExecutionData[];

/** An operation file's `execute`: one input item in, its output out. */
export type ItemExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<OperationResult>;

/** An operation module as `actions/<resource>/index.ts` re-exports it. */
export interface ItemOperation {
	execute: ItemExecute;
}

/**
 * Any thrown value as the error n8n shows, carrying the item index. Errors this package already
 * built (NodeApiError from the transport with Meta's numbers, NodeOperationError for bad input)
 * keep their message, description and details; anything else (a bug, an unexpected library error)
 * becomes a NodeOperationError so n8n still names the node and the item.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof Error) return new NodeOperationError(node, error, { itemIndex });
	// A thrown string keeps its text; anything else (an object, undefined) would read
	// "[object Object]" or "undefined", so it gets a plain sentence instead.
	const message =
		typeof error === 'string' && error.trim() !== ''
			? error
			: 'The item failed with an unexpected error';
	return new NodeOperationError(node, message, { itemIndex });
}

/**
 * The operation chosen on the node, or a clear error when an expression picked one that does not
 * exist (rather than "Cannot read properties of undefined" from deep inside a router).
 */
export function getOperation<T>(
	this: IExecuteFunctions,
	operations: Readonly<Record<string, T>>,
	operation: unknown,
	what = 'Operation',
): T {
	const name = typeof operation === 'string' ? operation : '';
	if (name && Object.prototype.hasOwnProperty.call(operations, name)) return operations[name];
	const known = Object.keys(operations).join(', ');
	throw new NodeOperationError(
		this.getNode(),
		name
			? `${what} "${name.slice(0, 60)}" is not supported`
			: `${what} is not set to one of the node's choices`,
		{ description: `Choose one of: ${known}.` },
	);
}

export interface RunPerItemOptions {
	/**
	 * Extra `details` of the error item for a failed input item (for example container IDs a later
	 * run can publish, or `ready: false`). Read from the error, so it is only known after failing.
	 */
	errorDetails?: (error: NodeApiError | NodeOperationError, itemIndex: number) => IDataObject;
	errorItemOptions?: MetaErrorItemOptions;
}

function asExecutionData(
	this: IExecuteFunctions,
	result: OperationResult,
	itemIndex: number,
): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	const isExecutionData = list.length > 0 && list.every((entry) => isItem(entry));
	const items = isExecutionData
		? (list as INodeExecutionData[])
		: this.helpers.returnJsonArray(list as IDataObject[]);
	return this.helpers.constructExecutionMetaData(items, { itemData: { item: itemIndex } });
}

function isItem(value: unknown): value is INodeExecutionData {
	return (
		typeof value === 'object' &&
		value !== null &&
		'json' in value &&
		typeof (value as { json: unknown }).json === 'object'
	);
}

/** The extra details of an error item; a failing details callback must not lose the item. */
function errorDetailsOf(
	options: RunPerItemOptions,
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): IDataObject {
	try {
		return options.errorDetails?.(error, itemIndex) ?? {};
	} catch {
		return {};
	}
}

/**
 * Runs `execute` for every input item in order. With Continue On Fail, a failed item yields exactly
 * one error item (the shared shape, `metaErrorItem`) paired with it and the loop goes on; without,
 * the first failure stops the node with the item index set.
 */
export async function runPerItem(
	this: IExecuteFunctions,
	execute: ItemExecute,
	options: RunPerItemOptions = {},
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await execute.call(this, itemIndex);
			returnData.push(...asExecutionData.call(this, result, itemIndex));
		} catch (caught) {
			const error = toNodeError(this.getNode(), caught, itemIndex);
			if (!this.continueOnFail()) throw error;
			returnData.push(
				metaErrorItem(
					error,
					itemIndex,
					errorDetailsOf(options, error, itemIndex),
					options.errorItemOptions,
				),
			);
		}
	}
	return returnData;
}
