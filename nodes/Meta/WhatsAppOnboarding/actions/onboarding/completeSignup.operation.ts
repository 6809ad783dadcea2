/**
 * Complete Signup: what the partner's server does right after the Embedded Signup popup.
 * 1. Exchange the code for the customer's business token (within its 30 s life).
 * 2. Check with `debug_token` that the session's WhatsApp Business Account is among the accounts
 *    the customer granted; refuse a mismatch (a forged or mixed-up session).
 * 3. Assign the partner's own System User (this node's credential) to the shared account, so one
 *    credential serves every customer. The business token is then dropped: it is never output.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-customers-as-a-solution-partner
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	collectionValue,
	expectBoolean,
	expectText,
	readCollection,
	readText,
} from '../../../shared/parameters';
import { graphRequest, resolveCredential } from '../../../shared/transport';
import { businessTokenGrant, exchangeSignupCode } from '../../helpers/exchange';
import { rethrowWithFix } from '../../helpers/fixes';
import { sessionMismatch } from '../../helpers/sharedAccounts';
import { listPhoneNumbers } from './accounts';
import { ownGrant, phoneNumberIdField, readId, wabaIdField } from './shared';

const show = ['completeSignup'];

export const description: INodeProperties[] = [
	{
		displayName: 'Signup Code',
		name: 'signupCode',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.body.code }}',
		description:
			"The code from FB.login's response (authResponse.code). It lives 30 seconds and works once: run this straight after the signup webhook.",
		displayOptions: { show: { operation: show } },
	},
	wabaIdField(show, false),
	phoneNumberIdField(show, false),
	{
		displayName: 'Customer Business ID',
		name: 'businessId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.body.business_id }}',
		description:
			"The customer's business portfolio ID (business_id from the session), passed through to the output",
		displayOptions: { show: { operation: show } },
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
				displayName: 'Assign Partner System User',
				name: 'assignSystemUser',
				type: 'boolean',
				default: true,
				description:
					"Whether to assign this credential's System User to the customer's account, so the other operations (and WhatsApp Send) can use it",
			},
			{
				displayName: 'Redirect URI',
				name: 'redirectUri',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/whatsapp-signup',
				description:
					'The signup page URL. Sent only if Meta asks for it (error 36008, when the popup fell back to a full-page redirect).',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const code = readText.call(this, 'signupCode', itemIndex, 'Signup Code', {
		required: true,
		hint: 'Map authResponse.code from the signup page, e.g. {{ $json.body.code }}.',
	});
	// Optional: the session `message` event sometimes never reaches the page (popup blockers);
	// then the account comes from what the customer granted.
	const sessionWabaId = readId.call(
		this,
		'wabaId',
		itemIndex,
		'WhatsApp Business Account ID',
		true,
	);
	const phoneNumberId = readId.call(this, 'phoneNumberId', itemIndex, 'Phone Number ID', true);
	const businessId = readId.call(this, 'businessId', itemIndex, 'Customer Business ID', true);
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	const node = this.getNode();
	// An added option whose expression gave nothing is refused, not taken as "not given" (the
	// code would be exchanged without the redirect URI the signup page used).
	const redirectField = { label: 'Redirect URI', itemIndex };
	const givenRedirect = collectionValue(node, options, 'redirectUri', redirectField);
	const redirectUri =
		givenRedirect === undefined ? '' : expectText(node, givenRedirect, redirectField);
	const assignField = { label: 'Assign Partner System User', itemIndex };
	const givenAssign = collectionValue(node, options, 'assignSystemUser', assignField);
	const assign = givenAssign === undefined ? true : expectBoolean(node, givenAssign, assignField);
	const credential = await resolveCredential.call(this);
	if (!credential.appSecret) {
		throw new NodeOperationError(node, 'The credential has no App Secret', {
			itemIndex,
			description:
				"Exchanging a signup code needs your app's secret. Open the credential and fill App Secret (App Dashboard > App settings > Basic).",
		});
	}

	const partner = await ownGrant.call(this, itemIndex);
	if (!partner.appId) {
		throw new NodeOperationError(
			node,
			"Meta did not say which app this credential's token belongs to",
			{
				itemIndex,
				description: 'Use a System User token of the app that runs Embedded Signup.',
			},
		);
	}
	const { token, usedRedirectUri } = await exchangeSignupCode.call(this, itemIndex, {
		appId: partner.appId,
		appSecret: credential.appSecret,
		code,
		redirectUri: redirectUri || undefined,
	});
	const granted = await businessTokenGrant.call(this, itemIndex, token);
	const wabaId = sessionWabaId || (granted.wabaIds?.length === 1 ? granted.wabaIds[0] : '');
	if (!wabaId) {
		throw new NodeOperationError(
			node,
			'No WhatsApp Business Account ID: the session did not send one and the customer shared several',
			{
				itemIndex,
				description: `Map waba_id from the signup session. The customer granted: ${(granted.wabaIds ?? []).join(', ') || 'no account'}. Nothing was assigned.`,
			},
		);
	}
	const mismatch = sessionMismatch(granted, wabaId);
	if (mismatch) {
		throw new NodeOperationError(
			node,
			'The signup session does not match what the customer granted',
			{
				itemIndex,
				description: `Refused: ${mismatch}. Nothing was assigned or stored. Make sure the page posts the waba_id of the same signup as the code, and ask the customer to finish the popup again.`,
			},
		);
	}

	let systemUserAssigned = false;
	let phoneNumbers: IDataObject[] | undefined;
	if (assign) {
		if (!partner.userId) {
			throw new NodeOperationError(
				node,
				"Meta did not say which System User this credential's token belongs to",
				{
					itemIndex,
					description:
						'Use a System User token (Business Settings > System Users > Generate new token).',
				},
			);
		}
		// Assigning an already assigned user succeeds again: safe to re-run.
		// https://developers.facebook.com/docs/marketing-api/reference/whats-app-business-account/assigned_users/
		await graphRequest
			.call(this, {
				method: 'POST',
				path: `/${wabaId}/assigned_users`,
				body: { user: partner.userId, tasks: ['MANAGE'] },
				bodyType: 'form',
				retry: 'idempotent',
				itemIndex,
			})
			.catch(rethrowWithFix);
		systemUserAssigned = true;
		phoneNumbers = await listPhoneNumbers.call(this, itemIndex, wabaId);
		if (phoneNumberId && !phoneNumbers.some((phone) => phone.id === phoneNumberId)) {
			throw new NodeOperationError(
				node,
				`Phone number ${phoneNumberId} is not in WhatsApp Business Account ${wabaId}`,
				{
					itemIndex,
					description:
						'The session mixes ids from different signups. The System User was assigned to the account; map phone_number_id from the same session as waba_id.',
				},
			);
		}
	}
	return {
		wabaId,
		wabaIdFrom: sessionWabaId ? 'session' : 'grant',
		phoneNumberId: phoneNumberId || null,
		businessId: businessId || null,
		sharedWabaIds: granted.wabaIds ?? [wabaId],
		scopes: granted.scopes,
		businessTokenType: granted.type ?? null,
		businessTokenExpiresAt: granted.expiresAt,
		usedRedirectUri,
		systemUserAssigned,
		...(phoneNumbers ? { phoneNumbers } : {}),
		businessTokenStorage: systemUserAssigned
			? "Not stored: this credential's System User now serves this customer. Store only the IDs."
			: 'Not stored. Without Assign Partner System User, assign your System User to the account in Business Settings before using the other operations.',
	};
}
