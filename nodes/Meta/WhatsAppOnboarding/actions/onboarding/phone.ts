/** Reads and writes on a customer's phone number that several operations share. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { answerObject, graphRequest, unreadableAnswerError } from '../../../shared/transport';
import type { RetryPolicy } from '../../../shared/transport';
import { rethrowWithFix } from '../../helpers/fixes';

/** The number's registration and verification state (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/). */
export async function readPhoneState(
	this: IExecuteFunctions,
	itemIndex: number,
	phoneNumberId: string,
	extraFields: string[] = [],
): Promise<IDataObject> {
	return (await graphRequest
		.call(this, {
			method: 'GET',
			path: `/${phoneNumberId}`,
			qs: {
				fields: ['id', 'status', 'code_verification_status', 'platform_type', ...extraFields].join(
					',',
				),
			},
			itemIndex,
		})
		.catch(rethrowWithFix)) as IDataObject;
}

/** A POST whose answer is `{ success: true }`; anything else is an unknown outcome. */
export async function postForSuccess(
	this: IExecuteFunctions,
	itemIndex: number,
	path: string,
	body: IDataObject,
	what: string,
	retry: RetryPolicy,
): Promise<void> {
	const answer = await graphRequest
		.call(this, { method: 'POST', path, body, retry, itemIndex })
		.catch(rethrowWithFix);
	if (answerObject(answer)?.success !== true) {
		throw unreadableAnswerError(this.getNode(), { what, itemIndex, write: true }, 'success');
	}
}
