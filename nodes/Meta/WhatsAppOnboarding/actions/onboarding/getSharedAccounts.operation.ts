/**
 * Get Shared Accounts: the WhatsApp Business Accounts this credential's System User was granted
 * (`debug_token` granular scopes), checked against the session's account and number: a session
 * naming an account or number that was not shared is refused.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { rethrowWithFix } from '../../helpers/fixes';
import { sessionMismatch } from '../../helpers/sharedAccounts';
import { listPhoneNumbers } from './accounts';
import { ownGrant, phoneNumberIdField, readId, wabaIdField } from './shared';

const show = ['getSharedAccounts'];

export const description: INodeProperties[] = [wabaIdField(show), phoneNumberIdField(show, false)];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const wabaId = readId.call(this, 'wabaId', itemIndex, 'WhatsApp Business Account ID');
	const phoneNumberId = readId.call(this, 'phoneNumberId', itemIndex, 'Phone Number ID', true);
	const grant = await ownGrant.call(this, itemIndex);
	const mismatch = sessionMismatch(grant, wabaId);
	if (mismatch) {
		throw new NodeOperationError(
			this.getNode(),
			`WhatsApp Business Account ${wabaId} is not shared with this credential`,
			{
				itemIndex,
				description: `Refused: ${mismatch}. Run Complete Signup for this customer first (it assigns your System User to the account), or assign the System User in Business Settings > Accounts > WhatsApp accounts.`,
			},
		);
	}
	const account = (await graphRequest
		.call(this, {
			method: 'GET',
			path: `/${wabaId}`,
			qs: { fields: 'id,name,currency,timezone_id,account_review_status,owner_business_info' },
			itemIndex,
		})
		.catch(rethrowWithFix)) as IDataObject;
	const phoneNumbers = await listPhoneNumbers.call(this, itemIndex, wabaId);
	if (phoneNumberId && !phoneNumbers.some((phone) => phone.id === phoneNumberId)) {
		throw new NodeOperationError(
			this.getNode(),
			`Phone number ${phoneNumberId} is not in WhatsApp Business Account ${wabaId}`,
			{
				itemIndex,
				description: 'Map phone_number_id from the same signup session as waba_id.',
			},
		);
	}
	const owner = (account.owner_business_info ?? {}) as IDataObject;
	return {
		wabaId,
		name: account.name ?? null,
		currency: account.currency ?? null,
		timezoneId: account.timezone_id ?? null,
		accountReviewStatus: account.account_review_status ?? null,
		ownerBusinessId: owner.id ?? null,
		ownerBusinessName: owner.name ?? null,
		phoneNumbers,
		sharedWabaIds: grant.wabaIds ?? null,
		scopes: grant.scopes,
	};
}
