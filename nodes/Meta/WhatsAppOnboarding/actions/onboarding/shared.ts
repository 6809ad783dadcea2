/**
 * Fields and readers several onboarding operations share: the customer's account and number IDs
 * (from the Embedded Signup session, usually through expressions), the 6-digit PIN, and the
 * partner token's own grant (its app, read once per item from `debug_token`).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readText } from '../../../shared/parameters';
import { answerObject, graphRequest, resolveCredential } from '../../../shared/transport';
import { rethrowWithFix } from '../../helpers/fixes';
import { parseTokenGrant } from '../../helpers/sharedAccounts';
import type { TokenGrant } from '../../helpers/sharedAccounts';

export function wabaIdField(show: string[], required = true): INodeProperties {
	return {
		displayName: 'WhatsApp Business Account ID',
		name: 'wabaId',
		type: 'string',
		default: '',
		required,
		placeholder: 'e.g. 524126980791429',
		description: required
			? "The customer's WhatsApp Business Account ID: waba_id from the Embedded Signup session"
			: "The customer's WhatsApp Business Account ID: waba_id from the Embedded Signup session. Empty: the one account the customer granted.",
		displayOptions: { show: { operation: show } },
	};
}

export function phoneNumberIdField(show: string[], required = true): INodeProperties {
	return {
		displayName: 'Phone Number ID',
		name: 'phoneNumberId',
		type: 'string',
		default: '',
		required,
		placeholder: 'e.g. 106540352242922',
		description:
			"The customer's phone number ID (not the phone number): phone_number_id from the Embedded Signup session",
		displayOptions: { show: { operation: show } },
	};
}

export function pinField(show: string[], description: string): INodeProperties {
	return {
		displayName: 'PIN',
		name: 'pin',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: 'e.g. 581063',
		description,
		displayOptions: { show: { operation: show } },
	};
}

/** A Meta ID parameter: digits only, or empty when `optional`. */
export function readId(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
	optional = false,
): string {
	const value = readText.call(this, name, itemIndex, label, {
		required: !optional,
		hint: `Map the ${label} from the Embedded Signup session, e.g. {{ $json.body.${name === 'wabaId' ? 'waba_id' : name === 'phoneNumberId' ? 'phone_number_id' : 'business_id'} }}.`,
	});
	if (value === '' && optional) return '';
	if (!/^\d+$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`The ${label} "${value.slice(0, 40)}" is not a Meta ID`,
			{
				itemIndex,
				description: `A ${label} contains digits only. Map it from the Embedded Signup session (not the phone number itself).`,
			},
		);
	}
	return value;
}

/** A 6-digit two-step verification PIN (never echoed back). */
export function readPin(this: IExecuteFunctions, itemIndex: number): string {
	const pin = readText.call(this, 'pin', itemIndex, 'PIN', {
		required: true,
		hint: 'Enter the 6-digit two-step verification PIN, e.g. 581063.',
	});
	if (!/^\d{6}$/.test(pin)) {
		throw new NodeOperationError(this.getNode(), 'The PIN must be exactly 6 digits', {
			itemIndex,
			description:
				'Meta registers numbers with a 6-digit two-step verification PIN. If the number already has one, use that PIN (WhatsApp Manager > Phone numbers > Settings > Two-step verification).',
		});
	}
	return pin;
}

/** What the node's own credential (the partner's System User token) was granted. */
export async function ownGrant(this: IExecuteFunctions, itemIndex: number): Promise<TokenGrant> {
	// debug_token on the token itself: the same app's token may inspect itself.
	// https://developers.facebook.com/docs/graph-api/reference/debug_token
	const { accessToken } = await resolveCredential.call(this);
	const answer = await graphRequest
		.call(this, {
			method: 'GET',
			path: '/debug_token',
			qs: { input_token: accessToken },
			itemIndex,
		})
		.catch(rethrowWithFix);
	const data = answerObject(answerObject(answer)?.data) as IDataObject | undefined;
	return parseTokenGrant(data);
}
