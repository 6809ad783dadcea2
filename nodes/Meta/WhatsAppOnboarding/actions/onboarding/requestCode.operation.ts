/**
 * Request Verification Code: Meta sends a code by SMS or voice call to a number that is not
 * verified yet (`code_verification_status` other than VERIFIED). A verified number gets no new
 * code (a re-run sends no second SMS)
 * (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/request_code/).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readOption, readText } from '../../../shared/parameters';
import { postForSuccess, readPhoneState } from './phone';
import { phoneNumberIdField, readId } from './shared';

const show = ['requestCode'];
const METHODS = ['SMS', 'VOICE'] as const;
type Method = (typeof METHODS)[number];

export const description: INodeProperties[] = [
	phoneNumberIdField(show),
	{
		displayName: 'Code Method',
		name: 'codeMethod',
		type: 'options',
		default: 'SMS',
		options: [
			{ name: 'SMS', value: 'SMS' },
			{ name: 'Voice Call', value: 'VOICE' },
		],
		displayOptions: { show: { operation: show } },
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'en_US',
		placeholder: 'e.g. en_US',
		description: 'Language of the SMS or call, as language_COUNTRY',
		displayOptions: { show: { operation: show } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = readId.call(this, 'phoneNumberId', itemIndex, 'Phone Number ID');
	const method = readOption.call<
		IExecuteFunctions,
		[string, number, string, readonly Method[], Method],
		Method
	>(this, 'codeMethod', itemIndex, 'Code Method', METHODS, 'SMS');
	const language = readText.call(this, 'language', itemIndex, 'Language', {
		required: true,
		hint: 'e.g. en_US',
	});
	if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(language)) {
		throw new NodeOperationError(
			this.getNode(),
			`The Language "${language.slice(0, 20)}" is not a language code`,
			{
				itemIndex,
				description: 'Write it as language_COUNTRY, e.g. en_US, pt_BR or de.',
			},
		);
	}
	const current = await readPhoneState.call(this, itemIndex, phoneNumberId);
	if (current.code_verification_status === 'VERIFIED') {
		return {
			phoneNumberId,
			codeRequested: false,
			codeVerificationStatus: 'VERIFIED',
			note: 'Already verified: no code was sent.',
		};
	}
	// Each call sends an SMS or places a call: never repeated automatically.
	await postForSuccess.call(
		this,
		itemIndex,
		`/${phoneNumberId}/request_code`,
		{ code_method: method, language },
		'the verification code request',
		'throttleOnly',
	);
	return {
		phoneNumberId,
		codeRequested: true,
		codeMethod: method,
		codeVerificationStatus: current.code_verification_status ?? null,
	};
}
