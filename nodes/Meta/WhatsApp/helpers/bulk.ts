/**
 * Message operations over all input items: build (validate) each item, send them paced and in
 * parallel through the sender, and give one output item per input item in input order.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { metaErrorItem } from '../../shared/errors';
import { toNodeError } from '../../shared/execute';
import { collectionValue, expectNumber, readCollection } from '../../shared/parameters';
import { applyPortfolioLimit } from './portfolio';
import type { PreparedMessage, SendFailure } from './sender';
import { sendPrepared } from './sender';
import type { TemplateDefinitionCache } from './templates';

export const DEFAULT_MESSAGES_PER_SECOND = 80;
export const DEFAULT_MAX_PARALLEL_REQUESTS = 50;

/** What the builds of one run share (template definitions are read once per run). */
export interface BuildContext {
	templateCache: TemplateDefinitionCache;
}

/** A message operation's `build`: one input item in, a message ready to send out. */
export type MessageBuild = (
	this: IExecuteFunctions,
	itemIndex: number,
	context: BuildContext,
) => Promise<PreparedMessage>;

/** A message operation module as `actions/message/index.ts` re-exports it. */
export interface MessageOperation {
	build: MessageBuild;
}

/** The run's pace, from the first item's options; an added option that gave nothing is refused. */
function pacingOptions(this: IExecuteFunctions): {
	messagesPerSecond: number;
	maxParallelRequests: number;
} {
	const options = readCollection.call(this, 'options', 0, 'Options');
	const node = this.getNode();
	const read = (key: string, label: string, fallback: number, max: number) => {
		const field = { label, itemIndex: 0 };
		const given = collectionValue(node, options, key, field) ?? fallback;
		return expectNumber(node, given, field, { min: 1, max }) ?? fallback;
	};
	return {
		messagesPerSecond: read(
			'messagesPerSecond',
			'Messages Per Second',
			DEFAULT_MESSAGES_PER_SECOND,
			1000,
		),
		maxParallelRequests: read(
			'maxParallelRequests',
			'Max Parallel Requests',
			DEFAULT_MAX_PARALLEL_REQUESTS,
			500,
		),
	};
}

/**
 * Sends one message per input item. Every item is validated and built first. With Continue On
 * Fail off, bad input stops the node before anything is sent, and a Meta failure stops new sends
 * with an error that says how many items were already sent. With it on, a bad item only fails
 * itself and the others are sent.
 */
export async function sendMessages(
	this: IExecuteFunctions,
	build: MessageBuild,
): Promise<INodeExecutionData[]> {
	const itemCount = this.getInputData().length;
	const continueOnFail = this.continueOnFail();
	const context: BuildContext = { templateCache: new Map() };
	// Read first: a bad pace stops the run before any item is built (a template's definition read)
	// or sent.
	const pacing = pacingOptions.call(this);
	// Every item is built before the first send. Building runs n8n's expression engine, which
	// allocates a lot of short-lived memory; interleaved with requests in flight it makes the
	// garbage collector promote those requests' objects, and a 10,000-item run peaked about 40 MB
	// higher. A built message is small and is released as soon as it is handed to the sender.
	const prepared: Array<PreparedMessage | NodeApiError | NodeOperationError | undefined> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		let built: PreparedMessage | NodeApiError | NodeOperationError;
		try {
			built = await build.call(this, itemIndex, context);
		} catch (error) {
			built = toNodeError(this.getNode(), error, itemIndex);
		}
		// Without Continue On Fail, bad input stops the node before anything is sent.
		if (!continueOnFail && built instanceof Error) throw built;
		prepared.push(built);
	}
	// Template sends are planned against the business portfolio's messaging limit before the
	// first send: items beyond it fail here (or the node stops) instead of half-way.
	await applyPortfolioLimit.call(this, prepared, continueOnFail);
	const getMessage = async (position: number): Promise<PreparedMessage> => {
		const entry = prepared[position];
		prepared[position] = undefined;
		if (entry === undefined || entry instanceof Error) {
			throw (
				entry ??
				new NodeOperationError(this.getNode(), 'The item was not prepared', { itemIndex: position })
			);
		}
		return entry;
	};
	const outcomes = await sendPrepared.call(this, itemCount, getMessage, {
		...pacing,
		stopOnFirstError: !continueOnFail,
	});
	if (!continueOnFail) {
		let first: SendFailure | undefined;
		let sent = 0;
		for (const outcome of outcomes) {
			if (outcome?.ok) sent++;
			else if (outcome && (!first || outcome.itemIndex < first.itemIndex)) first = outcome;
		}
		if (first) {
			if (sent > 0) {
				first.error.description =
					`${first.error.description ?? ''} ${sent} other item(s) of this run were already sent and must not be sent again. Set "On Error" to continue to get one result per item.`.trim();
			}
			throw first.error;
		}
	}
	const results: INodeExecutionData[] = [];
	for (let position = 0; position < outcomes.length; position++) {
		const outcome = outcomes[position];
		if (!outcome) continue;
		outcomes[position] = undefined;
		results.push(
			outcome.ok
				? { json: outcome.json, pairedItem: { item: outcome.itemIndex } }
				: metaErrorItem(outcome.error, outcome.itemIndex, outcome.summary, {
						status: outcome.status,
					}),
		);
	}
	return results;
}
