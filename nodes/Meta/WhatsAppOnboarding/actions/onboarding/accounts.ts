/** Reads of a shared account that several operations use. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { graphRequestAllItems } from '../../../shared/transport';
import { rethrowWithFix } from '../../helpers/fixes';

const PHONE_FIELDS =
	'id,display_phone_number,verified_name,status,code_verification_status,name_status,platform_type';

/** The account's phone numbers (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/phone_numbers/). */
export async function listPhoneNumbers(
	this: IExecuteFunctions,
	itemIndex: number,
	wabaId: string,
): Promise<IDataObject[]> {
	const rows = (await graphRequestAllItems
		.call(this, {
			method: 'GET',
			path: `/${wabaId}/phone_numbers`,
			qs: { fields: PHONE_FIELDS },
			itemIndex,
		})
		.catch(rethrowWithFix)) as IDataObject[];
	return rows.map((row) => ({
		id: String(row.id),
		displayPhoneNumber: row.display_phone_number ?? null,
		verifiedName: row.verified_name ?? null,
		status: row.status ?? null,
		codeVerificationStatus: row.code_verification_status ?? null,
		nameStatus: row.name_status ?? null,
		platformType: row.platform_type ?? null,
	}));
}
