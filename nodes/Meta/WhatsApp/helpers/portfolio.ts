/**
 * The business portfolio messaging limit in bulk template sends: before the first send, read the
 * sender's tier and plan the run, so a run warns or stops BEFORE the limit instead of failing
 * half-way. The limit counts different people reached outside their customer service window in a
 * rolling 24 hours, shared by every number of the portfolio
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits).
 * Meta names no error for going over it, so nothing later in the run would say so.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../shared/execute';
import {
	collectionValue,
	expectBoolean,
	expectNumber,
	expectOption,
	readCollection,
} from '../../shared/parameters';
import { answerObject, graphRequest } from '../../shared/transport';
import type { PortfolioPlan } from '../../shared/whatsappLimits';
import { overLimitMessage, planPortfolioSends } from '../../shared/whatsappLimits';
import type { PreparedMessage } from './sender';

export const PORTFOLIO_LIMIT_MODES = ['stop', 'warn', 'ignore'] as const;
export type PortfolioLimitMode = (typeof PORTFOLIO_LIMIT_MODES)[number];

/** The Send Template options that drive the plan. */
export const portfolioLimitOptions: INodeProperties[] = [
	{
		displayName: 'Portfolio Messaging Limit',
		name: 'portfolioLimit',
		type: 'options',
		default: 'stop',
		options: [
			{
				name: 'Stop Before Limit',
				value: 'stop',
				description:
					'Read the limit first; items beyond it are not sent (with "On Error" set to stop, nothing is sent)',
			},
			{
				name: 'Warn',
				value: 'warn',
				description: 'Read the limit first, send everything, and warn about the items beyond it',
			},
			{ name: 'Ignore', value: 'ignore', description: 'Do not read the limit' },
		],
		description:
			'The business portfolio may reach only so many different people per rolling 24 hours outside their service window (250 for a new portfolio). Meta reports no error for going over it, so the node plans the run before the first send.',
	},
	{
		displayName: 'People Reached in Last 24 Hours',
		name: 'peopleReachedToday',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description:
			'How many different people the portfolio (all its numbers, all workflows) already reached outside their service window in the last 24 hours, e.g. counted from status webhooks whose pricing type is regular. Read from the first item.',
	},
	{
		displayName: 'Recipient Already Reached Today',
		name: 'alreadyReached',
		type: 'boolean',
		default: false,
		description:
			'Whether this recipient is among the people already reached in the last 24 hours (a second message does not count again). Use an expression per item.',
	},
	{
		displayName: 'Recipient in Service Window',
		name: 'inServiceWindow',
		type: 'boolean',
		default: false,
		description:
			'Whether this recipient wrote to the business in the last 24 hours (the message does not count against the limit). Use an expression per item, e.g. from the time of their last message.',
	},
];

type Entry = PreparedMessage | NodeApiError | NodeOperationError | undefined;

/** The lowest limit among the senders' portfolios (one read per sender number). */
async function readTier(
	this: IExecuteFunctions,
	phoneNumberIds: string[],
	firstItem: number,
): Promise<string> {
	let lowest: { tier: string; limit: number } | undefined;
	for (const phoneNumberId of phoneNumberIds) {
		const answer: unknown = await graphRequest.call(this, {
			method: 'GET',
			path: `/${phoneNumberId}`,
			qs: { fields: 'whatsapp_business_manager_messaging_limit' },
			itemIndex: firstItem,
		});
		const tier = answerObject(answer)?.whatsapp_business_manager_messaging_limit;
		if (typeof tier !== 'string' || !tier) {
			throw new NodeOperationError(
				this.getNode(),
				`Meta did not tell the messaging limit of sender ${phoneNumberId}`,
				{
					itemIndex: firstItem,
					description: 'Set "Portfolio Messaging Limit" to Ignore to send without it.',
				},
			);
		}
		const limit = planPortfolioSends({ tier, recipients: [] }).limit ?? Number.POSITIVE_INFINITY;
		if (!lowest || limit < lowest.limit) lowest = { tier, limit };
	}
	return lowest?.tier ?? 'TIER_UNLIMITED';
}

/** An item's portfolio-limit options, as Send Template's Options give them. */
export interface PortfolioOptions {
	mode: PortfolioLimitMode;
	peopleReachedToday: number;
	alreadyReached: boolean;
	inServiceWindow: boolean;
}

/**
 * Reads and checks an item's portfolio-limit options. Called by Send Template's build, so a bad
 * value stops the item before the template definition is read, and again by the plan. An option
 * not added takes its default; one added with an expression that gave nothing is refused.
 */
export function readPortfolioOptions(this: IExecuteFunctions, itemIndex: number): PortfolioOptions {
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	const node = this.getNode();
	const value = (key: string, label: string, fallback: unknown) => {
		const field = { label, itemIndex };
		return { given: collectionValue(node, options, key, field) ?? fallback, field };
	};
	const mode = value('portfolioLimit', 'Portfolio Messaging Limit', 'stop');
	const reached = value('peopleReachedToday', 'People Reached in Last 24 Hours', 0);
	const already = value('alreadyReached', 'Recipient Already Reached Today', false);
	const window = value('inServiceWindow', 'Recipient in Service Window', false);
	return {
		mode: expectOption(node, mode.given, mode.field, PORTFOLIO_LIMIT_MODES),
		peopleReachedToday:
			expectNumber(node, reached.given, reached.field, { min: 0, integer: true, required: true }) ??
			0,
		alreadyReached: expectBoolean(node, already.given, already.field),
		inServiceWindow: expectBoolean(node, window.given, window.field),
	};
}

/**
 * Plans the template items of a run against the portfolio limit. Items beyond the limit are
 * replaced by a failure ("stop") or left to be sent with a warning ("warn"). With Continue On
 * Fail off, "stop" throws before anything is sent. Returns the plan (undefined when not planned).
 */
export async function applyPortfolioLimit(
	this: IExecuteFunctions,
	prepared: Entry[],
	continueOnFail: boolean,
): Promise<PortfolioPlan | undefined> {
	const templates: PreparedMessage[] = [];
	for (const entry of prepared) {
		if (entry && !(entry instanceof Error) && entry.body.type === 'template') templates.push(entry);
	}
	if (templates.length === 0) return undefined;
	const node = this.getNode();
	const first = templates[0].itemIndex;
	const { mode, peopleReachedToday: alreadyCountedTotal } = readPortfolioOptions.call(this, first);
	if (mode === 'ignore') return undefined;
	const alreadyCounted: string[] = [];
	const inServiceWindow: string[] = [];
	const recipients = templates.map((message) => {
		const options = readPortfolioOptions.call(this, message.itemIndex);
		const to = String(message.body.to).replace(/\D/g, '');
		if (options.alreadyReached) alreadyCounted.push(to);
		if (options.inServiceWindow) inServiceWindow.push(to);
		return to;
	});
	const senders = [...new Set(templates.map((message) => message.phoneNumberId))];
	let tier: string;
	try {
		tier = await readTier.call(this, senders, first);
	} catch (error) {
		// Reading the limit needs whatsapp_business_management; a token made only for sending
		// still sends, with a warning instead of a plan.
		const reason = toNodeError(node, error, first).message;
		this.addExecutionHints({
			message: `The business portfolio's messaging limit could not be read (${reason}), so this run was not planned against it. Give the token whatsapp_business_management, or set "Portfolio Messaging Limit" to Ignore.`,
			type: 'warning',
			location: 'outputPane',
		});
		return undefined;
	}
	const plan = planPortfolioSends({
		tier,
		recipients,
		alreadyCounted,
		alreadyCountedTotal: Math.max(alreadyCountedTotal, alreadyCounted.length),
		inServiceWindow,
	});
	if (plan.overLimit === 0) return plan;
	const over = templates.filter((_, index) => plan.decisions[index] === 'overLimit');
	const text = overLimitMessage(plan, tier);
	if (mode === 'warn') {
		this.addExecutionHints({
			message: `${over.length} of ${templates.length} template message(s) go beyond the business portfolio's messaging limit (${tier}); Meta may not deliver them. Items: ${over
				.slice(0, 20)
				.map((message) => message.itemIndex)
				.join(', ')}${over.length > 20 ? ', ...' : ''}.`,
			type: 'warning',
			location: 'outputPane',
		});
		return plan;
	}
	const refusal = (message: PreparedMessage) =>
		new NodeOperationError(
			node,
			`${text.split('. ')[0]}: message to +${String(message.body.to).replace(/\D/g, '')} not sent`,
			{
				itemIndex: message.itemIndex,
				description: `${text} ${plan.overLimit} of ${templates.length} template message(s) of this run are beyond the limit.`,
			},
		);
	if (!continueOnFail) {
		const error = refusal(over[0]);
		error.description = `${error.description ?? ''} Nothing was sent. Send fewer items, or set "On Error" to continue to send the ${templates.length - plan.overLimit} within the limit and get the others as failed items.`;
		throw error;
	}
	for (const message of over) {
		const position = prepared.indexOf(message);
		prepared[position] = refusal(message);
	}
	return plan;
}
