import type { INodeProperties } from 'n8n-workflow';

import * as completeSignup from './completeSignup.operation';
import * as getOnboardingStatus from './getOnboardingStatus.operation';
import * as getSharedAccounts from './getSharedAccounts.operation';
import * as registerPhoneNumber from './registerPhoneNumber.operation';
import * as requestCode from './requestCode.operation';
import * as setTwoStepPin from './setTwoStepPin.operation';
import * as subscribeApp from './subscribeApp.operation';
import * as verifyCode from './verifyCode.operation';

export {
	completeSignup,
	getOnboardingStatus,
	getSharedAccounts,
	registerPhoneNumber,
	requestCode,
	setTwoStepPin,
	subscribeApp,
	verifyCode,
};

/** One resource (a customer's WhatsApp Business Account), so the operations show without a Resource field. */
export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Complete Signup',
			value: 'completeSignup',
			description:
				'Exchange the Embedded Signup code, check what was shared and give your System User access',
			action: 'Complete signup',
		},
		{
			name: 'Get Onboarding Status',
			value: 'getOnboardingStatus',
			description: 'Show which onboarding steps are done and what to run next',
			action: 'Get onboarding status',
		},
		{
			name: 'Get Shared Accounts',
			value: 'getSharedAccounts',
			description:
				'Get the shared WhatsApp Business Account and its phone numbers, checked against the session',
			action: 'Get shared accounts',
		},
		{
			name: 'Register Phone Number',
			value: 'registerPhoneNumber',
			description:
				'Register the number on the Cloud API with a two-step PIN (skipped when already registered)',
			action: 'Register phone number',
		},
		{
			name: 'Request Verification Code',
			value: 'requestCode',
			description: 'Send a verification code by SMS or voice call to an unverified number',
			action: 'Request verification code',
		},
		{
			name: 'Set Two-Step PIN',
			value: 'setTwoStepPin',
			description: "Set or change the number's two-step verification PIN",
			action: 'Set two step PIN',
		},
		{
			name: 'Subscribe App',
			value: 'subscribeApp',
			description: "Receive the account's webhooks, optionally at an override URL",
			action: 'Subscribe app',
		},
		{
			name: 'Verify Code',
			value: 'verifyCode',
			description: 'Verify the number with the code the customer received',
			action: 'Verify code',
		},
	],
	default: 'completeSignup',
};

export const fields: INodeProperties[] = [
	...completeSignup.description,
	...getOnboardingStatus.description,
	...getSharedAccounts.description,
	...registerPhoneNumber.description,
	...requestCode.description,
	...setTwoStepPin.description,
	...subscribeApp.description,
	...verifyCode.description,
];
