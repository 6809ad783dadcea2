/**
 * Verify Code: the digits the customer received after Request Verification Code
 * (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/verify_code/).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readText } from '../../../shared/parameters';
import { postForSuccess } from './phone';
import { phoneNumberIdField, readId } from './shared';

const show = ['verifyCode'];

export const description: INodeProperties[] = [
	phoneNumberIdField(show),
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 123830',
		description: 'The code from the SMS or call. A hyphen or spaces in it are removed.',
		displayOptions: { show: { operation: show } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = readId.call(this, 'phoneNumberId', itemIndex, 'Phone Number ID');
	const typed = readText.call(this, 'code', itemIndex, 'Code', {
		required: true,
		hint: 'e.g. 123-830',
	});
	// Meta wants digits only; the SMS shows the code as 123-830.
	const code = typed.replace(/[\s-]/g, '');
	if (!/^\d{4,8}$/.test(code)) {
		throw new NodeOperationError(
			this.getNode(),
			'The Code must be the digits from the SMS or call',
			{
				itemIndex,
				description:
					'Enter the verification code, e.g. 123830 or 123-830. Run Request Verification Code first if none arrived.',
			},
		);
	}
	await postForSuccess.call(
		this,
		itemIndex,
		`/${phoneNumberId}/verify_code`,
		{ code },
		'the code verification',
		'throttleOnly',
	);
	return { phoneNumberId, verified: true };
}
