/**
 * Set Two-Step PIN: sets or changes the number's two-step verification PIN. Setting the same PIN
 * again changes nothing, so it is safe to re-run. Meta has no call that turns two-step
 * verification off (WhatsApp Manager only)
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/two-step-verification).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { postForSuccess } from './phone';
import { phoneNumberIdField, pinField, readId, readPin } from './shared';

const show = ['setTwoStepPin'];

export const description: INodeProperties[] = [
	phoneNumberIdField(show),
	pinField(
		show,
		'The new 6-digit two-step verification PIN. Keep it: registering the number again needs it.',
	),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = readId.call(this, 'phoneNumberId', itemIndex, 'Phone Number ID');
	const pin = readPin.call(this, itemIndex);
	await postForSuccess.call(
		this,
		itemIndex,
		`/${phoneNumberId}`,
		{ pin },
		'the PIN change',
		'idempotent',
	);
	return { phoneNumberId, twoStepPinSet: true };
}
