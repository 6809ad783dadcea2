/**
 * Get Onboarding Status: where a customer stands in the chain, read-only. Account shared with
 * this credential, app subscribed, number verified and registered, two-step PIN on, a payment
 * method on the account, and the portfolio's messaging limit. `nextStep` names the operation to
 * run next. Fields: https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/
 * and https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { rethrowWithFix } from '../../helpers/fixes';
import { sessionMismatch } from '../../helpers/sharedAccounts';
import { readPhoneState } from './phone';
import { ownGrant, phoneNumberIdField, readId, wabaIdField } from './shared';

const show = ['getOnboardingStatus'];

export const description: INodeProperties[] = [wabaIdField(show), phoneNumberIdField(show, false)];

interface Step {
	step: string;
	done: boolean;
	detail: string;
	fix?: string;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const wabaId = readId.call(this, 'wabaId', itemIndex, 'WhatsApp Business Account ID');
	const phoneNumberId = readId.call(this, 'phoneNumberId', itemIndex, 'Phone Number ID', true);
	const grant = await ownGrant.call(this, itemIndex);
	const steps: Step[] = [];
	const mismatch = sessionMismatch(grant, wabaId);
	steps.push({
		step: 'accountShared',
		done: !mismatch,
		detail: mismatch ?? "The account is shared with this credential's System User.",
		...(mismatch
			? {
					fix: 'Run Complete Signup for this customer (or assign the System User in Business Settings).',
				}
			: {}),
	});
	if (mismatch) return summary(wabaId, phoneNumberId, steps, {});

	const account = (await graphRequest
		.call(this, {
			method: 'GET',
			path: `/${wabaId}`,
			qs: {
				fields:
					'id,name,currency,timezone_id,account_review_status,primary_funding_id,whatsapp_business_manager_messaging_limit',
			},
			itemIndex,
		})
		.catch(rethrowWithFix)) as IDataObject;
	const apps = (await graphRequest
		.call(this, { method: 'GET', path: `/${wabaId}/subscribed_apps`, itemIndex })
		.catch(rethrowWithFix)) as IDataObject;
	const subscribed = (Array.isArray(apps?.data) ? (apps.data as IDataObject[]) : []).some(
		(app) =>
			String((app.whatsapp_business_api_data as IDataObject | undefined)?.id ?? '') === grant.appId,
	);
	steps.push({
		step: 'appSubscribed',
		done: subscribed,
		detail: subscribed
			? "Your app receives this account's webhooks."
			: "Your app is not subscribed to this account's webhooks.",
		...(subscribed ? {} : { fix: 'Run Subscribe App.' }),
	});
	if (phoneNumberId) {
		const phone = await readPhoneState.call(this, itemIndex, phoneNumberId, [
			'is_pin_enabled',
			'name_status',
		]);
		const verified = phone.code_verification_status === 'VERIFIED';
		const registered = phone.status === 'CONNECTED';
		steps.push({
			step: 'numberVerified',
			done: verified,
			detail: `code_verification_status is ${String(phone.code_verification_status ?? 'unknown')}.`,
			...(verified ? {} : { fix: 'Run Request Verification Code, then Verify Code.' }),
		});
		steps.push({
			step: 'numberRegistered',
			done: registered,
			detail: `status is ${String(phone.status ?? 'unknown')}.`,
			...(registered ? {} : { fix: 'Run Register Phone Number with a 6-digit PIN.' }),
		});
		steps.push({
			step: 'twoStepPin',
			done: phone.is_pin_enabled === true,
			detail:
				phone.is_pin_enabled === true
					? 'Two-step verification is on.'
					: 'Two-step verification is off.',
			...(phone.is_pin_enabled === true
				? {}
				: { fix: 'Run Set Two-Step PIN (registering also sets it).' }),
		});
	}
	const funded =
		typeof account.primary_funding_id === 'string' && account.primary_funding_id !== '';
	steps.push({
		step: 'paymentMethod',
		done: funded,
		detail: funded
			? 'The account has a payment method or credit line (primary_funding_id).'
			: 'Meta shows no payment method on the account (no primary_funding_id). From 1 October 2026 Meta stops delivering charged messages without one.',
		...(funded
			? {}
			: {
					fix: 'The customer adds a card in Meta Business Suite > Billing & payments, or you share your credit line (Solution Partners).',
				}),
	});
	return summary(wabaId, phoneNumberId, steps, {
		name: account.name ?? null,
		currency: account.currency ?? null,
		messagingLimit: account.whatsapp_business_manager_messaging_limit ?? null,
	});
}

function summary(
	wabaId: string,
	phoneNumberId: string,
	steps: Step[],
	extra: IDataObject,
): IDataObject {
	const next = steps.find((step) => !step.done);
	return {
		wabaId,
		phoneNumberId: phoneNumberId || null,
		complete: !next,
		nextStep: next ? next.step : null,
		nextFix: next?.fix ?? null,
		...extra,
		steps: steps.map((step) => ({ ...step })),
	};
}
