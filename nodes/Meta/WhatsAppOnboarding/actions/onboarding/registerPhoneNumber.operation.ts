/**
 * Register Phone Number on the Cloud API with a 6-digit two-step PIN and, if asked, a data
 * localisation region. The number is read first: a registered number is not registered again
 * (every call counts towards Meta's 10 per 72 hours). This node's own calls are counted in the
 * workflow's static data and refused before Meta's budget is spent; Meta's 133016 is remembered.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/registration
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../../shared/execute';
import {
	collectionValue,
	expectNumber,
	readCollection,
	readOption,
} from '../../../shared/parameters';
import { metaCodes } from '../../helpers/fixes';
import {
	DEFAULT_REGISTER_BUDGET,
	META_REGISTER_LIMIT,
	ledgerOf,
	recordCall,
	recordMetaBlock,
	registrationBudget,
} from '../../helpers/registrationLimit';
import { postForSuccess, readPhoneState } from './phone';
import { phoneNumberIdField, pinField, readId, readPin } from './shared';

const show = ['registerPhoneNumber'];

/** Local Storage regions (https://developers.facebook.com/documentation/business-messaging/whatsapp/local-storage). */
export const REGIONS = [
	'AE',
	'AU',
	'BH',
	'BR',
	'CA',
	'CH',
	'DE',
	'GB',
	'ID',
	'IN',
	'JP',
	'KR',
	'SG',
	'ZA',
] as const;
type Region = (typeof REGIONS)[number] | '';

export const description: INodeProperties[] = [
	phoneNumberIdField(show),
	pinField(
		show,
		'6-digit two-step verification PIN. If the number already has one, it must be that PIN; otherwise this becomes its PIN.',
	),
	{
		displayName: 'Data Localization Region',
		name: 'dataLocalizationRegion',
		type: 'options',
		default: '',
		description:
			'Store message data at rest in this country (Local Storage). Can only be changed by deregistering and registering again.',
		displayOptions: { show: { operation: show } },
		options: [
			{ name: 'None (Default)', value: '' },
			...REGIONS.map((region) => ({ name: region, value: region })),
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: show } },
		options: [
			{
				displayName: 'Max Registrations per 72 Hours',
				name: 'maxRegistrations',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: META_REGISTER_LIMIT },
				default: DEFAULT_REGISTER_BUDGET,
				description:
					"How many register calls this node makes per number in 72 hours before refusing. Meta's limit is 10 (register and deregister together); the default leaves two for a fix by hand.",
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const phoneNumberId = readId.call(this, 'phoneNumberId', itemIndex, 'Phone Number ID');
	const pin = readPin.call(this, itemIndex);
	const region = readOption.call<
		IExecuteFunctions,
		[string, number, string, readonly Region[], Region],
		Region
	>(this, 'dataLocalizationRegion', itemIndex, 'Data Localization Region', ['', ...REGIONS], '');
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	const budgetField = {
		label: 'Max Registrations per 72 Hours',
		itemIndex,
		hint: 'Enter a number from 1 to 10, e.g. 8.',
	};
	// An added option whose expression gave nothing is refused, not replaced by the default.
	const givenBudget = collectionValue(node, options, 'maxRegistrations', budgetField);
	const budget =
		givenBudget === undefined
			? DEFAULT_REGISTER_BUDGET
			: (expectNumber(node, givenBudget, budgetField, {
					required: true,
					min: 1,
					max: META_REGISTER_LIMIT,
					integer: true,
				}) ?? DEFAULT_REGISTER_BUDGET);

	const current = await readPhoneState.call(this, itemIndex, phoneNumberId);
	if (current.status === 'CONNECTED') {
		return {
			phoneNumberId,
			registered: true,
			changed: false,
			status: 'CONNECTED',
			note: region
				? 'Already registered: the region was not changed. To change it, deregister the number and register it again.'
				: 'Already registered: nothing was sent to Meta.',
		};
	}
	const now = Date.now();
	const ledger = ledgerOf(this.getWorkflowStaticData('node'), now);
	const allowance = registrationBudget(ledger, phoneNumberId, budget, now);
	if (!allowance.allowed) {
		throw new NodeOperationError(
			node,
			`Registration of ${phoneNumberId} refused before calling Meta`,
			{
				itemIndex,
				description:
					allowance.reason === 'metaBlock'
						? `Meta blocked registration of this number (133016) until about ${allowance.nextAllowedAt}. Wait until then; retrying earlier is refused the same way.`
						: `This workflow already made ${allowance.used} register calls for this number in 72 hours (limit set to ${budget}; Meta's is 10, then a 72-hour block). The next is allowed at ${allowance.nextAllowedAt}. Find out why registration keeps failing (run Get Onboarding Status) before trying again.`,
			},
		);
	}
	// Counted before sending: a call whose answer is lost still counts at Meta.
	recordCall(ledger, phoneNumberId, now);
	try {
		await postForSuccess.call(
			this,
			itemIndex,
			`/${phoneNumberId}/register`,
			{
				messaging_product: 'whatsapp',
				pin,
				...(region ? { data_localization_region: region } : {}),
			},
			'the phone number registration',
			'none',
		);
	} catch (error) {
		if (error instanceof NodeApiError && metaCodes(error).code === 133016) {
			recordMetaBlock(ledger, phoneNumberId, now);
		}
		throw toNodeError(node, error, itemIndex);
	}
	return {
		phoneNumberId,
		registered: true,
		changed: true,
		status: 'CONNECTED',
		dataLocalizationRegion: region || null,
		registrationsUsed: (ledger.calls[phoneNumberId] ?? []).length,
		registrationBudget: budget,
	};
}
