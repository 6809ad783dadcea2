/**
 * Subscribe App: the app receives the customer's account webhooks, optionally at another callback
 * URL for this account only (an override). Read first, so a re-run that finds the app subscribed
 * (with the same override) changes nothing
 * (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/subscribed_apps/,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { collectionValue, expectText, readCollection } from '../../../shared/parameters';
import { answerObject, graphRequest, unreadableAnswerError } from '../../../shared/transport';
import { rethrowWithFix } from '../../helpers/fixes';
import { ownGrant, readId, wabaIdField } from './shared';

const show = ['subscribeApp'];

export const description: INodeProperties[] = [
	wabaIdField(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: show } },
		options: [
			{
				displayName: 'Override Callback URL',
				name: 'overrideCallbackUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook/customer-42',
				description:
					"Send this account's webhooks to this HTTPS URL instead of the app's callback URL. Meta verifies it with the Verify Token first.",
			},
			{
				displayName: 'Verify Token',
				name: 'verifyToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: "The token the override URL answers Meta's verification request with",
			},
		],
	},
];

function readOverride(
	this: IExecuteFunctions,
	itemIndex: number,
): { url: string; verifyToken: string } | undefined {
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	const node = this.getNode();
	// Both are read (and checked) first, whatever the other holds: an added option whose
	// expression gave nothing, an object or a list is refused, not taken as "not given".
	const urlField = { label: 'Override Callback URL', itemIndex };
	const givenUrl = collectionValue(node, options, 'overrideCallbackUrl', urlField);
	const url = givenUrl === undefined ? '' : expectText(node, givenUrl, urlField);
	const tokenField = { label: 'Verify Token', itemIndex };
	const givenToken = collectionValue(node, options, 'verifyToken', tokenField);
	const verifyToken = givenToken === undefined ? '' : expectText(node, givenToken, tokenField);
	if (!url) return undefined;
	// Meta calls only HTTPS callbacks with a valid certificate; plain http is let through for a
	// local Graph simulator only (Meta itself never reaches a loopback address).
	if (
		!/^https:\/\/[^\s/]+/i.test(url) &&
		!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/i.test(url)
	) {
		throw new NodeOperationError(node, 'The Override Callback URL must start with https://', {
			itemIndex,
			description: 'Meta sends webhooks only to HTTPS URLs with a valid certificate.',
		});
	}
	if (!verifyToken) {
		throw new NodeOperationError(node, 'An Override Callback URL needs a Verify Token', {
			itemIndex,
			description:
				'Add the Verify Token option: Meta calls the URL with it before accepting the override.',
		});
	}
	return { url, verifyToken };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const wabaId = readId.call(this, 'wabaId', itemIndex, 'WhatsApp Business Account ID');
	const override = readOverride.call(this, itemIndex);
	const { appId } = await ownGrant.call(this, itemIndex);
	const current = (await graphRequest
		.call(this, { method: 'GET', path: `/${wabaId}/subscribed_apps`, itemIndex })
		.catch(rethrowWithFix)) as IDataObject;
	const apps = Array.isArray(current?.data) ? (current.data as IDataObject[]) : [];
	const ours = apps.find(
		(app) =>
			String((app.whatsapp_business_api_data as IDataObject | undefined)?.id ?? '') === appId,
	);
	const currentOverride =
		typeof ours?.override_callback_uri === 'string' ? ours.override_callback_uri : '';
	if (ours && (!override || currentOverride === override.url)) {
		return {
			wabaId,
			appId: appId ?? null,
			subscribed: true,
			changed: false,
			overrideCallbackUrl: currentOverride || null,
		};
	}
	const answer = await graphRequest
		.call(this, {
			method: 'POST',
			path: `/${wabaId}/subscribed_apps`,
			body: override
				? { override_callback_uri: override.url, verify_token: override.verifyToken }
				: {},
			// Subscribing twice leaves one subscription: safe to repeat.
			retry: 'idempotent',
			itemIndex,
		})
		.catch(rethrowWithFix);
	if (answerObject(answer)?.success !== true) {
		throw unreadableAnswerError(
			this.getNode(),
			{ what: 'the app subscription', itemIndex, write: true },
			'success',
		);
	}
	return {
		wabaId,
		appId: appId ?? null,
		subscribed: true,
		changed: true,
		overrideCallbackUrl: override?.url ?? null,
	};
}
