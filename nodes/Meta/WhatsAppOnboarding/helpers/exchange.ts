/**
 * The code exchange after the Embedded Signup popup: `GET /oauth/access_token` with the app's ID
 * and secret and the code, without `redirect_uri` first (Meta's sample has none), and once more
 * with it only when Meta answers 36008 (the popup fell back to a full-page redirect). Codes live
 * 30 seconds and work once, so nothing here is retried otherwise
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/implementation,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-customers-as-a-tech-provider).
 *
 * The business token this returns stays in memory: callers read its grant and drop it. It never
 * goes into an output item, an error or a log.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getMetaErrorInfo, scrubSecrets } from '../../shared/errors';
import { toNodeError } from '../../shared/execute';
import { answerObject, graphRequest, unreadableAnswerError } from '../../shared/transport';
import { metaCodes, withOnboardingFix } from './fixes';
import { parseTokenGrant } from './sharedAccounts';
import type { TokenGrant } from './sharedAccounts';

export interface ExchangeInput {
	appId: string;
	appSecret: string;
	code: string;
	redirectUri?: string;
}

/** An error that may mention the business token, with the token removed. */
function scrubbed<T extends Error>(error: T, token: string): T {
	error.message = scrubSecrets(error.message, [token]);
	const described = error as { description?: string | null };
	if (typeof described.description === 'string') {
		described.description = scrubSecrets(described.description, [token]);
	}
	if (error.stack) error.stack = scrubSecrets(error.stack, [token]);
	return error;
}

async function exchangeOnce(
	this: IExecuteFunctions,
	itemIndex: number,
	input: ExchangeInput,
	redirectUri?: string,
): Promise<string> {
	const answer = await graphRequest.call(this, {
		method: 'GET',
		path: '/oauth/access_token',
		qs: {
			client_id: input.appId,
			client_secret: input.appSecret,
			code: input.code,
			...(redirectUri ? { redirect_uri: redirectUri } : {}),
		},
		// A code works once: a repeated request after a lost answer would only get 36009.
		retry: 'none',
		itemIndex,
	});
	const token = answerObject(answer)?.access_token;
	if (typeof token === 'string' && token.trim() !== '') return token;
	// The code is spent whatever happened: the outcome is unknown, never a success.
	throw unreadableAnswerError(
		this.getNode(),
		{ what: 'the signup code exchange', itemIndex, write: true },
		'access_token',
	);
}

/**
 * A code exchange that got no answer (connection lost) may have spent the code at Meta: an unknown
 * outcome, not a failure to repeat (the next attempt could only get 36009).
 */
function spentIfUnanswered(error: NodeApiError): void {
	const meta = getMetaErrorInfo(error);
	if (!meta || meta.code !== undefined) return;
	meta.outcome = 'unknown';
	error.description =
		'The connection was lost during the code exchange, so it is not known whether Meta used the code. It was not repeated (a code works once). Check with Get Shared Accounts whether the account is reachable; otherwise ask the customer to finish the popup again.';
}

/** The business token for a signup code (36008 handled as described above). */
export async function exchangeSignupCode(
	this: IExecuteFunctions,
	itemIndex: number,
	input: ExchangeInput,
): Promise<{ token: string; usedRedirectUri: boolean }> {
	try {
		return { token: await exchangeOnce.call(this, itemIndex, input), usedRedirectUri: false };
	} catch (error) {
		if (!(error instanceof NodeApiError)) throw toNodeError(this.getNode(), error, itemIndex);
		spentIfUnanswered(error);
		const { subcode } = metaCodes(error);
		if (subcode !== 36008 || !input.redirectUri) throw withOnboardingFix(error);
	}
	try {
		const token = await exchangeOnce.call(this, itemIndex, input, input.redirectUri);
		return { token, usedRedirectUri: true };
	} catch (error) {
		if (error instanceof NodeApiError) spentIfUnanswered(error);
		if (error instanceof NodeApiError || error instanceof NodeOperationError) {
			throw withOnboardingFix(error);
		}
		throw toNodeError(this.getNode(), error, itemIndex);
	}
}

/** What the business token was granted (`debug_token`), read with the node's own credential. */
export async function businessTokenGrant(
	this: IExecuteFunctions,
	itemIndex: number,
	token: string,
): Promise<TokenGrant> {
	let answer: unknown;
	try {
		answer = await graphRequest.call(this, {
			method: 'GET',
			path: '/debug_token',
			qs: { input_token: token },
			itemIndex,
		});
	} catch (error) {
		throw scrubbed(toNodeError(this.getNode(), error, itemIndex), token);
	}
	return parseTokenGrant(answerObject(answerObject(answer)?.data));
}
